// Processes in the unicorn kernel (process_tree.cc) through each target's
// libc: the probe (guests/process_probe.c) forks, waits, signals and
// re-executes itself, and its output under the unicorn kernel must be the
// host kernel's, line for line. Then what only the unicorn kernel can
// promise: the same seed gives the same multi-process run, trace and all.
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
using crossrt::kernel::test::without_kernel_notes;
using crossrt::test::read_file;
using crossrt::test::ScratchDir;
using ::testing::HasSubstr;

namespace fs = std::filesystem;

fs::path probe(const std::string& arch) {
    return fs::path(CROSSRT_PROBE_DIR) / ("process_probe-" + arch);
}

std::string host_output() {
    static const std::string output = [] {
        ScratchDir scratch;
        CommandOutput result = run_command("cd " + scratch.path().string() + " && " +
                                           probe("amd64").string() + " 2>&1");
        return WIFEXITED(result.status) && WEXITSTATUS(result.status) == 0
                   ? result.out
                   : "host run failed: " + result.out;
    }();
    return output;
}

CommandOutput unicorn_run(const std::string& arch, const std::vector<std::string>& args = {},
                          GuestRequest request = {}) {
    request.cwd = "/probe";
    return run_command("env -i " + unicorn_guest_command(request, probe(arch), args) + " 2>&1");
}

class ProcessTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        if (!fs::exists(probe(GetParam())) || !fs::exists(probe("amd64")))
            GTEST_SKIP() << "no compiler for " << GetParam() << ": probe not built";
    }
};

TEST_P(ProcessTest, TheProbeSeesWhatTheHostKernelShows) {
    std::string expected = host_output();
    ASSERT_THAT(expected, HasSubstr("process probe: done")) << expected;
    CommandOutput result = unicorn_run(GetParam());
    EXPECT_TRUE(WIFEXITED(result.status) && WEXITSTATUS(result.status) == 0) << result.out;
    // The kernel's notes (on stderr, here mixed in) say why a call failed
    // where the host kernel says nothing: checked, then left out.
    EXPECT_THAT(result.out, HasSubstr("crossrt-kernel: execve ./not-a-program: "
                                      "/probe/not-a-program is not an ELF file"));
    // Line for line, so that a difference names its call.
    expect_same_lines(expected, without_kernel_notes(result.out));
}

TEST_P(ProcessTest, KillMinusOneSparesTheCaller) {
    CommandOutput result = unicorn_run(GetParam(), {"alone"});
    EXPECT_THAT(result.out, HasSubstr("kill(-1, 0) with no other process: ESRCH")) << result.out;
    EXPECT_THAT(result.out, HasSubstr("process probe: done"));
}

TEST_P(ProcessTest, AForkBombStopsAtTheProcessLimit) {
    CommandOutput result = unicorn_run(GetParam(), {"bomb"});
    EXPECT_TRUE(WIFEXITED(result.status) && WEXITSTATUS(result.status) == 0) << result.out;
    // kMaxProcesses (16) counts the parent.
    EXPECT_THAT(result.out, HasSubstr("fork refused after 15 children: EAGAIN")) << result.out;
    EXPECT_THAT(result.out, HasSubstr("reaped 15 killed children; fork works again: yes"));
}

// An ended process lets its engine and its pages go: 40 children one
// after another fit a memory cap of a few processes (each maps an 8 MiB
// stack), and the run may start far more than the 16 engines it may hold.
TEST_P(ProcessTest, EndedProcessesGiveTheirMemoryBack) {
    GuestRequest request;
    request.max_memory = 48ull << 20;
    CommandOutput result = unicorn_run(GetParam(), {}, request);
    EXPECT_THAT(result.out, HasSubstr("40 children forked and reaped one after another: 40"))
        << result.out;
    EXPECT_THAT(result.out, HasSubstr("process probe: done"));
}

TEST_P(ProcessTest, TheSameSeedGivesTheSameMultiProcessRun) {
    ScratchDir scratch;
    std::string traces[2];
    for (int i = 0; i < 2; ++i) {
        GuestRequest request;
        request.seed = 77;
        request.trace_file = (scratch.path() / ("run" + std::to_string(i))).string();
        CommandOutput result = unicorn_run(GetParam(), {}, request);
        ASSERT_THAT(result.out, HasSubstr("process probe: done")) << result.out;
        traces[i] = read_file(request.trace_file);
    }
    EXPECT_THAT(traces[0], HasSubstr("fork: pid"));
    EXPECT_THAT(traces[0], HasSubstr("execve: pid"));
    EXPECT_EQ(traces[0], traces[1]);
}

INSTANTIATE_TEST_SUITE_P(Arches, ProcessTest, ::testing::Values("amd64", "386", "arm"));

} // namespace
