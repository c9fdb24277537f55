// The NetBSD system call handlers, by topic (sys_<topic>.cc). Each reads its
// arguments from args.a[] as the arch's NetBSD convention decoded them
// (abi/netbsd.h), decodes NetBSD's numbers and structures, calls posix/ for
// what both personalities share, and returns a value or -errno in NetBSD's
// numbering (errno.h: encode() for posix/'s results).
#pragma once

#include "kernel/netbsd/errno.h"
#include "kernel/netbsd/personality.h"
#include "kernel/netbsd/table.h"
#include "kernel/process.h"

namespace crossrt::kernel::nbsd {

#define CROSSRT_NETBSD_HANDLER(name)                                                               \
    SysResult sys_##name(Process& m, Lwp& self, const SyscallArgs& args)

// sys_process.cc
CROSSRT_NETBSD_HANDLER(exit);
CROSSRT_NETBSD_HANDLER(getpid);
CROSSRT_NETBSD_HANDLER(getppid);
CROSSRT_NETBSD_HANDLER(getuid);
CROSSRT_NETBSD_HANDLER(setuid);
CROSSRT_NETBSD_HANDLER(setreuid);
CROSSRT_NETBSD_HANDLER(getgroups);
CROSSRT_NETBSD_HANDLER(setgroups);
CROSSRT_NETBSD_HANDLER(sched_yield);
CROSSRT_NETBSD_HANDLER(getrlimit);
CROSSRT_NETBSD_HANDLER(setrlimit);
CROSSRT_NETBSD_HANDLER(sysctl);

// sys_lwp.cc
CROSSRT_NETBSD_HANDLER(getcontext);
CROSSRT_NETBSD_HANDLER(setcontext);
CROSSRT_NETBSD_HANDLER(lwp_create);
CROSSRT_NETBSD_HANDLER(lwp_exit);
CROSSRT_NETBSD_HANDLER(lwp_self);
CROSSRT_NETBSD_HANDLER(lwp_getprivate);
CROSSRT_NETBSD_HANDLER(lwp_setprivate);
CROSSRT_NETBSD_HANDLER(lwp_unpark);
CROSSRT_NETBSD_HANDLER(lwp_park60);
CROSSRT_NETBSD_HANDLER(lwp_park50);

// sys_memory.cc
CROSSRT_NETBSD_HANDLER(mmap);
CROSSRT_NETBSD_HANDLER(munmap);
CROSSRT_NETBSD_HANDLER(mprotect);
CROSSRT_NETBSD_HANDLER(madvise);

// sys_time.cc
CROSSRT_NETBSD_HANDLER(clock_gettime);
CROSSRT_NETBSD_HANDLER(clock_getres);
CROSSRT_NETBSD_HANDLER(gettimeofday);
CROSSRT_NETBSD_HANDLER(nanosleep);
CROSSRT_NETBSD_HANDLER(setitimer);
CROSSRT_NETBSD_HANDLER(getitimer);

// sys_file.cc
CROSSRT_NETBSD_HANDLER(write);
CROSSRT_NETBSD_HANDLER(read);
CROSSRT_NETBSD_HANDLER(close);
CROSSRT_NETBSD_HANDLER(fcntl);
CROSSRT_NETBSD_HANDLER(ioctl);
CROSSRT_NETBSD_HANDLER(pipe2);
CROSSRT_NETBSD_HANDLER(writev);
CROSSRT_NETBSD_HANDLER(readv);
CROSSRT_NETBSD_HANDLER(pread);
CROSSRT_NETBSD_HANDLER(pwrite);
CROSSRT_NETBSD_HANDLER(lseek);
CROSSRT_NETBSD_HANDLER(dup);
CROSSRT_NETBSD_HANDLER(dup2);
CROSSRT_NETBSD_HANDLER(dup3);
CROSSRT_NETBSD_HANDLER(fsync);
CROSSRT_NETBSD_HANDLER(flock);

// sys_path.cc
CROSSRT_NETBSD_HANDLER(open);
CROSSRT_NETBSD_HANDLER(openat);
CROSSRT_NETBSD_HANDLER(mkfifo);
CROSSRT_NETBSD_HANDLER(mkfifoat);
CROSSRT_NETBSD_HANDLER(mknod);
CROSSRT_NETBSD_HANDLER(mknodat);
CROSSRT_NETBSD_HANDLER(stat);
CROSSRT_NETBSD_HANDLER(lstat);
CROSSRT_NETBSD_HANDLER(fstat);
CROSSRT_NETBSD_HANDLER(fstatat);
CROSSRT_NETBSD_HANDLER(getdents);
CROSSRT_NETBSD_HANDLER(mkdir);
CROSSRT_NETBSD_HANDLER(mkdirat);
CROSSRT_NETBSD_HANDLER(rmdir);
CROSSRT_NETBSD_HANDLER(unlink);
CROSSRT_NETBSD_HANDLER(unlinkat);
CROSSRT_NETBSD_HANDLER(rename);
CROSSRT_NETBSD_HANDLER(renameat);
CROSSRT_NETBSD_HANDLER(link);
CROSSRT_NETBSD_HANDLER(linkat);
CROSSRT_NETBSD_HANDLER(symlink);
CROSSRT_NETBSD_HANDLER(symlinkat);
CROSSRT_NETBSD_HANDLER(readlink);
CROSSRT_NETBSD_HANDLER(readlinkat);
CROSSRT_NETBSD_HANDLER(getcwd);
CROSSRT_NETBSD_HANDLER(chdir);
CROSSRT_NETBSD_HANDLER(fchdir);
CROSSRT_NETBSD_HANDLER(access);
CROSSRT_NETBSD_HANDLER(faccessat);
CROSSRT_NETBSD_HANDLER(chmod);
CROSSRT_NETBSD_HANDLER(fchmod);
CROSSRT_NETBSD_HANDLER(fchmodat);
CROSSRT_NETBSD_HANDLER(chown);
CROSSRT_NETBSD_HANDLER(lchown);
CROSSRT_NETBSD_HANDLER(fchown);
CROSSRT_NETBSD_HANDLER(fchownat);
CROSSRT_NETBSD_HANDLER(truncate);
CROSSRT_NETBSD_HANDLER(ftruncate);
CROSSRT_NETBSD_HANDLER(utimensat);
CROSSRT_NETBSD_HANDLER(futimens);
CROSSRT_NETBSD_HANDLER(utimes);
CROSSRT_NETBSD_HANDLER(lutimes);
CROSSRT_NETBSD_HANDLER(futimes);
CROSSRT_NETBSD_HANDLER(umask);

// sys_child.cc
CROSSRT_NETBSD_HANDLER(fork);
CROSSRT_NETBSD_HANDLER(wait4);
CROSSRT_NETBSD_HANDLER(execve);

// sys_signal.cc
CROSSRT_NETBSD_HANDLER(sigaction_sigtramp);
CROSSRT_NETBSD_HANDLER(sigprocmask);
CROSSRT_NETBSD_HANDLER(sigaltstack);
CROSSRT_NETBSD_HANDLER(kill);
CROSSRT_NETBSD_HANDLER(lwp_kill);

// sys_kqueue.cc
CROSSRT_NETBSD_HANDLER(kqueue);
CROSSRT_NETBSD_HANDLER(kevent);

// sys_socket.cc
CROSSRT_NETBSD_HANDLER(socket);
CROSSRT_NETBSD_HANDLER(socketpair);
CROSSRT_NETBSD_HANDLER(bind);
CROSSRT_NETBSD_HANDLER(connect);
CROSSRT_NETBSD_HANDLER(listen);
CROSSRT_NETBSD_HANDLER(accept);
CROSSRT_NETBSD_HANDLER(paccept);
CROSSRT_NETBSD_HANDLER(getsockname);
CROSSRT_NETBSD_HANDLER(getpeername);
CROSSRT_NETBSD_HANDLER(shutdown);
CROSSRT_NETBSD_HANDLER(sendto);
CROSSRT_NETBSD_HANDLER(recvfrom);
CROSSRT_NETBSD_HANDLER(sendmsg);
CROSSRT_NETBSD_HANDLER(recvmsg);
CROSSRT_NETBSD_HANDLER(setsockopt);
CROSSRT_NETBSD_HANDLER(getsockopt);

// sys_poll.cc
CROSSRT_NETBSD_HANDLER(poll);
CROSSRT_NETBSD_HANDLER(pollts);

#undef CROSSRT_NETBSD_HANDLER

// Helpers shared by the handlers.
using posix::to_i64;
// An off_t argument at index: one word on amd64, two (lo, hi) on 386 and
// arm (NetBSD's PAD arguments keep the pair where the arch wants it).
i64 off_arg(const Process& m, const SyscallArgs& args, std::size_t index);
// struct timespec: 64-bit tv_sec, then tv_nsec (a long: 8 bytes on amd64,
// 4 on 386 and arm).
bool read_timespec(Process& m, u64 address, u64& ns);
bool write_timespec(Process& m, u64 address, u64 ns);
// An absolute time on a NetBSD clock as virtual monotonic ns; nullopt for
// clocks that cannot be waited on.
std::optional<u64> monotonic_from(u64 clock, u64 ns);
constexpr u64 kClockRealtime = 0;
constexpr u64 kClockMonotonic = 3;
constexpr u64 kTimerAbstime = 1;

} // namespace crossrt::kernel::nbsd
