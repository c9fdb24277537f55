// The hostile-guest corpus through `crossrt exec` (issue 13): each guest
// attacks the host, and the test checks from outside the sandbox that it
// got its verdict in bounded time, left no process, cgroup or temp file
// behind, and did not touch the host. Guests print what they saw; the
// tests believe only what the host shows.
#include "outside.h"
#include "scratch_dir.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <regex>
#include <stddef.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

namespace crossrt::test {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

// Runs that must end by themselves end within this (a hang detector, not a
// performance check: they take a second or two).
constexpr double kBound_s = 60;
// How long the host may take to reap a killed tree.
constexpr double kReapBound_s = 10;

class Hostile : public ::testing::Test {
protected:
    // crossrt exec OPTIONS -- GUEST ARGS... MARKER, to its end.
    std::unique_ptr<Crossrt> exec(std::vector<std::string> options, const fs::path& guest,
                                  std::vector<std::string> args) {
        options.insert(options.begin(), "exec");
        options.push_back("--");
        options.push_back(guest.string());
        options.insert(options.end(), args.begin(), args.end());
        options.push_back(marker);
        auto run = std::make_unique<Crossrt>(options, scratch.path());
        EXPECT_TRUE(run->wait(kBound_s)) << "crossrt exec did not end in " << kBound_s << " s";
        return run;
    }
    fs::path guest(const std::string& name, const std::string& arch = "amd64") {
        auto path = hostile_guest(name, arch);
        if (!path)
            throw std::runtime_error(name + " was not built for " + arch);
        return *path;
    }
    // Nothing of the run on the host: no process (crossrt's own, which have
    // the marker in their arguments too, included), no cgroup, no temp file.
    void expect_nothing_left(const Crossrt& run) {
        EXPECT_TRUE(none_left(marker, kReapBound_s))
            << processes_with(marker).size() << " processes of the run are left";
        EXPECT_THAT(leftover_cgroups(run.pid()), ::testing::IsEmpty());
        EXPECT_TRUE(fs::is_empty(run.temp_dir())) << "crossrt left files in its TMPDIR";
    }
    bool namespaces() const { return sandbox_info().at("namespaces").rfind("user", 0) == 0; }

    ScratchDir scratch;
    std::string marker = unique_marker();
};

// A case that does not apply here is a visible skip, with the reason.
#define REQUIRE_GUEST(name, arch)                                                                  \
    do {                                                                                           \
        if (!hostile_guest(name, arch)) {                                                          \
            GTEST_SKIP() << name << " was not built for " << arch << " (no cross compiler)";       \
        }                                                                                          \
    } while (false)
#define REQUIRE_QEMU(arch)                                                                         \
    do {                                                                                           \
        if (!has_qemu(arch)) {                                                                     \
            GTEST_SKIP() << "qemu-user for " << arch << " is not installed";                       \
        }                                                                                          \
    } while (false)
// A task cap that holds: the pids cgroup, or RLIMIT_NPROC in the guest's
// user namespace (without one, RLIMIT_NPROC spares a root crossrt's guest).
#define REQUIRE_TASK_CAP()                                                                         \
    do {                                                                                           \
        if (!caps_by_cgroup("tasks_cap") && !namespaces()) {                                       \
            GTEST_SKIP() << "no task cap that holds here: " << sandbox_info().at("tasks_cap");     \
        }                                                                                          \
    } while (false)
#define REQUIRE_NAMESPACES()                                                                       \
    do {                                                                                           \
        if (!namespaces()) {                                                                       \
            GTEST_SKIP() << "no namespaces here: " << sandbox_info().at("namespaces");             \
        }                                                                                          \
    } while (false)
#define REQUIRE_CGROUP(key)                                                                        \
    do {                                                                                           \
        if (!caps_by_cgroup(key)) {                                                                \
            GTEST_SKIP() << "no cgroup for it here: " << key << " is " << sandbox_info().at(key);  \
        }                                                                                          \
    } while (false)

TEST_F(Hostile, SharedMemoryPastTheCapEndsWithTheMemoryVerdict) {
    REQUIRE_CGROUP("memory_cap");
    auto run = exec({"--memory", "64"}, guest("shared_hog"), {"1024"});
    EXPECT_EQ(run->status(), 137) << run->err();
    EXPECT_THAT(run->err(), HasSubstr("memory cap of 64 MiB reached: the kernel killed"));
    EXPECT_THAT(run->out(), HasSubstr("touched 16 MiB\n"));
    EXPECT_THAT(run->out(), Not(HasSubstr("touched 128 MiB")));
    expect_nothing_left(*run);
}

TEST_F(Hostile, ProcessesEachUnderAProcessCapTogetherReachTheCap) {
    REQUIRE_CGROUP("memory_cap");
    // 4 x 40 MiB: each below 64, together above 96.
    auto run = exec({"--memory", "96"}, guest("process_hogs"), {"4", "40"});
    EXPECT_EQ(run->status(), 137) << run->err();
    EXPECT_THAT(run->err(), HasSubstr("memory cap of 96 MiB reached"));
    EXPECT_THAT(run->out(), Not(HasSubstr("all children ended")));
    expect_nothing_left(*run);
}

TEST_F(Hostile, QemuOutOfMemoryEndsWithTheMemoryVerdictWithoutATimeout) {
    REQUIRE_CGROUP("memory_cap");
    REQUIRE_QEMU("arm");
    REQUIRE_GUEST("shared_hog", "arm");
    // No --timeout: the cap alone must end it (it spun forever at 94% CPU).
    auto run = exec({"--backend", "qemu", "--memory", "64"}, guest("shared_hog", "arm"), {"4096"});
    EXPECT_EQ(run->status(), 137) << run->err();
    // qemu's own 512 MiB come on top of the guest's 64.
    EXPECT_THAT(run->err(), HasSubstr("memory cap of 576 MiB reached"));
    expect_nothing_left(*run);
}

TEST_F(Hostile, ForkBombIsBoundedByTheTaskCap) {
    REQUIRE_TASK_CAP();
    auto run = exec({"--tasks", "32", "--timeout", "2"}, guest("fork_bomb"), {});
    EXPECT_EQ(run->status(), 124) << run->err();
    EXPECT_THAT(run->err(), HasSubstr("guest timed out after 2.0s"));
    if (caps_by_cgroup("tasks_cap")) {
        EXPECT_THAT(run->err(), HasSubstr("(the task cap of 32 refused"));
    }
    expect_nothing_left(*run);
}

TEST_F(Hostile, QemuForkBombIsBoundedByTheTaskCap) {
    REQUIRE_TASK_CAP();
    REQUIRE_QEMU("arm");
    REQUIRE_GUEST("fork_bomb", "arm");
    auto run = exec({"--backend", "qemu", "--tasks", "16", "--timeout", "2"},
                    guest("fork_bomb", "arm"), {});
    EXPECT_EQ(run->status(), 124) << run->err();
    if (caps_by_cgroup("tasks_cap")) {
        EXPECT_THAT(run->err(), HasSubstr("(the task cap of 16 refused"));
    }
    expect_nothing_left(*run);
}

// "threads N refused REASON": how many the guest got before one was refused.
int threads_made(const std::string& out) {
    std::smatch match;
    if (!std::regex_search(out, match, std::regex("threads ([0-9]+) refused (.*)")))
        return -1;
    EXPECT_EQ(match[2].str(), "Resource temporarily unavailable");
    return std::stoi(match[1].str());
}

TEST_F(Hostile, ThreadBombIsRefusedAtTheTaskCap) {
    REQUIRE_TASK_CAP();
    auto run = exec({"--tasks", "32"}, guest("thread_bomb"), {});
    EXPECT_EQ(run->status(), 0) << run->err();
    int threads = threads_made(run->out());
    EXPECT_GE(threads, 1) << run->out();
    EXPECT_LT(threads, 32);
    if (caps_by_cgroup("tasks_cap")) {
        EXPECT_THAT(run->err(), HasSubstr("the task cap of 32 refused"));
    }
    expect_nothing_left(*run);
}

TEST_F(Hostile, QemuThreadBombIsRefusedAtTheTaskCap) {
    REQUIRE_TASK_CAP();
    REQUIRE_QEMU("arm");
    REQUIRE_GUEST("thread_bomb", "arm");
    // It ended as "guest killed by signal SIGTRAP" without a cap.
    auto run = exec({"--backend", "qemu", "--tasks", "32"}, guest("thread_bomb", "arm"), {});
    EXPECT_EQ(run->status(), 0) << run->err();
    int threads = threads_made(run->out());
    EXPECT_GE(threads, 1) << run->out();
    EXPECT_LT(threads, 32);
    expect_nothing_left(*run);
}

TEST_F(Hostile, HostSystemVIpcIsOutOfReach) {
    key_t host_key = static_cast<key_t>(0x3c000000 | (getpid() & 0xffffff));
    key_t guest_key = host_key ^ 0x00800000;
    int host_segment = shmget(host_key, 4096, IPC_CREAT | IPC_EXCL | 0666);
    ASSERT_GE(host_segment, 0) << std::strerror(errno);
    auto run =
        exec({}, guest("sysv_ipc"), {std::to_string(host_segment), std::to_string(guest_key)});
    EXPECT_EQ(run->status(), 0) << run->err();
    EXPECT_THAT(run->out(), Not(HasSubstr("remove ok")));
    // Outside: the host's segment is still there, the guest's is not.
    shmid_ds info{};
    EXPECT_EQ(shmctl(host_segment, IPC_STAT, &info), 0) << "the guest removed the host's segment";
    int left = shmget(guest_key, 0, 0);
    EXPECT_EQ(left, -1) << "the guest's segment stayed on the host";
    if (left >= 0)
        shmctl(left, IPC_RMID, nullptr);
    shmctl(host_segment, IPC_RMID, nullptr);
    expect_nothing_left(*run);
}

TEST_F(Hostile, TheHostsNameStays) {
    char before[256] = "";
    gethostname(before, sizeof before - 1);
    auto run = exec({}, guest("hostname"), {});
    EXPECT_EQ(run->status(), 0) << run->err();
    EXPECT_THAT(run->out(), HasSubstr("sethostname Operation not permitted"));
    EXPECT_THAT(run->out(), HasSubstr("setdomainname Operation not permitted"));
    if (namespaces()) {
        EXPECT_THAT(run->out(), HasSubstr("hostname crossrt\n")); // its own UTS namespace
    }
    char after[256] = "";
    gethostname(after, sizeof after - 1);
    EXPECT_STREQ(after, before);
    expect_nothing_left(*run);
}

// A listening Unix socket of the host, non-blocking: accept() says whether
// anyone connected.
class Listener {
public:
    Listener(const std::string& name, bool abstract) {
        fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::memcpy(address.sun_path + (abstract ? 1 : 0), name.data(), name.size());
        auto size = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size() +
                                           (abstract ? 1 : 0));
        bound_ = bind(fd_, reinterpret_cast<sockaddr*>(&address), size) == 0 && listen(fd_, 4) == 0;
    }
    ~Listener() { close(fd_); }
    bool bound() const { return bound_; }
    bool someone_connected() const {
        int peer = accept(fd_, nullptr, nullptr);
        if (peer >= 0)
            close(peer);
        return peer >= 0;
    }

private:
    int fd_ = -1;
    bool bound_ = false;
};

// A socket anyone may connect to, where the guest was not given access.
std::string open_socket_path(const fs::path& scratch) {
    fs::path dir = scratch / "sockets";
    fs::create_directories(dir);
    fs::permissions(dir, fs::perms::all);
    return (dir / "host.sock").string();
}

TEST_F(Hostile, HostAbstractUnixSocketsAreOutOfReach) {
    Listener abstract(marker, true);
    ASSERT_TRUE(abstract.bound());
    auto run = exec({}, guest("unix_connect"), {open_socket_path(scratch.path()), marker});
    EXPECT_EQ(run->status(), 0) << run->err();
    EXPECT_THAT(run->out(), Not(HasSubstr("abstract connected")));
    EXPECT_FALSE(abstract.someone_connected()) << "the guest reached the host's abstract socket";
    expect_nothing_left(*run);
}

TEST_F(Hostile, HostPathUnixSocketsAreOutOfReach) {
    // Without its own root, a guest reaches every socket its user may write.
    REQUIRE_NAMESPACES();
    std::string path = open_socket_path(scratch.path());
    Listener by_path(path, false);
    ASSERT_TRUE(by_path.bound());
    fs::permissions(path, fs::perms::all);
    auto run = exec({}, guest("unix_connect"), {path, marker});
    EXPECT_EQ(run->status(), 0) << run->err();
    EXPECT_THAT(run->out(), Not(HasSubstr("path connected")));
    EXPECT_FALSE(by_path.someone_connected()) << "the guest reached the host's path socket";
    expect_nothing_left(*run);
}

TEST_F(Hostile, HostProcessesAreOutOfSightAndReach) {
    pid_t sleeper = fork();
    if (sleeper == 0) {
        pause();
        _exit(0);
    }
    auto run = exec({}, guest("host_processes"), {std::to_string(sleeper)});
    EXPECT_EQ(run->status(), 0) << run->err();
    EXPECT_THAT(run->out(), Not(HasSubstr("kill host ok")));
    if (namespaces()) {
        EXPECT_THAT(run->out(), HasSubstr("host process hidden"));
        EXPECT_THAT(run->out(), HasSubstr("processes 2\n")); // its init and itself
    }
    // Outside: the host's process lived through kill(-1, SIGKILL).
    EXPECT_EQ(waitpid(sleeper, nullptr, WNOHANG), 0) << "the guest killed a host process";
    kill(sleeper, SIGKILL);
    waitpid(sleeper, nullptr, 0);
    expect_nothing_left(*run);
}

TEST_F(Hostile, KernelCallsPastTheNamespacesAreRefused) {
    if (sandbox_info().at("seccomp") != "on")
        GTEST_SKIP() << "no seccomp filter here";
    for (const char* arch : {"amd64", "386"}) {
        if (!hostile_guest("kernel_calls", arch))
            continue;
        auto run = exec({"--backend", "native"}, guest("kernel_calls", arch), {});
        if (run->status() == 2 && run->err().find("cannot") != std::string::npos)
            continue; // a host without IA-32 emulation
        EXPECT_EQ(run->status(), 0) << arch << ": " << run->err();
        for (const char* refused :
             {"add_key EPERM", "keyctl EPERM", "bpf EPERM", "perf_event_open EPERM",
              "unshare_user EPERM", "unshare_net EPERM", "ptrace_attach EPERM",
              "io_uring_setup ENOSYS", "clone3 ENOSYS", "setns EPERM", "mount EPERM",
              "syslog EPERM"})
            EXPECT_THAT(run->out(), HasSubstr(std::string(refused) + "\n")) << arch;
        expect_nothing_left(*run);
    }
}

// SIGKILL of `crossrt exec` while its guest (and the guest's child) spin.
struct KillCase {
    const char* backend;
    const char* arch;
    const char* program; // the guest processes' argv[0] contains this
};

void PrintTo(const KillCase& kind, std::ostream* out) {
    *out << kind.backend << " " << kind.arch;
}

class SigkillOfExec : public Hostile, public ::testing::WithParamInterface<KillCase> {};

TEST_P(SigkillOfExec, LeavesNoProcessCgroupOrTempFile) {
    const KillCase& kind = GetParam();
    REQUIRE_GUEST("spin", kind.arch);
    if (std::string(kind.backend) == "qemu") {
        REQUIRE_QEMU(kind.arch);
    }
    Crossrt run(
        {"exec", "--backend", kind.backend, "--", guest("spin", kind.arch).string(), marker},
        scratch.path());
    // Both spin: the parent and its child.
    ASSERT_TRUE(
        started(marker, kind.program, std::string(kind.backend) == "unicorn" ? 1 : 2, kBound_s))
        << run.err();
    // From outside: no guest process holds a capability or the host's root
    // uid, and neither does any process of its cgroup (init included).
    std::vector<pid_t> guests = processes_with(marker, kind.program);
    std::vector<pid_t> tree = cgroup_members(guests.front());
    guests.insert(guests.end(), tree.begin(), tree.end());
    for (pid_t pid : guests) {
        std::string capabilities = status_field(pid, "CapEff");
        if (capabilities.empty())
            continue; // gone meanwhile
        EXPECT_EQ(capabilities, "0000000000000000") << "pid " << pid;
        if (namespaces()) {
            EXPECT_THAT(status_field(pid, "Uid"), Not(::testing::StartsWith("0\t")))
                << "pid " << pid;
        }
    }
    kill(run.pid(), SIGKILL);
    run.wait(kBound_s);
    EXPECT_EQ(run.status(), 1000 + SIGKILL);
    expect_nothing_left(run);
}

INSTANTIATE_TEST_SUITE_P(Backends, SigkillOfExec,
                         ::testing::Values(KillCase{"native", "amd64", "spin-amd64"},
                                           KillCase{"qemu", "arm", "qemu-arm"},
                                           KillCase{"unicorn", "amd64", "unicorn-guest"}),
                         [](const auto& param_info) {
                             return std::string(param_info.param.backend);
                         });

// binfmt_misc in the guest's own user namespace (Linux 6.7+): an arm guest
// under qemu executes itself, as Go's tests do, its child runs under qemu
// again with the argv[0] it was given, as the guest user; and the host's
// binfmt_misc knows nothing of it. Where the host cannot, `crossrt
// sandbox` says why, and so does the skip.
TEST_F(Hostile, AQemuGuestExecutesAForeignArchBinaryThroughItsOwnBinfmtMisc) {
    REQUIRE_QEMU("arm");
    REQUIRE_GUEST("reexec", "arm");
    const std::string& binfmt = sandbox_info().at("binfmt_misc");
    if (binfmt.rfind("unavailable", 0) == 0)
        GTEST_SKIP() << "binfmt_misc: " << binfmt;
    auto run = exec({"--backend", "qemu"}, guest("reexec", "arm"), {});
    EXPECT_EQ(run->status(), 0) << run->out() << run->err();
    EXPECT_THAT(run->out(),
                HasSubstr("child: argv[0]=renamed-by-parent marker=" + marker + " uid=1000\n"));
    EXPECT_THAT(run->out(), HasSubstr("parent: child exited with 3\n"));
    EXPECT_FALSE(fs::exists("/proc/sys/fs/binfmt_misc/crossrt-qemu-arm"))
        << "the registration reached the host's binfmt_misc";
    expect_nothing_left(*run);
}

} // namespace
} // namespace crossrt::test
