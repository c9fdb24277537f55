// What an ordinary user meets in the unicorn kernel's file system, checked
// against the host kernel: the probe (guests/owner_probe.c: permission
// bits, chown, ids and groups, utimensat, RLIMIT_NOFILE, FIFOs, mknod,
// copy_file_range, /etc and /proc) runs on the host as uid 1000 (setpriv,
// in a directory of that user's) and under the unicorn kernel, whose guest
// is user 1000, on three arches; the outputs must match line for line.
#include "guest_command.h"
#include "kernel_test_support.h"
#include "scratch_dir.h"

#include <filesystem>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace {

using crossrt::GuestRequest;
using crossrt::kernel::test::CommandOutput;
using crossrt::kernel::test::expect_same_lines;
using crossrt::kernel::test::run_command;
using crossrt::kernel::test::unicorn_guest_command;
using crossrt::kernel::test::without_kernel_notes;
using crossrt::test::ScratchDir;
using ::testing::HasSubstr;

namespace fs = std::filesystem;

constexpr const char* kDone = "owner probe: done";

fs::path probe(const std::string& arch) {
    return fs::path(CROSSRT_PROBE_DIR) / ("owner_probe-" + arch);
}

// The reference: the amd64 probe on the host kernel as user 1000 (group
// 1000), in a directory of that user's. Switching to it needs root.
CommandOutput host_run() {
    ScratchDir scratch;
    fs::path work = scratch.path() / "work";
    fs::create_directories(work);
    // The user must reach its directory through the scratch one.
    fs::permissions(scratch.path(), fs::perms::others_exec, fs::perm_options::add);
    if (chown(work.c_str(), 1000, 1000) != 0)
        return CommandOutput{-1, "cannot give the scratch directory to uid 1000"};
    return run_command("setpriv --reuid=1000 --regid=1000 --groups=1000 " +
                       probe("amd64").string() + " " + work.string() + " 2>&1");
}

class OwnerTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        if (!fs::exists(probe(GetParam())) || !fs::exists(probe("amd64")))
            GTEST_SKIP() << "no compiler for " << GetParam() << ": probe not built";
    }
};

TEST_P(OwnerTest, AnOrdinaryUserSeesWhatTheHostKernelShowsIt) {
    if (geteuid() != 0)
        GTEST_SKIP() << "the host reference runs the probe as uid 1000, which needs root";
    static const CommandOutput host = host_run();
    ASSERT_TRUE(WIFEXITED(host.status) && WEXITSTATUS(host.status) == 0) << host.out;
    const std::string& expected = host.out;
    ASSERT_THAT(expected, HasSubstr(kDone));
    GuestRequest request;
    request.cwd = "/probe/work";
    CommandOutput result = run_command(
        "env -i " + unicorn_guest_command(request, probe(GetParam()), {"/probe/work"}) + " 2>&1");
    EXPECT_TRUE(WIFEXITED(result.status) && WEXITSTATUS(result.status) == 0) << result.out;
    // Line for line, so that a difference names its call.
    expect_same_lines(expected, without_kernel_notes(result.out));
}

INSTANTIATE_TEST_SUITE_P(Arches, OwnerTest, ::testing::Values("amd64", "386", "arm"));

} // namespace
