// The OS interface on the target: write, anonymous memory, guard pages.
#include "check.h"
#include "rt/os.h"
#include "rt/runtime.h"
#include "rt/stack.h"

using namespace rt;

int rt::main(int, char**) {
    static const char msg[] = "selftest syscalls: write\n";
    CHECK_EQ(sys_write(1, msg, sizeof(msg) - 1), static_cast<intptr>(sizeof(msg) - 1));
    CHECK(sys_write(-1, msg, 1) < 0); // EBADF comes back as -errno

    auto* p = static_cast<uint8*>(sys_alloc(3 * kPageSize));
    CHECK(p != nullptr);
    for (uintptr i = 0; i < 3 * kPageSize; i++) {
        CHECK_EQ(p[i], 0u);
        p[i] = static_cast<uint8>(i);
    }
    CHECK_EQ(p[kPageSize + 7], static_cast<uint8>(kPageSize + 7));
    CHECK(sys_guard(p, kPageSize));
    sys_free(p, 3 * kPageSize);

    Stack s = stackalloc(kStackSize);
    CHECK_EQ(s.hi - s.lo, kStackSize - kPageSize);
    *reinterpret_cast<volatile uint8*>(s.lo) = 1;
    *reinterpret_cast<volatile uint8*>(s.hi - 1) = 1;
    stackfree(s);

    println("selftest syscalls: ok");
    return 0;
}
