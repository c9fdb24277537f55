// Real NetBSD clients: the Go 1.19 scenarios built for netbsd (by the
// target sub-builds) must give exactly the stdout and exit status of their
// linux builds under the unicorn kernel, and the runtime must have used
// the NetBSD LWP calls to get there. Skipped when the targets were not built.
#include "guest_command.h"
#include "kernel_test_support.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <sys/wait.h>

namespace {

using crossrt::GuestRequest;
using crossrt::kernel::test::CommandOutput;
using crossrt::kernel::test::run_command;
using crossrt::kernel::test::unicorn_guest_command;

namespace fs = std::filesystem;

const fs::path build_dir = CROSSRT_TEST_BUILD_DIR;

fs::path binary(const std::string& target, const std::string& scenario) {
    return build_dir / "targets" / target / "scenarios" / scenario / "fixed";
}

std::string guest(const GuestRequest& request, const fs::path& path, const std::string& stderr_to) {
    return "env -i " + unicorn_guest_command(request, path) + " 2>" + stderr_to;
}

class NetbsdGoTest : public ::testing::TestWithParam<std::string> {};

TEST_P(NetbsdGoTest, ScenariosMatchTheirLinuxBuilds) {
    const std::string arch = GetParam();
    for (std::string scenario :
         {"go-hello", "go-goroutines", "go-timers", "go-panic", "go-signal"}) {
        fs::path netbsd = binary(arch + "-netbsd", scenario);
        fs::path linux = binary(arch + "-linux", scenario);
        if (!fs::exists(netbsd) || !fs::exists(linux))
            GTEST_SKIP() << scenario << " not built for " << arch;
        CommandOutput expected = run_command(guest({}, linux, "/dev/null"));
        CommandOutput got = run_command(guest({}, netbsd, "/dev/null"));
        ASSERT_TRUE(WIFEXITED(expected.status)) << scenario;
        EXPECT_EQ(got.status, expected.status) << scenario;
        EXPECT_EQ(got.out, expected.out) << scenario;
        EXPECT_FALSE(got.out.empty()) << scenario;
    }
}

TEST_P(NetbsdGoTest, GoroutinesRunOnNetbsdLwps) {
    fs::path netbsd = binary(GetParam() + "-netbsd", "go-goroutines");
    if (!fs::exists(netbsd))
        GTEST_SKIP() << "go-goroutines not built for " << GetParam() << "-netbsd";
    std::string pattern = (fs::temp_directory_path() / "crossrt-netbsd-go-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    fs::path trace = fs::path(pattern) / "trace";
    GuestRequest request;
    request.strict = true;
    request.trace_file = trace.string();
    CommandOutput got = run_command(guest(request, netbsd, "&1"));
    EXPECT_TRUE(WIFEXITED(got.status) && WEXITSTATUS(got.status) == 0) << got.out;
    std::ifstream file(trace);
    std::stringstream text;
    text << file.rdbuf();
    std::string log = text.str();
    for (const char* call :
         {": _lwp_create(", ": getcontext(", ": _lwp_self(", ": ___lwp_park60(", ": _lwp_unpark("})
        EXPECT_NE(log.find(call), std::string::npos) << call;
    // x86 keeps g in TLS (settls); arm keeps it in r10 without cgo.
    if (GetParam() != "arm") {
        EXPECT_NE(log.find(": _lwp_setprivate("), std::string::npos);
    }
    std::error_code ignored;
    fs::remove_all(pattern, ignored);
}

// --inject on a NetBSD guest: the signal lands at exactly its instruction,
// Go's handler runs on a NetBSD frame and returns through its trampoline's
// setcontext, and the program still finishes normally.
TEST_P(NetbsdGoTest, InjectedSigurgIsHandledAndReturnsThroughSetcontext) {
    fs::path netbsd = binary(GetParam() + "-netbsd", "go-goroutines");
    if (!fs::exists(netbsd))
        GTEST_SKIP() << "go-goroutines not built for " << GetParam() << "-netbsd";
    std::string pattern = (fs::temp_directory_path() / "crossrt-netbsd-go-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    fs::path trace = fs::path(pattern) / "trace";
    GuestRequest request;
    request.trace_file = trace.string();
    request.inject = {*crossrt::parse_injection("SIGURG@3000000")};
    CommandOutput got = run_command(guest(request, netbsd, "&1"));
    EXPECT_TRUE(WIFEXITED(got.status) && WEXITSTATUS(got.status) == 0) << got.out;
    EXPECT_NE(got.out.find("GOMAXPROCS 4 total 2799989"), std::string::npos) << got.out;
    std::ifstream file(trace);
    std::stringstream text;
    text << file.rdbuf();
    std::string log = text.str();
    EXPECT_NE(log.find("     3000000 inject SIGURG -> lwp "), std::string::npos);
    EXPECT_NE(log.find("     3000000 signal SIGURG -> lwp "), std::string::npos);
    EXPECT_NE(log.find(": setcontext("), std::string::npos);
    std::error_code ignored;
    fs::remove_all(pattern, ignored);
}

INSTANTIATE_TEST_SUITE_P(Arches, NetbsdGoTest, ::testing::Values("amd64", "386", "arm"),
                         [](const auto& param) { return param.param; });

} // namespace
