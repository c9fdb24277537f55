#include "backend/sandbox_child.h"

#include "backend/async_safe.h"
#include "backend/binfmt_misc.h"
#include "backend/seccomp_filter.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <grp.h>
#include <linux/capability.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

namespace crossrt {
namespace {

constexpr unsigned long kNamespaceFlags =
    CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS;
// What `uname -n` says inside: no host name leaks to the guest.
constexpr char kGuestHostname[] = "crossrt";

void report_setup_failure(int fd, SetupStage stage, const char* where = nullptr) {
    SetupFailure failure;
    failure.stage = static_cast<int>(stage);
    failure.error = errno;
    if (where != nullptr)
        std::strncpy(failure.where, where, sizeof failure.where - 1);
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

bool set_capabilities(bool effective_from_permitted) {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[2]{};
    if (effective_from_permitted) {
        if (syscall(SYS_capget, &header, data) != 0)
            return false;
        for (auto& word : data)
            word.effective = word.permitted;
    }
    return syscall(SYS_capset, &header, data) == 0;
}

// No capability now or after execve: the bounding set (which caps what even
// a root execve may gain), the ambient set, then the sets themselves. A
// process that has none to drop (the guest, after init dropped them) is
// refused: that does not matter.
void drop_capabilities() {
    for (int cap = 0; cap <= 63; ++cap)
        prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
    set_capabilities(false);
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

[[noreturn]] void run_guest(const ChildPlan& plan) {
    int setup_fd = plan.setup_write;
    if (plan.report_write >= 0 || plan.pass_fd >= 0) // fds 3 and 4 are theirs
        setup_fd = fcntl(plan.setup_write, F_DUPFD_CLOEXEC, 10);
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
    int passed = plan.pass_fd >= 0 ? fcntl(plan.pass_fd, F_DUPFD, 10) : -1;
    if (plan.report_write >= 0) {
        int report = fcntl(plan.report_write, F_DUPFD, 10);
        dup2(report, 3);
        close(report);
    }
    if (passed >= 0) {
        dup2(passed, kPassedFd);
        close(passed);
    }
    if (chdir(plan.cwd.c_str()) != 0) {
        report_setup_failure(setup_fd, SetupStage::chdir, plan.cwd.c_str());
        _exit(127);
    }
    rlimit cpu{plan.cpu_seconds,
               plan.cpu_seconds == RLIM_INFINITY ? RLIM_INFINITY : plan.cpu_seconds + 1};
    rlimit data{plan.data_bytes, plan.data_bytes};
    rlimit file{plan.file_bytes, plan.file_bytes};
    rlimit processes{plan.processes, plan.processes};
    rlimit core{0, 0};
    // The fallbacks' limits only when set: raising a hard limit again is
    // refused without CAP_SYS_RESOURCE on the host.
    if (setrlimit(RLIMIT_CPU, &cpu) != 0 ||
        (plan.data_bytes != RLIM_INFINITY && setrlimit(RLIMIT_DATA, &data) != 0) ||
        setrlimit(RLIMIT_FSIZE, &file) != 0 || setrlimit(RLIMIT_CORE, &core) != 0 ||
        (plan.processes != RLIM_INFINITY && setrlimit(RLIMIT_NPROC, &processes) != 0)) {
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
    drop_capabilities();
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    if (!plan.landlock.apply()) {
        report_setup_failure(setup_fd, SetupStage::landlock);
        _exit(127);
    }
    if (plan.seccomp != nullptr && !apply_seccomp(*plan.seccomp)) {
        report_setup_failure(setup_fd, SetupStage::seccomp);
        _exit(127);
    }
    // Dies with init (set last: a credential change clears it).
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    execve(plan.program.c_str(), plan.argv.data(), plan.envp.data());
    report_setup_failure(setup_fd, SetupStage::execve);
    _exit(127);
}

// Namespace mode: init becomes the outer user namespace's root (the
// guest's unprivileged host user outside; user_namespace.h) and keeps its
// capabilities, which are that namespace's only, to build the guest's root.
bool become_namespace_root() {
    return prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) == 0 && setresgid(0, 0, 0) == 0 &&
           setresuid(0, 0, 0) == 0 && set_capabilities(true);
}

// Where init mounts the binfmt_misc instance: the guest's own /proc's.
constexpr char kBinfmtMount[] = "/proc/sys/fs/binfmt_misc";

// Forks the guest, waits for it (reaping orphans too), and sends the
// guest's raw wait status and CPU time to crossrt. go: readable once the
// supervisor placed it (cgroup, id maps); its end of file afterwards says
// the supervisor is gone.
[[noreturn]] void init_main(ChildPlan& plan, int go) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    char byte = 0;
    if (read(go, &byte, 1) != 1)
        _exit(1); // the supervisor died before placing it
    if (plan.namespaces) {
        if (!become_namespace_root()) {
            report_setup_failure(plan.setup_write, SetupStage::namespaces,
                                 "becoming the user namespace's root");
            _exit(1);
        }
        // The credential change cleared PDEATHSIG: set again, then make
        // sure the supervisor did not die in between.
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        pollfd gone{go, POLLIN, 0};
        if (poll(&gone, 1, 0) > 0)
            _exit(1);
        // No process of the guest's uid may read init's memory or trace it.
        prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
        const char* where = nullptr;
        if (!plan.root.enter(&where)) {
            report_setup_failure(plan.setup_write, SetupStage::root, where);
            _exit(1);
        }
        sethostname(kGuestHostname, sizeof kGuestHostname - 1);
        bring_up_loopback();
        if (!plan.binfmt_lines.empty() &&
            !register_interpreters(kBinfmtMount, plan.binfmt_lines, &where)) {
            report_setup_failure(plan.setup_write, SetupStage::binfmt, where);
            _exit(1);
        }
        // Into the guest's own user namespace while init still holds
        // CAP_SETFCAP here, which mapping its uid 1000 to this namespace's
        // root takes; the capabilities it gets there go below.
        if (!enter_child_user_namespace(plan.inner_uid_map.c_str(), plan.inner_gid_map.c_str())) {
            report_setup_failure(plan.setup_write, SetupStage::namespaces,
                                 "entering the guest's user namespace");
            _exit(1);
        }
        // As after the first credential change.
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (poll(&gone, 1, 0) > 0)
            _exit(1);
    } else {
        // Session mode: the guest's processes are one group, and orphans
        // come back to init instead of the host's init.
        setpgid(0, 0);
        prctl(PR_SET_CHILD_SUBREAPER, 1);
    }
    close(go);
    // init needs no capability to fork, reap and report: no process of the
    // guest's tree holds one from here on, not even for a moment.
    drop_capabilities();
    pid_t guest = fork();
    if (guest == 0)
        run_guest(plan);
    if (guest < 0) {
        report_setup_failure(plan.setup_write, SetupStage::fork);
        _exit(1);
    }
    for (int fd :
         {plan.out_write, plan.err_write, plan.setup_write, plan.report_write, plan.pass_fd}) {
        if (fd >= 0)
            close(fd);
    }
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

// A fork into new namespaces. The raw system call (stack shared copy-on-write,
// as fork's) because glibc has no fork with flags; init calls only system
// calls and fork, which does not depend on the thread id glibc caches.
pid_t clone_into_namespaces() {
    return static_cast<pid_t>(
        syscall(SYS_clone, kNamespaceFlags | SIGCHLD, nullptr, nullptr, nullptr, nullptr));
}

// How often the supervisor looks whether the memory cap killed a process.
constexpr int kOomCheckMs = 100;

// Waits until init ends by itself or the lifeline closes (then kills it).
// The first process the memory cap kills ends the run too: the rest of the
// tree (a parent waiting for the child the kernel killed) would otherwise
// live on, as cgroup v2's memory.oom.group does not let it.
void watch(const ChildPlan& plan, pid_t init) {
    auto stop = [&] {
        // Namespace mode: init's death takes the pid namespace with it.
        // Session mode: init leads the guest's process group.
        kill(plan.namespaces ? init : -init, SIGKILL);
        kill(init, SIGKILL);
    };
    int init_fd = static_cast<int>(syscall(SYS_pidfd_open, init, 0));
    bool stopped = false;
    for (;;) {
        int status = 0;
        pid_t reaped = waitpid(init, &status, stopped ? 0 : WNOHANG);
        if (reaped == init || (reaped < 0 && errno != EINTR))
            break;
        pollfd fds[2] = {{plan.lifeline_read, POLLIN, 0}, {init_fd, POLLIN, 0}};
        // Without a pidfd (before Linux 5.3), a short poll.
        int wait_ms = init_fd < 0 ? 50 : plan.cgroup.caps_memory() ? kOomCheckMs : -1;
        int ready = poll(fds, 2, wait_ms);
        bool lifeline_closed = ready > 0 && fds[0].revents != 0;
        if (!stopped && (lifeline_closed || plan.cgroup.evidence().oom_kills > 0)) {
            stop();
            stopped = true;
        }
    }
    if (init_fd >= 0)
        close(init_fd);
    if (!plan.namespaces)
        kill(-init, SIGKILL); // what is left of the group
}

} // namespace

std::string describe_binfmt_refusal(BinfmtStep step, int error, std::string_view release) {
    switch (step) {
    case BinfmtStep::none:
        return "";
    case BinfmtStep::mount:
        if (error == ENODEV)
            return fmt::format("this kernel (Linux {}) has no binfmt_misc", release);
        return fmt::format("this kernel (Linux {}) refused to mount binfmt_misc in a user "
                           "namespace ({}; Linux 6.7 and later allow it)",
                           release, std::strerror(error));
    case BinfmtStep::register_entry:
        return fmt::format("this kernel (Linux {}) refused a binfmt_misc registration in a user "
                           "namespace ({})",
                           release, std::strerror(error));
    }
    return "";
}

namespace {

// What the probe's child found of binfmt_misc: the step that failed and its
// errno.
struct BinfmtProbe {
    BinfmtStep step = BinfmtStep::none;
    int error = 0;
};

} // namespace

NamespaceProbe probe_namespace_mode() {
    std::string uid_map = outer_namespace_mapping().uid_map();
    std::string gid_map = outer_namespace_mapping().gid_map();
    std::string inner_uid_map = inner_namespace_mapping().uid_map();
    std::string inner_gid_map = inner_namespace_mapping().gid_map();
    // A registration that matches no binary and opens no interpreter.
    const std::vector<std::string> probe_line = {
        ":crossrt-probe:M::crossrt-probe::/crossrt-probe:"};
    int go[2];
    int binfmt[2];
    if (pipe2(go, O_CLOEXEC) != 0)
        return {"pipe2 failed", "pipe2 failed"};
    if (pipe2(binfmt, O_CLOEXEC) != 0) {
        close(go[0]);
        close(go[1]);
        return {"pipe2 failed", "pipe2 failed"};
    }
    pid_t prober = fork();
    if (prober == 0) {
        // The steps init takes, as exit codes: 10 clone, 11 maps, 20 user,
        // 21 mounts, 22 the guest's user namespace. binfmt_misc's reports
        // through its pipe: only the qemu backend needs it.
        pid_t child = clone_into_namespaces();
        if (child == 0) {
            char byte = 0;
            if (read(go[0], &byte, 1) != 1)
                _exit(19);
            if (!become_namespace_root())
                _exit(20);
            if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
                mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=4k") != 0)
                _exit(21);
            BinfmtProbe found;
            const char* step = nullptr;
            if (mkdir("/tmp/binfmt_misc", 0755) != 0) {
                found = {BinfmtStep::mount, errno};
            } else if (!register_interpreters("/tmp/binfmt_misc", probe_line, &step)) {
                found = {step == probe_line.front().c_str() ? BinfmtStep::register_entry
                                                            : BinfmtStep::mount,
                         errno};
            }
            ssize_t ignored = write(binfmt[1], &found, sizeof found);
            (void)ignored;
            if (!enter_child_user_namespace(inner_uid_map.c_str(), inner_gid_map.c_str()))
                _exit(22);
            _exit(0);
        }
        if (child < 0)
            _exit(10);
        bool mapped = write_id_maps(child, uid_map.c_str(), gid_map.c_str());
        char byte = 'g';
        if (mapped && write(go[1], &byte, 1) != 1)
            mapped = false;
        if (!mapped)
            kill(child, SIGKILL);
        int status = 0;
        while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
        }
        _exit(!mapped ? 11 : WIFEXITED(status) ? WEXITSTATUS(status) : 19);
    }
    close(go[0]);
    close(go[1]);
    close(binfmt[1]);
    NamespaceProbe probe;
    if (prober < 0) {
        close(binfmt[0]);
        return {"fork failed", "fork failed"};
    }
    int status = 0;
    while (waitpid(prober, &status, 0) < 0 && errno == EINTR) {
    }
    BinfmtProbe binfmt_found;
    bool binfmt_probed = read(binfmt[0], &binfmt_found, sizeof binfmt_found) ==
                         static_cast<ssize_t>(sizeof binfmt_found);
    close(binfmt[0]);
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    switch (code) {
    case 0:
        break;
    case 10:
        probe.why_not = "the kernel refused new user, pid, mount, network, IPC and UTS namespaces";
        break;
    case 11:
        probe.why_not = "the new user namespace's id maps were refused";
        break;
    case 20:
        probe.why_not = "the namespace's root could not be taken in the new user namespace";
        break;
    case 21:
        probe.why_not = "mounts were refused in the new mount namespace";
        break;
    case 22:
        probe.why_not = "the guest's user namespace could not be made inside the sandbox's";
        break;
    default:
        probe.why_not = "the probe failed";
        break;
    }
    if (!probe.why_not.empty()) {
        probe.binfmt_why_not =
            "guests have no user namespace of their own here (" + probe.why_not + ")";
    } else if (!binfmt_probed) {
        probe.binfmt_why_not = "the probe of binfmt_misc failed";
    } else {
        utsname host{};
        uname(&host);
        probe.binfmt_why_not =
            describe_binfmt_refusal(binfmt_found.step, binfmt_found.error, host.release);
    }
    return probe;
}

[[noreturn]] void supervisor_main(ChildPlan& plan) {
    close_other_fds(plan.keep_fds);
    setsid();
    // Its last report may find crossrt gone: the cleanup after it must run.
    std::signal(SIGPIPE, SIG_IGN);
    auto fail = [&](SetupStage stage, const char* where) {
        report_setup_failure(plan.setup_write, stage, where);
        if (!plan.host_temp_dir.empty())
            async_safe::remove_tree(plan.host_temp_dir.c_str());
        plan.cgroup.remove();
        _exit(1);
    };
    if (!plan.cgroup.create())
        fail(SetupStage::cgroup, "making the run's cgroup");
    if (plan.namespaces) {
        // Where the supervisor may not (EPERM: an unprivileged crossrt),
        // init copies the mounts in its own mount namespace.
        const char* where = nullptr;
        if (!plan.root.clone_trees(&where) && errno != EPERM)
            fail(SetupStage::root, where);
        // The guest keeps none of the host groups of a privileged crossrt.
        if (geteuid() == 0)
            setgroups(0, nullptr);
    }
    int go[2];
    if (pipe2(go, O_CLOEXEC) != 0)
        fail(SetupStage::fork, "pipe");
    pid_t init = plan.namespaces ? clone_into_namespaces() : fork();
    if (init == 0) {
        close(go[1]);
        close(plan.lifeline_read);
        close(plan.supervisor_write);
        init_main(plan, go[0]);
    }
    close(go[0]);
    plan.root.close_trees();
    if (init < 0)
        fail(plan.namespaces ? SetupStage::namespaces : SetupStage::fork, "clone");
    auto fail_placed = [&](SetupStage stage, const char* where) {
        kill(init, SIGKILL);
        while (waitpid(init, nullptr, 0) < 0 && errno == EINTR) {
        }
        fail(stage, where);
    };
    if (!plan.cgroup.add(init))
        fail_placed(SetupStage::cgroup, "joining the run's cgroup");
    if (plan.namespaces && !write_id_maps(init, plan.uid_map.c_str(), plan.gid_map.c_str()))
        fail_placed(SetupStage::namespaces, "writing the user namespace's id maps");
    char go_byte = 'g';
    if (write(go[1], &go_byte, 1) != 1)
        fail_placed(SetupStage::fork, "starting init");
    // go[1] stays open: its end of file tells init that the supervisor died.
    for (int fd : {plan.out_write, plan.err_write, plan.status_write, plan.setup_write,
                   plan.report_write, plan.pass_fd}) {
        if (fd >= 0)
            close(fd);
    }
    watch(plan, init);
    plan.cgroup.kill_all(); // a session-mode guest that left its group
    SupervisorReport report{plan.cgroup.evidence()};
    ssize_t ignored = write(plan.supervisor_write, &report, sizeof report);
    (void)ignored;
    plan.cgroup.remove();
    if (!plan.host_temp_dir.empty())
        async_safe::remove_tree(plan.host_temp_dir.c_str());
    _exit(0);
}

} // namespace crossrt
