// The run's file system (posix/fs.h) through each target's libc: the probe
// (guests/files_probe.c) prints what every call it makes did, without
// inode numbers or times, and its output under the unicorn kernel must be
// the host kernel's, line for line. Then what only the unicorn kernel
// promises: a read-only bind refuses writes with EROFS, nothing reaches
// the host, no path leads outside the binds, and the guest finds its own
// program at /proc/self/exe.
#include "guest_command.h"
#include "kernel_test_support.h"
#include "scratch_dir.h"

#include <algorithm>
#include <filesystem>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sstream>
#include <sys/wait.h>

namespace {

using crossrt::GuestRequest;
using crossrt::Mount;
using crossrt::kernel::test::CommandOutput;
using crossrt::kernel::test::expect_same_lines;
using crossrt::kernel::test::run_command;
using crossrt::kernel::test::unicorn_guest_command;
using crossrt::test::read_file;
using crossrt::test::ScratchDir;
using crossrt::test::write_file;
using ::testing::HasSubstr;
using ::testing::Not;

namespace fs = std::filesystem;

fs::path probe(const std::string& arch) {
    return fs::path(CROSSRT_PROBE_DIR) / ("files_probe-" + arch);
}

// DATA as the probe wants it.
void make_data(const fs::path& data) {
    fs::create_directories(data / "sub");
    write_file(data / "hello.txt", "hello, files\n");
}

// The probe on the host kernel (amd64), in a scratch directory: the
// reference every arch is held to.
std::string host_output() {
    static const std::string output = [] {
        ScratchDir scratch;
        make_data(scratch.path() / "data");
        fs::create_directories(scratch.path() / "work");
        // The probe prints the data path it was given, ../D both ways.
        fs::create_directory_symlink(scratch.path() / "data", scratch.path() / "D");
        CommandOutput result = run_command("cd " + scratch.path().string() + " && umask 022 && " +
                                           probe("amd64").string() + " ../D work 2>&1");
        return WIFEXITED(result.status) && WEXITSTATUS(result.status) == 0
                   ? result.out
                   : "host run failed: " + result.out;
    }();
    return output;
}

CommandOutput unicorn_output(const std::string& arch, const fs::path& data,
                             std::vector<std::string> args = {"../D", "/probe/work"}) {
    // Away from the program's own path, which the tree shows too (the
    // build directory's, below /work here).
    GuestRequest request;
    request.mounts = {Mount{data.string(), "/probe/D", true}};
    request.cwd = "/probe/work";
    return run_command("env -i " + unicorn_guest_command(request, probe(arch), args) + " 2>&1");
}

class FilesTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        if (!fs::exists(probe(GetParam())) || !fs::exists(probe("amd64")))
            GTEST_SKIP() << "no compiler for " << GetParam() << ": probe not built";
    }
};

TEST_P(FilesTest, TheProbeSeesWhatTheHostKernelShows) {
    std::string expected = host_output();
    ASSERT_THAT(expected, HasSubstr("files probe: done")) << expected;
    ScratchDir scratch;
    make_data(scratch.path() / "data");
    CommandOutput result = unicorn_output(GetParam(), scratch.path() / "data");
    EXPECT_TRUE(WIFEXITED(result.status) && WEXITSTATUS(result.status) == 0) << result.out;
    // Line for line, so that a difference names its call.
    expect_same_lines(expected, result.out);
}

TEST_P(FilesTest, ARunWritesNothingToTheHostAndAReadOnlyBindRefusesWrites) {
    ScratchDir scratch;
    fs::path data = scratch.path() / "data";
    make_data(data);
    GuestRequest request;
    request.mounts = {Mount{data.string(), "/ro", true}, Mount{data.string(), "/rw", false}};
    request.cwd = "/work";
    // The probe, with its writes aimed at the binds: the read-only one must
    // refuse, the writable one keeps the changes in memory.
    CommandOutput ro = run_command(
        "env -i " + unicorn_guest_command(request, probe(GetParam()), {"/ro", "/ro"}) + " 2>&1");
    EXPECT_THAT(ro.out, HasSubstr("open new: EROFS")) << ro.out;
    EXPECT_THAT(ro.out, HasSubstr("mkdir: EROFS")) << ro.out;
    CommandOutput rw = run_command(
        "env -i " + unicorn_guest_command(request, probe(GetParam()), {"/rw", "/rw"}) + " 2>&1");
    EXPECT_THAT(rw.out, HasSubstr("open new: ok")) << rw.out;
    EXPECT_THAT(rw.out, HasSubstr("files probe: done")) << rw.out;
    // The host directory is as it was.
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(data))
        names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    EXPECT_EQ(names, (std::vector<std::string>{"hello.txt", "sub"}));
    EXPECT_EQ(read_file(data / "hello.txt"), "hello, files\n");
}

INSTANTIATE_TEST_SUITE_P(Arches, FilesTest, ::testing::Values("amd64", "386", "arm"));

TEST(FilesTreeTest, NoPathLeadsOutOfABind) {
    if (!fs::exists(probe("amd64")))
        GTEST_SKIP() << "probe not built";
    ScratchDir scratch;
    fs::path data = scratch.path() / "data";
    make_data(data);
    fs::create_directories(scratch.path() / "secret");
    write_file(scratch.path() / "secret/hello.txt", "host secret\n");
    // Host symlinks inside the bind that point out of it: resolved in the
    // guest's tree, where neither target exists.
    fs::create_directory_symlink(scratch.path() / "secret", data / "escape");
    fs::create_directory_symlink("../secret", data / "escape2");
    GuestRequest request;
    request.mounts = {Mount{data.string(), "/D", true}};
    request.cwd = "/work";
    CommandOutput result = run_command(
        "env -i " + unicorn_guest_command(request, probe("amd64"), {"/D/escape", "/work"}) +
        " 2>&1");
    EXPECT_THAT(result.out, Not(HasSubstr("host secret")));
    EXPECT_THAT(result.out, HasSubstr("read /D/escape/hello.txt: ENOENT")) << result.out;
    result = run_command("env -i " +
                         unicorn_guest_command(request, probe("amd64"), {"/D/escape2", "/work"}) +
                         " 2>&1");
    EXPECT_THAT(result.out, Not(HasSubstr("host secret")));
    EXPECT_THAT(result.out, HasSubstr("read /D/escape2/hello.txt: ENOENT")) << result.out;
}

} // namespace
