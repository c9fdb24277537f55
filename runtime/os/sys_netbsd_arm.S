// Raw NetBSD system calls for arm EABI: `svc 0xa00000 | number` (the number
// is the instruction's immediate), arguments in r0-r3 and then on the user
// stack from [sp]; on failure the kernel sets the carry flag and returns a
// positive errno in r0. The stubs turn that into -errno so that portable
// code reads results as on Linux. Numbers are in defs_netbsd.h (see
// /usr/src/sys/kern/syscalls.master).
#include "defs_netbsd.h"
#include "rt/layout.h"

#define NETBSD_SVC(n) svc #(RT_SWI_OS_NETBSD | (n))

	.syntax unified
	.arm
	.text

// intptr rt_syscall6(intptr nr, a1, a2, a3, a4, a5, a6): nr and a1-a3 arrive
// in r0-r3, a4-a6 on the stack. The kernel reads a5, a6 and two more words
// (zero, so that mmap's 64-bit offset after its PAD argument is 0) from
// [sp]. A number that is only known at run time reaches its `svc` through
// rt_svc_table.
	.globl rt_syscall6
	.type rt_syscall6, %function
rt_syscall6:
	push {r4, r5, r6, lr}
	mov r12, r0			// nr
	mov r0, r1
	mov r1, r2
	mov r2, r3
	ldr r3, [sp, #16]		// a4
	ldr r4, [sp, #20]		// a5
	ldr r5, [sp, #24]		// a6
	mov r6, #0
	sub sp, sp, #16
	str r4, [sp]
	str r5, [sp, #4]
	str r6, [sp, #8]
	str r6, [sp, #12]
	cmp r12, #RT_NETBSD_NSYSCALL
	bhs 2f
	adr r4, rt_svc_table
	add r12, r4, r12, lsl #3	// two instructions per entry
	blx r12
	rsbcs r0, r0, #0		// carry: -errno
1:
	add sp, sp, #16
	pop {r4, r5, r6, pc}
2:
	mov r0, #-RT_NETBSD_ENOSYS
	b 1b
	.size rt_syscall6, .-rt_syscall6

// Entry n: `svc` for number n, then back to rt_syscall6 with the kernel's
// flags intact.
	.type rt_svc_table, %function
rt_svc_table:
	.set nr, 0
	.rept RT_NETBSD_NSYSCALL
	NETBSD_SVC(nr)
	bx lr
	.set nr, nr + 1
	.endr
	.size rt_svc_table, .-rt_svc_table

// The first code of an LWP made by newosproc: lwp_mcontext_init left m in
// r0, g in r1, fn in r2 and the top of g0's stack in sp (as Go's lwp_tramp
// has them). Point the thread at m's TLS block (TPIDRURO), load g (r10) and
// m (r9) and mirror them there, and call fn(m), which never returns.
	.globl rt_lwp_tramp
	.type rt_lwp_tramp, %function
rt_lwp_tramp:
	mov r4, r0			// r4-r6 are callee-saved
	mov r5, r1
	mov r6, r2
	mov r11, #0
	bic sp, sp, #7
	add r0, r4, #M_TLS
	bl rt_lwp_settls
	mov r10, r5
	mov r9, r4
	mrc p15, 0, r3, c13, c0, 3
	str r10, [r3, #TLS_G]
	str r9, [r3, #TLS_M]
	mov r0, r4
	blx r6
	NETBSD_SVC(SYS__lwp_exit)	// fn returned: end this LWP only
	udf #0
	.size rt_lwp_tramp, .-rt_lwp_tramp

// void rt_lwp_exit_clear(uint32 *alive): *alive = 0, then _lwp_exit, without
// touching the stack in between: whoever waits for *alive == 0 may free it.
	.globl rt_lwp_exit_clear
	.type rt_lwp_exit_clear, %function
rt_lwp_exit_clear:
	dmb ish				// everything this LWP wrote is seen first
	mov r1, #0
	str r1, [r0]
	NETBSD_SVC(SYS__lwp_exit)
	udf #0
	.size rt_lwp_exit_clear, .-rt_lwp_exit_clear

// The kernel enters the handler with (sig, info, uctx) in r0-r2 and lr at
// rt_sigreturn_tramp. The signal may have landed while foreign code, which
// is not built with r9/r10 reserved, had them: reload g and m from the TLS
// block before any runtime code looks at them (setcontext restores the
// interrupted r9/r10 afterwards).
	.globl rt_sigtramp
	.type rt_sigtramp, %function
rt_sigtramp:
#ifndef RT_REGRESS_SIGTRAMP_NO_GM_RELOAD
	mrc p15, 0, r3, c13, c0, 3
	ldr r10, [r3, #TLS_G]
	ldr r9, [r3, #TLS_M]
#endif
	b rt_sighandler
	.size rt_sigtramp, .-rt_sigtramp

// The trampoline __sigaction_sigtramp registers: setcontext on the signal
// frame's ucontext restores the interrupted context.
	.globl rt_sigreturn_tramp
	.type rt_sigreturn_tramp, %function
rt_sigreturn_tramp:
	add r0, sp, #RT_SIGFRAME_UC_FROM_SP
	NETBSD_SVC(SYS_setcontext)
	mov r0, #2			// setcontext failed: nothing sane to return to
	NETBSD_SVC(SYS_exit)
	udf #0
	.size rt_sigreturn_tramp, .-rt_sigreturn_tramp

	.section .note.GNU-stack,"",%progbits
