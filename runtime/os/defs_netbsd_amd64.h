// NetBSD amd64 ucontext_t (sys/arch/amd64/include/mcontext.h; the same
// layout as Go's defs1_netbsd_amd64.go): uc_flags, uc_link at 8, uc_sigmask
// (4 words) at 16, uc_stack at 32, uc_mcontext at 56: __gregs[26] (8 bytes
// each), _mc_tlsbase, __fpregs[512]. 784 bytes in all.
#pragma once

#define RT_UC_SIZE 784
#define RT_UC_FLAGS_OFFSET 0
#define RT_UC_LINK_OFFSET 8
#define RT_UC_SIGMASK_OFFSET 16
#define RT_UC_MCONTEXT_OFFSET 56

// __gregs indexes (_REG_*).
#define RT_MC_PC 21 // RIP
#define RT_MC_SP 24 // RSP
// What lwp_mcontext_init hands to rt_lwp_tramp, in Go's registers.
#define RT_MC_TRAMP_M 4  // R8
#define RT_MC_TRAMP_G 5  // R9
#define RT_MC_TRAMP_FN 8 // R12
// The first C argument (RDI), for an LWP that starts in a C function; that
// function expects its return address pushed: the stack starts 8 below the
// (16-aligned) top.
#define RT_MC_ARG0 0
#define RT_MC_ENTRY_SP_BIAS 8
