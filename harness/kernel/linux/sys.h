// The Linux syscall handlers, by topic (sys_<topic>.cc). Each reads its
// arguments from args.a[] as the arch passes them, decodes Linux's numbers
// and structures, calls posix/ for what both personalities share, and
// returns the Linux result. posix/'s errno values are Linux's numbers
// (posix/errno.h), so its results pass through as they are.
#pragma once

#include "kernel/linux/personality.h"
#include "kernel/linux/table.h"
#include "kernel/process.h"

#include <optional>

namespace crossrt::kernel::lnx {

#define CROSSRT_HANDLER(name) SysResult sys_##name(Process& m, Lwp& self, const SyscallArgs& args)

// sys_process.cc
CROSSRT_HANDLER(exit);
CROSSRT_HANDLER(exit_group);
CROSSRT_HANDLER(getpid);
CROSSRT_HANDLER(gettid);
CROSSRT_HANDLER(getppid);
CROSSRT_HANDLER(getuid);
CROSSRT_HANDLER(set_tid_address);
CROSSRT_HANDLER(set_robust_list);
CROSSRT_HANDLER(prlimit64);
CROSSRT_HANDLER(getrlimit);
CROSSRT_HANDLER(setrlimit);
CROSSRT_HANDLER(sched_getaffinity);
CROSSRT_HANDLER(sched_setaffinity);
CROSSRT_HANDLER(sched_yield);
CROSSRT_HANDLER(arch_prctl);
CROSSRT_HANDLER(set_thread_area);
CROSSRT_HANDLER(modify_ldt);
CROSSRT_HANDLER(arm_set_tls);
CROSSRT_HANDLER(arm_cacheflush);
CROSSRT_HANDLER(prctl);

// sys_ids.cc
CROSSRT_HANDLER(setuid);
CROSSRT_HANDLER(setuid32);
CROSSRT_HANDLER(setreuid);
CROSSRT_HANDLER(setreuid32);
CROSSRT_HANDLER(setresuid);
CROSSRT_HANDLER(setresuid32);
CROSSRT_HANDLER(getresuid);
CROSSRT_HANDLER(getresuid32);
CROSSRT_HANDLER(getgroups);
CROSSRT_HANDLER(getgroups32);
CROSSRT_HANDLER(setgroups);
CROSSRT_HANDLER(setfsuid);

// sys_misc.cc
CROSSRT_HANDLER(uname);
CROSSRT_HANDLER(getrandom);
CROSSRT_HANDLER(enosys);

// sys_memory.cc
CROSSRT_HANDLER(mmap);
CROSSRT_HANDLER(mmap2);
CROSSRT_HANDLER(munmap);
CROSSRT_HANDLER(mprotect);
CROSSRT_HANDLER(madvise);
CROSSRT_HANDLER(brk);

// sys_thread.cc
CROSSRT_HANDLER(clone);

// sys_child.cc
CROSSRT_HANDLER(fork);
CROSSRT_HANDLER(clone_process);
CROSSRT_HANDLER(wait4);
CROSSRT_HANDLER(waitid);
CROSSRT_HANDLER(execve);
// clone's flags make a process (no CLONE_THREAD; no CLONE_VM, or CLONE_VFORK).
bool clone_makes_process(u64 flags);

// sys_sync.cc
CROSSRT_HANDLER(futex);
CROSSRT_HANDLER(futex_time64);

// sys_signal.cc
CROSSRT_HANDLER(rt_sigaction);
CROSSRT_HANDLER(rt_sigprocmask);
CROSSRT_HANDLER(sigaltstack);
CROSSRT_HANDLER(rt_sigreturn);
CROSSRT_HANDLER(sigreturn);
CROSSRT_HANDLER(kill);
CROSSRT_HANDLER(tgkill);
CROSSRT_HANDLER(tkill);
CROSSRT_HANDLER(rt_sigpending);

// sys_time.cc
CROSSRT_HANDLER(clock_gettime);
CROSSRT_HANDLER(clock_gettime64);
CROSSRT_HANDLER(clock_getres);
CROSSRT_HANDLER(gettimeofday);
CROSSRT_HANDLER(time);
CROSSRT_HANDLER(nanosleep);
CROSSRT_HANDLER(clock_nanosleep);
CROSSRT_HANDLER(clock_nanosleep_time64);
CROSSRT_HANDLER(setitimer);
CROSSRT_HANDLER(getitimer);

// sys_file.cc
CROSSRT_HANDLER(write);
CROSSRT_HANDLER(writev);
CROSSRT_HANDLER(read);
CROSSRT_HANDLER(readv);
CROSSRT_HANDLER(pread64);
CROSSRT_HANDLER(pwrite64);
CROSSRT_HANDLER(close);
CROSSRT_HANDLER(dup);
CROSSRT_HANDLER(dup2);
CROSSRT_HANDLER(dup3);
CROSSRT_HANDLER(fcntl);
CROSSRT_HANDLER(ioctl);
CROSSRT_HANDLER(lseek);
CROSSRT_HANDLER(llseek);
CROSSRT_HANDLER(fsync);
CROSSRT_HANDLER(flock);
CROSSRT_HANDLER(copy_file_range);
CROSSRT_HANDLER(fadvise);

// sys_path.cc
CROSSRT_HANDLER(openat);
CROSSRT_HANDLER(open);
CROSSRT_HANDLER(creat);
CROSSRT_HANDLER(mknodat);
CROSSRT_HANDLER(mknod);
CROSSRT_HANDLER(stat);
CROSSRT_HANDLER(lstat);
CROSSRT_HANDLER(fstat);
CROSSRT_HANDLER(fstatat);
CROSSRT_HANDLER(statx);
CROSSRT_HANDLER(getdents64);
CROSSRT_HANDLER(mkdirat);
CROSSRT_HANDLER(mkdir);
CROSSRT_HANDLER(unlinkat);
CROSSRT_HANDLER(unlink);
CROSSRT_HANDLER(rmdir);
CROSSRT_HANDLER(renameat);
CROSSRT_HANDLER(renameat2);
CROSSRT_HANDLER(rename);
CROSSRT_HANDLER(linkat);
CROSSRT_HANDLER(link);
CROSSRT_HANDLER(symlinkat);
CROSSRT_HANDLER(symlink);
CROSSRT_HANDLER(readlinkat);
CROSSRT_HANDLER(readlink);
CROSSRT_HANDLER(getcwd);
CROSSRT_HANDLER(chdir);
CROSSRT_HANDLER(fchdir);
CROSSRT_HANDLER(faccessat);
CROSSRT_HANDLER(faccessat2);
CROSSRT_HANDLER(access);
CROSSRT_HANDLER(fchmodat);
CROSSRT_HANDLER(chmod);
CROSSRT_HANDLER(fchmod);
CROSSRT_HANDLER(fchownat);
CROSSRT_HANDLER(fchown);
CROSSRT_HANDLER(fchown32);
CROSSRT_HANDLER(chown);
CROSSRT_HANDLER(chown32);
CROSSRT_HANDLER(lchown);
CROSSRT_HANDLER(lchown32);
CROSSRT_HANDLER(truncate);
CROSSRT_HANDLER(truncate64);
CROSSRT_HANDLER(ftruncate);
CROSSRT_HANDLER(ftruncate64);
CROSSRT_HANDLER(utimensat);
CROSSRT_HANDLER(utimensat_time64);
CROSSRT_HANDLER(utimes);
CROSSRT_HANDLER(futimesat);
CROSSRT_HANDLER(utime);
CROSSRT_HANDLER(umask);

// sys_poll.cc
CROSSRT_HANDLER(pipe);
CROSSRT_HANDLER(pipe2);
CROSSRT_HANDLER(epoll_create);
CROSSRT_HANDLER(epoll_create1);
CROSSRT_HANDLER(epoll_ctl);
CROSSRT_HANDLER(epoll_wait);
CROSSRT_HANDLER(epoll_pwait);
CROSSRT_HANDLER(poll);
CROSSRT_HANDLER(ppoll);
CROSSRT_HANDLER(ppoll_time64);

// sys_socket.cc
CROSSRT_HANDLER(socket);
CROSSRT_HANDLER(socketpair);
CROSSRT_HANDLER(bind);
CROSSRT_HANDLER(connect);
CROSSRT_HANDLER(listen);
CROSSRT_HANDLER(accept);
CROSSRT_HANDLER(accept4);
CROSSRT_HANDLER(getsockname);
CROSSRT_HANDLER(getpeername);
CROSSRT_HANDLER(shutdown);
CROSSRT_HANDLER(sendto);
CROSSRT_HANDLER(send);
CROSSRT_HANDLER(recvfrom);
CROSSRT_HANDLER(recv);
CROSSRT_HANDLER(sendmsg);
CROSSRT_HANDLER(recvmsg);
CROSSRT_HANDLER(setsockopt);
CROSSRT_HANDLER(getsockopt);
CROSSRT_HANDLER(socketcall);

#undef CROSSRT_HANDLER

// Helpers shared by the handlers.
using posix::to_i64; // sign-extends a 32-bit argument
// A uid or gid argument: -1 (keep) in the call's width, else the id. The
// legacy calls of 386 and arm (chown, setuid, getgroups, ...) take 16-bit
// ids; amd64's, and the *32 calls, 32-bit ones.
inline i64 id_arg(u64 value, bool legacy16) {
    u64 keep = legacy16 ? 0xffff : 0xffffffff;
    u64 id = value & keep;
    return id == keep ? -1 : static_cast<i64>(id);
}
// Whether the process's legacy id calls are the 16-bit ones.
inline bool legacy_ids(const Process& m) {
    return m.cpu().arch() != Arch::amd64;
}
// Reads the two signed fields of a struct timespec or timeval as they are
// (word-sized, or 64-bit ones for *_time64).
bool read_time_pair(Process& m, u64 address, i64& seconds, i64& fraction, bool time64 = false);
// Reads a struct timespec (word-sized fields, or 64-bit ones for *_time64).
bool read_timespec(Process& m, u64 address, u64& ns, bool time64 = false);
bool write_timespec(Process& m, u64 address, u64 ns, bool time64 = false);

} // namespace crossrt::kernel::lnx
