#include "backend/backend.h"
#include "backend/guest_root.h"
#include "backend/sandbox.h"
#include "backend/sandbox_child.h"
#include "cli/context.h"
#include "target/host.h"
#include "test_support.h"

#include <chrono>
#include <elf.h>
#include <filesystem>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace crossrt {
namespace {

using ::testing::HasSubstr;

SandboxRequest shell(const std::string& script, double timeout_s = 10) {
    SandboxRequest request;
    request.argv = {"/bin/sh", "-c", script};
    request.timeout_s = timeout_s;
    request.readable = {"/bin/sh"};
    return request;
}

TEST(Sandbox, ExitStatusAndOutput) {
    auto result = run_sandboxed(shell("echo out; echo err >&2; exit 7"));
    EXPECT_EQ(result.outcome.end, EndKind::exited) << result.outcome.detail;
    EXPECT_EQ(result.outcome.exit_code(), 7);
    EXPECT_FALSE(result.outcome.signal());
    EXPECT_EQ(result.outcome.out, "out\n");
    EXPECT_EQ(result.outcome.err, "err\n");
    EXPECT_GT(result.outcome.duration_s, 0);
}

// The guest's CPU time comes from its supervisor's wait4, children
// included: a busy child counts, a sleep does not.
TEST(Sandbox, GuestCpuTimeIsItsOwnAndItsChildren) {
    auto busy =
        run_sandboxed(shell("(i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done); echo done", 60));
    ASSERT_EQ(busy.outcome.end, EndKind::exited) << busy.outcome.detail;
    EXPECT_GT(busy.outcome.cpu_s, 0.05);
    EXPECT_LE(busy.outcome.cpu_s, busy.outcome.duration_s * 2 + 0.05);
    auto idle = run_sandboxed(shell("sleep 0.5"));
    ASSERT_EQ(idle.outcome.end, EndKind::exited) << idle.outcome.detail;
    EXPECT_GE(idle.outcome.duration_s, 0.5);
    EXPECT_LT(idle.outcome.cpu_s, 0.2);
}

TEST(Sandbox, ReportChannelIsFd3AndKeepsStderrClean) {
    SandboxRequest request = shell("echo '{\"verdict\":\"deadlock\"}' >&3; echo err >&2; exit 125");
    request.report_channel = true;
    auto result = run_sandboxed(request);
    EXPECT_EQ(result.outcome.exit_code(), 125);
    EXPECT_EQ(result.report, "{\"verdict\":\"deadlock\"}\n");
    EXPECT_EQ(result.outcome.err, "err\n");
    // Without the channel, fd 3 is closed in the guest.
    auto closed = run_sandboxed(shell("echo x >&3 || echo closed"));
    EXPECT_EQ(closed.outcome.out, "closed\n");
    EXPECT_TRUE(closed.report.empty());
}

// A sweep's reports arrive line by line while the guest runs, and the
// caller can stop it at a line (the seed that settled the verdict).
TEST(Sandbox, ReportLinesStreamAndTheCallerCanStopTheGuest) {
    SandboxRequest request =
        shell("for i in 1 2 3 4 5 6 7 8 9 10; do echo \"line $i\" >&3; sleep 0.2; done");
    request.report_channel = true;
    std::vector<std::string> lines;
    request.report_line = [&](const std::string& line) {
        lines.push_back(line);
        return lines.size() < 2;
    };
    auto start = std::chrono::steady_clock::now();
    auto result = run_sandboxed(request);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_TRUE(result.stopped_by_caller);
    EXPECT_EQ(result.outcome.end, EndKind::interrupted);
    EXPECT_EQ(lines, (std::vector<std::string>{"line 1", "line 2"}));
    EXPECT_LT(seconds, 1.5); // stopped at line 2, not after all ten
    EXPECT_TRUE(result.report.empty());

    // Without a stop, every line, the last ones read after the end too.
    SandboxRequest all = shell("echo a >&3; echo b >&3; printf c >&3; echo >&3");
    all.report_channel = true;
    std::vector<std::string> seen;
    all.report_line = [&](const std::string& line) {
        seen.push_back(line);
        return true;
    };
    auto finished = run_sandboxed(all);
    EXPECT_FALSE(finished.stopped_by_caller);
    EXPECT_EQ(finished.outcome.exit_code(), 0);
    EXPECT_EQ(seen, (std::vector<std::string>{"a", "b", "c"}));
}

TEST(Sandbox, TerminatingSignal) {
    auto result = run_sandboxed(shell("kill -SEGV $$"));
    EXPECT_EQ(result.outcome.signal(), SIGSEGV);
    EXPECT_FALSE(result.outcome.exit_code());
}

TEST(Sandbox, CleanEnvironmentAndPrivateTempDir) {
    SandboxRequest request =
        shell("echo \"$PATH|$LANG|$EXTRA|$HOSTONLY\"; test \"$PWD\" = \"$HOME\" && "
              "test \"$TMPDIR\" = \"$HOME\" && echo data > file && cat file && pwd");
    request.env = {{"EXTRA", "x"}};
    setenv("HOSTONLY", "leaked", 1);
    auto result = run_sandboxed(request);
    unsetenv("HOSTONLY");
    EXPECT_EQ(result.outcome.exit_code(), 0) << result.outcome.err;
    ASSERT_THAT(result.outcome.out, HasSubstr("/usr/bin:/bin|C|x|\ndata\n"));
    std::string dir = result.outcome.out.substr(result.outcome.out.rfind("data\n") + 5);
    dir.pop_back();
    // With a mount namespace the temp dir is the guest's /tmp, else it is
    // reached by its own path.
    if (dir != "/tmp") {
        EXPECT_THAT(dir, HasSubstr("crossrt-"));
    }
    EXPECT_FALSE(std::filesystem::exists(dir) && dir != "/tmp")
        << "the temp dir must be removed afterwards";
}

TEST(Sandbox, TheGuestsTmpIsItsOwn) {
    if (!sandbox_support().namespaces)
        GTEST_SKIP() << "no namespaces here: the guest keeps the host's /tmp, behind Landlock";
    auto result = run_sandboxed(shell("echo $TMPDIR; pwd; touch /tmp/probe && ls /tmp"));
    EXPECT_EQ(result.outcome.exit_code(), 0) << result.outcome.err;
    // /tmp holds only what the guest made.
    EXPECT_EQ(result.outcome.out, "/tmp\n/tmp\nprobe\n");
}

// As nanoseconds 1e10 s overflows the clock: the deadline wrapped into the
// past and the guest "timed out after 0.0s". A sweep's server limit (the
// timeout times the seeds) gets there from valid options.
TEST(Sandbox, ATimeoutTooLongForTheClockIsNoLimit) {
    auto result = run_sandboxed(shell("echo ran", 1e10));
    EXPECT_EQ(result.outcome.end, EndKind::exited) << describe_outcome(result.outcome);
    EXPECT_EQ(result.outcome.out, "ran\n");
}

TEST(Sandbox, StdinIsDevNull) {
    auto result = run_sandboxed(shell("cat; echo end"));
    EXPECT_EQ(result.outcome.out, "end\n");
}

TEST(Sandbox, TimeoutKillsTheWholeGroupIncludingBackgroundedGrandchild) {
    test::ScratchDir dir;
    auto marker = dir.path() / "grandchild-ran";
    SandboxRequest request =
        shell("(sleep 1; echo late > " + marker.string() + ") & sleep 30", 0.3);
    request.writable_dirs = {dir.path().string()};
    auto start = std::chrono::steady_clock::now();
    auto result = run_sandboxed(request);
    double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(result.outcome.end, EndKind::timeout);
    EXPECT_FALSE(result.outcome.exit_code());
    EXPECT_LT(elapsed, 3.0);
    EXPECT_NEAR(result.outcome.duration_s, 0.3, 0.25);
    // Had the grandchild survived, it would write the marker after 1 s.
    usleep(1300 * 1000);
    EXPECT_FALSE(std::filesystem::exists(marker));
}

TEST(Sandbox, BackgroundedChildDoesNotOutliveANormalExit) {
    auto start = std::chrono::steady_clock::now();
    auto result = run_sandboxed(shell("sleep 30 & echo parent done"));
    double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(result.outcome.exit_code(), 0);
    EXPECT_EQ(result.outcome.out, "parent done\n");
    EXPECT_LT(elapsed, 5.0);
}

TEST(Sandbox, OutputCap) {
    SandboxRequest request = shell("while :; do echo xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; done");
    request.limits.output_bytes = 64 * 1024;
    auto result = run_sandboxed(request);
    EXPECT_EQ(result.outcome.end, EndKind::output_limit);
    EXPECT_EQ(result.outcome.out.size(), 64u * 1024u);
    EXPECT_EQ(describe_outcome(result.outcome), "output limit exceeded");
}

TEST(Sandbox, RefusesWritingOutsideItsTempDir) {
    if (sandbox_support().landlock_abi == 0)
        GTEST_SKIP() << "Landlock is unavailable on this kernel";
    test::ScratchDir dir;
    auto outside = dir.path() / "outside";
    auto result = run_sandboxed(shell("echo x > " + outside.string() + " || exit 9; exit 0"));
    EXPECT_EQ(result.outcome.exit_code(), 9) << result.outcome.err;
    EXPECT_FALSE(std::filesystem::exists(outside));
    // Reading a file outside the allowed paths is refused too.
    test::write_file(dir.path() / "secret", "s");
    auto read = run_sandboxed(shell("cat " + (dir.path() / "secret").string()));
    EXPECT_NE(read.outcome.exit_code(), 0);
    EXPECT_EQ(read.outcome.out, "");
    // /dev/null stays writable.
    EXPECT_EQ(run_sandboxed(shell("echo x > /dev/null")).outcome.exit_code(), 0);
}

TEST(Sandbox, GuestCannotSeeHostPids) {
    if (!sandbox_support().namespaces)
        GTEST_SKIP() << "no pid namespaces here";
    std::string host_pid = std::to_string(getpid());
    auto result =
        run_sandboxed(shell("echo $$; test -e /proc/" + host_pid + " && echo visible; kill -0 " +
                            host_pid + " 2>/dev/null && echo killable; exit 0"));
    EXPECT_EQ(result.outcome.out, "2\n"); // pid 2: not init, so signals behave normally
}

TEST(Sandbox, TheGuestIsAnUnprivilegedUserInARootOfItsOwn) {
    if (!sandbox_support().namespaces)
        GTEST_SKIP() << "no user namespaces here";
    auto result = run_sandboxed(
        shell("id -u; grep CapEff /proc/self/status; hostname; for p in /etc/passwd /root /home "
              "/var /run; do test -e $p && echo $p visible; done; exit 0"));
    EXPECT_EQ(result.outcome.exit_code(), 0) << result.outcome.err;
    EXPECT_EQ(result.outcome.out, "1000\nCapEff:\t0000000000000000\ncrossrt\n");
}

// Go's tests listen on "localhost:0": the root has an /etc/hosts of its
// own (the unicorn kernel's tree has the same), and the guest may read it.
TEST(Sandbox, TheGuestsRootNamesLocalhost) {
    if (!sandbox_support().namespaces)
        GTEST_SKIP() << "no mount namespaces here";
    auto result = run_sandboxed(shell("cat /etc/hosts"));
    EXPECT_EQ(result.outcome.exit_code(), 0) << result.outcome.err;
    EXPECT_EQ(result.outcome.out, "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n");
}

TEST(Sandbox, TheGuestsTmpIsATmpfsThatVanishesWithIt) {
    if (!sandbox_support().namespaces)
        GTEST_SKIP() << "no mount namespaces here";
    auto result = run_sandboxed(
        shell("echo x > /tmp/file && grep ' /tmp ' /proc/self/mountinfo | wc -l; stat -f -c %T "
              "/tmp; pwd"));
    EXPECT_EQ(result.outcome.exit_code(), 0) << result.outcome.err;
    // /tmp is a directory of the root's tmpfs, not a mount of the host's.
    EXPECT_EQ(result.outcome.out, "0\ntmpfs\n/tmp\n");
}

TEST(Sandbox, TheSecurityModelShowsTheSeccompFilterAsItIs) {
    // Regenerate with `build/bin/crossrt sandbox --markdown`.
    std::string doc =
        test::read_file(std::filesystem::path(CROSSRT_TEST_SOURCE_DIR) / "docs/security-model.md");
    EXPECT_THAT(doc, HasSubstr(seccomp_markdown()));
}

TEST(GuestRoot, ParentsFirstAndWhatAnotherBindCoversLeftOut) {
    test::ScratchDir dir;
    std::filesystem::path base = dir.path();
    std::filesystem::create_directories(base / "a/w");
    test::write_file(base / "a/file", "x");
    std::filesystem::create_directory_symlink("a", base / "link");
    using Access = GuestRoot::Access;
    GuestRoot root;
    root.add((base / "a/w").string(), Access::writable, true);     // inside a read-only bind: kept
    root.add((base / "a/file").string(), Access::read_only, true); // covered by a
    root.add((base / "a").string(), Access::read_only, true);
    root.add((base / "link").string(), Access::read_only, true); // a symlink, its target covered
    root.add((base / "missing").string(), Access::read_only, true);
    root.add("/", Access::read_only, true); // never the host's whole root
    IdMapping guest{kGuestUid, geteuid(), kGuestGid, getegid()};
    root.finish(guest, 1 << 20);
    EXPECT_EQ(root.describe(), (std::vector<std::string>{
                                   "ro " + (base / "a").string(), "rw " + (base / "a/w").string(),
                                   "link " + (base / "link").string() + " -> a"}));
    // Another host user than the guest's owns them: idmapped.
    GuestRoot other;
    other.add((base / "a").string(), Access::read_only, true);
    other.add("/usr", Access::read_only, false); // a system path keeps its owners
    other.finish(IdMapping{kGuestUid, geteuid() + 1, kGuestGid, getegid() + 1}, 1 << 20);
    EXPECT_EQ(other.describe(),
              (std::vector<std::string>{"ro " + (base / "a").string() + " (idmapped)", "ro /usr"}));
}

TEST(Sandbox, ExecFailureIsReported) {
    test::ScratchDir dir;
    test::write_file(dir.path() / "garbage",
                     "\x7f"
                     "ELFnot really",
                     true);
    SandboxRequest request;
    request.argv = {(dir.path() / "garbage").string()};
    request.readable = request.argv;
    auto result = run_sandboxed(request);
    EXPECT_EQ(result.exec_errno, ENOEXEC);
    ASSERT_EQ(result.outcome.end, EndKind::error);
    EXPECT_THAT(result.outcome.detail, HasSubstr("Exec format error"));
}

TEST(Sandbox, CancelKillsTheGuest) {
    std::atomic<bool> cancel{true};
    SandboxRequest request = shell("sleep 30");
    request.cancel = &cancel;
    auto start = std::chrono::steady_clock::now();
    auto result = run_sandboxed(request);
    EXPECT_EQ(result.outcome.end, EndKind::interrupted);
    EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 3);
}

TEST(NativeBackend, StaticSkips) {
    const Backend* native = find_backend("native");
    ASSERT_NE(native, nullptr);
    Target arm{"arm", "linux", "", "qemu-arm", "", "", {}};
    Target i386{"386", "linux", "", "qemu-i386", "", "", {}};
    Target amd64{"amd64", "linux", "", "qemu-x86_64", "", "", {}};
    // crossrt runs on amd64 hosts only (supported_host_arches), which never
    // execute arm: the matrix leaves native arm out. 386 is this host's
    // kernel's to refuse (the next test), so it stays a cell.
    EXPECT_EQ(native->never_runs(arm), "no host crossrt runs on (amd64) executes arm binaries "
                                       "itself");
    EXPECT_EQ(native->cannot_run(arm), native->never_runs(arm));
    EXPECT_FALSE(native->never_runs(i386));
    EXPECT_FALSE(native->cannot_run(i386));
    EXPECT_FALSE(native->never_runs(amd64));
    EXPECT_FALSE(native->cannot_run(amd64));
    Target netbsd{"amd64", "netbsd", "", "", "", "", {}};
    EXPECT_EQ(native->never_runs(netbsd),
              "crossrt runs on linux hosts only, which cannot execute netbsd binaries");
    EXPECT_TRUE(native->cannot_run(netbsd));
}

TEST(Host, WhichArchesAHostExecutes) {
    EXPECT_TRUE(arch_may_execute("amd64", "amd64"));
    EXPECT_TRUE(arch_may_execute("amd64", "386"));
    EXPECT_FALSE(arch_may_execute("amd64", "arm"));
    EXPECT_TRUE(arch_may_execute("arm", "arm"));
    EXPECT_FALSE(arch_may_execute("386", "amd64"));
}

TEST(NativeBackend, A386BinaryTheKernelRefusesIsASkip) {
    const Backend* native = find_backend("native");
    Target i386{"386", "linux", "", "qemu-i386", "", "", {}};
    // A complete 386 executable, which only a kernel without IA-32
    // emulation refuses (a broken file is an error: the next test).
    test::ScratchDir dir;
    test::write_file(dir.path() / "not-runnable", test::static_executable(EM_386), true);
    pid_t child = fork();
    if (child == 0) {
        char* argv[] = {nullptr};
        execve((dir.path() / "not-runnable").c_str(), argv, argv);
        _exit(errno == ENOEXEC ? 0 : 1);
    }
    int status = 0;
    waitpid(child, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        GTEST_SKIP() << "this host's kernel executes 386 binaries (IA-32 emulation)";
    RunRequest request;
    request.target = i386;
    request.binary = (dir.path() / "not-runnable").string();
    request.timeout_s = 5;
    Outcome outcome = native->run(request);
    ASSERT_EQ(outcome.end, EndKind::skip) << describe_outcome(outcome);
    EXPECT_EQ(outcome.detail, "host cannot execute 386 (execve: Exec format error)");
}

// execve refuses a cut file with ENOEXEC, as it does a foreign arch: the
// file's fault, so an error naming it, not a skip for the arch.
TEST(NativeBackend, ATruncatedElfIsAnErrorNamingTheFile) {
    const Backend* native = find_backend("native");
    test::ScratchDir dir;
    std::string whole = test::static_executable(EM_X86_64, std::string(83, '\x90'));
    for (std::size_t length : {4, 40, 100}) {
        auto path = dir.path() / ("cut" + std::to_string(length));
        test::write_file(path, whole.substr(0, length), true);
        RunRequest request;
        request.target = Target{"amd64", "linux", "", "qemu-x86_64", "", "", {}};
        request.binary = path.string();
        request.timeout_s = 5;
        Outcome outcome = native->run(request);
        EXPECT_EQ(outcome.end, EndKind::error) << length << ": " << describe_outcome(outcome);
        EXPECT_THAT(outcome.detail, HasSubstr(path.string() + " is not a complete ELF file: "))
            << length;
    }
}

// The register line qemu's own qemu-binfmt-conf.sh would write for arm
// (any OS ABI, ET_EXEC or ET_DYN), with P (argv[0] kept) and F (opened at
// registration).
TEST(Binfmt, QemuArmIsRegisteredForArmExecutablesWithPreservedArgv0) {
    auto arm = qemu_interpreter("arm", "/usr/bin/qemu-arm");
    ASSERT_TRUE(arm);
    EXPECT_EQ(register_line(*arm),
              ":crossrt-qemu-arm:M::"
              "\\x7f\\x45\\x4c\\x46\\x01\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00"
              "\\x02\\x00\\x28\\x00:"
              "\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff"
              "\\xfe\\xff\\xff\\xff:/usr/bin/qemu-arm:PF");
    auto amd64 = qemu_interpreter("amd64", "/usr/bin/qemu-x86_64");
    ASSERT_TRUE(amd64);
    EXPECT_EQ(amd64->magic.substr(0, 5), "\x7f"
                                         "ELF\x02");
    EXPECT_EQ(amd64->magic.substr(18), std::string("\x3e\x00", 2));
    EXPECT_FALSE(qemu_interpreter("mips", "/usr/bin/qemu-mips"));
}

// A kernel before 6.7 refuses binfmt_misc in a user namespace (EPERM): the
// reason names the kernel and the version that allows it.
TEST(Binfmt, AKernelThatRefusesItSaysWhichAndWhy) {
    EXPECT_EQ(describe_binfmt_refusal(BinfmtStep::mount, EPERM, "6.1.0-28-amd64"),
              "this kernel (Linux 6.1.0-28-amd64) refused to mount binfmt_misc in a user "
              "namespace (Operation not permitted; Linux 6.7 and later allow it)");
    EXPECT_EQ(describe_binfmt_refusal(BinfmtStep::mount, ENODEV, "6.8.0"),
              "this kernel (Linux 6.8.0) has no binfmt_misc");
    EXPECT_EQ(describe_binfmt_refusal(BinfmtStep::register_entry, EACCES, "6.8.0"),
              "this kernel (Linux 6.8.0) refused a binfmt_misc registration in a user namespace "
              "(Permission denied)");
    EXPECT_EQ(describe_binfmt_refusal(BinfmtStep::none, 0, "6.18"), "");
}

// Under qemu, a guest of an arch the host executes re-executes itself on the
// host's kernel; one the host cannot execute needs binfmt_misc, and says why
// where there is none.
TEST(QemuBackend, ReexecNeedsBinfmtMiscOnlyForAForeignArch) {
    const Backend* qemu = find_backend("qemu");
    ASSERT_NE(qemu, nullptr);
    EXPECT_FALSE(qemu->cannot_reexec(Target{"amd64", "linux", "", "qemu-x86_64", "", "", {}}));
    EXPECT_FALSE(qemu->cannot_reexec(Target{"386", "linux", "", "qemu-i386", "", "", {}}));
    auto arm = qemu->cannot_reexec(Target{"arm", "linux", "", "qemu-arm", "", "", {}});
    if (sandbox_support().binfmt_misc) {
        EXPECT_FALSE(arm) << *arm;
    } else {
        ASSERT_TRUE(arm);
        EXPECT_THAT(*arm, HasSubstr("only through binfmt_misc"));
        EXPECT_THAT(*arm, HasSubstr(sandbox_support().binfmt_why_not));
    }
    // A target qemu cannot run at all: cannot_run's skip says why, not this.
    EXPECT_FALSE(qemu->cannot_reexec(Target{"arm", "netbsd", "", "", "arm", "arm", {}}));
    EXPECT_FALSE(find_backend("native")->cannot_reexec(
        Target{"amd64", "linux", "", "qemu-x86_64", "", "", {}}));
    EXPECT_FALSE(
        find_backend("unicorn")->cannot_reexec(Target{"arm", "netbsd", "", "", "arm", "arm", {}}));
}

TEST(QemuBackend, MissingQemuIsAnErrorNamingThePackage) {
    const Backend* qemu = find_backend("qemu");
    ASSERT_NE(qemu, nullptr);
    Target fake{"arm", "linux", "", "qemu-does-not-exist", "", "", {}};
    RunRequest request;
    request.target = fake;
    request.binary = "/bin/true";
    Outcome outcome = qemu->run(request);
    ASSERT_EQ(outcome.end, EndKind::error);
    EXPECT_THAT(outcome.detail, HasSubstr("qemu-does-not-exist not found in PATH (install the "
                                          "package qemu-user)"));
    EXPECT_TRUE(qemu->cannot_run(Target{"arm", "netbsd", "", "", "", "", {}}));
    EXPECT_EQ(qemu->never_runs(Target{"arm", "netbsd", "", "", "", "", {}}),
              "qemu-user runs only Linux guests, not netbsd");
    EXPECT_FALSE(qemu->never_runs(fake));
}

TEST(QemuBackend, RunsAnAmd64BinaryWhenQemuIsInstalled) {
    if (access("/usr/bin/qemu-x86_64", X_OK) != 0)
        GTEST_SKIP() << "qemu-user is not installed";
    RunRequest request;
    request.target = Target{"amd64", "linux", "", "qemu-x86_64", "", "", {}};
    request.binary = "/bin/sh"; // dynamic: qemu needs the host's loader and libraries
    request.args = {"-c", "echo via qemu; exit 4"};
    request.timeout_s = 20;
    Outcome outcome = find_backend("qemu")->run(request);
    EXPECT_EQ(outcome.exit_code(), 4) << describe_outcome(outcome) << outcome.err;
    EXPECT_EQ(outcome.out, "via qemu\n");
}

} // namespace
} // namespace crossrt
