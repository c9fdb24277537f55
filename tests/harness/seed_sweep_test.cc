#include "cli/seed_sweep.h"

#include <algorithm>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <vector>

namespace crossrt {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// A cell whose verdict depends on the seed: `bad` seeds give `bad_verdict`.
struct FakeCell {
    explicit FakeCell(std::vector<std::uint64_t> bad_seeds = {}, Verdict good = Verdict::pass,
                      Verdict bad_one = Verdict::fail)
        : bad(std::move(bad_seeds)), good_verdict(good), bad_verdict(bad_one) {}

    std::vector<std::uint64_t> bad;
    Verdict good_verdict;
    Verdict bad_verdict;
    std::vector<std::uint64_t> ran;

    RunWithSeed runner() {
        return [this](std::uint64_t seed) {
            ran.push_back(seed);
            bool is_bad = std::find(bad.begin(), bad.end(), seed) != bad.end();
            return SeedRun{{is_bad ? bad_verdict : good_verdict, is_bad ? "lost wakeup" : "ok"},
                           0.5};
        };
    }
};

bool never() {
    return false;
}

TEST(SeedSweep, FixedVariantStopsAtTheFirstFailingSeedAndPrintsTheRepeatCommand) {
    FakeCell cell({13, 15});
    SweepResult result = run_seed_sweep({10, 8, false, false}, cell.runner(),
                                        "crossrt run c/arm-netbsd/unicorn/fixed --seed", never);
    EXPECT_EQ(result.judgement.verdict, Verdict::fail);
    EXPECT_EQ(result.seed, 13u);
    EXPECT_EQ(result.tried, 4);
    EXPECT_DOUBLE_EQ(result.duration_s, 2.0);
    EXPECT_THAT(cell.ran, ElementsAre(10, 11, 12, 13));
    EXPECT_THAT(result.judgement.detail, HasSubstr("seed 13 (4 of 8 tried): lost wakeup; "));
    // The rate, then the command to paste.
    EXPECT_THAT(result.judgement.detail,
                HasSubstr(" seeds/s; repeat: crossrt run c/arm-netbsd/unicorn/fixed --seed 13"));
}

TEST(SeedSweep, FixedVariantPassesOnlyWhenEverySeedPasses) {
    FakeCell cell;
    SweepResult result = run_seed_sweep({100, 5, false, false}, cell.runner(), "r --seed", never);
    EXPECT_EQ(result.judgement.verdict, Verdict::pass);
    EXPECT_EQ(result.tried, 5);
    EXPECT_THAT(cell.ran, ElementsAre(100, 101, 102, 103, 104));
    EXPECT_THAT(result.judgement.detail, HasSubstr("passed with all 5 seeds (100..104)"));
}

TEST(SeedSweep, RegressionIsCaughtAtTheFirstSeedThatShowsTheBug) {
    // Judged per seed: pass = the bug's symptom seen (caught), fail = not seen.
    FakeCell cell({6}, Verdict::fail, Verdict::pass);
    SweepResult result = run_seed_sweep({1, 64, false, true}, cell.runner(), "r --seed", never);
    EXPECT_EQ(result.judgement.verdict, Verdict::pass);
    EXPECT_EQ(result.seed, 6u);
    EXPECT_EQ(result.tried, 6);
    EXPECT_THAT(result.judgement.detail, HasSubstr("seed 6 (6 of 64 tried)"));
    EXPECT_THAT(result.judgement.detail, HasSubstr("repeat: r --seed 6"));
}

TEST(SeedSweep, RegressionNotCaughtByAnySeedFails) {
    FakeCell cell({}, Verdict::fail, Verdict::pass);
    SweepResult result = run_seed_sweep({1, 3, false, true}, cell.runner(), "r --seed", never);
    EXPECT_EQ(result.judgement.verdict, Verdict::fail);
    EXPECT_EQ(result.tried, 3);
    EXPECT_THAT(result.judgement.detail,
                HasSubstr("regression not caught with any of 3 seeds (1..3)"));
}

TEST(SeedSweep, AnExhaustedBudgetDoesNotEndARegressionSweep) {
    // Like a timeout: this seed did not show the bug; the next may.
    FakeCell cell({4}, Verdict::budget, Verdict::pass);
    SweepResult result = run_seed_sweep({1, 10, false, true}, cell.runner(), "r --seed", never);
    EXPECT_EQ(result.judgement.verdict, Verdict::pass);
    EXPECT_EQ(result.seed, 4u);
}

TEST(SeedSweep, AnErrorEndsARegressionSweep) {
    FakeCell cell({2}, Verdict::fail, Verdict::error);
    SweepResult result = run_seed_sweep({1, 10, false, true}, cell.runner(), "r --seed", never);
    EXPECT_EQ(result.judgement.verdict, Verdict::error);
    EXPECT_EQ(result.seed, 2u);
}

TEST(SeedSweep, KnownFailureIsXfailAtTheFirstFailingSeedAndXpassOtherwise) {
    FakeCell failing({3}, Verdict::xpass, Verdict::xfail);
    EXPECT_EQ(run_seed_sweep({1, 5, true, false}, failing.runner(), "r", never).judgement.verdict,
              Verdict::xfail);
    FakeCell passing({}, Verdict::xpass, Verdict::xfail);
    EXPECT_EQ(run_seed_sweep({1, 5, true, false}, passing.runner(), "r", never).judgement.verdict,
              Verdict::xpass);
}

TEST(SeedSweep, AnInterruptStopsBetweenSeeds) {
    FakeCell cell;
    int polls = 0;
    SweepResult result = run_seed_sweep({1, 10, false, false}, cell.runner(), "r",
                                        [&polls] { return ++polls == 2; });
    EXPECT_EQ(result.judgement.verdict, Verdict::error);
    EXPECT_EQ(result.tried, 2);
    EXPECT_THAT(result.judgement.detail, HasSubstr("interrupted after 2 of 10 seeds"));
}

// The seed an interrupt cut short did not fail: printing "repeat: ...
// --seed N" for it sent people after a bug that was not there.
TEST(SeedSweep, ASeedCutShortByAnInterruptSettlesNothing) {
    std::vector<std::uint64_t> ran;
    RunWithSeed run = [&ran](std::uint64_t seed) {
        ran.push_back(seed);
        if (seed == 12)
            return SeedRun{{Verdict::error, "interrupted"}, 0.1, 0, true};
        return SeedRun{{Verdict::pass, "ok"}, 0.5};
    };
    SweepResult result = run_seed_sweep({10, 8, false, false}, run, "r --seed", never);
    EXPECT_THAT(ran, ElementsAre(10, 11, 12));
    EXPECT_EQ(result.judgement.verdict, Verdict::error);
    EXPECT_EQ(result.tried, 2);
    EXPECT_EQ(result.judgement.detail, "interrupted after 2 of 8 seeds (from 10)");
    EXPECT_THAT(result.judgement.detail, Not(HasSubstr("repeat")));
    EXPECT_DOUBLE_EQ(result.duration_s, 1.1);
}

} // namespace
} // namespace crossrt
