#include "backend/backend.h"
#include "cli/cell_runner.h"
#include "test_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace crossrt {
namespace {

using ::testing::HasSubstr;

class CellRunnerTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto result = test::parse("description = \"d\"\nsources = [\"m.c\"]\narch = [\"amd64\"]\n"
                                  "backends = [\"native\", \"qemu\"]\n[[skip]]\nbackend = "
                                  "[\"qemu\"]\nreason = \"not here\"\n");
        ASSERT_TRUE(result.manifest);
        manifests.push_back(*result.manifest);
        cells = expand_matrix(manifests, test::test_targets(), nullptr);
        ASSERT_EQ(cells.size(), 2u);
        for (const Cell& cell : cells)
            selected.push_back(&cell);
    }
    std::vector<Manifest> manifests;
    std::vector<Cell> cells;
    std::vector<const Cell*> selected;
};

TEST_F(CellRunnerTest, MakeJobsRepeats) {
    auto once = make_jobs(selected, 1);
    ASSERT_EQ(once.size(), 2u);
    EXPECT_FALSE(once[0].show_repeat);
    auto thrice = make_jobs(selected, 3);
    ASSERT_EQ(thrice.size(), 6u);
    EXPECT_EQ(thrice[0].cell, selected[0]);
    EXPECT_EQ(thrice[2].repeat, 3);
    EXPECT_EQ(thrice[3].cell, selected[1]);
    EXPECT_TRUE(thrice[0].show_repeat);
}

TEST_F(CellRunnerTest, RunJobsKeepsJobOrderAndUsesThreads) {
    auto jobs = make_jobs(selected, 4);
    std::atomic<bool> cancel{false};
    std::atomic<int> running{0}, peak{0};
    auto results = run_jobs(
        jobs, 4,
        [&](const CellJob& job) {
            int now = ++running;
            int seen = peak.load();
            while (now > seen && !peak.compare_exchange_weak(seen, now)) {
            }
            usleep(20000);
            --running;
            CellResult result;
            result.verdict = job.repeat % 2 == 0 ? Verdict::pass : Verdict::fail;
            return result;
        },
        nullptr, cancel);
    ASSERT_EQ(results.size(), 8u);
    for (std::size_t i = 0; i < results.size(); ++i) {
        EXPECT_EQ(results[i].cell, jobs[i].cell);
        EXPECT_EQ(results[i].repeat, jobs[i].repeat);
        EXPECT_EQ(results[i].verdict, jobs[i].repeat % 2 == 0 ? Verdict::pass : Verdict::fail);
    }
    EXPECT_GT(peak.load(), 1);
    EXPECT_EQ(results[1].name(), cells[0].name + "#2");
}

TEST_F(CellRunnerTest, CancelledJobsAreReportedNotRun) {
    auto jobs = make_jobs(selected, 3);
    std::atomic<bool> cancel{false};
    auto results = run_jobs(
        jobs, 1,
        [&](const CellJob&) {
            cancel = true; // the first job is interrupted; no other starts
            CellResult result;
            result.verdict = Verdict::error;
            result.detail = "interrupted";
            return result;
        },
        nullptr, cancel);
    ASSERT_EQ(results.size(), 6u);
    EXPECT_EQ(results[0].detail, "interrupted");
    for (std::size_t i = 1; i < results.size(); ++i) {
        EXPECT_EQ(results[i].verdict, Verdict::skip);
        EXPECT_EQ(results[i].detail, "not run (interrupted)");
    }
}

TEST_F(CellRunnerTest, RunCellSkipsAndMissingBinary) {
    std::atomic<bool> cancel{false};
    test::ScratchDir build;
    CellResult skipped = run_cell(cells[1], build.path(), cancel);
    EXPECT_EQ(skipped.verdict, Verdict::skip);
    EXPECT_EQ(skipped.detail, "not here");
    CellResult missing = run_cell(cells[0], build.path(), cancel);
    EXPECT_EQ(missing.verdict, Verdict::error);
    EXPECT_EQ(missing.detail,
              "binary not built: " +
                  (build.path() / "targets/amd64-linux/scenarios/x/fixed").string());
    test::write_file(build.path() / "targets/amd64-linux/scenarios/x/fixed", "#!/bin/sh\necho hi\n",
                     true);
    CellResult ran = run_cell(cells[0], build.path(), cancel);
    EXPECT_EQ(ran.verdict, Verdict::pass) << ran.detail;
    EXPECT_FALSE(ran.seeded); // a native cell: no seed in its report
}

TEST_F(CellRunnerTest, AMegabyteLineIsJudgedAgainstAGreedyRegex) {
    // std::regex overflowed the stack on this and took every result with it.
    std::atomic<bool> cancel{false};
    test::ScratchDir build;
    test::write_file(build.path() / "targets/amd64-linux/scenarios/x/fixed",
                     "#!/bin/sh\nprintf A; head -c 1048576 /dev/zero | tr '\\0' b; echo Z\n", true);
    manifests[0].expect.stdout_checks = {StreamCheck::regex("^A.*Z")};
    CellResult matched = run_cell(cells[0], build.path(), cancel);
    EXPECT_EQ(matched.verdict, Verdict::pass) << matched.detail;
    manifests[0].expect.stdout_checks = {StreamCheck::regex("A.*Y")};
    CellResult unmatched = run_cell(cells[0], build.path(), cancel);
    EXPECT_EQ(unmatched.verdict, Verdict::fail);
    EXPECT_THAT(unmatched.detail, HasSubstr("stdout check 1 (regex \"A.*Y\") did not match"));
}

TEST_F(CellRunnerTest, ACheckThatThrowsMakesTheCellAnError) {
    std::atomic<bool> cancel{false};
    test::ScratchDir build;
    test::write_file(build.path() / "targets/amd64-linux/scenarios/x/fixed", "#!/bin/sh\necho x\n",
                     true);
    manifests[0].expect.stdout_checks = {StreamCheck{StreamCheck::Kind::regex, "x", nullptr}};
    CellResult result = run_cell(cells[0], build.path(), cancel);
    EXPECT_EQ(result.verdict, Verdict::error);
    EXPECT_EQ(result.detail, "cannot judge the outcome: regex \"x\" has no compiled pattern");
}

TEST_F(CellRunnerTest, AJobThatThrowsIsAnErrorAndTheOthersStillReport) {
    auto jobs = make_jobs(selected, 2);
    std::atomic<bool> cancel{false};
    auto results = run_jobs(
        jobs, 2,
        [&](const CellJob& job) {
            if (job.repeat == 2)
                throw std::runtime_error("no memory for the outcome");
            CellResult result;
            result.verdict = Verdict::pass;
            return result;
        },
        nullptr, cancel);
    ASSERT_EQ(results.size(), 4u);
    for (std::size_t i = 0; i < results.size(); ++i) {
        if (jobs[i].repeat == 2) {
            EXPECT_EQ(results[i].verdict, Verdict::error);
            EXPECT_EQ(results[i].detail,
                      "crossrt could not run the cell: no memory for the outcome");
        } else {
            EXPECT_EQ(results[i].verdict, Verdict::pass);
        }
        EXPECT_EQ(results[i].cell, jobs[i].cell);
    }
}

TEST(Backends, OnlyTheUnicornBackendSchedulesFromASeed) {
    for (const std::string& name : backend_names())
        EXPECT_EQ(find_backend(name)->schedules_from_seed(), name == "unicorn") << name;
}

} // namespace
} // namespace crossrt
