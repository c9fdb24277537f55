// Linux amd64 system call numbers (arch/x86/entry/syscalls/syscall_64.tbl).
#pragma once

#define SYS_read 0
#define SYS_write 1
#define SYS_mmap 9
#define SYS_mprotect 10
#define SYS_munmap 11
#define SYS_rt_sigaction 13
#define SYS_rt_sigprocmask 14
#define SYS_rt_sigreturn 15
#define SYS_sched_yield 24
#define SYS_nanosleep 35
#define SYS_setitimer 38
#define SYS_getpid 39
#define SYS_clone 56
#define SYS_exit 60
#define SYS_sigaltstack 131
#define SYS_arch_prctl 158
#define SYS_gettid 186
#define SYS_futex 202
#define SYS_clock_gettime 228
#define SYS_exit_group 231
#define SYS_tgkill 234

// mmap takes its offset in bytes.
#define RT_MMAP_OFFSET_SHIFT 0

// struct ucontext: uc_mcontext starts at byte 40; it is an array of
// word-sized register slots, with the pc in slot 16 and the sp in slot 15.
#define RT_UC_MCONTEXT_OFFSET 40
#define RT_UC_PC_SLOT 16
#define RT_UC_SP_SLOT 15
