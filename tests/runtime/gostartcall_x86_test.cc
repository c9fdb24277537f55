// gostartcall_x86.cc, built for the host: it is plain C++ over a Gobuf.
// Built twice: as is, and with RT_REGRESS_GOSTARTCALL_NO_RETPUSH, where the
// tests check that the knob really drops the pushed return pc.
#include "rt/runtime.h"

#include <gtest/gtest.h>

namespace {

TEST(GostartcallX86, PretendsFnWasCalledFromPc) {
    rt::uintptr stack[8] = {};
    rt::Gobuf buf{};
    buf.sp = reinterpret_cast<rt::uintptr>(&stack[8]);
    buf.pc = 0x1111;
    int ctxt = 0;
    rt::gostartcall(&buf, 0x2222, &ctxt);
    EXPECT_EQ(buf.pc, 0x2222u);
    EXPECT_EQ(buf.ctxt, &ctxt);
    EXPECT_EQ(buf.lr, 0u); // x86 has no link register
#ifdef RT_REGRESS_GOSTARTCALL_NO_RETPUSH
    EXPECT_EQ(buf.sp, reinterpret_cast<rt::uintptr>(&stack[8]));
    EXPECT_EQ(stack[7], 0u);
#else
    EXPECT_EQ(buf.sp, reinterpret_cast<rt::uintptr>(&stack[7]));
    EXPECT_EQ(stack[7], 0x1111u);
#endif
}

TEST(GostartcallX86, FnValPassesItselfAsCtxt) {
    rt::uintptr stack[8] = {};
    rt::Gobuf buf{};
    buf.sp = reinterpret_cast<rt::uintptr>(&stack[8]);
    buf.pc = 0x1111;
    rt::FuncVal fv{0x3333};
    rt::gostartcallfn(&buf, &fv);
    EXPECT_EQ(buf.pc, 0x3333u);
    EXPECT_EQ(buf.ctxt, &fv);
}

} // namespace

// gostartcallfn lives in proc.cc with the scheduler; the host test needs only
// this one line of it.
void rt::gostartcallfn(Gobuf* buf, FuncVal* fv) {
    gostartcall(buf, fv->fn, fv);
}
