// Raw NetBSD system calls for 386: `int $0x80`, number in %eax, arguments on
// the user stack from 4(%esp) (above a return-address slot, as if the stub
// had been called); on failure the kernel sets the carry flag and returns a
// positive errno. The stubs turn that into -errno so that portable code
// reads results as on Linux. Numbers are in defs_netbsd.h (see
// /usr/src/sys/kern/syscalls.master).
#include "defs_netbsd.h"
#include "rt/layout.h"

	.text

// intptr rt_syscall6(intptr nr, a1, a2, a3, a4, a5, a6)
// The frame the kernel reads: a slot, a1..a6, and two more zero words, so
// that mmap's 64-bit offset (after its PAD argument) is 0.
	.globl rt_syscall6
	.type rt_syscall6, @function
rt_syscall6:
	subl $36, %esp			// nr is now at 40(%esp), a1 at 44(%esp)
	movl 44(%esp), %ecx
	movl %ecx, 4(%esp)
	movl 48(%esp), %ecx
	movl %ecx, 8(%esp)
	movl 52(%esp), %ecx
	movl %ecx, 12(%esp)
	movl 56(%esp), %ecx
	movl %ecx, 16(%esp)
	movl 60(%esp), %ecx
	movl %ecx, 20(%esp)
	movl 64(%esp), %ecx
	movl %ecx, 24(%esp)
	movl $0, 28(%esp)
	movl $0, 32(%esp)
	movl 40(%esp), %eax
	int $0x80
	jnc 1f
	negl %eax
1:
	addl $36, %esp
	ret
	.size rt_syscall6, .-rt_syscall6

// The first code of an LWP made by newosproc: lwp_mcontext_init left m in
// %ebx, g in %edx, fn in %esi and the top of g0's stack in %esp (as Go's
// lwp_tramp has them). Point the thread at m's TLS block, put g and m in
// it, and call fn(m), which never returns.
	.globl rt_lwp_tramp
	.type rt_lwp_tramp, @function
rt_lwp_tramp:
	movl %edx, %edi			// ebx, esi, edi are callee-saved
	andl $-16, %esp
	leal M_TLS(%ebx), %eax
	subl $12, %esp
	pushl %eax
	call rt_lwp_settls
	addl $16, %esp
	movl %edi, %gs:TLS_G
	movl %ebx, %gs:TLS_M
	subl $12, %esp
	pushl %ebx
	call *%esi
	movl $SYS__lwp_exit, %eax	// fn returned: end this LWP only
	int $0x80
	ud2
	.size rt_lwp_tramp, .-rt_lwp_tramp

// void rt_lwp_exit_clear(uint32 *alive): *alive = 0, then _lwp_exit (no
// arguments, so nothing on the stack), without touching the stack in
// between: whoever waits for *alive == 0 may free it.
	.globl rt_lwp_exit_clear
	.type rt_lwp_exit_clear, @function
rt_lwp_exit_clear:
	movl 4(%esp), %eax
	movl $0, (%eax)
	movl $SYS__lwp_exit, %eax
	int $0x80
	ud2
	.size rt_lwp_exit_clear, .-rt_lwp_exit_clear

// The kernel enters the handler as a cdecl call (sig, info, uctx) returning
// to rt_sigreturn_tramp. g and m are in TLS (%gs): nothing to reload.
	.globl rt_sigtramp
	.type rt_sigtramp, @function
rt_sigtramp:
	jmp rt_sighandler
	.size rt_sigtramp, .-rt_sigtramp

// The trampoline __sigaction_sigtramp registers: setcontext on the signal
// frame's ucontext restores the interrupted context. Its one argument goes
// in the slot above the (popped) return address, as the kernel reads it.
	.globl rt_sigreturn_tramp
	.type rt_sigreturn_tramp, @function
rt_sigreturn_tramp:
	leal RT_SIGFRAME_UC_FROM_SP(%esp), %eax
	movl %eax, 4(%esp)
	movl $SYS_setcontext, %eax
	int $0x80
	movl $2, 4(%esp)		// setcontext failed: nothing sane to return to
	movl $SYS_exit, %eax
	int $0x80
	ud2
	.size rt_sigreturn_tramp, .-rt_sigreturn_tramp

	.section .note.GNU-stack,"",@progbits
