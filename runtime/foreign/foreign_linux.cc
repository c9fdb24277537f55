// Foreign threads on Linux: what pthread_create boils down to.
#include "foreign.h"
#include "rt/syscall.h"

#if defined(__x86_64__)
#include "../os/defs_linux_amd64.h"
#elif defined(__i386__)
#include "../os/defs_linux_386.h"
#elif defined(__arm__)
#include "../os/defs_linux_arm.h"
#endif

extern "C" {
rt::intptr rt_clone(rt::uintptr flags, void* stack, volatile rt::uint32* ctid, void (*fn)(void*),
                    void* arg);
rt::intptr rt_sys_settls(void* tp);
void crossrt_cgocallback(void (*fn)(void*), void* arg);
}

namespace {
constexpr rt::uintptr kStackSize = 128 * 1024;
constexpr rt::uintptr kCloneFlags = 0x100 /*VM*/ | 0x200 /*FS*/ | 0x400 /*FILES*/ |
                                    0x800 /*SIGHAND*/ | 0x40000 /*SYSVSEM*/ | 0x10000 /*THREAD*/ |
                                    0x200000 /*CHILD_CLEARTID*/;
constexpr int kFutexWait = 0; // not private: CHILD_CLEARTID wakes a shared futex

void thread_main(void* p) {
    auto* t = static_cast<ForeignThread*>(p);
    rt_sys_settls(t->tls);
    t->tid = foreign_gettid();
    t->fn(t->arg);
}
} // namespace

extern "C" {

int foreign_thread_start(ForeignThread* t, void (*fn)(void*), void* arg) {
    for (auto& w : t->tls) {
        w = 0;
    }
    t->fn = fn;
    t->arg = arg;
    t->tid = 0;
    rt::intptr mem =
        rt::syscall(SYS_mmap, nullptr, kStackSize, 3 /*RW*/, 0x22 /*PRIVATE|ANON*/, -1, 0);
    if (mem < 0 && mem > -4096) {
        return static_cast<int>(mem);
    }
    t->stack = reinterpret_cast<void*>(mem);
    t->alive = 1;
    rt::intptr r =
        rt_clone(kCloneFlags, static_cast<char*>(t->stack) + kStackSize, &t->alive, thread_main, t);
    if (r < 0) {
        t->alive = 0;
        rt::syscall(SYS_munmap, t->stack, kStackSize);
        return static_cast<int>(r);
    }
    return 0;
}

void foreign_thread_join(ForeignThread* t) {
    for (;;) {
        rt::uint32 v = t->alive;
        if (v == 0) {
            break;
        }
        rt::syscall(SYS_futex, &t->alive, kFutexWait, v, nullptr, nullptr, 0);
    }
    rt::syscall(SYS_munmap, t->stack, kStackSize);
}

void foreign_call_runtime(void (*fn)(void*), void* arg) {
    crossrt_cgocallback(fn, arg);
}

rt::int64 foreign_gettid() {
    return rt::syscall(SYS_gettid);
}
}
