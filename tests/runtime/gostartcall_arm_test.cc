// gostartcall_arm.cc, built for the host: it is plain C++ over a Gobuf.
// Built twice: as is, and with RT_REGRESS_GOSTARTCALL_NO_LR, where the tests
// check that the knob really leaves lr unset.
#include "fake_os.h"
#include "rt/runtime.h"

#include <gtest/gtest.h>

namespace {

TEST(GostartcallArm, PutsTheOldPcInLr) {
    rt::Gobuf buf{};
    buf.sp = 0x8000;
    buf.pc = 0x1111;
    int ctxt = 0;
    rt::gostartcall(&buf, 0x2222, &ctxt);
    EXPECT_EQ(buf.pc, 0x2222u);
    EXPECT_EQ(buf.ctxt, &ctxt);
    EXPECT_EQ(buf.sp, 0x8000u); // nothing is pushed on arm
#ifdef RT_REGRESS_GOSTARTCALL_NO_LR
    EXPECT_EQ(buf.lr, 0u);
#else
    EXPECT_EQ(buf.lr, 0x1111u);
#endif
}

TEST(GostartcallArm, RefusesABufferWhoseLrIsSet) {
    rt::Gobuf buf{};
    buf.pc = 0x1111;
    buf.lr = 0x4444;
    EXPECT_THROW(rt::gostartcall(&buf, 0x2222, nullptr), fake_os::Thrown);
}

} // namespace
