// Interval timers that have fallen far behind the clock: the virtual clock
// jumps to a sleeper's deadline, so a periodic timer may be billions of
// periods behind when it is next looked at. It fires once and its next
// expiry is the first after now, whatever the numbers (the syscall fuzz
// target's input tests/fuzz/corpus/syscall/timeout-5d4a1bef..., a 1 us
// ITIMER_REAL and a clock_nanosleep years ahead, kept the kernel stepping
// through the periods one at a time).
#include "kernel_test_support.h"

#include <csignal>
#include <gtest/gtest.h>
#include <unistd.h>

namespace crossrt::kernel {
namespace {

constexpr u64 kMax = ~u64{0};

class ItimerTest : public ::testing::Test {
protected:
    void SetUp() override {
        machine_ = test::boot(test::code_image(Arch::amd64, test::spin_code(Arch::amd64)));
    }
    Process& process() { return machine_->main_process(); }
    Lwp& self() { return process().current(); }
    // ITIMER_PROF counts the process's instructions: the test sets its clock.
    ITimer& prof() { return process().itimers()[kItimerProf]; }
    bool prof_pending() { return (process().shared_pending() & sigbit(sig::PROF)) != 0; }
    // fire_timers in a child that must finish (ASSERT_EXIT): the loop it
    // replaced never ended on these numbers. The alarm turns a hang into
    // a failure; it does not time anything.
    void fire_timers_in_child() {
        alarm(60);
        process().fire_timers();
        std::_Exit(0);
    }
    std::unique_ptr<Kernel> machine_;
};

TEST_F(ItimerTest, ATimerFarBehindFiresOnceAndComesDueNextAfterNow) {
    prof() = ITimer{1000, 1000};                                          // every 1 us from 1 us on
    process().count_instructions(self(), 1'000'000'000'000'000ull + 123); // 11.6 days of CPU time
    ASSERT_EXIT(fire_timers_in_child(), ::testing::ExitedWithCode(0), "");
    process().fire_timers();
    EXPECT_TRUE(prof_pending());
    EXPECT_EQ(prof().next, std::optional<u64>{1'000'000'000'001'000ull});
}

TEST_F(ItimerTest, APeriodPast2To64NsNeverComesDueAgainInsteadOfWrapping) {
    // The next expiry, 2^63 ns on, would pass 2^64: stepping wrapped it
    // back below now, again and again.
    prof() = ITimer{u64{1} << 63, 1};
    process().count_instructions(self(), (u64{1} << 63) + 10);
    ASSERT_EXIT(fire_timers_in_child(), ::testing::ExitedWithCode(0), "");
    process().fire_timers();
    EXPECT_TRUE(prof_pending());
    EXPECT_EQ(prof().next, std::optional<u64>{kMax});
}

TEST(SaturatingTest, AddAndMultiplyStopAtTheLargestValue) {
    EXPECT_EQ(saturating_add(1, 2), 3u);
    EXPECT_EQ(saturating_add(kMax - 1, 1), kMax);
    EXPECT_EQ(saturating_add(kMax - 1, 2), kMax);
    EXPECT_EQ(saturating_mul(3, 4), 12u);
    EXPECT_EQ(saturating_mul(0, kMax), 0u);
    EXPECT_EQ(saturating_mul(kMax, 0), 0u);
    EXPECT_EQ(saturating_mul(u64{1} << 32, u64{1} << 32), kMax);
}

} // namespace
} // namespace crossrt::kernel
