// The CPU states kept for signal deliveries not yet returned from: found by
// their frame, dropped with the nested ones above, dropped when a new frame
// is written over them, and refused past the limit instead of forgotten.
#include "kernel/lwp.h"

#include <gtest/gtest.h>

namespace crossrt::kernel {
namespace {

class SignalContextsTest : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_EQ(uc_open(UC_ARCH_X86, UC_MODE_64, &uc_), UC_ERR_OK); }
    void TearDown() override {
        contexts_ = SignalContexts{};
        uc_close(uc_);
    }
    // A state whose rax says which it is.
    CpuState state(u64 rax) {
        std::string error;
        EXPECT_EQ(uc_reg_write(uc_, UC_X86_REG_RAX, &rax), UC_ERR_OK);
        std::optional<CpuState> saved = CpuState::allocate(uc_, error);
        EXPECT_TRUE(saved && saved->save(uc_, error)) << error;
        return std::move(*saved);
    }
    u64 rax_of(const CpuState& saved) {
        std::string error;
        EXPECT_TRUE(saved.restore(uc_, error)) << error;
        u64 rax = 0;
        uc_reg_read(uc_, UC_X86_REG_RAX, &rax);
        return rax;
    }
    uc_engine* uc_ = nullptr;
    SignalContexts contexts_;
};

TEST_F(SignalContextsTest, TakeFindsTheFrameAndDropsTheNestedOnes) {
    ASSERT_TRUE(contexts_.push(0x7000, state(1)));
    ASSERT_TRUE(contexts_.push(0x6000, state(2))); // nested in the first handler
    ASSERT_TRUE(contexts_.push(0x5000, state(3)));
    // The second handler returns (the third one left by longjmp).
    std::optional<CpuState> taken = contexts_.take(0x6000);
    ASSERT_TRUE(taken);
    EXPECT_EQ(rax_of(*taken), 2u);
    EXPECT_EQ(contexts_.size(), 1u);
    EXPECT_FALSE(contexts_.take(0x5000));
    taken = contexts_.take(0x7000);
    ASSERT_TRUE(taken);
    EXPECT_EQ(rax_of(*taken), 1u);
    EXPECT_EQ(contexts_.size(), 0u);
}

TEST_F(SignalContextsTest, AFrameWrittenOverAnotherDropsItsState) {
    ASSERT_TRUE(contexts_.push(0x7f00, state(1))); // on the altstack
    ASSERT_TRUE(contexts_.push(0x4000, state(2))); // elsewhere
    contexts_.drop_overwritten(0x7c00, 0x8000);    // the altstack reused from its top
    EXPECT_EQ(contexts_.size(), 1u);
    EXPECT_FALSE(contexts_.take(0x7f00));
    EXPECT_TRUE(contexts_.take(0x4000));
}

TEST_F(SignalContextsTest, PastTheLimitPushRefusesAndKeepsEveryState) {
    for (std::size_t i = 0; i < SignalContexts::kLimit; ++i)
        ASSERT_TRUE(contexts_.push(0x100000 - i * 0x100, state(i)));
    EXPECT_FALSE(contexts_.push(0x1000, state(9999)));
    EXPECT_EQ(contexts_.size(), SignalContexts::kLimit);
    std::optional<CpuState> oldest = contexts_.take(0x100000);
    ASSERT_TRUE(oldest); // nothing was dropped to make room
    EXPECT_EQ(rax_of(*oldest), 0u);
}

} // namespace
} // namespace crossrt::kernel
