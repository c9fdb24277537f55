// amd64 context switching: gosave, gogo, mcall, goexit.
// Offsets come from rt/layout.h. g lives at %fs:TLS_G.
// gogo hands ret in %rax and ctxt in %rdx (the context register).
#include "rt/layout.h"

	.text

// uintptr rt_gosave(Gobuf *buf)
	.globl rt_gosave
	.type rt_gosave, @function
rt_gosave:
	movq (%rsp), %rax		// the caller's pc
	movq %rax, GOBUF_PC(%rdi)
	leaq 8(%rsp), %rax		// the caller's sp once we have returned
	movq %rax, GOBUF_SP(%rdi)
	movq $0, GOBUF_RET(%rdi)
	movq $0, GOBUF_CTXT(%rdi)
	movq $0, GOBUF_LR(%rdi)
	movq %fs:TLS_G, %rax
	movq %rax, GOBUF_G(%rdi)
	xorl %eax, %eax
	ret
	.size rt_gosave, .-rt_gosave

// void rt_gogo(Gobuf *buf)
	.globl rt_gogo
	.type rt_gogo, @function
rt_gogo:
	movq GOBUF_G(%rdi), %rdx
	movq 0(%rdx), %rcx		// fault here, not later, if g is nil
	movq %rdx, %fs:TLS_G
	movq GOBUF_SP(%rdi), %rsp
	movq GOBUF_RET(%rdi), %rax
	movq GOBUF_CTXT(%rdi), %rdx
	movq $0, GOBUF_SP(%rdi)		// a used Gobuf must not be resumed twice
	movq $0, GOBUF_RET(%rdi)
	movq $0, GOBUF_CTXT(%rdi)
	movq GOBUF_PC(%rdi), %rcx
	jmp *%rcx
	.size rt_gogo, .-rt_gogo

// void rt_mcall(void (*fn)(G*))
// Go's ABI has no callee-saved registers; ours does, and the C++ caller of
// mcall expects them back. So they are pushed on the G's own stack and the
// G resumes at mcall_resume, which pops them and returns to the caller.
	.globl rt_mcall
	.type rt_mcall, @function
rt_mcall:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %fs:TLS_G, %rsi		// g
	leaq mcall_resume(%rip), %rax
	movq %rax, (G_SCHED+GOBUF_PC)(%rsi)
	movq %rsp, (G_SCHED+GOBUF_SP)(%rsi)
	movq %rsi, (G_SCHED+GOBUF_G)(%rsi)
	movq $0, (G_SCHED+GOBUF_RET)(%rsi)
	movq $0, (G_SCHED+GOBUF_CTXT)(%rsi)
	movq $0, (G_SCHED+GOBUF_LR)(%rsi)
	movq G_M(%rsi), %rax
	movq M_G0(%rax), %rdx		// g0
	cmpq %rsi, %rdx
	je mcall_on_g0			// mcall on g0 has no G to save
	movq %rdx, %fs:TLS_G
	movq (G_SCHED+GOBUF_SP)(%rdx), %rsp
	andq $-16, %rsp
	movq %rdi, %rax
	movq %rsi, %rdi			// fn(g)
	call *%rax
	call rt_badmcall2		// fn returned: it must gogo or schedule
mcall_on_g0:
	andq $-16, %rsp
	call rt_badmcall
mcall_resume:
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret
	.size rt_mcall, .-rt_mcall

// The return pc of every goroutine's first function is rt_goexit+1: the nop
// is there so that that address is an instruction boundary.
	.globl rt_goexit
	.type rt_goexit, @function
rt_goexit:
	nop
	andq $-16, %rsp
	call rt_goexit1
	ud2
	.size rt_goexit, .-rt_goexit

// intptr rt_asmcgocall(intptr (*fn)(void*), void *arg)
// Calls foreign fn(arg) on g0's stack, 16-byte aligned as the SysV ABI wants.
// The G's sp is left in g->sched.sp, so that a callback on this thread can
// run on the G's stack below it.
	.globl rt_asmcgocall
	.type rt_asmcgocall, @function
rt_asmcgocall:
	pushq %rbx
	pushq %r12
	movq %fs:TLS_G, %rcx		// g
	movq G_M(%rcx), %rbx
	movq M_G0(%rbx), %rbx		// g0
	movq %rsp, %r12			// callee-saved: survives the foreign call
	cmpq %rcx, %rbx
	je 1f				// already on g0: no switch
	movq %rsp, (G_SCHED+GOBUF_SP)(%rcx)
	movq %rbx, %fs:TLS_G
	movq (G_SCHED+GOBUF_SP)(%rbx), %rsp
1:
	andq $-16, %rsp
	subq $16, %rsp
	movq %rcx, 0(%rsp)		// g, to restore
	movq %rdi, %rax
	movq %rsi, %rdi
	call *%rax
	movq 0(%rsp), %rcx
	movq %rcx, %fs:TLS_G
	movq %r12, %rsp
	popq %r12
	popq %rbx
	ret
	.size rt_asmcgocall, .-rt_asmcgocall

// void crossrt_cgocallback(void (*fn)(void*), void *arg)
// The entry foreign code calls. g and m are in TLS on amd64, so there is
// nothing to reload: straight to the portable part.
	.globl crossrt_cgocallback
	.type crossrt_cgocallback, @function
crossrt_cgocallback:
	jmp rt_cgocallback_go
	.size crossrt_cgocallback, .-crossrt_cgocallback

// void rt_call_on_stack(void (*fn)(void*), void *arg, uintptr sp)
	.globl rt_call_on_stack
	.type rt_call_on_stack, @function
rt_call_on_stack:
	pushq %rbp
	movq %rsp, %rbp
	movq %rdx, %rsp
	andq $-16, %rsp
	movq %rdi, %rax
	movq %rsi, %rdi
	call *%rax
	movq %rbp, %rsp
	popq %rbp
	ret
	.size rt_call_on_stack, .-rt_call_on_stack

	.section .note.GNU-stack,"",@progbits
