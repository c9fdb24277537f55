// Process layout (namespace mode):
//   crossrt --fork--> supervisor: setsid, unshare(pid, net, mount)
//            --fork--> init (pid 1 of the new namespace): private mounts, fresh /proc
//                       --fork--> guest (pid 2): rlimits, Landlock, execve
// init reports the guest's raw wait status through a pipe. Killing the
// supervisor's process group (and init's PDEATHSIG) takes the whole namespace
// down, grandchildren included. Without namespaces (EPERM), the supervisor
// forks the guest itself inside its own session and process group.
//
// Between fork and execve only async-signal-safe calls are made: crossrt is
// multi-threaded, so everything the children need is prepared beforehand.
#include "backend/sandbox.h"

#include "backend/landlock.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <system_error>
#include <unistd.h>

extern char** environ;

namespace crossrt {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr auto poll_interval = std::chrono::milliseconds(50);
// Timeouts from this many seconds (about 31 years) on are no limit at all.
constexpr double kNoDeadline_s = 1e9;
// After the guest is gone, how long leftover writers may keep its pipes open.
constexpr auto drain_grace = std::chrono::seconds(1);

// Which step of the guest's setup failed, reported with errno before exit.
enum class SetupStage : int { execve = 1, landlock = 2, chdir = 3, rlimit = 4, fork = 5 };

struct SetupFailure {
    int stage = 0;
    int error = 0;
};

struct Pipe {
    int read = -1;
    int write = -1;
};

Pipe make_pipe() {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        throw std::system_error(errno, std::generic_category(), "pipe2");
    return {fds[0], fds[1]};
}

void close_fd(int& fd) {
    if (fd >= 0)
        close(fd);
    fd = -1;
}

class TempDir {
public:
    TempDir() {
        const char* base = std::getenv("TMPDIR");
        std::string pattern =
            fmt::format("{}/crossrt-XXXXXX", base != nullptr && *base != '\0' ? base : "/tmp");
        std::vector<char> buffer(pattern.begin(), pattern.end());
        buffer.push_back('\0');
        if (mkdtemp(buffer.data()) == nullptr)
            throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
        path_ = buffer.data();
    }
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

// Everything the children need, built before fork.
struct ChildPlan {
    std::vector<std::string> argv_storage;
    std::vector<std::string> env_storage;
    std::vector<char*> argv;
    std::vector<char*> envp;
    std::string cwd;
    // The run's temp dir, shown at /tmp when the mount namespace allows it
    // (programs and Go's own tests use /tmp itself, not $TMPDIR): then the
    // guest gets envp_private and cwd_private, which name /tmp instead.
    std::string temp_dir;
    std::vector<std::string> env_private_storage;
    std::vector<char*> envp_private;
    std::string cwd_private;
    bool private_tmp_allowed = false; // nothing the guest needs lies under /tmp
    LandlockPolicy landlock{0};
    // Its rules name paths, opened when applied: with the private /tmp, the
    // temp dir is reached as /tmp.
    LandlockPolicy landlock_private{0};
    bool use_namespaces = false;
    IoMode io = IoMode::capture;
    bool share_stdin = false;
    rlim_t cpu_seconds = RLIM_INFINITY;
    rlim_t data_bytes = RLIM_INFINITY;
    rlim_t file_bytes = RLIM_INFINITY;
    int out_write = -1;
    int err_write = -1;
    int status_write = -1;
    int setup_write = -1;
    int report_write = -1;     // dup'ed to fd 3 in the guest
    std::vector<int> keep_fds; // sorted: the fds above 2 that the supervisor keeps
};

std::map<std::string, std::string> base_environment(const SandboxRequest& request,
                                                    const std::string& temp_dir) {
    std::map<std::string, std::string> env;
    if (request.inherit_environment) {
        for (char** entry = environ; *entry != nullptr; ++entry) {
            std::string_view text = *entry;
            auto equals = text.find('=');
            if (equals != std::string_view::npos)
                env[std::string(text.substr(0, equals))] = std::string(text.substr(equals + 1));
        }
        env["TMPDIR"] = temp_dir;
    } else {
        env = {{"PATH", "/usr/bin:/bin"}, {"HOME", temp_dir}, {"TMPDIR", temp_dir}, {"LANG", "C"}};
    }
    for (const auto& [key, value] : request.env)
        env[key] = value;
    return env;
}

// The private /tmp hides the host's: only when the program, the cwd and
// every path the guest may use lie elsewhere (a binary built in /tmp, a
// test's scratch dir there, keep the host's /tmp, behind Landlock).
bool nothing_under_tmp(const SandboxRequest& request, const std::string& cwd,
                       const std::string& temp_dir) {
    auto under_tmp = [](const std::string& path) {
        std::error_code failed;
        std::string real = fs::weakly_canonical(fs::absolute(path, failed), failed).string();
        return real == "/tmp" || real.starts_with("/tmp/") || path.starts_with("/tmp/");
    };
    std::vector<std::string> paths;
    if (cwd != temp_dir) // the temp dir is what /tmp becomes
        paths.push_back(cwd);
    if (!request.argv.empty())
        paths.push_back(request.argv.front());
    paths.insert(paths.end(), request.readable.begin(), request.readable.end());
    paths.insert(paths.end(), request.writable_dirs.begin(), request.writable_dirs.end());
    return std::none_of(paths.begin(), paths.end(), under_tmp);
}

LandlockPolicy build_landlock(const SandboxRequest& request, const std::string& temp_dir,
                              const std::string& cwd, int abi) {
    LandlockPolicy policy(abi);
    for (const char* dir : {"/usr", "/lib", "/lib64", "/lib32", "/libx32", "/bin"})
        policy.allow_read_execute(dir);
    policy.allow_read("/etc/ld.so.cache");
    policy.allow_read("/proc");
    // The CPU lists (online, possible, present) that libc's get_nprocs and
    // runtimes read to size their parallelism: facts, not secrets.
    policy.allow_read("/sys/devices/system/cpu");
    // The harmless devices (the unicorn kernel's virtual file set has the same).
    policy.allow_read("/dev/urandom");
    policy.allow_read("/dev/random");
    policy.allow_read_write("/dev/null");
    policy.allow_read_write("/dev/zero");
    for (const std::string& path : request.readable)
        policy.allow_read_execute(path);
    policy.allow_everything(temp_dir);
    for (const std::string& dir : request.writable_dirs)
        policy.allow_everything(dir);
    if (!request.cwd_path.empty())
        policy.allow_read(cwd);
    return policy;
}

void report_setup_failure(int fd, SetupStage stage) {
    SetupFailure failure{static_cast<int>(stage), errno};
    ssize_t ignored = write(fd, &failure, sizeof failure);
    (void)ignored;
}

// Closes every descriptor above 2 except keep (sorted), so that the
// supervisor does not hold other runs' pipes open (threads fork concurrently).
void close_other_fds(const std::vector<int>& keep) {
    unsigned next = 3;
    for (int fd : keep) {
        if (static_cast<unsigned>(fd) > next)
            close_range(next, static_cast<unsigned>(fd) - 1, 0);
        next = static_cast<unsigned>(fd) + 1;
    }
    close_range(next, ~0U, 0);
}

[[noreturn]] void run_guest(const ChildPlan& plan, bool private_tmp) {
    int setup_fd = plan.setup_write;
    if (plan.report_write >= 0)
        setup_fd = fcntl(plan.setup_write, F_DUPFD_CLOEXEC, 10); // fd 3 is the report's
    if (!plan.share_stdin) {
        int null_fd = open("/dev/null", O_RDONLY);
        if (null_fd >= 0) {
            dup2(null_fd, 0);
            close(null_fd);
        }
    }
    if (plan.io == IoMode::capture) {
        dup2(plan.out_write, 1);
        dup2(plan.err_write, 2);
    }
    if (plan.report_write >= 0) {
        int report = fcntl(plan.report_write, F_DUPFD, 10);
        dup2(report, 3);
        close(report);
    }
    if (chdir((private_tmp ? plan.cwd_private : plan.cwd).c_str()) != 0) {
        report_setup_failure(setup_fd, SetupStage::chdir);
        _exit(127);
    }
    rlimit cpu{plan.cpu_seconds,
               plan.cpu_seconds == RLIM_INFINITY ? RLIM_INFINITY : plan.cpu_seconds + 1};
    rlimit data{plan.data_bytes, plan.data_bytes};
    rlimit file{plan.file_bytes, plan.file_bytes};
    rlimit core{0, 0};
    if (setrlimit(RLIMIT_CPU, &cpu) != 0 || setrlimit(RLIMIT_DATA, &data) != 0 ||
        setrlimit(RLIMIT_FSIZE, &file) != 0 || setrlimit(RLIMIT_CORE, &core) != 0) {
        report_setup_failure(setup_fd, SetupStage::rlimit);
        _exit(127);
    }
    // crossrt ignores SIGPIPE and may block signals; the guest must start clean.
    for (int signal = 1; signal < NSIG; ++signal) {
        if (signal != SIGKILL && signal != SIGSTOP)
            std::signal(signal, SIG_DFL);
    }
    sigset_t empty;
    sigemptyset(&empty);
    sigprocmask(SIG_SETMASK, &empty, nullptr);
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    if (!(private_tmp ? plan.landlock_private : plan.landlock).apply()) {
        report_setup_failure(setup_fd, SetupStage::landlock);
        _exit(127);
    }
    execve(plan.argv[0], plan.argv.data(),
           private_tmp ? plan.envp_private.data() : plan.envp.data());
    report_setup_failure(setup_fd, SetupStage::execve);
    _exit(127);
}

// What the supervisor tells crossrt when the guest ends: its raw wait
// status and its CPU time (wait4's, its reaped descendants' included),
// which the PID namespace hides from crossrt. One write, below PIPE_BUF.
struct GuestExit {
    int status = 0;
    int unused = 0;
    long long user_us = 0;
    long long system_us = 0;
};

// Forks the guest, waits for it (reaping orphans too when it is pid 1), and
// sends the guest's raw wait status and CPU time to crossrt.
[[noreturn]] void supervise(const ChildPlan& plan, bool namespace_init, bool private_tmp) {
    if (namespace_init) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        // Our /proc must not leak into the host's mount namespace, and must
        // show only this pid namespace.
        mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr);
        mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr);
    }
    pid_t guest = fork();
    if (guest == 0)
        run_guest(plan, private_tmp);
    if (guest < 0) {
        report_setup_failure(plan.setup_write, SetupStage::fork);
        _exit(1);
    }
    close(plan.out_write);
    close(plan.err_write);
    close(plan.setup_write);
    if (plan.report_write >= 0)
        close(plan.report_write);
    GuestExit exit;
    for (;;) {
        int reaped_status = 0;
        rusage usage{};
        pid_t pid = wait4(-1, &reaped_status, 0, &usage);
        if (pid == guest) {
            exit.status = reaped_status;
            exit.user_us = usage.ru_utime.tv_sec * 1000000ll + usage.ru_utime.tv_usec;
            exit.system_us = usage.ru_stime.tv_sec * 1000000ll + usage.ru_stime.tv_usec;
            break;
        }
        if (pid < 0 && errno != EINTR)
            _exit(1);
    }
    ssize_t ignored = write(plan.status_write, &exit, sizeof exit);
    (void)ignored;
    _exit(0);
}

// A new network namespace has only a loopback device, and it is down: up,
// the guest can talk to itself on 127.0.0.1 (Go's tests start HTTP servers
// there) and still reaches nothing outside. Best effort: a guest that needs
// it fails visibly.
void bring_up_loopback() {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return;
    struct ifreq request {};
    std::strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
    if (ioctl(fd, SIOCGIFFLAGS, &request) == 0) {
        request.ifr_flags = static_cast<short>(request.ifr_flags | IFF_UP | IFF_RUNNING);
        ioctl(fd, SIOCSIFFLAGS, &request);
    }
    close(fd);
}

[[noreturn]] void supervisor_main(const ChildPlan& plan) {
    close_other_fds(plan.keep_fds);
    setsid();
    if (plan.use_namespaces && unshare(CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWNS) == 0) {
        bring_up_loopback();
        // Mounts made here stay in this namespace: the guest's /tmp is the
        // run's temp dir, and the host's /tmp is out of its sight.
        bool private_tmp = plan.private_tmp_allowed &&
                           mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0 &&
                           mount(plan.temp_dir.c_str(), "/tmp", nullptr, MS_BIND, nullptr) == 0;
        pid_t init = fork();
        if (init == 0)
            supervise(plan, true, private_tmp);
        for (int fd : plan.keep_fds)
            close(fd);
        int status = 0;
        while (init > 0 && waitpid(init, &status, 0) < 0 && errno == EINTR) {
        }
        _exit(0);
    }
    supervise(plan, false, false);
}

rlim_t cpu_limit(double timeout_s) {
    if (!(timeout_s > 0 && timeout_s < kNoDeadline_s))
        return RLIM_INFINITY;
    return static_cast<rlim_t>(std::ceil(timeout_s + 1.0));
}

std::string describe_setup_failure(const SetupFailure& failure, const std::string& program) {
    const char* reason = std::strerror(failure.error);
    switch (static_cast<SetupStage>(failure.stage)) {
    case SetupStage::execve:
        return fmt::format("cannot execute {}: {}", program, reason);
    case SetupStage::landlock:
        return fmt::format("sandbox: Landlock refused the policy: {}", reason);
    case SetupStage::chdir:
        return fmt::format("sandbox: cannot enter the working directory: {}", reason);
    case SetupStage::rlimit:
        return fmt::format("sandbox: cannot set resource limits: {}", reason);
    case SetupStage::fork:
        return fmt::format("sandbox: cannot fork the guest: {}", reason);
    }
    return fmt::format("sandbox setup failed: {}", reason);
}

bool probe_namespaces() {
    pid_t child = fork();
    if (child == 0)
        _exit(unshare(CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWNS) == 0 ? 0 : errno);
    if (child < 0)
        return false;
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return true;
    int error = WIFEXITED(status) ? WEXITSTATUS(status) : 0;
    fmt::print(stderr,
               "crossrt: note: cannot create pid/net/mount namespaces ({}); guests run only in "
               "their own session and process group\n",
               error != 0 ? std::strerror(error) : "probe failed");
    return false;
}

// Reads what is available on an output pipe; false at end of file.
bool read_stream(int fd, std::string& sink, std::size_t cap, bool& over_cap) {
    char buffer[65536];
    ssize_t count = read(fd, buffer, sizeof buffer);
    if (count < 0)
        return errno == EINTR || errno == EAGAIN;
    if (count == 0)
        return false;
    std::size_t room = sink.size() < cap ? cap - sink.size() : 0;
    sink.append(buffer, std::min(room, static_cast<std::size_t>(count)));
    if (static_cast<std::size_t>(count) > room)
        over_cap = true;
    return true;
}

} // namespace

const SandboxSupport& sandbox_support() {
    static const SandboxSupport support = [] {
        SandboxSupport probed;
        probed.namespaces = probe_namespaces();
        probed.landlock_abi = landlock_abi();
        if (probed.landlock_abi == 0) {
            fmt::print(stderr, "crossrt: note: Landlock is unavailable; guests' file access is "
                               "not restricted\n");
        }
        return probed;
    }();
    return support;
}

SandboxResult run_sandboxed(const SandboxRequest& request) {
    const SandboxSupport& support = sandbox_support();
    SandboxResult result;
    Outcome& outcome = result.outcome;
    if (request.argv.empty()) {
        outcome.detail = "sandbox: nothing to run";
        return result;
    }
    TempDir temp;

    ChildPlan plan;
    plan.cwd = !request.cwd_path.empty() ? request.cwd_path : temp.path();
    plan.argv_storage = request.argv;
    plan.temp_dir = temp.path();
    plan.cwd_private = plan.cwd == temp.path() ? "/tmp" : plan.cwd;
    plan.private_tmp_allowed = nothing_under_tmp(request, plan.cwd, temp.path());
    for (const auto& [key, value] : base_environment(request, temp.path())) {
        plan.env_storage.push_back(key + "=" + value);
        plan.env_private_storage.push_back(key + "=" + (value == temp.path() ? "/tmp" : value));
    }
    for (std::string& arg : plan.argv_storage)
        plan.argv.push_back(arg.data());
    plan.argv.push_back(nullptr);
    for (std::string& entry : plan.env_storage)
        plan.envp.push_back(entry.data());
    plan.envp.push_back(nullptr);
    for (std::string& entry : plan.env_private_storage)
        plan.envp_private.push_back(entry.data());
    plan.envp_private.push_back(nullptr);
    plan.landlock = build_landlock(request, temp.path(), plan.cwd, support.landlock_abi);
    plan.landlock_private = build_landlock(request, "/tmp", plan.cwd_private, support.landlock_abi);
    plan.use_namespaces = support.namespaces;
    plan.io = request.io;
    plan.share_stdin = request.io == IoMode::passthrough && request.share_stdin;
    plan.cpu_seconds = cpu_limit(request.timeout_s);
    plan.data_bytes = request.limits.memory_bytes;
    plan.file_bytes = request.limits.file_bytes;

    Pipe out, err;
    if (request.io == IoMode::capture) {
        out = make_pipe();
        err = make_pipe();
    }
    Pipe status = make_pipe();
    Pipe setup = make_pipe();
    Pipe report;
    if (request.report_channel)
        report = make_pipe();
    plan.report_write = report.write;
    plan.out_write = out.write;
    plan.err_write = err.write;
    plan.status_write = status.write;
    plan.setup_write = setup.write;
    for (int fd : {out.write, err.write, status.write, setup.write, report.write}) {
        if (fd >= 0)
            plan.keep_fds.push_back(fd);
    }
    std::sort(plan.keep_fds.begin(), plan.keep_fds.end());

    const auto start = Clock::now();
    pid_t supervisor = fork();
    if (supervisor == 0)
        supervisor_main(plan);
    for (int* fd : {&out.write, &err.write, &status.write, &setup.write, &report.write})
        close_fd(*fd);
    if (supervisor < 0) {
        outcome.detail = fmt::format("sandbox: fork: {}", std::strerror(errno));
        for (int* fd : {&out.read, &err.read, &status.read, &setup.read, &report.read})
            close_fd(*fd);
        return result;
    }

    auto kill_everything = [&] {
        kill(-supervisor, SIGKILL);
        kill(supervisor, SIGKILL);
    };
    // A limit past kNoDeadline_s is none: as nanoseconds it would overflow
    // the clock and wrap the deadline into the past.
    const bool has_deadline = request.timeout_s > 0 && request.timeout_s < kNoDeadline_s;
    const auto deadline =
        start + std::chrono::duration_cast<Clock::duration>(
                    std::chrono::duration<double>(has_deadline ? request.timeout_s : 0));
    std::optional<Clock::time_point> drain_deadline;
    bool status_done = false;
    bool report_open = report.read >= 0;
    std::string pending_lines; // report_line: a line not complete yet
    // Hands report_line the complete lines read so far; false once it said stop.
    auto take_report_lines = [&](const char* bytes, std::size_t count) {
        pending_lines.append(bytes, count);
        std::size_t newline;
        while (!result.stopped_by_caller &&
               (newline = pending_lines.find('\n')) != std::string::npos) {
            std::string line = pending_lines.substr(0, newline);
            pending_lines.erase(0, newline + 1);
            result.stopped_by_caller = !request.report_line(line);
        }
        return !result.stopped_by_caller;
    };
    bool out_open = out.read >= 0;
    bool err_open = err.read >= 0;
    GuestExit guest_exit;
    int& raw_status = guest_exit.status;
    bool have_status = false;
    // What ended the guest when crossrt did; the first of them counts.
    std::optional<EndKind> stopped_by;
    auto guest_finished = [&](Clock::time_point now) {
        if (!status_done)
            outcome.duration_s = std::chrono::duration<double>(now - start).count();
        status_done = true;
        kill_everything(); // leftovers such as backgrounded grandchildren
        if (!drain_deadline)
            drain_deadline = now + drain_grace;
    };

    while (!status_done || out_open || err_open) {
        auto now = Clock::now();
        if (drain_deadline && now >= *drain_deadline)
            break;
        if (!status_done && request.cancel != nullptr && request.cancel->load()) {
            stopped_by = EndKind::interrupted;
            guest_finished(now);
        } else if (!status_done && has_deadline && now >= deadline) {
            stopped_by = EndKind::timeout;
            guest_finished(now);
        }
        auto wait = poll_interval;
        if (has_deadline && !status_done && deadline > now)
            wait = std::min(wait, std::chrono::ceil<std::chrono::milliseconds>(deadline - now));
        if (drain_deadline && *drain_deadline > now) {
            wait =
                std::min(wait, std::chrono::ceil<std::chrono::milliseconds>(*drain_deadline - now));
        }
        bool streaming = request.report_line && report_open && !status_done;
        pollfd fds[4] = {{out_open ? out.read : -1, POLLIN, 0},
                         {err_open ? err.read : -1, POLLIN, 0},
                         {status_done ? -1 : status.read, POLLIN, 0},
                         {streaming ? report.read : -1, POLLIN, 0}};
        int ready = poll(fds, 4, static_cast<int>(wait.count()));
        if (ready <= 0)
            continue;
        if (fds[3].revents != 0) {
            char buffer[65536];
            ssize_t count = read(report.read, buffer, sizeof buffer);
            if (count <= 0) {
                report_open = false;
            } else if (!take_report_lines(buffer, static_cast<std::size_t>(count))) {
                stopped_by = EndKind::interrupted;
                guest_finished(Clock::now());
            }
        }
        bool over_cap = false;
        if (fds[0].revents != 0)
            out_open = read_stream(out.read, outcome.out, request.limits.output_bytes, over_cap);
        if (fds[1].revents != 0)
            err_open = read_stream(err.read, outcome.err, request.limits.output_bytes, over_cap);
        if (over_cap && !stopped_by) {
            stopped_by = EndKind::output_limit;
            guest_finished(Clock::now());
        }
        if (fds[2].revents != 0) {
            ssize_t count = read(status.read, &guest_exit, sizeof guest_exit);
            if (count == static_cast<ssize_t>(sizeof guest_exit)) {
                have_status = true;
                outcome.cpu_s =
                    static_cast<double>(guest_exit.user_us + guest_exit.system_us) / 1e6;
            }
            if (count >= 0 || errno != EINTR)
                guest_finished(Clock::now());
        }
    }
    kill_everything();
    int supervisor_status = 0;
    while (waitpid(supervisor, &supervisor_status, 0) < 0 && errno == EINTR) {
    }

    fcntl(setup.read, F_SETFL, O_NONBLOCK);
    SetupFailure failure;
    if (read(setup.read, &failure, sizeof failure) == static_cast<ssize_t>(sizeof failure)) {
        outcome.end = EndKind::error;
        outcome.detail = describe_setup_failure(failure, request.argv[0]);
        if (failure.stage == static_cast<int>(SetupStage::execve))
            result.exec_errno = failure.error;
    } else if (stopped_by) {
        outcome.end = *stopped_by;
    } else if (have_status && WIFEXITED(raw_status)) {
        outcome.end = EndKind::exited;
        outcome.status = WEXITSTATUS(raw_status);
    } else if (have_status && WIFSIGNALED(raw_status)) {
        outcome.end = EndKind::signaled;
        outcome.status = WTERMSIG(raw_status);
    } else {
        outcome.end = EndKind::error;
        outcome.detail = "sandbox: the supervisor died without reporting the guest's status";
    }
    if (report.read >= 0) {
        fcntl(report.read, F_SETFL, O_NONBLOCK);
        char buffer[65536];
        ssize_t count;
        if (request.report_line) {
            // The lines written before the end.
            while (!result.stopped_by_caller &&
                   (count = read(report.read, buffer, sizeof buffer)) > 0)
                take_report_lines(buffer, static_cast<std::size_t>(count));
        } else {
            while ((count = read(report.read, buffer, sizeof buffer)) > 0 &&
                   result.report.size() < (1u << 20))
                result.report.append(buffer, static_cast<std::size_t>(count));
        }
    }
    for (int* fd : {&out.read, &err.read, &status.read, &setup.read, &report.read})
        close_fd(*fd);
    return result;
}

} // namespace crossrt
