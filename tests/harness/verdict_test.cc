#include "scenario/verdict.h"
#include "test_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace crossrt {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class VerdictTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto result = test::parse(R"(description = "d"
sources = ["m.c"]
arch = ["arm"]
backends = ["qemu"]
[expect]
stdout = ["done"]
[[regress]]
name = "no-lr"
define = "NO_LR"
symptom = "return jumps to pc 0"
[regress.expect]
signal = "SIGSEGV"
[[regress]]
name = "hang"
define = "HANG"
symptom = "lost wakeup"
[regress.expect]
verdict = "timeout"
)");
        ASSERT_TRUE(result.manifest);
        manifests.push_back(*result.manifest);
        cells = expand_matrix(manifests, test::test_targets(), nullptr);
        ASSERT_EQ(cells.size(), 3u);
    }
    const Cell& cell(const std::string& variant) {
        for (const Cell& c : cells) {
            if (c.variant == variant)
                return c;
        }
        throw std::runtime_error("no variant " + variant);
    }

    std::vector<Manifest> manifests;
    std::vector<Cell> cells;
};

using test::ended;

Outcome exit_with(int code, std::string out = "") {
    Outcome outcome = ended(EndKind::exited, code);
    outcome.out = std::move(out);
    return outcome;
}

Outcome signal_of(int signal) {
    return ended(EndKind::signaled, signal);
}

Outcome timeout() {
    Outcome outcome = ended(EndKind::timeout);
    outcome.duration_s = 10;
    outcome.out = "partial";
    return outcome;
}

Outcome memory() {
    Outcome outcome = ended(EndKind::memory, 0, "memory cap of 64 MiB reached");
    outcome.out = "partial";
    return outcome;
}

Outcome budget() {
    Outcome outcome = ended(EndKind::budget, 0, "instruction budget of 5000 exhausted");
    outcome.out = "partial";
    return outcome;
}

TEST_F(VerdictTest, FixedPassFailTimeout) {
    EXPECT_EQ(judge(cell("fixed"), exit_with(0, "all done")).verdict, Verdict::pass);
    Judgement fail = judge(cell("fixed"), exit_with(0, "nothing"));
    EXPECT_EQ(fail.verdict, Verdict::fail);
    EXPECT_THAT(fail.detail, HasSubstr("stdout check 1 (\"done\") not found"));
    Judgement crash = judge(cell("fixed"), signal_of(11));
    EXPECT_EQ(crash.verdict, Verdict::fail);
    EXPECT_THAT(crash.detail, StartsWith("expected exit 0, saw signal SIGSEGV (11)"));
    Judgement slow = judge(cell("fixed"), timeout());
    EXPECT_EQ(slow.verdict, Verdict::timeout);
    EXPECT_THAT(slow.detail, HasSubstr("timeout after 10.0s; stdout: partial"));
    Judgement spins = judge(cell("fixed"), budget());
    EXPECT_EQ(spins.verdict, Verdict::budget);
    EXPECT_EQ(spins.detail, "instruction budget of 5000 exhausted; stdout: partial");
    Judgement hog = judge(cell("fixed"), memory());
    EXPECT_EQ(hog.verdict, Verdict::memory);
    EXPECT_EQ(hog.detail, "memory cap of 64 MiB reached; stdout: partial");
}

TEST_F(VerdictTest, ErrorsAndSkips) {
    Outcome error = ended(EndKind::error, 0, "qemu-arm not found");
    EXPECT_EQ(judge(cell("fixed"), error).verdict, Verdict::error);
    EXPECT_EQ(judge(cell("fixed"), error).detail, "qemu-arm not found");
    Outcome skip = ended(EndKind::skip, 0, "host cannot execute 386");
    EXPECT_EQ(judge(cell("fixed"), skip).verdict, Verdict::skip);
    Outcome interrupted = ended(EndKind::interrupted);
    EXPECT_EQ(judge(cell("regress-no-lr"), interrupted).detail, "interrupted");
    Cell skipped = cell("fixed");
    skipped.skip = "static reason";
    Judgement judged = judge(skipped, exit_with(0, "done"));
    EXPECT_EQ(judged.verdict, Verdict::skip);
    EXPECT_EQ(judged.detail, "static reason");
}

TEST_F(VerdictTest, RegressCaughtAndNotCaught) {
    Judgement caught = judge(cell("regress-no-lr"), signal_of(11));
    EXPECT_EQ(caught.verdict, Verdict::pass);
    EXPECT_EQ(caught.detail, "regression caught: return jumps to pc 0");
    Judgement missed = judge(cell("regress-no-lr"), exit_with(0));
    EXPECT_EQ(missed.verdict, Verdict::fail);
    EXPECT_THAT(missed.detail,
                StartsWith("regression not caught: expected symptom return jumps to pc 0 "
                           "(signal SIGSEGV (11)), saw exit 0"));
    // A timeout is the symptom only when the variant expects it.
    EXPECT_EQ(judge(cell("regress-no-lr"), timeout()).verdict, Verdict::fail);
    Judgement hang = judge(cell("regress-hang"), timeout());
    EXPECT_EQ(hang.verdict, Verdict::pass);
    EXPECT_EQ(hang.detail, "regression caught: lost wakeup");
    EXPECT_EQ(judge(cell("regress-hang"), exit_with(0)).verdict, Verdict::fail);
    // An exhausted instruction budget is not the timeout the variant expects.
    Judgement spun = judge(cell("regress-hang"), budget());
    EXPECT_EQ(spun.verdict, Verdict::fail);
    EXPECT_THAT(spun.detail, HasSubstr("(verdict timeout), saw instruction budget of 5000"));
}

TEST(VerdictNames, AllNamed) {
    EXPECT_EQ(verdict_name(Verdict::pass), "pass");
    EXPECT_EQ(verdict_name(Verdict::timeout), "timeout");
    EXPECT_EQ(verdict_name(Verdict::budget), "budget");
    EXPECT_TRUE(is_failure(Verdict::error));
    EXPECT_TRUE(is_failure(Verdict::budget));
    EXPECT_EQ(verdict_name(Verdict::memory), "memory");
    EXPECT_TRUE(is_failure(Verdict::memory));
    EXPECT_FALSE(is_failure(Verdict::skip));
}

} // namespace
} // namespace crossrt

namespace crossrt {
namespace {

TEST(VerdictOverrides, RegressSymptomPerArch) {
    auto result = test::parse(R"(description = "d"
sources = ["m.c"]
arch = ["amd64", "386"]
backends = ["qemu"]
[[regress]]
name = "no-retpush"
define = "NO_RETPUSH"
symptom = "no return pc"
[regress.expect]
exit = 2
[[regress.expect.on]]
arch = ["amd64"]
signal = "SIGSEGV"
)");
    ASSERT_TRUE(result.manifest);
    std::vector<Manifest> manifests{*result.manifest};
    auto cells = expand_matrix(manifests, test::test_targets(), nullptr);
    const Cell* amd64 = nullptr;
    const Cell* i386 = nullptr;
    for (const Cell& c : cells) {
        if (c.variant != "regress-no-retpush")
            continue;
        (c.arch == "amd64" ? amd64 : i386) = &c;
    }
    ASSERT_TRUE(amd64 && i386);
    Outcome segv = test::ended(EndKind::signaled, 11);
    Outcome exit2 = test::ended(EndKind::exited, 2);
    EXPECT_EQ(judge(*amd64, segv).verdict, Verdict::pass);
    EXPECT_EQ(judge(*amd64, exit2).verdict, Verdict::fail);
    EXPECT_EQ(judge(*i386, exit2).verdict, Verdict::pass);
    Judgement wrong = judge(*i386, segv);
    EXPECT_EQ(wrong.verdict, Verdict::fail);
    EXPECT_THAT(wrong.detail, HasSubstr("(exit 2)"));
}

} // namespace
} // namespace crossrt

namespace crossrt {
namespace {

TEST(VerdictXfail, FailureIsXfailAndPassIsXpass) {
    auto result = test::parse(R"(description = "d"
sources = ["m.cc"]
arch = ["386"]
backends = ["qemu"]
[expect]
stdout = ["hello"]
[[xfail]]
reason = "emulator bug"
)");
    ASSERT_TRUE(result.manifest);
    std::vector<Manifest> manifests{*result.manifest};
    auto cells = expand_matrix(manifests, test::test_targets(), nullptr);
    ASSERT_EQ(cells.size(), 1u);
    Outcome crash = test::ended(EndKind::signaled, 11);
    Judgement xfail = judge(cells[0], crash);
    EXPECT_EQ(xfail.verdict, Verdict::xfail);
    EXPECT_THAT(xfail.detail, StartsWith("expected failure (emulator bug): expected exit 0"));
    EXPECT_FALSE(is_failure(xfail.verdict));

    Outcome good = test::ended(EndKind::exited, 0);
    good.out = "hello\n";
    Judgement xpass = judge(cells[0], good);
    EXPECT_EQ(xpass.verdict, Verdict::xpass);
    EXPECT_TRUE(is_failure(xpass.verdict));
    EXPECT_EQ(verdict_name(xpass.verdict), "xpass");

    Outcome broken = test::ended(EndKind::error, 0, "binary not built: x");
    EXPECT_EQ(judge(cells[0], broken).verdict, Verdict::error); // errors stay errors
}

} // namespace
} // namespace crossrt
