// Scheduling decisions as data (kernel/schedule.h): the file format, and
// the promise that a run's recorded decisions replay it exactly, that a
// prefix of them goes on as the seed would have, that other decisions make
// another run, and that decisions which do not fit the run end it with an
// error naming the decision. The program is lwp-park-race (fixed) for
// arm-netbsd from the build tree: several LWPs parking and unparking.
#include "kernel/kernel.h"
#include "kernel/schedule.h"
#include "kernel_test_support.h"
#include "scratch_dir.h"

#include <filesystem>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <set>

namespace crossrt::kernel {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

TEST(ScheduleFormat, ARecordedScheduleReadsBack) {
    Schedule schedule{"/build/prog", 1234, 7, 4, "pct", 2, 500, {{100, 1, 15000}, {100, 2, 40000}}};
    std::string error;
    auto parsed = parse_schedule(format_schedule(schedule), error);
    ASSERT_TRUE(parsed) << error;
    EXPECT_EQ(parsed->program, "/build/prog");
    EXPECT_EQ(parsed->program_size, 1234u);
    EXPECT_EQ(parsed->seed, 7u);
    EXPECT_EQ(parsed->cpus, 4);
    EXPECT_EQ(parsed->strategy, "pct");
    EXPECT_EQ(parsed->pct_depth, 2);
    EXPECT_EQ(parsed->pct_steps, 500u);
    EXPECT_EQ(parsed->decisions, schedule.decisions);
    EXPECT_FALSE(parse_schedule("crossrt-schedule 1\nstrategy fair\n", error));
    EXPECT_THAT(error, HasSubstr("line 2: \"strategy\""));
}

TEST(ScheduleFormat, ABrokenFileSaysWhichLine) {
    std::string error;
    EXPECT_FALSE(parse_schedule("", error));
    EXPECT_THAT(error, HasSubstr("not a crossrt schedule"));
    EXPECT_FALSE(parse_schedule("hello\n", error));
    EXPECT_THAT(error, HasSubstr("line 1"));
    EXPECT_FALSE(parse_schedule("crossrt-schedule 1\nseed 7\n# note\n100 1\n", error));
    EXPECT_THAT(error, HasSubstr("line 4: a decision is three numbers"));
    EXPECT_FALSE(parse_schedule("crossrt-schedule 1\n100 1 0\n", error));
    EXPECT_THAT(error, HasSubstr("line 2"));
    EXPECT_FALSE(parse_schedule("crossrt-schedule 1\nseed minus-one\n", error));
    EXPECT_THAT(error, HasSubstr("line 2: \"seed\""));
}

class ScheduleReplayTest : public ::testing::Test {
protected:
    void SetUp() override {
        fs::path binary = fs::path(CROSSRT_TEST_BUILD_DIR) / "targets" / "arm-netbsd" /
                          "scenarios" / "lwp-park-race" / "fixed";
        if (!fs::exists(binary))
            GTEST_SKIP() << "lwp-park-race is not built for arm-netbsd";
        ElfRead read = read_elf(binary.string());
        ASSERT_TRUE(read.image) << read.error;
        image_ = std::move(*read.image);
    }

    struct Run {
        RunEnd end;
        std::vector<Decision> decisions;
        std::string trace;
    };

    Run run(u64 seed, std::vector<Decision> replay = {}) {
        KernelOptions options;
        options.seed = seed;
        options.replay_schedule = std::move(replay);
        options.record_schedule = true;
        options.trace_path = (scratch_.path() / ("run" + std::to_string(runs_++))).string();
        options.argv = {"lwp-park-race"};
        Kernel kernel(options);
        std::string error;
        Run result;
        if (!kernel.boot(image_, error)) {
            ADD_FAILURE() << error;
            return result;
        }
        result.end = kernel.run();
        result.decisions = kernel.decisions();
        kernel.trace().flush();
        result.trace = crossrt::test::read_file(options.trace_path);
        return result;
    }

    ElfImage image_;
    crossrt::test::ScratchDir scratch_;
    int runs_ = 0;
};

TEST_F(ScheduleReplayTest, RecordedDecisionsReplayTheRunExactly) {
    Run recorded = run(7);
    ASSERT_EQ(recorded.end.kind, EndKind::exited) << recorded.end.detail;
    ASSERT_GT(recorded.decisions.size(), 10u);
    // Several LWPs had the CPU, or the schedule would prove little.
    std::set<int> lwps;
    for (const Decision& decision : recorded.decisions)
        lwps.insert(decision.lwp);
    EXPECT_GT(lwps.size(), 1u);

    Run replayed = run(7, recorded.decisions);
    EXPECT_EQ(replayed.decisions, recorded.decisions);
    EXPECT_EQ(replayed.trace, recorded.trace);

    // A prefix, then the seed's choices: the same run again.
    std::vector<Decision> prefix(recorded.decisions.begin(), recorded.decisions.begin() + 10);
    Run continued = run(7, prefix);
    EXPECT_EQ(continued.trace, recorded.trace);
}

TEST_F(ScheduleReplayTest, OtherDecisionsMakeAnotherRun) {
    Run recorded = run(7);
    ASSERT_GT(recorded.decisions.size(), 20u);
    // Twice the first slice's length: the next decisions meet another state.
    std::vector<Decision> changed = {recorded.decisions.front()};
    changed.front().length *= 2;
    Run other = run(7, changed);
    EXPECT_EQ(other.decisions.front(), changed.front());
    EXPECT_NE(other.trace, recorded.trace);
}

TEST_F(ScheduleReplayTest, ADecisionForAnLwpThatCannotRunEndsTheRun) {
    Run run_with_ghost = run(7, {{100, 1, 20000}, {100, 42, 20000}});
    EXPECT_EQ(run_with_ghost.end.kind, EndKind::error);
    EXPECT_THAT(run_with_ghost.end.detail,
                HasSubstr("its decision 2 gives the CPU to lwp 42 of pid 100"));
}

} // namespace
} // namespace crossrt::kernel
