#include "rt/stack.h"

#include "rt/lock.h"
#include "rt/os.h"
#include "rt/throw.h"

namespace rt {

Stack stackalloc(uintptr size) {
    void* base = sys_alloc(size);
    if (base == nullptr) {
        throw_("out of memory allocating a goroutine stack");
    }
    if (!sys_guard(base, kPageSize)) {
        throw_("cannot protect a stack guard page");
    }
    uintptr lo = reinterpret_cast<uintptr>(base) + kPageSize;
    return Stack{lo, reinterpret_cast<uintptr>(base) + size};
}

void stackfree(Stack s) {
    sys_free(reinterpret_cast<void*>(s.lo - kPageSize), s.hi - s.lo + kPageSize);
}

namespace {
constexpr uintptr kChunk = 64 * 1024;
uintptr chunk_next;
uintptr chunk_end;
// A spin lock, not a Mutex: needm allocates on a thread that has no M yet.
SpinLock chunk_lock;
} // namespace

void* persistentalloc(uintptr size) {
    size = (size + 15) & ~uintptr{15};
    if (size > kChunk) {
        throw_("persistentalloc: request too large");
    }
    spin_lock(&chunk_lock);
    if (chunk_next + size > chunk_end) {
        void* p = sys_alloc(kChunk);
        if (p == nullptr) {
            throw_("out of memory in persistentalloc");
        }
        chunk_next = reinterpret_cast<uintptr>(p);
        chunk_end = chunk_next + kChunk;
    }
    void* p = reinterpret_cast<void*>(chunk_next);
    chunk_next += size;
    spin_unlock(&chunk_lock);
    return p; // fresh anonymous mmap memory is zero
}

} // namespace rt
