// 386 context switching: gosave, gogo, mcall, goexit.
// Offsets come from rt/layout.h. g lives at %gs:TLS_G.
// gogo hands ret in %eax and ctxt in %edx (the context register).
#include "rt/layout.h"

	.text

// uintptr rt_gosave(Gobuf *buf)
	.globl rt_gosave
	.type rt_gosave, @function
rt_gosave:
	movl 4(%esp), %eax		// buf
	movl (%esp), %ecx		// the caller's pc
	movl %ecx, GOBUF_PC(%eax)
	leal 4(%esp), %ecx		// the caller's sp once we have returned
	movl %ecx, GOBUF_SP(%eax)
	movl $0, GOBUF_RET(%eax)
	movl $0, GOBUF_CTXT(%eax)
	movl $0, GOBUF_LR(%eax)
	movl %gs:TLS_G, %ecx
	movl %ecx, GOBUF_G(%eax)
	xorl %eax, %eax
	ret
	.size rt_gosave, .-rt_gosave

// void rt_gogo(Gobuf *buf)
	.globl rt_gogo
	.type rt_gogo, @function
rt_gogo:
	movl 4(%esp), %ecx		// buf
	movl GOBUF_G(%ecx), %edx
	movl 0(%edx), %eax		// fault here, not later, if g is nil
	movl %edx, %gs:TLS_G
	movl GOBUF_SP(%ecx), %esp
	movl GOBUF_RET(%ecx), %eax
	movl GOBUF_CTXT(%ecx), %edx
	movl $0, GOBUF_SP(%ecx)		// a used Gobuf must not be resumed twice
	movl $0, GOBUF_RET(%ecx)
	movl $0, GOBUF_CTXT(%ecx)
	movl GOBUF_PC(%ecx), %ecx
	jmp *%ecx
	.size rt_gogo, .-rt_gogo

// void rt_mcall(void (*fn)(G*))
// The callee-saved registers of the C ABI are pushed on the G's stack; the G
// resumes at mcall_resume, which pops them (see asm_amd64.S for why).
	.globl rt_mcall
	.type rt_mcall, @function
rt_mcall:
	movl 4(%esp), %eax		// fn
	pushl %ebp
	pushl %ebx
	pushl %esi
	pushl %edi
	movl %gs:TLS_G, %ecx		// g
	movl $mcall_resume, (G_SCHED+GOBUF_PC)(%ecx)
	movl %esp, (G_SCHED+GOBUF_SP)(%ecx)
	movl %ecx, (G_SCHED+GOBUF_G)(%ecx)
	movl $0, (G_SCHED+GOBUF_RET)(%ecx)
	movl $0, (G_SCHED+GOBUF_CTXT)(%ecx)
	movl $0, (G_SCHED+GOBUF_LR)(%ecx)
	movl G_M(%ecx), %edx
	movl M_G0(%edx), %edx		// g0
	cmpl %ecx, %edx
	je mcall_on_g0			// mcall on g0 has no G to save
	movl %edx, %gs:TLS_G
	movl (G_SCHED+GOBUF_SP)(%edx), %esp
	andl $-16, %esp
	subl $12, %esp
	pushl %ecx			// fn(g), with %esp 16-byte aligned at the call
	call *%eax
	call rt_badmcall2		// fn returned: it must gogo or schedule
mcall_on_g0:
	andl $-16, %esp
	call rt_badmcall
mcall_resume:
	popl %edi
	popl %esi
	popl %ebx
	popl %ebp
	ret
	.size rt_mcall, .-rt_mcall

// The return pc of every goroutine's first function is rt_goexit+1.
	.globl rt_goexit
	.type rt_goexit, @function
rt_goexit:
	nop
	andl $-16, %esp
	call rt_goexit1
	ud2
	.size rt_goexit, .-rt_goexit

// intptr rt_asmcgocall(intptr (*fn)(void*), void *arg)
// Calls foreign fn(arg) on g0's stack, 16-byte aligned as the i386 SysV ABI
// wants. The G's sp is left in g->sched.sp (see asm_amd64.S).
	.globl rt_asmcgocall
	.type rt_asmcgocall, @function
rt_asmcgocall:
	pushl %ebx
	pushl %esi
	movl 12(%esp), %eax		// fn
	movl 16(%esp), %edx		// arg
	movl %gs:TLS_G, %ecx		// g
	movl G_M(%ecx), %ebx
	movl M_G0(%ebx), %ebx		// g0
	movl %esp, %esi			// callee-saved: survives the foreign call
	cmpl %ecx, %ebx
	je 1f				// already on g0: no switch
	movl %esp, (G_SCHED+GOBUF_SP)(%ecx)
	movl %ebx, %gs:TLS_G
	movl (G_SCHED+GOBUF_SP)(%ebx), %esp
1:
	andl $-16, %esp
	subl $8, %esp
	pushl %ecx			// g, to restore
	pushl %edx			// fn(arg)
	call *%eax
	movl 4(%esp), %ecx
	movl %ecx, %gs:TLS_G
	movl %esi, %esp
	popl %esi
	popl %ebx
	ret
	.size rt_asmcgocall, .-rt_asmcgocall

// void crossrt_cgocallback(void (*fn)(void*), void *arg)
// The entry foreign code calls. g and m are in TLS on 386: nothing to
// reload, straight to the portable part.
	.globl crossrt_cgocallback
	.type crossrt_cgocallback, @function
crossrt_cgocallback:
	jmp rt_cgocallback_go
	.size crossrt_cgocallback, .-crossrt_cgocallback

// void rt_call_on_stack(void (*fn)(void*), void *arg, uintptr sp)
	.globl rt_call_on_stack
	.type rt_call_on_stack, @function
rt_call_on_stack:
	pushl %ebp
	movl %esp, %ebp
	movl 8(%ebp), %eax
	movl 12(%ebp), %ecx
	movl 16(%ebp), %edx
	movl %edx, %esp
	andl $-16, %esp
	subl $12, %esp
	pushl %ecx
	call *%eax
	movl %ebp, %esp
	popl %ebp
	ret
	.size rt_call_on_stack, .-rt_call_on_stack

	.section .note.GNU-stack,"",@progbits
