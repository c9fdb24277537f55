// The sandbox's side of fork: the supervisor, the namespace's init and the
// guest, and everything they need, prepared by crossrt beforehand (crossrt
// is multi-threaded: between fork and execve only async-signal-safe calls).
//
// Process layout (namespace mode):
//   crossrt --fork--> supervisor (host namespaces): setsid, the run's cgroup,
//                     the root's mounts copied; its lifeline is a pipe from crossrt
//            --clone(NEWUSER|NEWPID|NEWNS|NEWNET|NEWIPC|NEWUTS)--> init (pid 1):
//                     in the cgroup, uid 0 of its user namespace = an
//                     unprivileged host user; builds the guest's root,
//                     hostname, loopback, binfmt_misc (qemu); enters the
//                     guest's user namespace (uid 1000 = the same host user)
//                     and drops its capabilities
//                       --fork--> guest (pid 2): rlimits, Landlock, seccomp,
//                                 execve
// init reports the guest's raw wait status and CPU time through a pipe. When
// crossrt closes the lifeline (the run is over, or crossrt died, even by
// SIGKILL), the supervisor kills init, which takes the pid namespace and
// every process in it down; then it reads what the cgroup saw, removes the
// cgroup (and in session mode the host temp dir) and exits. init and the
// guest also die with their parent (PR_SET_PDEATHSIG), so a killed
// supervisor leaves no guest either.
//
// Session mode (no user namespaces): init is a plain child in a process
// group of its own and a child subreaper; the guest runs with crossrt's
// uid but no capabilities, in a host temp dir.
#pragma once

#include "backend/guest_cgroup.h"
#include "backend/guest_root.h"
#include "backend/landlock.h"
#include "backend/sandbox.h"
#include "backend/user_namespace.h"

#include <linux/filter.h>
#include <string>
#include <string_view>
#include <sys/resource.h>
#include <vector>

namespace crossrt {

// Which step of the guest's setup failed, reported with errno before exit.
enum class SetupStage : int {
    execve = 1,
    landlock = 2,
    chdir = 3,
    rlimit = 4,
    fork = 5,
    cgroup = 6,
    namespaces = 7,
    root = 8,
    capabilities = 9,
    seccomp = 10,
    binfmt = 11,
};

struct SetupFailure {
    int stage = 0;
    int error = 0;
    char where[200] = {}; // the path or step, when the stage has one
};

// What the supervisor tells crossrt when the guest ends: its raw wait
// status and its CPU time (wait4's, its reaped descendants' included),
// which the PID namespace hides from crossrt. One write, below PIPE_BUF.
struct GuestExit {
    int status = 0;
    int unused = 0;
    long long user_us = 0;
    long long system_us = 0;
};

// What the supervisor tells crossrt last, once the guest's tree is gone.
struct SupervisorReport {
    CgroupEvidence cgroup;
};

struct ChildPlan {
    bool namespaces = false;
    std::vector<std::string> argv_storage;
    std::vector<std::string> env_storage;
    std::vector<char*> argv;
    std::vector<char*> envp;
    std::string program; // what execve runs (argv[0], or where its symlink leads)
    std::string cwd;
    std::string host_temp_dir;                // session mode: removed by the supervisor at the end
    GuestRoot root;                           // namespace mode
    std::string uid_map, gid_map;             // the outer user namespace's, init's
    std::string inner_uid_map, inner_gid_map; // the guest's, inside it
    // binfmt_misc register lines (binfmt_misc.h), in namespace mode where
    // the kernel allows them.
    std::vector<std::string> binfmt_lines;
    LandlockPolicy landlock{0};
    const std::vector<sock_filter>* seccomp = nullptr;
    RunCgroup cgroup;
    IoMode io = IoMode::capture;
    bool share_stdin = false;
    rlim_t cpu_seconds = RLIM_INFINITY;
    rlim_t data_bytes = RLIM_INFINITY; // set only when no cgroup caps memory
    rlim_t file_bytes = RLIM_INFINITY;
    rlim_t processes = RLIM_INFINITY; // set only when no cgroup caps tasks
    int out_write = -1;
    int err_write = -1;
    int status_write = -1;     // GuestExit, from init
    int setup_write = -1;      // SetupFailure, from any of them
    int report_write = -1;     // dup'ed to fd 3 in the guest
    int pass_fd = -1;          // dup'ed to fd 4 in the guest (SandboxRequest::pass_fd)
    int lifeline_read = -1;    // end of file: stop the guest and clean up
    int supervisor_write = -1; // SupervisorReport
    std::vector<int> keep_fds; // sorted: the fds above 2 that the supervisor keeps
};

// The forked child of crossrt runs this and never returns.
[[noreturn]] void supervisor_main(ChildPlan& plan);

// Whether namespace mode works here: a child makes the namespaces, takes
// their root, mounts a tmpfs and enters a user namespace for the guest as
// init does; and whether binfmt_misc may be registered there (Linux 6.7+).
// Each empty, or what failed.
struct NamespaceProbe {
    std::string why_not;
    std::string binfmt_why_not;
};
NamespaceProbe probe_namespace_mode();

// Why binfmt_misc cannot be registered, from the step the probe's
// registration failed at and its errno; empty for none.
enum class BinfmtStep { none, mount, register_entry };
std::string describe_binfmt_refusal(BinfmtStep step, int error, std::string_view kernel_release);

} // namespace crossrt
