// The unicorn backend's guest protocol: what one side encodes the other
// decodes unchanged, a malformed request or report is refused with the
// reason, and the guest process's own end must agree with its report.
#include "backend/guest_protocol.h"
#include "test_support.h"

#include <csignal>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace crossrt {
namespace {

using test::ended;
using ::testing::HasSubstr;

GuestRequest full_request() {
    GuestRequest request;
    request.argv = {"/path/to/binary", "arg one", "--flag"};
    request.seed = 0xffffffffffffffffull; // the whole u64 range survives JSON
    request.strict = true;
    request.trace_file = "/tmp/t/cell.trace";
    request.inject = {*parse_injection("SIGUSR1@100000:2"), *parse_injection("SIGPROF@5")};
    request.max_insns = 50000;
    request.max_memory = 1ull << 30;
    request.report_fd = 3;
    return request;
}

std::string encode(const GuestRequest& request) {
    std::string error;
    auto text = encode_request(request, error);
    EXPECT_TRUE(text) << error;
    return text.value_or("");
}

std::string refusal(const std::string& text) {
    std::string error;
    EXPECT_FALSE(decode_request(text, error)) << text;
    return error;
}

TEST(GuestProtocol, RequestRoundTrips) {
    GuestRequest sent = full_request();
    std::string error;
    auto got = decode_request(encode(sent), error);
    ASSERT_TRUE(got) << error;
    EXPECT_EQ(got->argv, sent.argv);
    EXPECT_EQ(got->seed, sent.seed);
    EXPECT_TRUE(got->strict);
    EXPECT_EQ(got->trace_file, sent.trace_file);
    ASSERT_EQ(got->inject.size(), 2u);
    EXPECT_EQ(got->inject[0].signo, SIGUSR1);
    EXPECT_EQ(got->inject[0].at, 100000u);
    EXPECT_EQ(got->inject[0].lwp, 2);
    EXPECT_EQ(got->inject[1].signo, SIGPROF);
    EXPECT_EQ(got->inject[1].lwp, 0);
    EXPECT_EQ(got->max_insns, 50000u);
    EXPECT_EQ(got->max_memory, 1ull << 30);
    EXPECT_EQ(got->report_fd, 3);
}

TEST(GuestProtocol, FileSystemFieldsRoundTrip) {
    GuestRequest request;
    request.argv = {"/bin/prog"};
    request.mounts = {Mount{"/host/data", "/data", true}, Mount{"/a:b", "/c", false}};
    request.cwd = "/work";
    request.sysroot = "/usr/arm-linux-gnueabihf";
    request.env = std::vector<std::string>{"TMPDIR=/tmp", "A=b=c"};
    std::string error;
    auto text = encode_request(request, error);
    ASSERT_TRUE(text) << error;
    auto decoded = decode_request(*text, error);
    ASSERT_TRUE(decoded) << error;
    ASSERT_EQ(decoded->mounts.size(), 2u);
    EXPECT_EQ(decoded->mounts[0].host, "/host/data");
    EXPECT_EQ(decoded->mounts[0].guest, "/data");
    EXPECT_TRUE(decoded->mounts[0].read_only);
    EXPECT_EQ(decoded->mounts[1].host, "/a:b"); // a ':' in the host path survives
    EXPECT_FALSE(decoded->mounts[1].read_only);
    EXPECT_EQ(decoded->cwd, "/work");
    EXPECT_EQ(decoded->sysroot, "/usr/arm-linux-gnueabihf");
    EXPECT_EQ(decoded->env, request.env);
    auto bad = decode_request(R"({"argv":["x"],"mounts":["nocolon"]})", error);
    EXPECT_FALSE(bad);
    EXPECT_THAT(error, HasSubstr("mounts[0]"));
}

TEST(Mount, SpecsParseAndRefuseWhatIsNotHostColonGuest) {
    std::string error;
    auto plain = parse_mount("data:/data", error);
    ASSERT_TRUE(plain) << error;
    EXPECT_EQ(plain->host, "data");
    EXPECT_EQ(plain->guest, "/data");
    EXPECT_FALSE(plain->read_only);
    auto ro = parse_mount("/x/y:/g/h:ro", error);
    ASSERT_TRUE(ro) << error;
    EXPECT_TRUE(ro->read_only);
    EXPECT_EQ(mount_spec(*ro), "/x/y:/g/h:ro");
    auto rw = parse_mount("a:/b:rw", error);
    ASSERT_TRUE(rw);
    EXPECT_FALSE(rw->read_only);
    EXPECT_EQ(rw->guest, "/b");
    for (const char* bad : {"nocolon", ":/guest", "host:relative", "host:", "host:ro"}) {
        error.clear();
        EXPECT_FALSE(parse_mount(bad, error)) << bad;
        EXPECT_FALSE(error.empty()) << bad;
    }
}

TEST(GuestProtocol, UnsetFieldsStayUnset) {
    GuestRequest sent;
    sent.argv = {"/bin/x"};
    std::string error;
    auto got = decode_request(encode(sent), error);
    ASSERT_TRUE(got) << error;
    EXPECT_FALSE(got->seed);
    EXPECT_FALSE(got->strict);
    EXPECT_TRUE(got->trace_file.empty());
    EXPECT_TRUE(got->inject.empty());
    EXPECT_FALSE(got->max_insns);
    EXPECT_FALSE(got->max_memory);
    EXPECT_FALSE(got->report_fd);
}

TEST(GuestProtocol, MalformedRequestsSayWhatIsWrong) {
    EXPECT_THAT(refusal("--seed 7"), HasSubstr("the request is not a JSON object"));
    EXPECT_THAT(refusal("[1]"), HasSubstr("not a JSON object"));
    EXPECT_THAT(refusal("{}"), HasSubstr("the request has no 'argv'"));
    EXPECT_THAT(refusal(R"({"argv": []})"), HasSubstr("'argv' must be a non-empty array"));
    EXPECT_THAT(refusal(R"({"argv": ["/x", 1]})"), HasSubstr("array of strings"));
    EXPECT_THAT(refusal(R"({"argv": ["/x"], "seed": -1})"),
                HasSubstr("'seed' must be an unsigned number"));
    EXPECT_THAT(refusal(R"({"argv": ["/x"], "seed": "7"})"), HasSubstr("'seed' must be"));
    EXPECT_THAT(refusal(R"({"argv": ["/x"], "strict": 1})"),
                HasSubstr("'strict' must be true or false"));
    EXPECT_THAT(refusal(R"({"argv": ["/x"], "report_fd": 4294967296})"),
                HasSubstr("'report_fd' must be an unsigned number up to 2147483647"));
    EXPECT_THAT(refusal(R"({"argv": ["/x"], "sede": 7})"), HasSubstr("unknown key 'sede'"));
    EXPECT_THAT(refusal(R"({"argv": ["/x"], "inject": [{"signal": 10}]})"),
                HasSubstr("inject[0] has no 'at'"));
    EXPECT_THAT(refusal(R"({"argv": ["/x"], "inject": [{"signal": 99, "at": 1}]})"),
                HasSubstr("inject[0]: 'signal' must be a signal number"));
    EXPECT_THAT(refusal(R"({"argv": ["/x"], "inject": ["SIGUSR1@5"]})"),
                HasSubstr("inject[0] must be an object"));
}

TEST(GuestProtocol, ArgumentsThatAreNotUtf8AreRefusedNotMangled) {
    GuestRequest request;
    request.argv = {"/bin/x", "\xff\xfe"};
    std::string error;
    EXPECT_FALSE(encode_request(request, error));
    EXPECT_THAT(error, HasSubstr("not UTF-8"));
}

TEST(GuestProtocol, ThePolicyAndThePointsFileRoundTrip) {
    GuestRequest request;
    request.argv = {"/bin/guest"};
    request.policy.strategy = "nonpreemptive";
    request.policy.pct_depth = 4;
    request.policy.pct_steps = 123;
    request.policy.deviations = {{7, 100, 2}, {31, 101, 1}};
    request.points_file = "/tmp/points";
    std::string error;
    auto encoded = encode_request(request, error);
    ASSERT_TRUE(encoded) << error;
    auto decoded = decode_request(*encoded, error);
    ASSERT_TRUE(decoded) << error;
    EXPECT_EQ(decoded->policy, request.policy);
    EXPECT_EQ(decoded->points_file, "/tmp/points");
    EXPECT_FALSE(decode_request(R"({"argv": ["/bin/guest"], "policy": {"strategy": 3}})", error));
    EXPECT_THAT(error, ::testing::HasSubstr("'policy'"));
}

TEST(GuestProtocol, ReportRoundTripsEveryEnd) {
    for (int value = 0; value <= static_cast<int>(kLastEndKind); ++value) {
        GuestReport sent{static_cast<EndKind>(value), 9, "lwp 1 blocked",
                         value % 2 == 0 ? std::optional<std::uint64_t>(0xfedcba9876543210ull)
                                        : std::nullopt};
        std::string line = encode_report(sent);
        ASSERT_EQ(line.back(), '\n');
        EXPECT_EQ(line.find('\n'), line.size() - 1) << "one line";
        std::string error;
        auto got = decode_report(line, error);
        ASSERT_TRUE(got) << error;
        EXPECT_EQ(got->end, sent.end) << end_kind_name(sent.end);
        EXPECT_EQ(got->status, 9);
        EXPECT_EQ(got->detail, sent.detail);
        EXPECT_EQ(got->schedule_hash, sent.schedule_hash);
    }
}

TEST(GuestProtocol, MalformedReportsAreRefused) {
    std::string error;
    EXPECT_FALSE(decode_report("garbage\n", error));
    EXPECT_THAT(error, HasSubstr("the report is not a JSON object"));
    EXPECT_FALSE(decode_report(R"({"verdict": "deadlock"})", error));
    EXPECT_THAT(error, HasSubstr("the report has no 'end'"));
    EXPECT_FALSE(decode_report(R"({"end": "stuck"})", error));
    EXPECT_THAT(error, HasSubstr("unknown end 'stuck'"));
}

TEST(GuestProtocol, EndKindNamesRoundTrip) {
    for (int value = 0; value <= static_cast<int>(kLastEndKind); ++value) {
        auto kind = static_cast<EndKind>(value);
        EXPECT_EQ(end_kind_from_name(end_kind_name(kind)), kind) << end_kind_name(kind);
    }
    EXPECT_EQ(end_kind_name(EndKind::budget), "budget");
    EXPECT_EQ(end_kind_name(EndKind::output_limit), "output-limit");
    EXPECT_FALSE(end_kind_from_name("timed_out"));
}

std::string report_of(EndKind end, int status, const std::string& detail = "") {
    return encode_report({end, status, detail, {}});
}

TEST(GuestReport, HarnessEndsComeFromTheReport) {
    Outcome process = ended(EndKind::exited, 125);
    Outcome budget = apply_guest_report(
        process, report_of(EndKind::budget, 0, "instruction budget of 50000 exhausted"));
    EXPECT_EQ(budget.end, EndKind::budget);
    EXPECT_EQ(budget.detail, "instruction budget of 50000 exhausted");
    Outcome deadlock = apply_guest_report(process, report_of(EndKind::deadlock, 0, "lwp 1"));
    EXPECT_EQ(deadlock.end, EndKind::deadlock);
    Outcome strict = apply_guest_report(
        process, report_of(EndKind::unsupported, 0, "unsupported syscall 57 (fork)"));
    EXPECT_EQ(strict.end, EndKind::unsupported);
    EXPECT_EQ(strict.detail, "unicorn kernel: unsupported syscall 57 (fork)");
}

TEST(GuestReport, TheGuestsOwnEndMustMatchTheProcesss) {
    Outcome exit3 = apply_guest_report(ended(EndKind::exited, 3), report_of(EndKind::exited, 3));
    EXPECT_EQ(exit3.end, EndKind::exited);
    EXPECT_EQ(exit3.status, 3);
    Outcome segv =
        apply_guest_report(ended(EndKind::signaled, 11), report_of(EndKind::signaled, 11));
    EXPECT_EQ(segv.end, EndKind::signaled);
    EXPECT_EQ(segv.status, 11);
    // The emulator crashed after the guest exited: not the guest's SIGSEGV.
    Outcome crashed =
        apply_guest_report(ended(EndKind::signaled, 11), report_of(EndKind::exited, 0));
    EXPECT_EQ(crashed.end, EndKind::error);
    EXPECT_EQ(crashed.detail, "unicorn guest reported exit 0 but ended with signal SIGSEGV (11)");
}

TEST(GuestReport, NoReportIsAnError) {
    Outcome process = ended(EndKind::exited, 2);
    process.err = "crossrt unicorn-guest: bad request: the request has no 'argv'\n";
    Outcome outcome = apply_guest_report(process, "");
    EXPECT_EQ(outcome.end, EndKind::error);
    EXPECT_THAT(outcome.detail, HasSubstr("unicorn guest ended (exit 2) without a report; "
                                          "stderr: crossrt unicorn-guest: bad request"));
    Outcome killed = apply_guest_report(ended(EndKind::signaled, SIGKILL), "");
    EXPECT_EQ(killed.end, EndKind::error);
    EXPECT_THAT(killed.detail, HasSubstr("ended (signal SIGKILL (9)) without a report"));
}

} // namespace
} // namespace crossrt
