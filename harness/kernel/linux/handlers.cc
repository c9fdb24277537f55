// What the Linux personality implements, by name. The per-arch number tables
// (table_linux_<arch>.cc) are joined with this list by name, so a call is
// implemented once for every arch that has it.
#include "kernel/linux/sys.h"

namespace crossrt::kernel::lnx {

const std::vector<Implementation>& implementations() {
    constexpr Support full = Support::full;
    constexpr Support partial = Support::partial;
    static const std::vector<Implementation> list = {
        // process
        {"exit", sys_exit, full, "ends the calling LWP; CLONE_CHILD_CLEARTID is cleared and woken",
         1},
        {"exit_group", sys_exit_group, full, "", 1},
        {"getpid", sys_getpid, full, "the process id is 100", 0},
        {"gettid", sys_gettid, full, "the main thread is 100, threads 101, 102, ...", 0},
        {"getppid", sys_getppid, full, "", 0},
        {"getuid", sys_getuid, full, "1000", 0},
        {"geteuid", sys_getuid, full, "1000", 0},
        {"getgid", sys_getuid, full, "1000", 0},
        {"getegid", sys_getuid, full, "1000", 0},
        {"getuid32", sys_getuid, full, "1000", 0, kI386 | kArm},
        {"geteuid32", sys_getuid, full, "1000", 0, kI386 | kArm},
        {"getgid32", sys_getuid, full, "1000", 0, kI386 | kArm},
        {"getegid32", sys_getuid, full, "1000", 0, kI386 | kArm},
        {"set_tid_address", sys_set_tid_address, full, "", 1},
        {"set_robust_list", sys_set_robust_list, partial, "accepted, never walked", 2},
        {"prlimit64", sys_prlimit64, partial, "reads fixed limits; setting is accepted and ignored",
         4},
        {"getrlimit", sys_getrlimit, partial, "fixed limits", 2, kAmd64 | kI386},
        {"ugetrlimit", sys_getrlimit, partial, "fixed limits", 2, kI386 | kArm},
        {"sched_getaffinity", sys_sched_getaffinity, full,
         "the LWP's mask of the N CPUs presented (--cpus, default 4)", 3},
        {"sched_setaffinity", sys_sched_setaffinity, partial,
         "kept and reported; the LWPs run one at a time whatever it says", 3},
        {"sched_yield", sys_sched_yield, full, "ends the slice; the seed picks who runs next", 0},
        {"arch_prctl", sys_arch_prctl, partial, "ARCH_SET_FS, ARCH_GET_FS", 2, kAmd64},
        {"set_thread_area", sys_set_thread_area, full, "one GDT per LWP (entries 6-8)", 1, kI386},
        {"modify_ldt", sys_modify_ldt, partial, "read and write entries of the process's LDT", 3,
         kI386},
        {"ARM_set_tls", sys_arm_set_tls, full, "TPIDRURO", 1, kArm},
        {"ARM_cacheflush", sys_arm_cacheflush, full, "nothing to flush", 3, kArm},
        {"prctl", sys_prctl, partial, "PR_SET_NAME/PR_GET_NAME; others EINVAL", 5},
        // misc
        {"uname", sys_uname, full, "Linux 6.1.0 crossrt", 1},
        {"getrandom", sys_getrandom, full, "bytes from the seed", 3},
        {"rseq", sys_enosys, full, "ENOSYS by design (no restartable sequences)", 4},
        // memory
        {"mmap", sys_mmap, partial, "anonymous private mappings; file mappings ENODEV", 6, kAmd64},
        {"mmap2", sys_mmap2, partial, "anonymous private mappings; file mappings ENODEV", 6,
         kI386 | kArm},
        {"munmap", sys_munmap, full, "", 2},
        {"mprotect", sys_mprotect, full, "", 3},
        {"madvise", sys_madvise, partial, "accepted; MADV_DONTNEED zeroes", 3},
        {"brk", sys_brk, full, "", 1},
        // threads
        {"clone", sys_clone, partial,
         "threads only (CLONE_VM|CLONE_THREAD|CLONE_SIGHAND); SETTLS, PARENT_SETTID, "
         "CHILD_SETTID, CHILD_CLEARTID",
         5},
        // sync
        {"futex", sys_futex, partial,
         "WAIT, WAKE, WAIT_BITSET, WAKE_BITSET (private or not), timeouts", 6},
        {"futex_time64", sys_futex_time64, partial, "as futex, 64-bit timespec", 6, kI386 | kArm},
        // signals
        {"rt_sigaction", sys_rt_sigaction, full, "", 4},
        {"rt_sigprocmask", sys_rt_sigprocmask, full, "", 4},
        {"sigaltstack", sys_sigaltstack, full, "", 2},
        {"rt_sigreturn", sys_rt_sigreturn, full, "restores the frame and the exact FP state", 0},
        {"sigreturn", sys_sigreturn, full, "", 0, kI386 | kArm},
        {"kill", sys_kill, partial, "the process itself only", 2},
        {"tgkill", sys_tgkill, full, "", 3},
        {"tkill", sys_tkill, full, "", 2},
        {"rt_sigpending", sys_rt_sigpending, full, "", 2},
        // time
        {"clock_gettime", sys_clock_gettime, full, "virtual time: 1 ns per instruction", 2},
        {"clock_gettime64", sys_clock_gettime64, full, "virtual time", 2, kI386 | kArm},
        {"clock_getres", sys_clock_getres, full, "1 ns", 2},
        {"gettimeofday", sys_gettimeofday, full, "virtual time", 2},
        {"time", sys_time, full, "virtual time", 1, kAmd64 | kI386},
        {"nanosleep", sys_nanosleep, full, "virtual time", 2},
        {"clock_nanosleep", sys_clock_nanosleep, full, "virtual time", 4},
        {"clock_nanosleep_time64", sys_clock_nanosleep_time64, full, "virtual time", 4,
         kI386 | kArm},
        {"setitimer", sys_setitimer, full, "REAL on virtual time; VIRTUAL and PROF on CPU time", 3},
        {"getitimer", sys_getitimer, full, "", 2},
        // files
        {"write", sys_write, partial, "fds 1 and 2 (the guest's stdout and stderr), pipes", 3},
        {"writev", sys_writev, partial, "fds 1 and 2, pipes", 3},
        {"read", sys_read, partial, "fd 0 is empty; pipes; the virtual file set", 3},
        {"openat", sys_openat, partial,
         "the virtual file set only (/dev/null, /dev/zero, /dev/[u]random, /proc/self/maps, "
         "hpage_pmd_size); no host file is ever opened: ENOENT",
         4},
        {"open", sys_open, partial, "the virtual file set only, as openat", 3,
         kAmd64 | kI386 | kArm},
        {"close", sys_close, partial, "", 1},
        {"pipe", sys_pipe, partial,
         "in-kernel buffers; a blocking write never waits (the buffer grows past 64 KiB)", 1},
        {"pipe2", sys_pipe2, partial, "as pipe; O_NONBLOCK, O_CLOEXEC", 2},
        {"epoll_create", sys_epoll_create, full, "", 1},
        {"epoll_create1", sys_epoll_create1, full, "", 1},
        {"epoll_ctl", sys_epoll_ctl, partial,
         "ADD/MOD/DEL on pipes; EPOLLET is level-triggered; EPOLLONESHOT", 4},
        {"epoll_wait", sys_epoll_wait, partial, "as epoll_pwait", 4},
        {"epoll_pwait", sys_epoll_pwait, partial,
         "level-triggered readiness of pipes; virtual-time timeouts; a signal mask ENOSYS", 6},
        {"fcntl", sys_fcntl, partial, "F_GETFD/F_SETFD/F_GETFL/F_SETFL on open fds", 3},
        {"fcntl64", sys_fcntl, partial, "as fcntl", 3, kI386 | kArm},
        {"ioctl", sys_ioctl, partial, "ENOTTY", 3},
        {"lseek", sys_lseek, partial, "virtual files; ESPIPE on pipes", 3},
    };
    return list;
}

} // namespace crossrt::kernel::lnx
