// Dynamically linked programs under the unicorn kernel: the kernel loads the
// program and its interpreter (PT_INTERP) from the run's tree, ld.so maps
// libc and libm by mmap of the opened files, the program runs threads and
// dlopen. The amd64 probe finds its libraries in the host's /usr, /lib and
// /lib64, bound read-only; the 386 and arm ones in the cross toolchain's
// sysroot (--sysroot /usr/<triplet>). Its output must be the host's run's,
// line for line; the same seed gives the same run, trace and all.
#include "guest_command.h"
#include "kernel_test_support.h"
#include "scratch_dir.h"

#include <filesystem>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
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
    return fs::path(CROSSRT_PROBE_DIR) / ("dynamic_probe-" + arch);
}

// Where each arch's interpreter and libraries are.
std::string sysroot(const std::string& arch) {
    if (arch == "386")
        return "/usr/i686-linux-gnu";
    if (arch == "arm")
        return "/usr/arm-linux-gnueabihf";
    return "";
}

// The host's system directories, read-only (amd64: the host is the sysroot).
std::vector<crossrt::Mount> host_system() {
    std::vector<crossrt::Mount> mounts;
    for (const char* dir : {"/usr", "/lib", "/lib64", "/bin"})
        mounts.push_back({dir, dir, true});
    return mounts;
}

GuestRequest with_libraries(const std::string& arch, GuestRequest request = {}) {
    if (arch == "amd64")
        request.mounts = host_system();
    else
        request.sysroot = sysroot(arch);
    return request;
}

CommandOutput unicorn_run(const std::string& arch, GuestRequest request,
                          const std::vector<std::string>& args = {}) {
    request.cwd = "/probe";
    return run_command("env -i " + unicorn_guest_command(request, probe(arch), args) + " 2>&1");
}

std::string host_output() {
    static const std::string output = [] {
        CommandOutput result = run_command(probe("amd64").string() + " 2>&1");
        return WIFEXITED(result.status) && WEXITSTATUS(result.status) == 0
                   ? result.out
                   : "host run failed: " + result.out;
    }();
    return output;
}

class DynamicTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        if (!fs::exists(probe(GetParam())) || !fs::exists(probe("amd64")))
            GTEST_SKIP() << "no compiler for " << GetParam() << ": probe not built";
        if (!sysroot(GetParam()).empty() && !fs::is_directory(sysroot(GetParam())))
            GTEST_SKIP() << "no sysroot " << sysroot(GetParam()) << " (ci/setup installs it)";
    }
};

TEST_P(DynamicTest, RunsAsOnTheHostKernel) {
    std::string expected = host_output();
    ASSERT_THAT(expected, HasSubstr("dynamic probe: done")) << expected;
    CommandOutput result = unicorn_run(GetParam(), with_libraries(GetParam()));
    EXPECT_TRUE(WIFEXITED(result.status) && WEXITSTATUS(result.status) == 0) << result.out;
    // The kernel's notes (clone3's ENOSYS, which glibc falls back from)
    // are on stderr, here mixed in: left out.
    expect_same_lines(expected, without_kernel_notes(result.out));
}

TEST_P(DynamicTest, TheSameSeedGivesTheSameRun) {
    ScratchDir scratch;
    std::string traces[2];
    for (int i = 0; i < 2; ++i) {
        GuestRequest request = with_libraries(GetParam());
        request.seed = 91;
        request.trace_file = (scratch.path() / ("run" + std::to_string(i))).string();
        CommandOutput result = unicorn_run(GetParam(), request);
        ASSERT_THAT(result.out, HasSubstr("dynamic probe: done")) << result.out;
        traces[i] = read_file(request.trace_file);
    }
    EXPECT_THAT(traces[0], HasSubstr("openat"));
    EXPECT_EQ(traces[0], traces[1]);
}

fs::path missing_interpreter(const std::string& arch) {
    return fs::path(CROSSRT_PROBE_DIR) / ("missing_interpreter-" + arch);
}

TEST_P(DynamicTest, AMissingInterpreterIsNamed) {
    // The first program cannot start, and the kernel says which file it
    // looked for.
    std::string arch = GetParam();
    GuestRequest request = with_libraries(arch);
    CommandOutput result = run_command(
        "env -i " + unicorn_guest_command(request, missing_interpreter(arch)) + " 2>&1");
    EXPECT_FALSE(WIFEXITED(result.status) && WEXITSTATUS(result.status) == 0) << result.out;
    EXPECT_THAT(result.out, HasSubstr("is dynamically linked and its interpreter "
                                      "/lib/no-such-ld.so.1 is not in the guest's file tree"))
        << result.out;
}

TEST_P(DynamicTest, AMissingInterpreterIsEnoentAtExecve) {
    // The probe execs a program whose interpreter is missing: ENOENT, as
    // on Linux, and the caller goes on to say so.
    std::string arch = GetParam();
    GuestRequest request = with_libraries(arch);
    request.mounts.push_back({CROSSRT_PROBE_DIR, "/probes", true});
    std::string target = "/probes/missing_interpreter-" + arch;
    CommandOutput result = unicorn_run(arch, request, {"exec", target});
    EXPECT_THAT(result.out, HasSubstr("execl " + target + ": No such file or directory"))
        << result.out;
}

INSTANTIATE_TEST_SUITE_P(Arches, DynamicTest, ::testing::Values("amd64", "386", "arm"));

// A dynamic amd64 program runs the host's /bin/sh (itself dynamic) by
// execve, with the host's system directories bound read-only.
TEST(DynamicExec, RunsTheHostShell) {
    if (!fs::exists(probe("amd64")) || !fs::exists("/bin/sh"))
        GTEST_SKIP() << "no amd64 probe or no /bin/sh";
    CommandOutput result = unicorn_run("amd64", with_libraries("amd64"), {"sh"});
    EXPECT_TRUE(WIFEXITED(result.status) && WEXITSTATUS(result.status) == 0) << result.out;
    EXPECT_THAT(result.out, HasSubstr("hi from /bin/sh")) << result.out;
}

} // namespace
