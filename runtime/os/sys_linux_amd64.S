// Raw Linux system calls for amd64: `syscall`, number in %rax, arguments in
// %rdi %rsi %rdx %r10 %r8 %r9; the result (or -errno) comes back in %rax.
// Numbers are in defs_linux_amd64.h.
#include "defs_linux_amd64.h"

#define ARCH_SET_FS 0x1002

	.text

// intptr rt_syscall6(intptr nr, a1, a2, a3, a4, a5, a6)
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
	ret
	.size rt_syscall6, .-rt_syscall6

// intptr rt_sys_settls(void *tp): %fs base = tp.
	.globl rt_sys_settls
	.type rt_sys_settls, @function
rt_sys_settls:
	movq %rdi, %rsi
	movl $ARCH_SET_FS, %edi
	movl $SYS_arch_prctl, %eax
	syscall
	ret
	.size rt_sys_settls, .-rt_sys_settls

// intptr rt_clone(uintptr flags, void *stack, uint32 *ctid, void (*fn)(void*), void *arg)
// clone(2) with the new thread on stack; it calls fn(arg) and exits when fn
// returns. fn and arg travel on the new stack, the one place both threads
// can see. ctid is the CLONE_CHILD_CLEARTID word (or 0).
	.globl rt_clone
	.type rt_clone, @function
rt_clone:
	subq $16, %rsi
	movq %rcx, 0(%rsi)		// fn
	movq %r8, 8(%rsi)		// arg
	movq %rdx, %r10			// ctid
	xorl %edx, %edx			// ptid
	xorl %r8d, %r8d			// tls: the thread sets its own
	movl $SYS_clone, %eax
	syscall
	testq %rax, %rax
	jnz 1f				// parent (or error)
	movq 0(%rsp), %rax
	movq 8(%rsp), %rdi
	xorl %ebp, %ebp
	andq $-16, %rsp
	call *%rax
	xorl %edi, %edi
	movl $SYS_exit, %eax		// this thread only
	syscall
	hlt
1:
	ret
	.size rt_clone, .-rt_clone

// The kernel enters the handler as a SysV call with (sig, info, uctx) in
// rdi, rsi, rdx. g and m are in TLS on amd64, which foreign code does not
// touch, so there is nothing to reload.
	.globl rt_sigtramp
	.type rt_sigtramp, @function
rt_sigtramp:
	jmp rt_sighandler
	.size rt_sigtramp, .-rt_sigtramp

// SA_RESTORER: where the handler returns; restores the interrupted context.
	.globl rt_sigreturn_tramp
	.type rt_sigreturn_tramp, @function
rt_sigreturn_tramp:
	movl $SYS_rt_sigreturn, %eax
	syscall
	hlt
	.size rt_sigreturn_tramp, .-rt_sigreturn_tramp

	.section .note.GNU-stack,"",@progbits
