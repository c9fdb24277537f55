// crossrt's side of a sandboxed run: the plan for the children
// (sandbox_child.h draws them), the pipes, the wall clock and the output
// cap, and the outcome from what the children report.
#include "backend/sandbox.h"

#include "backend/guest_cgroup.h"
#include "backend/landlock.h"
#include "backend/sandbox_child.h"
#include "backend/seccomp_filter.h"
#include "backend/user_namespace.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <optional>
#include <poll.h>
#include <sys/resource.h>
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

LandlockPolicy build_landlock(const SandboxRequest& request, const std::string& temp_dir,
                              const std::string& cwd, int abi) {
    LandlockPolicy policy(abi);
    for (const char* dir : {"/usr", "/lib", "/lib64", "/lib32", "/libx32", "/bin"})
        policy.allow_read_execute(dir);
    policy.allow_read("/etc/ld.so.cache");
    policy.allow_read("/etc/hosts"); // the root's own (guest_root.h), or the host's in session mode
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
    for (const BinfmtInterpreter& interpreter : request.interpreters)
        policy.allow_read_execute(interpreter.interpreter);
    policy.allow_everything(temp_dir);
    for (const std::string& dir : request.writable_dirs)
        policy.allow_everything(dir);
    if (!request.cwd_path.empty())
        policy.allow_read(cwd);
    return policy;
}

rlim_t cpu_limit(double timeout_s) {
    if (!(timeout_s > 0 && timeout_s < kNoDeadline_s))
        return RLIM_INFINITY;
    return static_cast<rlim_t>(std::ceil(timeout_s + 1.0));
}

std::string describe_setup_failure(const SetupFailure& failure, const std::string& program) {
    const char* reason = std::strerror(failure.error);
    std::string where(failure.where, strnlen(failure.where, sizeof failure.where));
    switch (static_cast<SetupStage>(failure.stage)) {
    case SetupStage::execve:
        return fmt::format("cannot execute {}: {}", program, reason);
    case SetupStage::landlock:
        return fmt::format("sandbox: Landlock refused the policy: {}", reason);
    case SetupStage::chdir:
        return fmt::format("sandbox: cannot enter the working directory {}: {}", where, reason);
    case SetupStage::rlimit:
        return fmt::format("sandbox: cannot set resource limits: {}", reason);
    case SetupStage::fork:
        return fmt::format("sandbox: cannot fork the guest ({}): {}", where, reason);
    case SetupStage::cgroup:
        return fmt::format("sandbox: {}: {}", where, reason);
    case SetupStage::namespaces:
        return fmt::format("sandbox: namespaces: {}: {}", where, reason);
    case SetupStage::root:
        return fmt::format("sandbox: cannot build the guest's root ({}): {}", where, reason);
    case SetupStage::capabilities:
        return fmt::format("sandbox: cannot drop capabilities: {}", reason);
    case SetupStage::seccomp:
        return fmt::format("sandbox: the kernel refused the seccomp filter: {}", reason);
    case SetupStage::binfmt:
        return fmt::format("sandbox: cannot register with binfmt_misc ({}): {}", where, reason);
    }
    return fmt::format("sandbox setup failed: {}", reason);
}

// What a guest may see of the host in namespace mode (guest_root.h): the
// paths Landlock allows it too, each at its own path.
void plan_root(const SandboxRequest& request, const std::string& cwd, GuestRoot& root) {
    using Access = GuestRoot::Access;
    for (const char* dir : {"/usr", "/lib", "/lib64", "/lib32", "/libx32", "/bin"})
        root.add(dir, Access::read_only, false);
    root.add("/etc/ld.so.cache", Access::read_only, false);
    root.add("/sys/devices/system/cpu", Access::read_only, false);
    for (const char* device : {"/dev/null", "/dev/zero", "/dev/random", "/dev/urandom"})
        root.add(device, Access::device, false);
    for (const std::string& path : request.readable)
        root.add(path, Access::read_only, true);
    // Opened by init at registration; the guest's children execute them.
    for (const BinfmtInterpreter& interpreter : request.interpreters)
        root.add(interpreter.interpreter, Access::read_only, false);
    for (const std::string& dir : request.writable_dirs)
        root.add(dir, Access::writable, true);
    if (!request.cwd_path.empty())
        root.add(cwd, Access::read_only, true);
}

std::string mebibytes(std::uint64_t bytes) {
    return bytes % (1u << 20) == 0 ? fmt::format("{} MiB", bytes >> 20)
                                   : fmt::format("{} bytes", bytes);
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
        // CROSSRT_SANDBOX_WITHOUT=namespaces,cgroups: the fallbacks, on a
        // host that has better (for tests of them, or a host where a
        // mechanism misbehaves).
        const char* without_env = std::getenv("CROSSRT_SANDBOX_WITHOUT");
        std::string without = without_env != nullptr ? without_env : "";
        NamespaceProbe namespace_probe;
        if (without.find("namespaces") != std::string::npos) {
            namespace_probe.why_not = "CROSSRT_SANDBOX_WITHOUT=" + without;
            namespace_probe.binfmt_why_not =
                "guests have no user namespace of their own here (" + namespace_probe.why_not + ")";
        } else {
            namespace_probe = probe_namespace_mode();
        }
        const std::string& why_not = namespace_probe.why_not;
        probed.namespaces = why_not.empty();
        probed.binfmt_misc = probed.namespaces && namespace_probe.binfmt_why_not.empty();
        probed.binfmt_why_not = namespace_probe.binfmt_why_not;
        if (!probed.namespaces) {
            fmt::print(stderr,
                       "crossrt: note: guests run without their own namespaces ({}): only in a "
                       "session and process group of their own, as crossrt's user without "
                       "capabilities, in a host temp dir\n",
                       why_not);
        }
        probed.landlock_abi = landlock_abi();
        if (probed.landlock_abi == 0) {
            fmt::print(stderr, "crossrt: note: Landlock is unavailable; guests' file access is "
                               "not restricted\n");
        }
        probed.seccomp = !guest_seccomp_program(probed.namespaces).empty();
        const CgroupSupport& cgroups = cgroup_support();
        bool no_cgroups = without.find("cgroups") != std::string::npos;
        probed.memory_cgroup = cgroups.memory.version != 0 && !no_cgroups;
        probed.tasks_cgroup = cgroups.tasks.version != 0 && !no_cgroups;
        std::string no_cgroup = no_cgroups ? "CROSSRT_SANDBOX_WITHOUT=" + without : "no cgroup";
        probed.memory_cap = probed.memory_cgroup
                                ? cgroups.memory_mechanism
                                : fmt::format("RLIMIT_DATA of each process ({})", no_cgroup);
        probed.tasks_cap =
            probed.tasks_cgroup
                ? cgroups.tasks_mechanism
                : fmt::format("RLIMIT_NPROC{} ({})",
                              probed.namespaces ? " in the guest's user namespace" : "", no_cgroup);
        if (!probed.memory_cgroup || !probed.tasks_cgroup) {
            fmt::print(stderr,
                       "crossrt: note: no cgroup for the guests' {}: capped by {} only, which "
                       "does not count shared memory or every process together\n",
                       !probed.memory_cgroup ? "memory" : "tasks",
                       !probed.memory_cgroup ? probed.memory_cap : probed.tasks_cap);
        }
        return probed;
    }();
    return support;
}

std::map<std::string, std::string> describe_sandbox(const SandboxSupport& support) {
    return {
        {"namespaces", support.namespaces ? "user (uid 1000, an unprivileged host user), pid, "
                                            "mount (a root of its own), network, IPC, UTS"
                                          : "none (a session and process group)"},
        {"landlock",
         support.landlock_abi > 0 ? fmt::format("ABI {}", support.landlock_abi) : "unavailable"},
        {"seccomp", support.seccomp ? "on" : "unavailable"},
        {"binfmt_misc",
         support.binfmt_misc
             ? "the guest's user namespace's own (qemu-user for the arches the host cannot execute)"
             : "unavailable: " + support.binfmt_why_not},
        {"memory_cap", support.memory_cap},
        {"tasks_cap", support.tasks_cap},
    };
}

SandboxResult run_sandboxed(const SandboxRequest& request) {
    const SandboxSupport& support = sandbox_support();
    SandboxResult result;
    Outcome& outcome = result.outcome;
    if (request.argv.empty()) {
        outcome.detail = "sandbox: nothing to run";
        return result;
    }
    const Limits& limits = request.limits;
    const std::uint64_t memory_cap =
        (limits.memory_bytes + request.emulator_resident_bytes) *
        static_cast<std::uint64_t>(std::max(request.guests_at_once, 1));

    ChildPlan plan;
    plan.namespaces = support.namespaces;
    // Namespace mode: the guest's temp dir is the /tmp of its own root, a
    // tmpfs; session mode: a host directory, removed by the supervisor.
    std::optional<TempDir> host_temp;
    if (!plan.namespaces) {
        host_temp.emplace();
        plan.host_temp_dir = host_temp->path();
    }
    const std::string temp_dir = plan.namespaces ? "/tmp" : plan.host_temp_dir;
    plan.cwd = !request.cwd_path.empty() ? request.cwd_path : temp_dir;
    plan.argv_storage = request.argv;
    plan.program = request.argv.front();
    for (const auto& [key, value] : base_environment(request, temp_dir))
        plan.env_storage.push_back(key + "=" + value);
    for (std::string& arg : plan.argv_storage)
        plan.argv.push_back(arg.data());
    plan.argv.push_back(nullptr);
    for (std::string& entry : plan.env_storage)
        plan.envp.push_back(entry.data());
    plan.envp.push_back(nullptr);
    if (plan.namespaces) {
        IdMapping outer = outer_namespace_mapping();
        IdMapping inner = inner_namespace_mapping();
        plan.uid_map = outer.uid_map();
        plan.gid_map = outer.gid_map();
        plan.inner_uid_map = inner.uid_map();
        plan.inner_gid_map = inner.gid_map();
        if (support.binfmt_misc) {
            for (const BinfmtInterpreter& interpreter : request.interpreters)
                plan.binfmt_lines.push_back(register_line(interpreter));
        }
        plan_root(request, plan.cwd, plan.root);
        // Its files count against the memory cap too (tmpfs pages are the
        // writer's); the size keeps them bounded where no cgroup counts them.
        plan.root.finish(guest_id_mapping(), limits.memory_bytes);
    }
    plan.landlock = build_landlock(request, temp_dir, plan.cwd, support.landlock_abi);
    plan.seccomp = &guest_seccomp_program(plan.namespaces);
    if (support.memory_cgroup || support.tasks_cgroup) {
        CgroupSupport used = cgroup_support();
        if (!support.memory_cgroup)
            used.memory = {};
        if (!support.tasks_cgroup)
            used.tasks = {};
        plan.cgroup = RunCgroup(used, memory_cap, limits.tasks);
    }
    plan.io = request.io;
    plan.share_stdin = request.io == IoMode::passthrough && request.share_stdin;
    plan.cpu_seconds = cpu_limit(request.timeout_s);
    // RLIMIT_DATA, not RLIMIT_AS: qemu reserves a large guest address space.
    if (!support.memory_cgroup && request.data_limit)
        plan.data_bytes = limits.memory_bytes + request.emulator_reserved_bytes;
    plan.file_bytes = limits.file_bytes;
    if (!support.tasks_cgroup)
        plan.processes = limits.tasks;

    Pipe out, err;
    if (request.io == IoMode::capture) {
        out = make_pipe();
        err = make_pipe();
    }
    Pipe status = make_pipe();
    Pipe setup = make_pipe();
    Pipe lifeline = make_pipe();
    Pipe supervisor_report = make_pipe();
    Pipe report;
    if (request.report_channel)
        report = make_pipe();
    plan.report_write = report.write;
    plan.out_write = out.write;
    plan.err_write = err.write;
    plan.status_write = status.write;
    plan.setup_write = setup.write;
    plan.lifeline_read = lifeline.read;
    plan.supervisor_write = supervisor_report.write;
    plan.pass_fd = request.pass_fd;
    for (int fd : {out.write, err.write, status.write, setup.write, report.write, lifeline.read,
                   supervisor_report.write, request.pass_fd}) {
        if (fd >= 0)
            plan.keep_fds.push_back(fd);
    }
    std::sort(plan.keep_fds.begin(), plan.keep_fds.end());

    const auto start = Clock::now();
    pid_t supervisor = fork();
    if (supervisor == 0)
        supervisor_main(plan);
    for (int* fd : {&out.write, &err.write, &status.write, &setup.write, &report.write,
                    &lifeline.read, &supervisor_report.write})
        close_fd(*fd);
    if (supervisor < 0) {
        outcome.detail = fmt::format("sandbox: fork: {}", std::strerror(errno));
        for (int* fd : {&out.read, &err.read, &status.read, &setup.read, &report.read,
                        &lifeline.write, &supervisor_report.read})
            close_fd(*fd);
        return result;
    }

    // The supervisor kills the guest's whole tree when the lifeline closes
    // (and so when crossrt dies, however).
    auto kill_everything = [&] { close_fd(lifeline.write); };
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
    fcntl(supervisor_report.read, F_SETFL, O_NONBLOCK);
    SupervisorReport caps;
    bool have_caps =
        read(supervisor_report.read, &caps, sizeof caps) == static_cast<ssize_t>(sizeof caps);
    SetupFailure failure;
    if (read(setup.read, &failure, sizeof failure) == static_cast<ssize_t>(sizeof failure)) {
        outcome.end = EndKind::error;
        outcome.detail = describe_setup_failure(failure, request.argv[0]);
        if (failure.stage == static_cast<int>(SetupStage::execve))
            result.exec_errno = failure.error;
    } else if (stopped_by == EndKind::interrupted) {
        outcome.end = EndKind::interrupted;
    } else if (have_caps && caps.cgroup.oom_kills > 0) {
        // The cap ended the run, whatever followed (a parent that saw its
        // child killed, the guest itself killed, a timeout while it spun).
        outcome.end = EndKind::memory;
        outcome.detail = fmt::format(
            "memory cap of {} reached: the kernel killed {} process{} of the guest's tree",
            mebibytes(memory_cap), caps.cgroup.oom_kills, caps.cgroup.oom_kills == 1 ? "" : "es");
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
    if (have_caps && caps.cgroup.task_refusals > 0 && outcome.detail.empty()) {
        outcome.detail =
            fmt::format("the task cap of {} refused {} fork{} or thread{}", limits.tasks,
                        caps.cgroup.task_refusals, caps.cgroup.task_refusals == 1 ? "" : "s",
                        caps.cgroup.task_refusals == 1 ? "" : "s");
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
    for (int* fd : {&out.read, &err.read, &status.read, &setup.read, &report.read, &lifeline.write,
                    &supervisor_report.read})
        close_fd(*fd);
    return result;
}

} // namespace crossrt
