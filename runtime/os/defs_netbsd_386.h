// NetBSD i386 ucontext_t (sys/arch/i386/include/mcontext.h; the same layout
// as Go's defs1_netbsd_386.go): uc_flags, uc_link at 4, uc_sigmask (4 words)
// at 8, uc_stack at 24, uc_mcontext at 36: __gregs[19], __fpregs (644
// bytes), _mc_tlsbase; then 4 words of padding. 776 bytes in all.
#pragma once

#define RT_UC_SIZE 776
#define RT_UC_FLAGS_OFFSET 0
#define RT_UC_LINK_OFFSET 4
#define RT_UC_SIGMASK_OFFSET 8
#define RT_UC_MCONTEXT_OFFSET 36

// __gregs indexes (_REG_*). The user stack pointer is UESP, not ESP (which
// is the trap frame's).
#define RT_MC_PC 14 // EIP
#define RT_MC_SP 17 // UESP
// What lwp_mcontext_init hands to rt_lwp_tramp, in Go's registers.
#define RT_MC_TRAMP_M 8  // EBX
#define RT_MC_TRAMP_G 9  // EDX
#define RT_MC_TRAMP_FN 5 // ESI
// i386 passes C arguments on the stack: -1 says so.
#define RT_MC_ARG0 (-1)
#define RT_MC_ENTRY_SP_BIAS 4

// The signal frame (sys/arch/i386/i386/sig_machdep.c, struct
// sigframe_siginfo): once the handler has returned (popping the return
// address), sp points at sf_signum, sf_sip, sf_ucp, then the siginfo (128
// bytes) and the ucontext: 3 words and 128 bytes above sp.
#define RT_SIGFRAME_UC_FROM_SP 140
