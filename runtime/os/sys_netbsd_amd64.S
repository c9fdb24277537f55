// Raw NetBSD system calls for amd64: `syscall`, number in %rax, arguments in
// %rdi %rsi %rdx %r10 %r8 %r9, a seventh at 8(%rsp); on failure the kernel
// sets the carry flag and returns a positive errno. The stubs turn that into
// -errno so that portable code reads results as on Linux. Numbers are in
// defs_netbsd.h (see /usr/src/sys/kern/syscalls.master).
#include "defs_netbsd.h"
#include "rt/layout.h"

	.text

// intptr rt_syscall6(intptr nr, a1, a2, a3, a4, a5, a6)
// a6 is at 8(%rsp) when `syscall` runs, where the kernel looks for a seventh
// argument: mmap's offset follows its PAD argument, and both are 0 here.
	.globl rt_syscall6
	.type rt_syscall6, @function
rt_syscall6:
	movq %rdi, %rax
	movq %rsi, %rdi
	movq %rdx, %rsi
	movq %rcx, %rdx
	movq %r8, %r10
	movq %r9, %r8
	movq 8(%rsp), %r9
	syscall
	jnc 1f
	negq %rax
1:
	ret
	.size rt_syscall6, .-rt_syscall6

// The first code of an LWP made by newosproc: lwp_mcontext_init left m in
// %r8, g in %r9, fn in %r12 and the top of g0's stack in %rsp (as Go's
// lwp_tramp has them). Point the thread at m's TLS block, put g and m in
// it, and call fn(m), which never returns.
	.globl rt_lwp_tramp
	.type rt_lwp_tramp, @function
rt_lwp_tramp:
	movq %r8, %rbx			// callee-saved from here on
	movq %r9, %r13
	andq $-16, %rsp
	leaq M_TLS(%rbx), %rdi
	call rt_lwp_settls
	movq %r13, %fs:TLS_G
	movq %rbx, %fs:TLS_M
	movq %rbx, %rdi
	call *%r12
	movl $SYS__lwp_exit, %eax	// fn returned: end this LWP only
	syscall
	ud2
	.size rt_lwp_tramp, .-rt_lwp_tramp

// void rt_lwp_exit_clear(uint32 *alive): *alive = 0, then _lwp_exit, without
// touching the stack in between: whoever waits for *alive == 0 may free it.
	.globl rt_lwp_exit_clear
	.type rt_lwp_exit_clear, @function
rt_lwp_exit_clear:
	movl $0, (%rdi)
	movl $SYS__lwp_exit, %eax
	syscall
	ud2
	.size rt_lwp_exit_clear, .-rt_lwp_exit_clear

// The kernel enters the handler as a SysV call with (sig, info, uctx) in
// rdi, rsi, rdx, returning to rt_sigreturn_tramp. g and m are in TLS on
// amd64, which foreign code does not touch, so there is nothing to reload.
	.globl rt_sigtramp
	.type rt_sigtramp, @function
rt_sigtramp:
	jmp rt_sighandler
	.size rt_sigtramp, .-rt_sigtramp

// The trampoline __sigaction_sigtramp registers: the handler returns here,
// and setcontext restores the interrupted context. NetBSD's sendsig leaves
// the ucontext's address in %r15, which the handler preserves.
	.globl rt_sigreturn_tramp
	.type rt_sigreturn_tramp, @function
rt_sigreturn_tramp:
	movq %r15, %rdi
	movl $SYS_setcontext, %eax
	syscall
	movl $2, %edi			// setcontext failed: nothing sane to return to
	movl $SYS_exit, %eax
	syscall
	ud2
	.size rt_sigreturn_tramp, .-rt_sigreturn_tramp

	.section .note.GNU-stack,"",@progbits
