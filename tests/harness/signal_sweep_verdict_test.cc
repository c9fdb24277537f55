// How a signal sweep's points make its verdict (cli/signal_sweep.h), with a
// backend that hands back a fixed plan and outcomes: a fixed variant passes
// only when every point passes and every instruction got its signal; a
// regression is caught at any point that shows the bug; a region never
// reached is an error.
#include "cli/signal_sweep.h"
#include "test_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace crossrt {
namespace {

using ::testing::HasSubstr;

struct PointRun {
    std::optional<std::uint64_t> landed;
    Outcome outcome;
};

class FixedSweepBackend : public Backend {
public:
    FixedSweepBackend(SweepPlan plan, std::vector<PointRun> runs)
        : plan_(std::move(plan)), runs_(std::move(runs)) {}
    std::string name() const override { return "fixed-sweep"; }
    std::optional<std::string> never_runs(const Target&) const override { return std::nullopt; }
    std::optional<std::string> cannot_run(const Target&) const override { return std::nullopt; }
    Outcome run(const RunRequest&) const override { return test::ended(EndKind::exited); }
    SignalSweepRun run_signal_sweep(const RunRequest&, const std::string&, int,
                                    const PointOutcome& each) const override {
        for (std::size_t i = 0; i < runs_.size(); ++i) {
            if (!each(i, runs_[i].landed, 1, runs_[i].outcome))
                break;
        }
        return {plan_, {}};
    }

private:
    SweepPlan plan_;
    std::vector<PointRun> runs_;
};

// Three instructions at 0x100, 0x104, 0x108; the first `reached` of them reached.
SweepPlan plan_of(std::size_t reached) {
    SweepPlan plan;
    plan.region = "loop [0x100, 0x10c)";
    plan.begin = 0x100;
    plan.end = 0x10c;
    plan.discovery = "exit 0";
    for (std::uint64_t k = 0; k < 3; ++k) {
        plan.instructions.push_back({0x100 + 4 * k, "nop"});
        if (k < reached)
            plan.points.push_back({0x100 + 4 * k, 1000 + k, 1, 100});
    }
    return plan;
}

SignalSweepResult sweep(const SweepPlan& plan, std::vector<PointRun> runs, bool regression) {
    FixedSweepBackend backend(plan, std::move(runs));
    return sweep_signal_points(backend, RunRequest{}, "SIGUSR1@loop", 1, regression,
                               judge_exit_zero, [] { return false; });
}

PointRun exact(std::uint64_t address, int status = 0) {
    return {address, test::ended(EndKind::exited, status)};
}

TEST(SignalSweepVerdict, EveryPointPassingAndEveryInstructionCoveredPasses) {
    auto result = sweep(plan_of(3), {exact(0x100), exact(0x104), exact(0x108)}, false);
    EXPECT_EQ(result.judgement.verdict, Verdict::pass) << result.judgement.detail;
    EXPECT_EQ(result.covered, 3u);
    EXPECT_THAT(format_sweep_table(result), HasSubstr("covered 3 of 3 instructions"));
}

TEST(SignalSweepVerdict, OneFailingPointFailsTheFixedVariantAndIsNamed) {
    auto result = sweep(plan_of(3), {exact(0x100), exact(0x104, 2), exact(0x108)}, false);
    EXPECT_EQ(result.judgement.verdict, Verdict::fail);
    EXPECT_THAT(result.judgement.detail, HasSubstr("1 of 3 points do not pass; first at 0x104 "
                                                   "(loop+0x4): exit 2"));
}

TEST(SignalSweepVerdict, AnInstructionNeverReachedOrHitElsewhereIsNotCovered) {
    auto unreached = sweep(plan_of(2), {exact(0x100), exact(0x104)}, false);
    EXPECT_EQ(unreached.judgement.verdict, Verdict::fail);
    EXPECT_THAT(unreached.judgement.detail, HasSubstr("2 of 3 instructions"));
    EXPECT_THAT(unreached.judgement.detail, HasSubstr("no signal landed on 0x108"));
    EXPECT_THAT(format_sweep_table(unreached), HasSubstr("never reached"));

    auto elsewhere = sweep(plan_of(3), {exact(0x100), exact(0x108), exact(0x108)}, false);
    EXPECT_EQ(elsewhere.judgement.verdict, Verdict::fail);
    EXPECT_EQ(elsewhere.covered, 2u);
    EXPECT_THAT(format_sweep_table(elsewhere), HasSubstr("landed at 0x108, not here"));

    auto undelivered =
        sweep(plan_of(3),
              {exact(0x100), exact(0x104), {std::nullopt, test::ended(EndKind::exited)}}, false);
    EXPECT_EQ(undelivered.judgement.verdict, Verdict::fail);
    EXPECT_THAT(format_sweep_table(undelivered), HasSubstr("not delivered"));
}

TEST(SignalSweepVerdict, ARegressionIsCaughtAtAnyPointThatShowsIt) {
    // judge_exit_zero stands in for the regression's expectation: exit 0
    // "shows the bug" here.
    auto caught = sweep(plan_of(3), {exact(0x100, 1), exact(0x104), exact(0x108, 1)}, true);
    EXPECT_EQ(caught.judgement.verdict, Verdict::pass);
    EXPECT_THAT(caught.judgement.detail, HasSubstr("regression caught at 1 of 3 points (0x104)"));

    auto missed = sweep(plan_of(3), {exact(0x100, 1), exact(0x104, 1), exact(0x108, 1)}, true);
    EXPECT_EQ(missed.judgement.verdict, Verdict::fail);
    EXPECT_THAT(missed.judgement.detail, HasSubstr("regression not caught at any of 3 points"));
}

TEST(SignalSweepVerdict, ARegionNeverReachedIsAnError) {
    auto result = sweep(plan_of(0), {}, false);
    EXPECT_EQ(result.judgement.verdict, Verdict::error);
    EXPECT_THAT(result.judgement.detail,
                HasSubstr("the run never reached loop [0x100, 0x10c) (it ended: exit 0)"));
    auto regression = sweep(plan_of(0), {}, true);
    EXPECT_EQ(regression.judgement.verdict, Verdict::error);
}

TEST(SignalSweepVerdict, OtherBackendsCannotSweep) {
    class Plain : public Backend {
    public:
        std::string name() const override { return "plain"; }
        std::optional<std::string> never_runs(const Target&) const override { return std::nullopt; }
        std::optional<std::string> cannot_run(const Target&) const override { return std::nullopt; }
        Outcome run(const RunRequest&) const override { return test::ended(EndKind::exited); }
    } plain;
    auto result = sweep_signal_points(plain, RunRequest{}, "SIGUSR1@f", 1, false, judge_exit_zero,
                                      [] { return false; });
    EXPECT_FALSE(result.plan);
    EXPECT_EQ(result.judgement.verdict, Verdict::error);
    EXPECT_THAT(result.judgement.detail, HasSubstr("the plain backend cannot put a signal"));
}

} // namespace
} // namespace crossrt
