// Sockets in the unicorn kernel (posix/socket.h: the run's private
// loopback network) through each target's libc: the probe
// (guests/socket_probe.c: TCP over IPv4 and IPv6, UDP, AF_UNIX streams,
// datagrams, seqpackets and SCM_RIGHTS, shutdown, resets, poll and epoll,
// blocking calls across fork) runs on the host kernel, on the host's own
// loopback, and under the unicorn kernel on every arch (386 through
// socketcall(2), as Go's linux/386 calls it); the outputs must match line
// for line. Then what only the unicorn kernel promises: the same seed
// gives the same run, trace and all, with sockets in it.
#include "guest_command.h"
#include "kernel_test_support.h"
#include "scratch_dir.h"

#include <filesystem>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sstream>
#include <sys/wait.h>

namespace {

using crossrt::GuestRequest;
using crossrt::kernel::test::CommandOutput;
using crossrt::kernel::test::expect_same_lines;
using crossrt::kernel::test::run_command;
using crossrt::kernel::test::unicorn_guest_command;
using crossrt::test::read_file;
using crossrt::test::ScratchDir;
using ::testing::HasSubstr;

namespace fs = std::filesystem;

constexpr const char* kDone = "socket probe: done";

fs::path probe(const std::string& arch) {
    return fs::path(CROSSRT_PROBE_DIR) / ("socket_probe-" + arch);
}

// The reference: the amd64 probe on the host kernel, in a scratch
// directory (its AF_UNIX names are made there).
const CommandOutput& host_run() {
    static const CommandOutput output = [] {
        ScratchDir scratch;
        return run_command("cd " + scratch.path().string() + " && " + probe("amd64").string() +
                           " 2>&1");
    }();
    return output;
}

CommandOutput unicorn_run(const std::string& arch, GuestRequest request = {}) {
    request.cwd = "/probe";
    return run_command("env -i " + unicorn_guest_command(request, probe(arch)) + " 2>&1");
}

// The guest's own lines: the kernel's notes (on stderr, mixed in here) left out.
std::string guest_lines(const std::string& output) {
    std::istringstream lines(output);
    std::string kept;
    for (std::string line; std::getline(lines, line);) {
        if (!line.starts_with("crossrt-kernel: "))
            kept += line + "\n";
    }
    return kept;
}

class SocketTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        if (!fs::exists(probe(GetParam())) || !fs::exists(probe("amd64")))
            GTEST_SKIP() << "no compiler for " << GetParam() << ": probe not built";
    }
};

TEST_P(SocketTest, TheProbeSeesWhatTheHostKernelShows) {
    const CommandOutput& host = host_run();
    ASSERT_TRUE(WIFEXITED(host.status) && WEXITSTATUS(host.status) == 0) << host.out;
    ASSERT_THAT(host.out, HasSubstr(kDone));
    CommandOutput result = unicorn_run(GetParam());
    EXPECT_TRUE(WIFEXITED(result.status) && WEXITSTATUS(result.status) == 0) << result.out;
    // Line for line, so that a difference names its call.
    expect_same_lines(host.out, guest_lines(result.out));
}

TEST_P(SocketTest, TheSameSeedGivesTheSameRunWithSockets) {
    ScratchDir scratch;
    std::string traces[2];
    for (int i = 0; i < 2; ++i) {
        GuestRequest request;
        request.seed = 99;
        request.trace_file = (scratch.path() / ("run" + std::to_string(i))).string();
        CommandOutput result = unicorn_run(GetParam(), request);
        ASSERT_THAT(result.out, HasSubstr(kDone)) << result.out;
        traces[i] = read_file(request.trace_file);
    }
    EXPECT_THAT(traces[0], HasSubstr("connects to socket"));
    EXPECT_THAT(traces[0], HasSubstr("wakes: socket"));
    EXPECT_EQ(traces[0], traces[1]);
}

INSTANTIATE_TEST_SUITE_P(Arches, SocketTest, ::testing::Values("amd64", "386", "arm"));

} // namespace
