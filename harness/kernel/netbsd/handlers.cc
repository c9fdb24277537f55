// What the NetBSD personality implements, by name (the names of
// syscall_names.cc). Every other call answers ENOSYS (78) with a note, and
// ends the run under --strict.
#include "kernel/netbsd/sys.h"

namespace crossrt::kernel::nbsd {

const std::vector<Implementation>& implementations() {
    using S = Support;
    static const std::vector<Implementation> list = {
        {"exit", sys_exit, S::full, "", 1},
        {"read", sys_read, S::full,
         "stdin (empty), in-kernel pipes, sockets, tree and virtual files", 3},
        {"write", sys_write, S::full,
         "stdout/stderr (captured), in-kernel pipes, sockets, tree files", 3},
        {"readv", sys_readv, S::full, "as read", 3},
        {"writev", sys_writev, S::full, "as write", 3},
        {"pread", sys_pread, S::full, "tree and virtual files; ESPIPE on pipes", 5},
        {"pwrite", sys_pwrite, S::full, "tree files; ESPIPE on pipes", 5},
        {"lseek", sys_lseek, S::full, "tree and virtual files; ESPIPE on pipes", 4},
        {"open", sys_open, S::full,
         "the run's tree (an in-memory / with --mount binds) and the virtual file set; "
         "O_CREAT/EXCL/TRUNC/APPEND/DIRECTORY/NOFOLLOW/CLOEXEC/NONBLOCK",
         3},
        {"openat", sys_openat, S::full, "as open", 4},
        {"mkfifo", sys_mkfifo, S::full, "an open of a FIFO waits for its other end", 2},
        {"mkfifoat", sys_mkfifoat, S::full, "as mkfifo", 3},
        {"__mknod50", sys_mknod, S::partial, "FIFOs and regular files; devices and sockets EPERM",
         3},
        {"mknodat", sys_mknodat, S::partial, "as __mknod50", 5},
        {"__stat50", sys_stat, S::full, "struct stat", 2},
        {"__lstat50", sys_lstat, S::full, "struct stat", 2},
        {"__fstat50", sys_fstat, S::full, "struct stat; pipes, streams, kqueues too", 2},
        {"fstatat", sys_fstatat, S::full, "AT_SYMLINK_NOFOLLOW", 4},
        {"__getdents30", sys_getdents, S::full, "sorted by name, . and .. first", 3},
        {"mkdir", sys_mkdir, S::full, "", 2},
        {"mkdirat", sys_mkdirat, S::full, "", 3},
        {"rmdir", sys_rmdir, S::full, "", 1},
        {"unlink", sys_unlink, S::full, "", 1},
        {"unlinkat", sys_unlinkat, S::full, "AT_REMOVEDIR", 3},
        {"rename", sys_rename, S::full, "", 2},
        {"renameat", sys_renameat, S::full, "", 4},
        {"link", sys_link, S::full, "", 2},
        {"linkat", sys_linkat, S::full, "AT_SYMLINK_FOLLOW", 5},
        {"symlink", sys_symlink, S::full, "", 2},
        {"symlinkat", sys_symlinkat, S::full, "", 3},
        {"readlink", sys_readlink, S::full, "", 3},
        {"readlinkat", sys_readlinkat, S::full, "", 4},
        {"__getcwd", sys_getcwd, S::full, "--cwd (default /tmp)", 2},
        {"chdir", sys_chdir, S::full, "", 1},
        {"fchdir", sys_fchdir, S::full, "", 1},
        {"access", sys_access, S::full, "the owner's bits (every file is the guest user's)", 2},
        {"faccessat", sys_faccessat, S::full, "as access", 4},
        {"chmod", sys_chmod, S::full, "", 2},
        {"fchmod", sys_fchmod, S::full, "", 2},
        {"fchmodat", sys_fchmodat, S::full, "", 4},
        {"chown", sys_chown, S::full,
         "the owner stays (the guest is not root); the group may become the guest's own", 3},
        {"lchown", sys_lchown, S::full, "as chown", 3},
        {"fchown", sys_fchown, S::full, "as chown", 3},
        {"__posix_chown", sys_chown, S::full, "as chown", 3},
        {"__posix_lchown", sys_lchown, S::full, "as chown", 3},
        {"__posix_fchown", sys_fchown, S::full, "as chown", 3},
        {"fchownat", sys_fchownat, S::full, "as chown", 5},
        {"truncate", sys_truncate, S::full, "", 4},
        {"ftruncate", sys_ftruncate, S::full, "", 4},
        {"utimensat", sys_utimensat, S::full,
         "times set, UTIME_NOW (the run's CLOCK_REALTIME) or UTIME_OMIT", 4},
        {"__utimes50", sys_utimes, S::full, "as utimensat, in microseconds", 2},
        {"__lutimes50", sys_lutimes, S::full, "as __utimes50", 2},
        {"__futimes50", sys_futimes, S::full, "as __utimes50", 2},
        {"futimens", sys_futimens, S::full, "as utimensat", 2},
        {"umask", sys_umask, S::full, "", 1},
        {"fsync", sys_fsync, S::full, "the tree is memory: nothing to flush", 1},
        {"flock", sys_flock, S::partial, "granted at once, never enforced", 2},
        {"dup", sys_dup, S::full, "", 1},
        {"dup2", sys_dup2, S::full, "", 2},
        {"dup3", sys_dup3, S::full, "O_CLOEXEC", 3},
        {"close", sys_close, S::full, "", 1},
        {"getpid", sys_getpid, S::full, "pid 100, ppid 1 in the second register", 0},
        {"getppid", sys_getppid, S::full, "the parent's pid (1 for the first process)", 0},
        {"getuid", sys_getuid, S::full, "1000", 0},
        {"setuid", sys_setuid, S::full, "its own uid only (EPERM otherwise)", 1},
        {"setgid", sys_setuid, S::full, "as setuid", 1},
        {"seteuid", sys_setuid, S::full, "as setuid", 1},
        {"setegid", sys_setuid, S::full, "as setuid", 1},
        {"setreuid", sys_setreuid, S::full, "as setuid", 2},
        {"setregid", sys_setreuid, S::full, "as setuid", 2},
        {"getgroups", sys_getgroups, S::full, "one group, 1000", 2},
        {"setgroups", sys_setgroups, S::full, "EPERM: the guest is not root", 2},
        {"geteuid", sys_getuid, S::full, "1000", 0},
        {"getgid", sys_getuid, S::full, "1000", 0},
        {"getegid", sys_getuid, S::full, "1000", 0},
        {"kill", sys_kill, S::full,
         "any process of the run; 0 and -pgid: all (one group); -1: all but the caller", 2},
        {"fork", sys_fork, S::full,
         "a new engine with a copy of the memory, the files, the signal actions and the cwd; at "
         "most 16 processes (EAGAIN)",
         0},
        {"vfork", sys_fork, S::partial, "as fork (the child gets a copy; the parent runs on)", 0},
        {"execve", sys_execve, S::partial,
         "a static ELF of the run's tree for the same target (a bound host file); others ENOEXEC "
         "with a note",
         3},
        {"__wait450", sys_wait4, S::full, "WNOHANG; rusage zeroed", 4},
        {"ioctl", sys_ioctl, S::partial, "ENOTTY", 3},
        {"munmap", sys_munmap, S::full, "", 2},
        {"mprotect", sys_mprotect, S::full, "", 3},
        {"madvise", sys_madvise, S::partial, "MADV_DONTNEED zeroes; MADV_FREE keeps contents", 3},
        {"fcntl", sys_fcntl, S::partial,
         "F_GETFD/SETFD/GETFL/SETFL, F_DUPFD[_CLOEXEC]; record locks granted at once, never "
         "enforced (a note)",
         3},
        {"getrlimit", sys_getrlimit, S::full, "NOFILE 1024, STACK 8 MiB soft, the rest infinite",
         2},
        {"setrlimit", sys_setrlimit, S::partial, "the limits are fixed: other values get EPERM", 2},
        {"mmap", sys_mmap, S::partial,
         "anonymous; files as private copies (args: addr len prot flags fd PAD pos)", 7},
        {"__sysctl", sys_sysctl, S::partial,
         "hw.ncpu, hw.ncpuonline, hw.pagesize, hw.machine, hw.machine_arch, hw.model, "
         "kern.ostype, kern.osrelease, kern.osrev, kern.hostname, kern.arandom; read-only; "
         "CTL_QUERY lists these nodes (sysctlbyname)",
         6},
        {"__sigaltstack14", sys_sigaltstack, S::full, "", 2},
        {"__sigprocmask14", sys_sigprocmask, S::full, "", 3},
        {"getcontext", sys_getcontext, S::full, "", 1},
        {"setcontext", sys_setcontext, S::full, "", 1},
        {"_lwp_create", sys_lwp_create, S::partial,
         "no LWP_SUSPENDED; at most 1024 live LWPs in a run (EAGAIN)", 3},
        {"_lwp_exit", sys_lwp_exit, S::full, "", 0},
        {"_lwp_self", sys_lwp_self, S::full, "", 0},
        {"_lwp_getprivate", sys_lwp_getprivate, S::full, "", 0},
        {"_lwp_setprivate", sys_lwp_setprivate, S::full, "", 1},
        {"_lwp_kill", sys_lwp_kill, S::full, "", 2},
        {"_lwp_unpark", sys_lwp_unpark, S::full, "", 2},
        {"__sigaction_sigtramp", sys_sigaction_sigtramp, S::partial,
         "siginfo trampolines (version 2) only", 5},
        {"sched_yield", sys_sched_yield, S::full, "", 0},
        {"__gettimeofday50", sys_gettimeofday, S::full, "virtual clock", 2},
        {"__setitimer50", sys_setitimer, S::full, "virtual clock", 3},
        {"__getitimer50", sys_getitimer, S::full, "virtual clock", 2},
        {"__clock_gettime50", sys_clock_gettime, S::full, "virtual clock", 2},
        {"__clock_getres50", sys_clock_getres, S::full, "1 ns", 2},
        {"__nanosleep50", sys_nanosleep, S::partial, "virtual clock; rem is not written", 2},
        {"___lwp_park50", sys_lwp_park50, S::full, "absolute CLOCK_REALTIME timeout", 4},
        {"kqueue", sys_kqueue, S::partial,
         "EVFILT_READ/EVFILT_WRITE on pipes, sockets, the host streams and tree files", 0},
        {"__kevent50", sys_kevent, S::partial,
         "EVFILT_READ/EVFILT_WRITE; EV_ADD/DELETE/ENABLE/DISABLE/ONESHOT/CLEAR/DISPATCH/RECEIPT; "
         "virtual-clock timeouts",
         6},
        {"pipe2", sys_pipe2, S::full, "in-kernel pipes", 2},
        {"___lwp_park60", sys_lwp_park60, S::full,
         "unpark-before-park gives EALREADY; ETIMEDOUT, EINTR", 6},
        {"poll", sys_poll, S::full, "pipes, sockets, every fd; virtual-clock timeouts", 3},
        {"__pollts50", sys_pollts, S::partial, "as poll; a signal mask ENOSYS", 4},
        // sockets: a loopback network private to the run (no host socket)
        {"__socket30", sys_socket, S::partial,
         "AF_INET (127.0.0.0/8), AF_INET6 (::1; IPV6_V6ONLY by default, as NetBSD), AF_LOCAL; "
         "SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET (AF_LOCAL); SOCK_NONBLOCK, SOCK_CLOEXEC, "
         "SOCK_NOSIGPIPE; others EAFNOSUPPORT",
         3},
        {"socketpair", sys_socketpair, S::full, "AF_LOCAL", 4},
        {"bind", sys_bind, S::full,
         "loopback and wildcard addresses; port 0: the next of one ephemeral sequence (32768 "
         "up); below 1024 EACCES; AF_LOCAL paths in the tree",
         3},
        {"listen", sys_listen, S::full, "", 2},
        {"connect", sys_connect, S::full,
         "completes at once into the listener's backlog (a full one waits); no listener: "
         "ECONNREFUSED; non-blocking TCP: EINPROGRESS, connected already",
         3},
        {"accept", sys_accept, S::full, "", 3},
        {"paccept", sys_paccept, S::partial,
         "SOCK_NONBLOCK, SOCK_CLOEXEC, SOCK_NOSIGPIPE; a signal mask ENOSYS", 5},
        {"getsockname", sys_getsockname, S::full, "", 3},
        {"getpeername", sys_getpeername, S::full, "", 3},
        {"shutdown", sys_shutdown, S::full, "", 2},
        {"sendto", sys_sendto, S::partial,
         "MSG_DONTWAIT, MSG_NBIO, MSG_NOSIGNAL; MSG_OOB EOPNOTSUPP; UDP to a port nobody has: "
         "dropped (a connected sender gets ECONNREFUSED)",
         6},
        {"recvfrom", sys_recvfrom, S::partial,
         "MSG_PEEK, MSG_DONTWAIT, MSG_TRUNC; MSG_WAITALL returns what arrived (a note)", 6},
        {"sendmsg", sys_sendmsg, S::partial, "as sendto; SCM_RIGHTS over AF_LOCAL", 3},
        {"recvmsg", sys_recvmsg, S::partial, "as recvfrom; SCM_RIGHTS, MSG_CMSG_CLOEXEC", 3},
        {"setsockopt", sys_setsockopt, S::partial,
         "SO_REUSEADDR, SO_REUSEPORT, SO_KEEPALIVE, SO_BROADCAST, SO_LINGER (0 s: a reset), "
         "SO_NOSIGPIPE, SO_SNDBUF, SO_RCVBUF, TCP_NODELAY, IPV6_V6ONLY; the rest of SOL_SOCKET, "
         "IP, IPV6, TCP and UDP kept and read back (a note)",
         5},
        {"getsockopt", sys_getsockopt, S::partial,
         "as setsockopt, and SO_ERROR (NetBSD's numbers), SO_TYPE, SO_ACCEPTCONN", 5},
    };
    return list;
}

std::unique_ptr<posix::SyscallTable> make_syscall_table(Arch arch) {
    return std::make_unique<posix::SyscallTable>(arch, syscall_names(), implementations());
}

std::string compatibility_markdown() {
    std::string text =
        "# NetBSD system calls in the unicorn backend\n\n"
        "Generated by `crossrt syscalls --markdown --os netbsd` from the kernel's tables\n"
        "(`harness/kernel/netbsd/syscall_names.cc` for numbers and names, the same on every\n"
        "arch as in NetBSD's syscalls.master, and `harness/kernel/netbsd/handlers.cc` for what\n"
        "is implemented). Every call not listed as full or partial answers `ENOSYS` (78)\n"
        "with a note on stderr naming it; under `--strict` it ends the run.\n\n";
    return text + posix::compatibility_sections(make_syscall_table);
}

} // namespace crossrt::kernel::nbsd
