// futex semantics through the handler: EAGAIN on a changed word, blocking,
// FIFO wake with a count, bitsets, timeouts on the virtual clock.
#include "kernel/linux/sys.h"
#include "kernel_test_support.h"

#include <gtest/gtest.h>

namespace crossrt::kernel {
namespace {

constexpr u64 kWaitPrivate = 0 | 128;
constexpr u64 kWakePrivate = 1 | 128;
constexpr u64 kWaitBitset = 9;
constexpr u64 kWakeBitset = 10;

class FutexTest : public ::testing::Test {
protected:
    void SetUp() override {
        machine_ = test::boot(test::code_image(Arch::amd64, test::spin_code(Arch::amd64)));
        word_ = static_cast<u64>(
            machine_->main_process().memory().map_anywhere(0, 4096, kProtRead | kProtWrite));
        ASSERT_TRUE(machine_->main_process().memory().write_value(word_, u32{5}));
        for (int i = 0; i < 3; ++i) {
            Lwp* lwp = machine_->main_process().create_lwp();
            lwp->state = LwpState::runnable;
            extra_.push_back(lwp);
        }
    }
    lnx::SysResult futex(Lwp& self, u64 op, u64 value, u64 timeout = 0, u64 bitset = 0) {
        SyscallArgs args;
        args.nr = 202;
        args.a = {word_, op, value, timeout, 0, bitset};
        return lnx::sys_futex(machine_->main_process(), self, args);
    }
    std::unique_ptr<Kernel> machine_;
    u64 word_ = 0;
    std::vector<Lwp*> extra_;
};

TEST_F(FutexTest, WaitOnAChangedWordIsEagain) {
    lnx::SysResult result = futex(*extra_[0], kWaitPrivate, 4);
    EXPECT_EQ(result.kind, lnx::SysResult::Kind::value);
    EXPECT_EQ(result.value, -err::AGAIN);
    EXPECT_EQ(extra_[0]->state, LwpState::runnable);
}

TEST_F(FutexTest, WakeIsFifoAndCounted) {
    for (Lwp* lwp : extra_) {
        EXPECT_EQ(futex(*lwp, kWaitPrivate, 5).kind, lnx::SysResult::Kind::blocked);
        EXPECT_EQ(lwp->state, LwpState::blocked);
        EXPECT_EQ(lwp->wait.address, word_);
        EXPECT_FALSE(lwp->wait.deadline);
    }
    lnx::SysResult woke = futex(machine_->main_process().current(), kWakePrivate, 1);
    EXPECT_EQ(woke.value, 1);
    EXPECT_EQ(extra_[0]->state, LwpState::runnable); // first in, first out
    EXPECT_EQ(extra_[0]->resume_result, 0);
    EXPECT_EQ(extra_[1]->state, LwpState::blocked);
    EXPECT_EQ(futex(machine_->main_process().current(), kWakePrivate, 10).value, 2);
    EXPECT_EQ(extra_[2]->state, LwpState::runnable);
    EXPECT_EQ(futex(machine_->main_process().current(), kWakePrivate, 10).value, 0);
}

TEST_F(FutexTest, BitsetsSelectWaiters) {
    futex(*extra_[0], kWaitBitset, 5, 0, 0x1);
    futex(*extra_[1], kWaitBitset, 5, 0, 0x2);
    EXPECT_EQ(futex(machine_->main_process().current(), kWakeBitset, 10, 0, 0x2).value, 1);
    EXPECT_EQ(extra_[0]->state, LwpState::blocked);
    EXPECT_EQ(extra_[1]->state, LwpState::runnable);
    EXPECT_EQ(futex(machine_->main_process().current(), kWaitBitset, 5, 0, 0).value, -err::INVAL);
}

TEST_F(FutexTest, RelativeTimeoutOnTheVirtualClock) {
    u64 timespec = word_ + 64;
    ASSERT_TRUE(machine_->main_process().memory().write_value(timespec, u64{2})); // seconds
    ASSERT_TRUE(
        machine_->main_process().memory().write_value(timespec + 8, u64{500})); // nanoseconds
    futex(*extra_[0], kWaitPrivate, 5, timespec);
    ASSERT_TRUE(extra_[0]->wait.deadline);
    EXPECT_EQ(*extra_[0]->wait.deadline, machine_->main_process().now_ns() + 2'000'000'500u);
    EXPECT_FALSE(extra_[0]->wait.restartable); // a timed wait answers EINTR to a handler
}

} // namespace
} // namespace crossrt::kernel
