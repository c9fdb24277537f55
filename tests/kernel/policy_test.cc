// The scheduling strategies (kernel/policy.h): the nonpreemptive default,
// PCT's priorities, and on a real guest (lwp-park-race for arm-netbsd, whose
// regression loses a wakeup that lands between the decision to park and
// the park): PCT finds the bug in a few seeds and the fixed runtime
// survives the same seeds; a run is a pure function of seed and strategy;
// and a PCT run, written as deviations from the nonpreemptive schedule,
// is the same run again (what systematic exploration and shrinking rely on).
#include "kernel/kernel.h"
#include "kernel/policy.h"
#include "scratch_dir.h"

#include <fcntl.h>
#include <filesystem>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <map>
#include <unistd.h>

namespace crossrt::kernel {
namespace {

namespace fs = std::filesystem;

PointView view(PointKind kind, std::optional<LwpId> current, std::vector<LwpId> runnable) {
    return PointView{kind, current, std::move(runnable)};
}

TEST(PolicyTest, TheNonpreemptiveDefaultKeepsTheRunningLwpUntilItStops) {
    LwpId a{100, 1}, b{100, 2}, c{100, 3};
    EXPECT_EQ(SchedulePolicy::fallback(view(PointKind::sync, b, {a, b, c}), 0), 1u);
    EXPECT_EQ(SchedulePolicy::fallback(view(PointKind::slice_end, b, {a, b, c}), 0), 1u);
    // A spin of eight quanta with others waiting: the next one gets a quantum.
    EXPECT_EQ(SchedulePolicy::fallback(view(PointKind::slice_end, b, {a, b, c}), 8), 2u);
    // Yield and block: the next after it, round robin.
    EXPECT_EQ(SchedulePolicy::fallback(view(PointKind::yield, b, {a, b, c}), 0), 2u);
    EXPECT_EQ(SchedulePolicy::fallback(view(PointKind::blocked, c, {a, b}), 0), 0u);
    EXPECT_EQ(SchedulePolicy::fallback(view(PointKind::blocked, a, {b, c}), 0), 0u);
    EXPECT_EQ(SchedulePolicy::fallback(view(PointKind::start, std::nullopt, {a}), 0), 0u);
}

TEST(PolicyTest, DeviationsChooseWhereTheyCanAndOnlyThere) {
    LwpId a{100, 1}, b{100, 2};
    PolicyOptions options;
    options.strategy = Strategy::nonpreemptive;
    options.deviations = {{1, b}, {2, LwpId{100, 9}}};
    SchedulePolicy policy(options, 1);
    EXPECT_EQ(policy.choose(view(PointKind::sync, a, {a, b})).first, 0u); // point 0: default
    EXPECT_EQ(policy.choose(view(PointKind::sync, a, {a, b})).first, 1u); // point 1: b
    EXPECT_EQ(policy.choose(view(PointKind::sync, b, {a, b})).first, 1u); // lwp 9 cannot run
}

TEST(PolicyTest, PctRunsTheHighestPriorityAndPassesOverAYield) {
    LwpId a{100, 1}, b{100, 2};
    PolicyOptions options;
    options.strategy = Strategy::pct;
    options.pct_depth = 1; // no change points
    SchedulePolicy policy(options, 5);
    std::size_t first = policy.choose(view(PointKind::start, std::nullopt, {a, b})).first;
    LwpId high = first == 0 ? a : b;
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(policy.choose(view(PointKind::sync, high, {a, b})).first, first);
    EXPECT_NE(policy.choose(view(PointKind::yield, high, {a, b})).first, first);
}

// LWPs that all spin (quantum ends, no calls): PCT keeps the highest one,
// but its starvation guard hands a quantum now and then to the one that
// has waited longest, so every LWP runs, the lowest priority too (an LWP
// spinning for a lower one, with a third spinning in between, made
// m-procid's fixed runtime time out under pct).
TEST(PolicyTest, PctStarvationGuardReachesEveryLwp) {
    std::vector<LwpId> lwps{{100, 1}, {100, 2}, {100, 3}, {100, 4}};
    PolicyOptions options;
    options.strategy = Strategy::pct;
    options.pct_depth = 1; // no change points: only the guard moves the CPU
    SchedulePolicy policy(options, 11);
    std::map<LwpId, int> quanta;
    std::optional<LwpId> current;
    for (int i = 0; i < 400; ++i) {
        PointView at = view(current ? PointKind::slice_end : PointKind::start, current, lwps);
        LwpId chosen = lwps[policy.choose(at).first];
        policy.note_choice(at, chosen);
        ++quanta[chosen];
        current = chosen;
    }
    ASSERT_EQ(quanta.size(), lwps.size());
    for (const auto& [lwp, count] : quanta)
        EXPECT_GE(count, 400 / (SchedulePolicy::kStarvationQuanta + 1) / 4) << "lwp " << lwp.lwp;
}

TEST(PolicyTest, PointsReadBack) {
    PointRecord point{PointKind::sync, LwpId{100, 1}, {{100, 1}, {100, 2}},
                      LwpId{100, 1},   LwpId{100, 2}, true};
    PointRecord start{PointKind::start, std::nullopt, {{100, 1}}, {100, 1}, {100, 1}, false};
    std::string error;
    auto parsed = parse_points(format_points({start, point}), error);
    ASSERT_TRUE(parsed) << error;
    EXPECT_EQ(*parsed, (std::vector<PointRecord>{start, point}));
    EXPECT_FALSE(parse_points("sync 100:1 100:1\n", error));
    EXPECT_THAT(error, ::testing::HasSubstr("line 1"));
}

class PolicyRunTest : public ::testing::Test {
protected:
    static ElfImage load(const std::string& variant) {
        fs::path binary = fs::path(CROSSRT_TEST_BUILD_DIR) / "targets" / "arm-netbsd" /
                          "scenarios" / "lwp-park-race" / variant;
        ElfRead read = read_elf(binary.string());
        return read.image ? std::move(*read.image) : ElfImage{};
    }
    void SetUp() override {
        fixed_ = load("fixed");
        regress_ = load("regress-park-loses-early-unpark");
        if (fixed_.bytes.empty() || regress_.bytes.empty())
            GTEST_SKIP() << "lwp-park-race is not built for arm-netbsd";
        null_ = open("/dev/null", O_WRONLY | O_CLOEXEC);
    }
    void TearDown() override {
        if (null_ >= 0)
            close(null_);
    }

    struct Run {
        RunEnd end;
        std::vector<PointRecord> points;
        std::string trace;
    };

    Run run(const ElfImage& image, u64 seed, PolicyOptions policy) {
        KernelOptions options;
        options.seed = seed;
        options.policy = std::move(policy);
        options.record_points = true;
        options.trace_path = (scratch_.path() / ("run" + std::to_string(runs_++))).string();
        options.argv = {"lwp-park-race"};
        options.out_fd = null_;
        options.err_fd = null_;
        Kernel kernel(options);
        std::string error;
        Run result;
        if (!kernel.boot(image, error)) {
            ADD_FAILURE() << error;
            return result;
        }
        result.end = kernel.run();
        result.points = kernel.points();
        kernel.trace().flush();
        result.trace = crossrt::test::read_file(options.trace_path);
        return result;
    }

    u64 calibrate() {
        PolicyOptions nonpreemptive;
        nonpreemptive.strategy = Strategy::nonpreemptive;
        Run calibration = run(fixed_, 1, nonpreemptive);
        EXPECT_EQ(calibration.end.kind, EndKind::exited) << calibration.end.detail;
        return calibration.points.size();
    }

    static PolicyOptions pct(u64 steps) {
        PolicyOptions policy;
        policy.strategy = Strategy::pct;
        policy.pct_depth = 3;
        policy.pct_steps = steps;
        return policy;
    }

    ElfImage fixed_;
    ElfImage regress_;
    int null_ = -1;
    crossrt::test::ScratchDir scratch_;
    int runs_ = 0;
};

TEST_F(PolicyRunTest, PctFindsTheLostWakeupAndTheFixSurvivesTheSameSeeds) {
    u64 steps = calibrate();
    ASSERT_GT(steps, 100u);
    int caught = 0;
    for (u64 seed = 1; seed <= 6; ++seed) {
        Run buggy = run(regress_, seed, pct(steps));
        if (buggy.end.kind == EndKind::exited && buggy.end.status == 3)
            ++caught;
        Run fixed = run(fixed_, seed, pct(steps));
        EXPECT_EQ(fixed.end.kind, EndKind::exited) << "seed " << seed << ": " << fixed.end.detail;
        EXPECT_EQ(fixed.end.status, 0) << "seed " << seed;
    }
    EXPECT_GE(caught, 1);
}

TEST_F(PolicyRunTest, APctRunIsItsSeedsAndAsDeviationsTheSameRunAgain) {
    u64 steps = calibrate();
    Run first = run(regress_, 3, pct(steps));
    Run again = run(regress_, 3, pct(steps));
    EXPECT_EQ(first.trace, again.trace);

    PolicyOptions deviations;
    deviations.strategy = Strategy::nonpreemptive;
    for (std::size_t i = 0; i < first.points.size(); ++i) {
        if (first.points[i].chosen != first.points[i].fallback)
            deviations.deviations[i] = first.points[i].chosen;
    }
    ASSERT_FALSE(deviations.deviations.empty());
    Run replayed = run(regress_, 3, deviations);
    EXPECT_EQ(replayed.points, first.points);
    EXPECT_EQ(replayed.trace, first.trace);
}

} // namespace
} // namespace crossrt::kernel
