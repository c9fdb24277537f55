// NetBSD LWP park/unpark through the handlers and the run loop: an unpark
// before the park makes the park return EALREADY at once, several early
// unparks collapse into one, an unknown LWP is ESRCH, a timeout (relative
// or TIMER_ABSTIME, on the virtual clock) is ETIMEDOUT with the carry flag
// set, a signal is EINTR, and parked LWPs make the deadlock verdict.
#include "kernel/netbsd/sys.h"
#include "kernel_test_support.h"

#include <gtest/gtest.h>

namespace crossrt::kernel {
namespace {

constexpr u64 kAbstime = 1;

ElfImage netbsd_image(Arch arch, std::vector<u8> code) {
    ElfImage image = test::code_image(arch, std::move(code));
    image.os = "netbsd";
    return image;
}

class NetbsdParkTest : public ::testing::Test {
protected:
    void SetUp() override {
        machine_ = test::boot(netbsd_image(Arch::amd64, test::spin_code(Arch::amd64)));
        ASSERT_EQ(machine_->main_process().personality().name(), "netbsd");
        scratch_ = static_cast<u64>(
            machine_->main_process().memory().map_anywhere(0, 4096, kProtRead | kProtWrite));
        for (int i = 0; i < 2; ++i) {
            Lwp* lwp = machine_->main_process().create_lwp();
            lwp->state = LwpState::runnable;
            extra_.push_back(lwp);
        }
    }
    // ___lwp_park60(clock, flags, ts, unpark, hint, unparkhint)
    nbsd::SysResult park(Lwp& self, u64 ts = 0, u64 flags = 0, u64 clock = 3, u64 unpark = 0) {
        SyscallArgs args;
        args.nr = 478;
        args.a = {clock, flags, ts, unpark, 0x1234, 0};
        return nbsd::sys_lwp_park60(machine_->main_process(), self, args);
    }
    nbsd::SysResult unpark(Lwp& self, u64 lid) {
        SyscallArgs args;
        args.nr = 321;
        args.a = {lid, 0x1234};
        return nbsd::sys_lwp_unpark(machine_->main_process(), self, args);
    }
    u64 timespec(u64 seconds, u64 nanoseconds) {
        EXPECT_TRUE(machine_->main_process().memory().write_value(scratch_, seconds));
        EXPECT_TRUE(machine_->main_process().memory().write_value(scratch_ + 8, nanoseconds));
        return scratch_;
    }
    std::unique_ptr<Kernel> machine_;
    u64 scratch_ = 0;
    std::vector<Lwp*> extra_;
};

TEST_F(NetbsdParkTest, LidsCountFromOne) {
    EXPECT_EQ(machine_->main_process().current().tid, 1);
    EXPECT_EQ(extra_[0]->tid, 2);
    EXPECT_EQ(nbsd::sys_lwp_self(machine_->main_process(), *extra_[1], SyscallArgs{}).value, 3);
}

TEST_F(NetbsdParkTest, UnparkBeforeParkMakesTheParkReturnEalready) {
    EXPECT_EQ(unpark(machine_->main_process().current(), 2).value, 0);
    EXPECT_EQ(extra_[0]->state, LwpState::runnable);
    nbsd::SysResult result = park(*extra_[0]);
    EXPECT_EQ(result.kind, nbsd::SysResult::Kind::value);
    EXPECT_EQ(result.value, -nbsd::err::ALREADY);
    EXPECT_EQ(extra_[0]->state, LwpState::runnable);
    // The flag is consumed: the next park blocks.
    EXPECT_EQ(park(*extra_[0]).kind, nbsd::SysResult::Kind::blocked);
    EXPECT_EQ(extra_[0]->state, LwpState::blocked);
    EXPECT_EQ(extra_[0]->wait.kind, WaitKind::lwp_park);
}

TEST_F(NetbsdParkTest, SeveralEarlyUnparksCollapseIntoOne) {
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(unpark(machine_->main_process().current(), 2).value, 0);
    EXPECT_EQ(park(*extra_[0]).value, -nbsd::err::ALREADY);
    EXPECT_EQ(park(*extra_[0]).kind, nbsd::SysResult::Kind::blocked);
}

TEST_F(NetbsdParkTest, UnparkWakesAParkedLwpWithZero) {
    ASSERT_EQ(park(*extra_[0]).kind, nbsd::SysResult::Kind::blocked);
    EXPECT_EQ(unpark(machine_->main_process().current(), 2).value, 0);
    EXPECT_EQ(extra_[0]->state, LwpState::runnable);
    EXPECT_EQ(extra_[0]->resume_result, 0);
    EXPECT_FALSE(extra_[0]->unparked); // the wakeup was used, no flag left
}

TEST_F(NetbsdParkTest, ParkCanUnparkAnotherFirst) {
    // park's fourth argument unparks that LWP before parking.
    ASSERT_EQ(park(*extra_[1]).kind, nbsd::SysResult::Kind::blocked);
    EXPECT_EQ(park(*extra_[0], 0, 0, 3, 3).kind, nbsd::SysResult::Kind::blocked);
    EXPECT_EQ(extra_[1]->state, LwpState::runnable);
    EXPECT_EQ(extra_[0]->state, LwpState::blocked);
}

TEST_F(NetbsdParkTest, UnknownOrExitedLwpIsEsrch) {
    EXPECT_EQ(unpark(machine_->main_process().current(), 99).value, -nbsd::err::SRCH);
    extra_[1]->state = LwpState::exited;
    EXPECT_EQ(unpark(machine_->main_process().current(), 3).value, -nbsd::err::SRCH);
    EXPECT_EQ(park(*extra_[0], 0, 0, 3, 99).value, -nbsd::err::SRCH);
}

TEST_F(NetbsdParkTest, TimeoutsAreRelativeOrAbsoluteOnTheVirtualClock) {
    u64 now = machine_->main_process().now_ns();
    ASSERT_EQ(park(*extra_[0], timespec(2, 500)).kind, nbsd::SysResult::Kind::blocked);
    ASSERT_TRUE(extra_[0]->wait.deadline);
    EXPECT_EQ(*extra_[0]->wait.deadline, now + 2'000'000'500u);
    EXPECT_EQ(extra_[0]->wait.timeout_result, -nbsd::err::TIMEDOUT);
    ASSERT_EQ(park(*extra_[1], timespec(3, 0), kAbstime).kind, nbsd::SysResult::Kind::blocked);
    EXPECT_EQ(*extra_[1]->wait.deadline, 3'000'000'000u);
}

TEST_F(NetbsdParkTest, ATimeoutAlreadyPastIsEtimedoutAtOnce) {
    EXPECT_EQ(park(*extra_[0], timespec(0, 0)).value, -nbsd::err::TIMEDOUT);
    EXPECT_EQ(extra_[0]->state, LwpState::runnable);
}

TEST_F(NetbsdParkTest, ASignalEndsTheParkWithEintr) {
    ASSERT_EQ(park(*extra_[0]).kind, nbsd::SysResult::Kind::blocked);
    machine_->main_process().send_to_thread(*extra_[0], SigInfo{sig::USR1, kSiTkill, 0, 100, 0});
    EXPECT_EQ(extra_[0]->state, LwpState::runnable);
    EXPECT_EQ(extra_[0]->resume_result, -nbsd::err::INTR);
    // A blocked signal leaves it parked.
    ASSERT_EQ(park(*extra_[1]).kind, nbsd::SysResult::Kind::blocked);
    extra_[1]->sigmask = sigbit(sig::USR2);
    machine_->main_process().send_to_thread(*extra_[1], SigInfo{sig::USR2, kSiTkill, 0, 100, 0});
    EXPECT_EQ(extra_[1]->state, LwpState::blocked);
}

// The guest parks with a relative timeout through a real `syscall`; when
// every LWP waits, the virtual clock jumps to the deadline and the park
// returns ETIMEDOUT: errno 60 in rax with the carry flag set.
TEST(NetbsdParkRun, TimeoutReturnsEtimedoutWithTheCarrySet) {
    // lea rdx,[rip+ts]; mov eax,478; mov edi,3; xor esi,esi; xor r10d,r10d;
    // xor r8d,r8d; xor r9d,r9d; syscall; jmp .; ts: {1 s, 0}
    std::vector<u8> code = {0x48, 0x8d, 0x15, 0x19, 0x00, 0x00, 0x00,     // lea rdx,[rip+0x19]
                            0xb8, 0xde, 0x01, 0x00, 0x00,                 // mov eax,478
                            0xbf, 0x03, 0x00, 0x00, 0x00,                 // mov edi,3
                            0x31, 0xf6,                                   // xor esi,esi
                            0x45, 0x31, 0xd2,                             // xor r10d,r10d
                            0x45, 0x31, 0xc0,                             // xor r8d,r8d
                            0x45, 0x31, 0xc9,                             // xor r9d,r9d
                            0x0f, 0x05,                                   // syscall
                            0xeb, 0xfe,                                   // jmp .
                            0x01, 0,    0,    0,    0,    0,    0,    0,  // ts.tv_sec = 1
                            0,    0,    0,    0,    0,    0,    0,    0}; // ts.tv_nsec = 0
    KernelOptions options;
    options.max_insns = 2'000;
    auto machine = test::boot(netbsd_image(Arch::amd64, code), options);
    RunEnd end = machine->run();
    EXPECT_EQ(end.kind, EndKind::budget) << end.detail;
    EXPECT_GE(machine->main_process().now_ns(), 1'000'000'000u);
    u64 rax = 0, rflags = 0;
    uc_reg_read(machine->main_process().uc(), UC_X86_REG_RAX, &rax);
    uc_reg_read(machine->main_process().uc(), UC_X86_REG_RFLAGS, &rflags);
    EXPECT_EQ(rax, 60u); // ETIMEDOUT, positive
    EXPECT_EQ(rflags & 1, 1u);
}

TEST(NetbsdParkRun, ParkedLwpsMakeTheDeadlockVerdict) {
    // mov eax,478; xor edi,edi; xor esi,esi; xor edx,edx; xor r10d,r10d;
    // xor r8d,r8d; mov r9d,0x77; syscall; jmp .  (no timeout, nobody to unpark)
    std::vector<u8> code = {0xb8, 0xde, 0x01, 0x00, 0x00, 0x31, 0xff, 0x31, 0xf6,
                            0x31, 0xd2, 0x45, 0x31, 0xd2, 0x45, 0x31, 0xc0, 0x41,
                            0xb8, 0x77, 0x00, 0x00, 0x00, 0x0f, 0x05, 0xeb, 0xfe};
    auto machine = test::boot(netbsd_image(Arch::amd64, code));
    RunEnd end = machine->run();
    EXPECT_EQ(end.kind, EndKind::deadlock);
    EXPECT_NE(end.detail.find("lwp 1 (tid 1)"), std::string::npos) << end.detail;
    EXPECT_NE(end.detail.find("___lwp_park60"), std::string::npos) << end.detail;
    EXPECT_NE(end.detail.find("parked (hint 0x77)"), std::string::npos) << end.detail;
}

} // namespace
} // namespace crossrt::kernel
