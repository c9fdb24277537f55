// NetBSD arm (EABI) ucontext_t (sys/arch/arm/include/mcontext.h; the same
// layout as Go's defs1_netbsd_arm.go): uc_flags, uc_link at 4, uc_sigmask (4
// words) at 8, uc_stack at 24, 4 bytes of EABI padding, uc_mcontext at 40:
// __gregs[17] (r0-r15, cpsr), padding, __fpu (272 bytes), _mc_tlsbase; then
// 2 words. 400 bytes in all.
#pragma once

#define RT_UC_SIZE 400
#define RT_UC_FLAGS_OFFSET 0
#define RT_UC_LINK_OFFSET 4
#define RT_UC_SIGMASK_OFFSET 8
#define RT_UC_MCONTEXT_OFFSET 40

// __gregs indexes (_REG_*).
#define RT_MC_PC 15 // R15
#define RT_MC_SP 13 // R13
#define RT_MC_LR 14 // R14
// What lwp_mcontext_init hands to rt_lwp_tramp, in Go's registers.
#define RT_MC_TRAMP_M 0  // R0
#define RT_MC_TRAMP_G 1  // R1
#define RT_MC_TRAMP_FN 2 // R2
// The first C argument (R0); the return address is in lr, not on the stack.
#define RT_MC_ARG0 0
#define RT_MC_ENTRY_SP_BIAS 0

// `svc` takes the system call number in its immediate, with this bit set to
// say "NetBSD" (sys/arch/arm/include/swi.h, SWI_OS_NETBSD).
#define RT_SWI_OS_NETBSD 0xa00000

// The signal frame (sys/arch/arm/arm/sig_machdep.c): sp points at the
// siginfo (128 bytes), the ucontext follows.
#define RT_SIGFRAME_UC_FROM_SP 0x80
