// Linux arm EABI system call numbers (arch/arm/tools/syscall.tbl).
#pragma once

#define SYS_exit 1
#define SYS_read 3
#define SYS_write 4
#define SYS_getpid 20
#define SYS_munmap 91
#define SYS_setitimer 104
#define SYS_clone 120
#define SYS_mprotect 125
#define SYS_sched_yield 158
#define SYS_nanosleep 162
#define SYS_rt_sigreturn 173
#define SYS_rt_sigaction 174
#define SYS_rt_sigprocmask 175
#define SYS_sigaltstack 186
#define SYS_mmap 192 // mmap2
#define SYS_gettid 224
#define SYS_futex 240
#define SYS_exit_group 248
#define SYS_clock_gettime 263
#define SYS_tgkill 268
#define SYS_set_tls 0x0f0005 // __ARM_NR_set_tls, an ARM private call

// mmap2 takes its offset in 4096-byte pages.
#define RT_MMAP_OFFSET_SHIFT 12

// struct ucontext: uc_mcontext starts at byte 20; it is an array of
// word-sized register slots, with the pc in slot 18 and the sp in slot 16.
#define RT_UC_MCONTEXT_OFFSET 20
#define RT_UC_PC_SLOT 18
#define RT_UC_SP_SLOT 16
