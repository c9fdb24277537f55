// crossrt explore end to end, on lwp-park-race for arm-netbsd: PCT catches
// the regression, shrinks its schedule, and the schedule file it writes
// replays the failure through `crossrt run --schedule`, trace for trace;
// the fixed variant survives the same budget. And delta debugging on its
// own: the smallest failing subset of deviations.
#include "cli/explore.h"
#include "kernel_test_support.h"
#include "scratch_dir.h"

#include <filesystem>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

namespace crossrt::kernel {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

TEST(MinimizeDeviationsTest, KeepsOnlyWhatTheFailureNeeds) {
    std::vector<Deviation> all;
    for (std::uint64_t i = 0; i < 40; ++i)
        all.push_back({i, 100, 2});
    // Fails when points 7 and 31 both deviate.
    auto fails = [](const std::vector<Deviation>& set) {
        bool seven = false, thirty_one = false;
        for (const Deviation& d : set) {
            seven = seven || d.point == 7;
            thirty_one = thirty_one || d.point == 31;
        }
        return seven && thirty_one;
    };
    int tests = 0;
    std::vector<Deviation> least = minimize_deviations(all, fails, 500, tests);
    ASSERT_EQ(least.size(), 2u);
    EXPECT_EQ(least[0].point, 7u);
    EXPECT_EQ(least[1].point, 31u);
    EXPECT_LT(tests, 100);
    // Needing nothing: the empty set.
    EXPECT_TRUE(minimize_deviations(
                    all, [](const auto&) { return true; }, 10, tests)
                    .empty());
}

// A tester that runs a round's candidates in batches (as explore's forks
// of the booted guest do) ends where the one-at-a-time ddmin ends.
TEST(MinimizeDeviationsTest, BatchedRoundsFindWhatOneAtATimeFinds) {
    std::vector<Deviation> all;
    for (std::uint64_t i = 0; i < 64; ++i)
        all.push_back({i, 100, static_cast<int>(i % 3)});
    auto fails = [](const std::vector<Deviation>& set) {
        int needed = 0;
        for (const Deviation& d : set)
            needed += d.point == 3 || d.point == 40 || d.point == 41;
        return needed == 3;
    };
    int one_tests = 0;
    std::vector<Deviation> one = minimize_deviations(all, fails, 1000, one_tests);
    int batched_tests = 0;
    int batches = 0;
    std::vector<Deviation> batched = minimize_deviations(
        all,
        [&](const std::vector<std::vector<Deviation>>& candidates) {
            FirstFailing found;
            for (std::size_t from = 0; from < candidates.size() && !found.index; from += 4) {
                ++batches;
                for (std::size_t k = from; k < std::min(candidates.size(), from + 4); ++k) {
                    ++found.ran;
                    if (!found.index && fails(candidates[k]))
                        found.index = k;
                }
            }
            return found;
        },
        1000, batched_tests);
    ASSERT_EQ(one.size(), 3u);
    ASSERT_EQ(batched.size(), one.size());
    for (std::size_t i = 0; i < one.size(); ++i)
        EXPECT_EQ(batched[i].point, one[i].point);
    EXPECT_GE(batched_tests, one_tests); // a batch may run past the first failing one
    EXPECT_LT(batches, batched_tests);
    // The budget holds: no round runs past it.
    int capped = 0;
    minimize_deviations(all, fails, 5, capped);
    EXPECT_LE(capped, 5);
}

class ExploreCliTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (!fs::exists(fs::path(CROSSRT_TEST_BUILD_DIR) / "targets" / "arm-netbsd" / "scenarios" /
                        "lwp-park-race" / "regress-park-loses-early-unpark"))
            GTEST_SKIP() << "lwp-park-race is not built for arm-netbsd";
    }
    test::CommandOutput crossrt(const std::string& args) {
        return test::run_command(std::string(CROSSRT_TEST_BINARY) + " --build-dir " +
                                 CROSSRT_TEST_BUILD_DIR + " " + args + " 2>&1");
    }
    crossrt::test::ScratchDir scratch_;
};

TEST_F(ExploreCliTest, PctCatchesShrinksAndTheScheduleReplays) {
    fs::path out = scratch_.path() / "explore";
    fs::path json = scratch_.path() / "explore.json";
    auto caught = crossrt(
        "explore lwp-park-race/arm-netbsd/unicorn/regress-park-loses-early-unpark --strategy pct "
        "--runs 30 --shrink-runs 40 -j 2 -o " +
        out.string() + " --json " + json.string());
    ASSERT_EQ(caught.status, 0) << caught.out;
    EXPECT_THAT(caught.out, HasSubstr("caught at run"));
    EXPECT_THAT(caught.out, HasSubstr("replay: "));
    EXPECT_THAT(caught.out, ::testing::Not(HasSubstr("WARNING")));
    auto report = nlohmann::json::parse(crossrt::test::read_file(json));
    const auto& finding = report["explore"][0]["findings"][0];
    EXPECT_TRUE(finding["replay_verified"].get<bool>());
    EXPECT_LE(finding["deviations"].size(), finding["deviations_found"].get<std::size_t>());
    std::string schedule = finding["schedule_file"];
    ASSERT_TRUE(fs::exists(schedule));
    // The same cell as a run report's result, for `crossrt report`.
    const auto& result = report["results"][0];
    EXPECT_EQ(result["verdict"], "pass");
    EXPECT_EQ(result["schedule_file"], schedule);
    auto page = crossrt("report " + json.string() + " -o " + (scratch_.path() / "html").string());
    EXPECT_EQ(page.status, 0) << page.out;
    EXPECT_THAT(crossrt::test::read_file(scratch_.path() / "html" / "index.html"),
                HasSubstr("replay"));

    // The replay through `crossrt run`, twice: the same failure, the same trace.
    std::uint64_t seed = finding["seed"];
    std::string replay = "run lwp-park-race/arm-netbsd/unicorn/regress-park-loses-early-unpark "
                         "--seed " +
                         std::to_string(seed) + " --schedule " + schedule + " --trace ";
    auto first = crossrt(replay + (scratch_.path() / "t1").string());
    auto second = crossrt(replay + (scratch_.path() / "t2").string());
    EXPECT_EQ(first.status, 0) << first.out;
    EXPECT_THAT(first.out, HasSubstr("PASS"));
    std::string trace_name =
        "lwp-park-race_arm-netbsd_unicorn_regress-park-loses-early-unpark.trace";
    std::string t1 = crossrt::test::read_file(scratch_.path() / "t1" / trace_name);
    EXPECT_FALSE(t1.empty());
    EXPECT_EQ(t1, crossrt::test::read_file(scratch_.path() / "t2" / trace_name));
}

TEST_F(ExploreCliTest, SystematicCatchesTheLostWakeupWithOnePreemption) {
    fs::path json = scratch_.path() / "systematic.json";
    auto caught = crossrt(
        "explore lwp-park-race/arm-netbsd/unicorn/regress-park-loses-early-unpark --strategy "
        "systematic --preemptions 1 --runs 20 -j 2 -o " +
        (scratch_.path() / "explore").string() + " --json " + json.string());
    ASSERT_EQ(caught.status, 0) << caught.out;
    auto report = nlohmann::json::parse(crossrt::test::read_file(json));
    const auto& finding = report["explore"][0]["findings"][0];
    EXPECT_EQ(finding["preemptions"].get<int>(), 1);
    EXPECT_TRUE(finding["replay_verified"].get<bool>());
}

// A random finding decides at slice ends; shrinking re-expresses it as a
// nonpreemptive schedule of its seed with the fewest deviations that still
// fails, and that schedule replays.
TEST_F(ExploreCliTest, RandomFindingIsReexpressedWithOnePreemption) {
    fs::path json = scratch_.path() / "random.json";
    auto caught = crossrt(
        "explore lwp-park-race/arm-netbsd/unicorn/regress-park-loses-early-unpark --strategy "
        "random --seed 0 --runs 30 --shrink-runs 40 -j 2 -o " +
        (scratch_.path() / "explore").string() + " --json " + json.string());
    ASSERT_EQ(caught.status, 0) << caught.out;
    auto report = nlohmann::json::parse(crossrt::test::read_file(json));
    const auto& finding = report["explore"][0]["findings"][0];
    EXPECT_THAT(finding["note"].get<std::string>(), HasSubstr("re-expressed")) << caught.out;
    EXPECT_EQ(finding["preemptions"].get<int>(), 1) << caught.out;
    EXPECT_TRUE(finding["shrunk"].get<bool>());
    EXPECT_TRUE(finding["replay_verified"].get<bool>()) << caught.out;
}

TEST_F(ExploreCliTest, ShardsExploreDisjointBlocksOfSeeds) {
    for (int shard = 1; shard <= 2; ++shard) {
        fs::path json = scratch_.path() / ("shard" + std::to_string(shard) + ".json");
        auto caught = crossrt(
            "explore lwp-park-race/arm-netbsd/unicorn/regress-park-loses-early-unpark --strategy "
            "random --no-shrink --runs 50 -j 2 --seed 0 --shard " +
            std::to_string(shard) + "/2 -o " + (scratch_.path() / "explore").string() + " --json " +
            json.string());
        ASSERT_EQ(caught.status, 0) << caught.out;
        auto report = nlohmann::json::parse(crossrt::test::read_file(json));
        std::uint64_t seed = report["explore"][0]["findings"][0]["seed"];
        EXPECT_GE(seed, (shard - 1) * 50u) << "shard " << shard;
        EXPECT_LT(seed, shard * 50u) << "shard " << shard;
    }
    auto bad = crossrt("explore lwp-park-race/arm-netbsd/unicorn/fixed --shard 3/2");
    EXPECT_TRUE(WIFEXITED(bad.status) && WEXITSTATUS(bad.status) == 2) << bad.out;
}

TEST_F(ExploreCliTest, TheFixedVariantSurvivesTheSameBudget) {
    auto survived = crossrt("explore lwp-park-race/arm-netbsd/unicorn/fixed --strategy pct "
                            "--runs 10 -j 2 -o " +
                            (scratch_.path() / "explore").string());
    EXPECT_EQ(survived.status, 0) << survived.out;
    EXPECT_THAT(survived.out, HasSubstr("survived after 10 runs"));
    // Systematic: runs from the booted snapshot in batches, each a schedule
    // of its own.
    auto systematic = crossrt("explore lwp-park-race/arm-netbsd/unicorn/fixed --strategy "
                              "systematic --runs 6 -j 2 -o " +
                              (scratch_.path() / "explore").string());
    EXPECT_EQ(systematic.status, 0) << systematic.out;
    EXPECT_THAT(systematic.out, HasSubstr("survived after 6 runs (6 distinct schedules)"));
    auto bad = crossrt("explore lwp-park-race/arm-netbsd/unicorn/fixed --strategy fair");
    EXPECT_TRUE(WIFEXITED(bad.status) && WEXITSTATUS(bad.status) == 2) << bad.status;
    EXPECT_THAT(bad.out, HasSubstr("random, pct or systematic"));
}

} // namespace
} // namespace crossrt::kernel
