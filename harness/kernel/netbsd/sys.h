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
CROSSRT_NETBSD_HANDLER(getuid);
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
CROSSRT_NETBSD_HANDLER(open);
CROSSRT_NETBSD_HANDLER(close);
CROSSRT_NETBSD_HANDLER(fcntl);
CROSSRT_NETBSD_HANDLER(ioctl);
CROSSRT_NETBSD_HANDLER(pipe2);

// sys_signal.cc
CROSSRT_NETBSD_HANDLER(sigaction_sigtramp);
CROSSRT_NETBSD_HANDLER(sigprocmask);
CROSSRT_NETBSD_HANDLER(sigaltstack);
CROSSRT_NETBSD_HANDLER(kill);
CROSSRT_NETBSD_HANDLER(lwp_kill);

// sys_kqueue.cc
CROSSRT_NETBSD_HANDLER(kqueue);
CROSSRT_NETBSD_HANDLER(kevent);

#undef CROSSRT_NETBSD_HANDLER

// Helpers shared by the handlers.
using posix::to_i64;
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
