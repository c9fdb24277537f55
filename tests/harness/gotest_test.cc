// [gotest] scenarios: reading -test.v output, judging against the reference
// and the known failures, and the manifest's [gotest] table.
#include "scenario/gotest_judge.h"
#include "scenario/gotest_output.h"
#include "scenario/plan.h"
#include "test_support.h"

#include <algorithm>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace crossrt {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;

TEST(GoTestOutput, ReadsTopLevelVerdictsAndTheSummary) {
    GoTestRun run = parse_gotest_output(R"(=== RUN   TestA
--- PASS: TestA (0.00s)
=== RUN   TestB
=== RUN   TestB/case_1
    b_test.go:12: wrong
    --- FAIL: TestB/case_1 (0.00s)
--- FAIL: TestB (0.01s)
=== RUN   TestC
    c_test.go:5: skipping in short mode
--- SKIP: TestC (0.00s)
=== RUN   ExampleD
--- PASS: ExampleD (0.00s)
FAIL
)",
                                        "");
    EXPECT_THAT(run.tests,
                ElementsAre(Pair("ExampleD", GoTestStatus::pass), Pair("TestA", GoTestStatus::pass),
                            Pair("TestB", GoTestStatus::fail), Pair("TestC", GoTestStatus::skip)));
    EXPECT_EQ(run.summary, "FAIL");
    EXPECT_TRUE(run.unfinished.empty());
    EXPECT_TRUE(run.crash.empty());
    EXPECT_EQ(run.count(GoTestStatus::pass), 2u);
}

TEST(GoTestOutput, ReadsAResultThatFollowsATestsOwnTextOnItsLine) {
    GoTestRun run = parse_gotest_output(
        "=== RUN   TestPrint\nno newline here--- PASS: TestPrint (0.00s)\nPASS\n", "");
    EXPECT_THAT(run.tests, ElementsAre(Pair("TestPrint", GoTestStatus::pass)));
    EXPECT_EQ(run.summary, "PASS");
}

TEST(GoTestOutput, ACrashNamesTheLineAndTheTestsThatNeverReported) {
    GoTestRun run = parse_gotest_output(
        "=== RUN   TestA\n--- PASS: TestA (0.00s)\n=== RUN   TestIndex\n",
        "unexpected fault address 0x0\nfatal error: fault\n[signal SIGSEGV: segmentation "
        "violation code=0x80 addr=0x0 pc=0x4032c7]\n");
    EXPECT_EQ(run.crash, "unexpected fault address 0x0");
    EXPECT_THAT(run.unfinished, ElementsAre("TestIndex"));
    EXPECT_TRUE(run.summary.empty());
}

TEST(GoTestOutput, AParallelTestThatContinuesIsOneTest) {
    GoTestRun run = parse_gotest_output("=== RUN   TestP\n=== PAUSE TestP\n=== CONT  TestP\n", "");
    EXPECT_THAT(run.unfinished, ElementsAre("TestP"));
}

class GoTestJudge : public ::testing::Test {
protected:
    void load(const std::string& extra = "") {
        auto result = test::parse(R"(description = "d"
os = ["linux", "netbsd"]
arch = ["arm"]
backends = ["unicorn"]
[gotest]
package = "sort"
)" + extra);
        ASSERT_TRUE(result.manifest) << testing::PrintToString(test::error_strings(result));
        manifests = {*result.manifest};
        cells = expand_matrix(manifests, test::test_targets(), nullptr);
        ASSERT_FALSE(cells.empty());
    }
    const Cell& cell() const { return cells.front(); } // arm-linux/unicorn

    static Outcome exited(int code, std::string out, std::string err = "") {
        Outcome outcome = test::ended(EndKind::exited, code);
        outcome.out = std::move(out);
        outcome.err = std::move(err);
        return outcome;
    }
    static std::optional<GoTestReference> reference(const std::string& out) {
        return GoTestReference{"sort/arm-linux/qemu/fixed", parse_gotest_output(out, "")};
    }

    std::vector<Manifest> manifests;
    std::vector<Cell> cells;
};

constexpr const char* kAllPass =
    "=== RUN   TestA\n--- PASS: TestA (0.00s)\n=== RUN   TestB\n--- PASS: TestB (0.00s)\nPASS\n";
constexpr const char* kBFails =
    "=== RUN   TestA\n--- PASS: TestA (0.00s)\n=== RUN   TestB\n--- FAIL: TestB (0.00s)\nFAIL\n";

TEST_F(GoTestJudge, PassesWhenEveryTestPassesAndSaysWhatRan) {
    load();
    Judgement judgement = judge_gotest(cell(), exited(0, kAllPass), reference(kAllPass));
    EXPECT_EQ(judgement.verdict, Verdict::pass);
    EXPECT_THAT(judgement.detail, HasSubstr("sort: 2 pass, 0 fail, 0 skip"));
    EXPECT_THAT(judgement.detail, HasSubstr("reference sort/arm-linux/qemu/fixed"));
}

TEST_F(GoTestJudge, FailsATestThatPassesOnTheReference) {
    load();
    Judgement judgement = judge_gotest(cell(), exited(1, kBFails), reference(kAllPass));
    EXPECT_EQ(judgement.verdict, Verdict::fail);
    EXPECT_THAT(judgement.detail, HasSubstr("a test failed that pass on the reference: TestB"));
}

TEST_F(GoTestJudge, AFailureTheReferenceSharesNeedsAnEntryWithItsReason) {
    load();
    Judgement judgement = judge_gotest(cell(), exited(1, kBFails), reference(kBFails));
    EXPECT_EQ(judgement.verdict, Verdict::fail);
    EXPECT_THAT(judgement.detail, HasSubstr("failed here and on the reference, with no "
                                            "[[gotest.known_failure]] entry giving the reason: "
                                            "TestB"));
}

TEST_F(GoTestJudge, AKnownFailureIsRecordedWithItsReason) {
    load(R"([[gotest.known_failure]]
test = "TestB"
reason = "needs the host's go tool"
)");
    Judgement judgement = judge_gotest(cell(), exited(1, kBFails), reference(kBFails));
    EXPECT_EQ(judgement.verdict, Verdict::pass);
    EXPECT_THAT(judgement.detail, HasSubstr("known failures: TestB (needs the host's go tool)"));
}

TEST_F(GoTestJudge, AKnownFailureOnlyCoversTheCellsItSelects) {
    load(R"([[gotest.known_failure]]
test = "TestB"
os = ["netbsd"]
reason = "netbsd only"
)");
    EXPECT_EQ(judge_gotest(cell(), exited(1, kBFails), reference(kAllPass)).verdict, Verdict::fail);
}

// A known failure with `lacks` covers only the cells that lack it, and
// its reason says why they do.
TEST_F(GoTestJudge, AKnownFailureThatLacksACapabilityCoversOnlyTheCellsThatLackIt) {
    const char* entry = R"([[gotest.known_failure]]
test = "TestB"
lacks = ["reexec"]
reason = "re-executes itself"
)";
    load(entry);
    Judgement judgement = judge_gotest(cell(), exited(1, kBFails), reference(kAllPass));
    EXPECT_EQ(judgement.verdict, Verdict::fail) << judgement.detail;
    MissingCapability missing = [](const std::string&, const Target&,
                                   const std::string&) -> std::optional<std::string> {
        return "not here";
    };
    cells = expand_matrix(manifests, test::test_targets(), nullptr, {}, missing);
    judgement = judge_gotest(cell(), exited(1, kBFails), reference(kAllPass));
    EXPECT_EQ(judgement.verdict, Verdict::pass) << judgement.detail;
    EXPECT_THAT(judgement.detail,
                HasSubstr("known failures: TestB (re-executes itself: not here)"));
}

TEST_F(GoTestJudge, AKnownFailureThatPassesIsStaleUnlessFlaky) {
    load(R"([[gotest.known_failure]]
test = "TestB"
reason = "was broken"
)");
    Judgement stale = judge_gotest(cell(), exited(0, kAllPass), reference(kAllPass));
    EXPECT_EQ(stale.verdict, Verdict::fail);
    EXPECT_THAT(stale.detail, HasSubstr("known failures pass now (remove their entries): TestB"));

    load(R"([[gotest.known_failure]]
test = "TestB"
reason = "timing"
flaky = true
)");
    EXPECT_EQ(judge_gotest(cell(), exited(0, kAllPass), reference(kAllPass)).verdict,
              Verdict::pass);
    EXPECT_EQ(judge_gotest(cell(), exited(1, kBFails), reference(kAllPass)).verdict, Verdict::pass);
}

TEST_F(GoTestJudge, ABinaryThatDiesFailsAndCountsTheTestsLost) {
    load();
    Outcome crashed = test::ended(EndKind::exited, 2);
    crashed.out = "=== RUN   TestA\n--- PASS: TestA (0.00s)\n=== RUN   TestB\n";
    crashed.err = "panic: runtime error: index out of range\n";
    Judgement judgement = judge_gotest(cell(), crashed, reference(kAllPass));
    EXPECT_EQ(judgement.verdict, Verdict::fail);
    EXPECT_THAT(judgement.detail, HasSubstr("the test binary did not finish: exit 2 (panic: "
                                            "runtime error: index out of range) while running "
                                            "TestB; 1 of the reference's 2 tests never reported"));
}

TEST_F(GoTestJudge, ABinaryThatExitsWithoutACrashLineShowsItsLastWords) {
    load();
    Outcome fatal = exited(1, "=== RUN   TestA\n--- PASS: TestA (0.00s)\n=== RUN   TestB\n"
                              "2026/12/02 13:02:01 GET failed: connect: network is unreachable\n");
    Judgement judgement = judge_gotest(cell(), fatal, reference(kAllPass));
    EXPECT_EQ(judgement.verdict, Verdict::fail);
    EXPECT_THAT(judgement.detail,
                HasSubstr("exit 1 (its last words: 2026/12/02 13:02:01 GET failed: connect: "
                          "network is unreachable) while running TestB"));
}

TEST_F(GoTestJudge, ATimeoutIsATimeoutAndNamesTheRunningTest) {
    load();
    Outcome slow = test::ended(EndKind::timeout);
    slow.duration_s = 300;
    slow.out = "=== RUN   TestA\n";
    Judgement judgement = judge_gotest(cell(), slow, reference(kAllPass));
    EXPECT_EQ(judgement.verdict, Verdict::timeout);
    EXPECT_THAT(judgement.detail, HasSubstr("while running TestA"));
}

TEST_F(GoTestJudge, NoTestAtAllIsAFailure) {
    load();
    Judgement judgement = judge_gotest(
        cell(), exited(0, "testing: warning: no tests to run\nPASS\n"), reference(kAllPass));
    EXPECT_EQ(judgement.verdict, Verdict::fail);
    EXPECT_THAT(judgement.detail, HasSubstr("no test ran"));
}

TEST_F(GoTestJudge, SaysWhichTestsSkipHereButRunOnTheReference) {
    load();
    std::string skipped = "=== RUN   TestA\n--- PASS: TestA (0.00s)\n=== RUN   TestB\n--- SKIP: "
                          "TestB (0.00s)\nPASS\n";
    Judgement judgement = judge_gotest(cell(), exited(0, skipped), reference(kAllPass));
    EXPECT_EQ(judgement.verdict, Verdict::pass);
    EXPECT_THAT(judgement.detail, HasSubstr("skipped here, pass on the reference: TestB"));
}

TEST_F(GoTestJudge, WithoutAReferenceItSaysWhy) {
    load();
    Judgement judgement =
        judge_gotest(cell(), exited(0, kAllPass), std::nullopt, "qemu-arm is missing");
    EXPECT_EQ(judgement.verdict, Verdict::pass);
    EXPECT_THAT(judgement.detail, HasSubstr("(no reference: qemu-arm is missing)"));
    EXPECT_THAT(judge_gotest(cell(), exited(1, kBFails), std::nullopt, "none").detail,
                HasSubstr("a test failed: TestB"));
}

TEST_F(GoTestJudge, ATestLeftOutRunsAllTheOthersAndIsNamedInTheDetail) {
    load(R"([[gotest.known_failure]]
test = "TestHTTPDecoding"
backend = ["unicorn"]
reason = "no sockets"
skip = true
)");
    std::vector<const GoTestKnownFailure*> skipped = gotest_skipped(cell());
    ASSERT_EQ(skipped.size(), 1u);
    EXPECT_EQ(gotest_run_without("TestA\nTestHTTPDecoding\nExampleB\nBenchmarkC\nok  \n", skipped),
              "^(TestA|ExampleB|BenchmarkC)$");
    Judgement judgement = judge_gotest(cell(), exited(0, kAllPass), reference(kAllPass));
    EXPECT_EQ(judgement.verdict, Verdict::pass);
    EXPECT_THAT(judgement.detail, HasSubstr("not run: TestHTTPDecoding (no sockets)"));
}

TEST_F(GoTestJudge, AFailureTheReferenceNeverReportedSaysSo) {
    load();
    Judgement judgement = judge_gotest(cell(), exited(1, kBFails),
                                       reference("=== RUN   TestA\n--- PASS: TestA (0.00s)\n"));
    EXPECT_EQ(judgement.verdict, Verdict::fail);
    EXPECT_THAT(judgement.detail, HasSubstr("failed, and the reference never reported it: TestB"));
}

TEST(GoTestManifest, NamesEveryMistakeWithItsKey) {
    auto result = test::parse(R"(description = "d"
sources = ["x.go"]
os = ["netbsd"]
[expect]
exit = 0
[gotest]
package = "../etc"
colour = "red"
[[gotest.known_failure]]
test = "TestX/sub"
)");
    std::vector<std::string> errors = test::error_strings(result);
    auto has = [&](const std::string& text) {
        return std::any_of(errors.begin(), errors.end(),
                           [&](const std::string& e) { return e.find(text) != std::string::npos; });
    };
    EXPECT_FALSE(result.manifest);
    EXPECT_TRUE(has("key 'sources' does not apply to a [gotest] scenario")) << errors.size();
    EXPECT_TRUE(has("key 'expect' does not apply to a [gotest] scenario"));
    EXPECT_TRUE(has("a [gotest] scenario needs linux (its reference run)"));
    EXPECT_TRUE(has("'../etc' is not an import path of Go's standard library"));
    EXPECT_TRUE(has("colour"));
    EXPECT_TRUE(has("'TestX/sub' is not a top-level test's name"));
    EXPECT_TRUE(has("reason"));
}

TEST(GoTestManifest, ReadsTheSuite) {
    auto result = test::parse(R"(description = "d"
os = ["linux", "netbsd"]
[gotest]
package = "sync/atomic"
run = "^TestStore"
tags = ["timetzdata"]
full = true
[[gotest.known_failure]]
test = "TestStoreLoadSeqCst32"
arch = ["arm"]
reason = "why"
flaky = true
)");
    ASSERT_TRUE(result.manifest) << testing::PrintToString(test::error_strings(result));
    ASSERT_TRUE(result.manifest->gotest);
    EXPECT_TRUE(result.manifest->is_go());
    const GoTestSuite& suite = *result.manifest->gotest;
    EXPECT_EQ(suite.package, "sync/atomic");
    EXPECT_EQ(suite.run, "^TestStore");
    EXPECT_TRUE(suite.full);
    EXPECT_THAT(suite.tags, ElementsAre("timetzdata"));
    ASSERT_EQ(suite.known_failures.size(), 1u);
    EXPECT_EQ(suite.known_failures[0].test, "TestStoreLoadSeqCst32");
    EXPECT_TRUE(suite.known_failures[0].flaky);
    EXPECT_TRUE(suite.known_failures[0].matches("arm", "linux", "unicorn"));
    EXPECT_FALSE(suite.known_failures[0].matches("386", "linux", "unicorn"));
}

TEST(GoTestManifest, ThePlanBuildsThePackageWithItsTags) {
    auto result = test::parse(R"(description = "d"
arch = ["arm"]
backends = ["unicorn"]
[gotest]
package = "time"
tags = ["timetzdata"]
)");
    ASSERT_TRUE(result.manifest);
    std::vector<Manifest> manifests = {*result.manifest};
    std::vector<Cell> cells = expand_matrix(manifests, test::test_targets(), nullptr);
    std::vector<BinaryPlan> plans = plan_binaries(cells);
    ASSERT_EQ(plans.size(), 1u);
    EXPECT_THAT(cmake_plan_line(plans[0]),
                HasSubstr("SOURCES DEFINES GOTEST time GOTEST_TAGS timetzdata)"));
}

} // namespace
} // namespace crossrt
