// NetBSD system call numbers and constants (sys/kern/syscalls.master and the
// headers named below). Unlike Linux, the numbers are the same on every
// arch; what differs per arch (the ucontext layout) is in
// defs_netbsd_<arch>.h, picked here for the compiler's target.
#pragma once

#define SYS_exit 1
#define SYS_write 4
#define SYS_getpid 20
#define SYS_munmap 73
#define SYS_mprotect 74
#define SYS_mmap 197
#define SYS___sigaltstack14 281
#define SYS___sigprocmask14 293
#define SYS_getcontext 307
#define SYS_setcontext 308
#define SYS__lwp_create 309
#define SYS__lwp_exit 310
#define SYS__lwp_self 311
#define SYS__lwp_setprivate 317
#define SYS__lwp_kill 318
#define SYS__lwp_unpark 321
#define SYS___sigaction_sigtramp 340
#define SYS_sched_yield 350
#define SYS___setitimer50 425
#define SYS___clock_gettime50 427
#define SYS___nanosleep50 430
#define SYS____lwp_park60 478

// The arm stubs reach a number through a table of `svc` instructions (the
// number is the instruction's immediate): every number must be below this.
#define RT_NETBSD_NSYSCALL 512

// <sys/errno.h>
#define RT_NETBSD_EINTR 4
#define RT_NETBSD_ESRCH 3
#define RT_NETBSD_EALREADY 37
#define RT_NETBSD_ETIMEDOUT 60
#define RT_NETBSD_ENOSYS 78

// <sys/ucontext.h>: which parts of a ucontext setcontext and _lwp_create use.
#define RT_UC_SIGMASK 0x01
#define RT_UC_CPU 0x04
// <sys/lwp.h>
#define RT_LWP_DETACHED 0x40

#if defined(__x86_64__)
#include "defs_netbsd_amd64.h"
#elif defined(__i386__)
#include "defs_netbsd_386.h"
#elif defined(__arm__)
#include "defs_netbsd_arm.h"
#endif
