#include "base/signals.h"
#include "scenario/expectation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace crossrt {
namespace {

using ::testing::HasSubstr;

Outcome exited(int code, std::string out = "", std::string err = "") {
    Outcome outcome;
    outcome.end = EndKind::exited;
    outcome.status = code;
    outcome.out = std::move(out);
    outcome.err = std::move(err);
    return outcome;
}

Outcome killed(int signal, std::string err = "") {
    Outcome outcome;
    outcome.end = EndKind::signaled;
    outcome.status = signal;
    outcome.err = std::move(err);
    return outcome;
}

TEST(StreamChecks, InOrderSubstringsAndRegexes) {
    std::vector<StreamCheck> checks = {StreamCheck::contains("one"), StreamCheck::regex("t[a-z]o"),
                                       StreamCheck::contains("three")};
    EXPECT_FALSE(run_stream_checks(checks, "stdout", "one two three"));
    // Order matters: "one" must come before "two".
    EXPECT_TRUE(run_stream_checks(checks, "stdout", "two one three"));
}

TEST(StreamChecks, NextMatchStartsAtTheEndOfThePrevious) {
    // The same text twice needs two occurrences.
    std::vector<StreamCheck> twice = {StreamCheck::contains("ok"), StreamCheck::contains("ok")};
    EXPECT_TRUE(run_stream_checks(twice, "stdout", "ok"));
    EXPECT_FALSE(run_stream_checks(twice, "stdout", "okok"));
    // "abc" then "c": the c inside abc is already consumed.
    std::vector<StreamCheck> overlap = {StreamCheck::regex("a.c"), StreamCheck::contains("c")};
    EXPECT_TRUE(run_stream_checks(overlap, "stdout", "abc"));
    EXPECT_FALSE(run_stream_checks(overlap, "stdout", "abc c"));
}

TEST(StreamChecks, AbsentLooksAtTheWholeStream) {
    std::vector<StreamCheck> checks = {StreamCheck::contains("end"), StreamCheck::absent("panic")};
    EXPECT_FALSE(run_stream_checks(checks, "stderr", "all good end"));
    // panic before the previous match still counts.
    auto failure = run_stream_checks(checks, "stderr", "panic: x end");
    ASSERT_TRUE(failure);
    EXPECT_THAT(*failure, HasSubstr("stderr check 2 (absent \"panic\") found at offset 0"));
}

TEST(StreamChecks, FailureNamesCheckKindAndOffset) {
    std::vector<StreamCheck> checks = {StreamCheck::contains("hello "),
                                       StreamCheck::regex("ok [0-9]+")};
    auto failure = run_stream_checks(checks, "stdout", "hello world, ok x");
    ASSERT_TRUE(failure);
    EXPECT_THAT(*failure, HasSubstr("stdout check 2 (regex \"ok [0-9]+\") did not match after "
                                    "offset 6; stdout: hello world"));
}

TEST(StreamChecks, BadRegexThrows) {
    EXPECT_THROW(StreamCheck::regex("[a-"), BadRegex);
}

// std::regex recursed once per character here and overflowed the stack.
TEST(StreamChecks, AMegabyteLineAgainstAGreedyRegexIsJudged) {
    std::string line = "start A" + std::string(1 << 20, 'b') + "Z end\n";
    std::vector<StreamCheck> checks = {StreamCheck::regex("A.*Z"), StreamCheck::contains("end")};
    EXPECT_EQ(run_stream_checks(checks, "stdout", line), std::nullopt);
    // The match ends at the Z: "start" is not found after it.
    std::vector<StreamCheck> order = {StreamCheck::regex("A.*Z"), StreamCheck::contains("start")};
    auto after = run_stream_checks(order, "stdout", line);
    ASSERT_TRUE(after);
    EXPECT_THAT(*after, HasSubstr("stdout check 2 (\"start\") not found after offset 1048584"));
    std::string no_z = "start A" + std::string(1 << 20, 'b') + "\n";
    auto missing = run_stream_checks({StreamCheck::regex("A.*Z")}, "stdout", no_z);
    ASSERT_TRUE(missing);
    EXPECT_THAT(*missing,
                HasSubstr("stdout check 1 (regex \"A.*Z\") did not match after offset 0"));
}

TEST(StreamChecks, OutputIsMatchedByteByByte) {
    // Not UTF-8: "." is one byte, and the bytes around it still match.
    EXPECT_EQ(run_stream_checks({StreamCheck::regex("a.b")}, "stdout",
                                "a\xff"
                                "b"),
              std::nullopt);
    EXPECT_TRUE(run_stream_checks({StreamCheck::regex("a.b")}, "stdout",
                                  "a\xff\xfe"
                                  "b"));
}

TEST(StreamChecks, ARegexCheckWithoutAPatternThrows) {
    StreamCheck uncompiled{StreamCheck::Kind::regex, "x", nullptr};
    EXPECT_THROW(run_stream_checks({uncompiled}, "stdout", "x"), std::logic_error);
}

TEST(Expectation, DefaultIsExitZero) {
    Expectation expect;
    EXPECT_FALSE(check_expectation(expect, exited(0)));
    auto failure = check_expectation(expect, killed(11, "boom"));
    ASSERT_TRUE(failure);
    EXPECT_EQ(*failure, "expected exit 0, saw signal SIGSEGV (11); stderr: boom");
    EXPECT_TRUE(check_expectation(expect, exited(1)));
}

TEST(Expectation, ExitCode) {
    Expectation expect;
    expect.exit_code = 2;
    EXPECT_FALSE(check_expectation(expect, exited(2)));
    auto failure = check_expectation(expect, exited(0, "out only"));
    ASSERT_TRUE(failure);
    EXPECT_EQ(*failure, "expected exit 2, saw exit 0; stdout: out only");
}

TEST(Expectation, Signal) {
    Expectation expect;
    expect.signal = 11;
    EXPECT_FALSE(check_expectation(expect, killed(11)));
    EXPECT_TRUE(check_expectation(expect, killed(6)));
    EXPECT_TRUE(check_expectation(expect, exited(139)));
}

Outcome ended_by(EndKind kind, std::string detail = "") {
    Outcome outcome;
    outcome.end = kind;
    outcome.detail = std::move(detail);
    outcome.duration_s = 1;
    return outcome;
}

TEST(Expectation, TimeoutVerdict) {
    Expectation expect;
    expect.verdict = EndKind::timeout;
    Outcome timed_out = ended_by(EndKind::timeout);
    EXPECT_FALSE(check_expectation(expect, timed_out));
    auto failure = check_expectation(expect, exited(0));
    ASSERT_TRUE(failure);
    EXPECT_THAT(*failure, HasSubstr("expected verdict timeout, saw exit 0"));
    // And a timeout is never an exit 0.
    EXPECT_TRUE(check_expectation(Expectation{}, timed_out));
}

TEST(Expectation, BudgetIsNotATimeout) {
    Outcome budget = ended_by(EndKind::budget, "instruction budget of 50000 exhausted");
    Expectation timeout;
    timeout.verdict = EndKind::timeout;
    EXPECT_THAT(*check_expectation(timeout, budget),
                HasSubstr("expected verdict timeout, saw instruction budget of 50000 exhausted"));
    Expectation expect_budget;
    expect_budget.verdict = EndKind::budget;
    EXPECT_FALSE(check_expectation(expect_budget, budget));
    EXPECT_THAT(*check_expectation(expect_budget, ended_by(EndKind::timeout)),
                HasSubstr("expected verdict budget, saw timeout after 1.0s"));
}

TEST(Expectation, OnlyFourHarnessVerdictsCanBeExpected) {
    EXPECT_EQ(expectable_verdict("timeout"), EndKind::timeout);
    EXPECT_EQ(expectable_verdict("deadlock"), EndKind::deadlock);
    EXPECT_EQ(expectable_verdict("budget"), EndKind::budget);
    EXPECT_EQ(expectable_verdict("memory"), EndKind::memory);
    EXPECT_FALSE(expectable_verdict("error"));
    EXPECT_FALSE(expectable_verdict("exited"));
    EXPECT_THAT(expectable_verdict_names(),
                ::testing::ElementsAre("timeout", "deadlock", "budget", "memory"));
}

TEST(Expectation, StreamsAreCheckedAfterStatus) {
    Expectation expect;
    expect.stdout_checks = {StreamCheck::contains("ready")};
    expect.stderr_checks = {StreamCheck::absent("warning")};
    EXPECT_FALSE(check_expectation(expect, exited(0, "ready\n", "")));
    EXPECT_THAT(*check_expectation(expect, exited(0, "ready\n", "warning: x")),
                HasSubstr("stderr check 1"));
    EXPECT_THAT(*check_expectation(expect, exited(0, "", "")), HasSubstr("stdout check 1"));
}

TEST(Expectation, TruncatedOutputNeverPasses) {
    // The cap killed it with SIGKILL, which the manifest happens to expect.
    Outcome outcome = ended_by(EndKind::output_limit);
    Expectation expect;
    expect.signal = 9;
    EXPECT_THAT(*check_expectation(expect, outcome), HasSubstr("output limit exceeded"));
}

TEST(Expectation, Describe) {
    Expectation expect;
    expect.signal = 11;
    expect.stderr_checks = {StreamCheck::absent("runtime: cgo callback")};
    EXPECT_EQ(describe_expectation(expect),
              "signal SIGSEGV (11), stderr absent \"runtime: cgo callback\"");
}

TEST(Signals, NamesBothWays) {
    EXPECT_EQ(signal_name(11), "SIGSEGV");
    EXPECT_EQ(signal_number("SIGSEGV"), 11);
    EXPECT_EQ(signal_number("SEGV"), 11);
    EXPECT_EQ(signal_number("9"), 9);
    EXPECT_FALSE(signal_number("SIGNOPE"));
    EXPECT_FALSE(signal_number("0"));
    EXPECT_FALSE(signal_number("9999"));
}

} // namespace
} // namespace crossrt
