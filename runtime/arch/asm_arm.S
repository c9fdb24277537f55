// arm (ARMv7, ARM mode, EABI hard-float) context switching: gosave, gogo,
// mcall, goexit. Offsets come from rt/layout.h.
// g is r10 and m is r9; both are mirrored in the TLS block at TPIDRURO.
// gogo hands ret in r0, ctxt in r2 (the context register) and restores lr.
#include "rt/layout.h"

	.syntax unified
	.arm
	.fpu vfpv3-d16
	.text

// uintptr rt_gosave(Gobuf *buf)
	.globl rt_gosave
	.type rt_gosave, %function
rt_gosave:
	str sp, [r0, #GOBUF_SP]		// arm calls push nothing: sp is the caller's
	str lr, [r0, #GOBUF_PC]
	str r10, [r0, #GOBUF_G]
	mov r1, #0
	str r1, [r0, #GOBUF_RET]
	str r1, [r0, #GOBUF_CTXT]
	str r1, [r0, #GOBUF_LR]
	mov r0, #0
	bx lr
	.size rt_gosave, .-rt_gosave

// void rt_gogo(Gobuf *buf)
	.globl rt_gogo
	.type rt_gogo, %function
rt_gogo:
	ldr r1, [r0, #GOBUF_G]
	ldr r3, [r1]			// fault here, not later, if g is nil
	mov r10, r1
	ldr r9, [r10, #G_M]
	mrc p15, 0, r3, c13, c0, 3	// save_gm: the TLS block keeps g and m
	str r10, [r3, #TLS_G]
	str r9, [r3, #TLS_M]
	ldr sp, [r0, #GOBUF_SP]
	ldr lr, [r0, #GOBUF_LR]
	ldr r2, [r0, #GOBUF_CTXT]
	ldr r12, [r0, #GOBUF_PC]
	ldr r1, [r0, #GOBUF_RET]
	mov r3, #0
	str r3, [r0, #GOBUF_SP]		// a used Gobuf must not be resumed twice
	str r3, [r0, #GOBUF_RET]
	str r3, [r0, #GOBUF_CTXT]
	str r3, [r0, #GOBUF_LR]
	mov r0, r1
	bx r12
	.size rt_gogo, .-rt_gogo

// void rt_mcall(void (*fn)(G*))
// The AAPCS callee-saved registers (r4-r8, r11, d8-d15) are pushed on the G's
// stack; the G resumes at mcall_resume, which pops them. r12 is pushed only
// to keep sp 8-byte aligned.
	.globl rt_mcall
	.type rt_mcall, %function
rt_mcall:
	push {r4-r8, r11, r12, lr}
	vpush {d8-d15}
	mov r1, r10			// g
	adr r2, mcall_resume
	str r2, [r1, #(G_SCHED+GOBUF_PC)]
	str sp, [r1, #(G_SCHED+GOBUF_SP)]
	str r1, [r1, #(G_SCHED+GOBUF_G)]
	mov r2, #0
	str r2, [r1, #(G_SCHED+GOBUF_RET)]
	str r2, [r1, #(G_SCHED+GOBUF_CTXT)]
	str r2, [r1, #(G_SCHED+GOBUF_LR)]
	ldr r2, [r1, #G_M]
	ldr r2, [r2, #M_G0]		// g0
	cmp r1, r2
	beq rt_badmcall			// mcall on g0 has no G to save
	mov r10, r2
	mrc p15, 0, r3, c13, c0, 3
	str r10, [r3, #TLS_G]
	ldr r3, [r10, #(G_SCHED+GOBUF_SP)]
	bic r3, r3, #7
	mov sp, r3
	mov r3, r0
	mov r0, r1			// fn(g)
	blx r3
	bl rt_badmcall2			// fn returned: it must gogo or schedule
mcall_resume:
	vpop {d8-d15}
	pop {r4-r8, r11, r12, pc}
	.size rt_mcall, .-rt_mcall

// The return pc of every goroutine's first function is rt_goexit+4.
	.globl rt_goexit
	.type rt_goexit, %function
rt_goexit:
	nop
	bl rt_goexit1
	udf #0
	.size rt_goexit, .-rt_goexit

// intptr rt_asmcgocall(intptr (*fn)(void*), void *arg)
// Calls foreign fn(arg) on g0's stack, 8-byte aligned as AAPCS wants. The
// G's sp is left in g->sched.sp (see asm_amd64.S). The TLS block says g0
// while foreign code runs, so a signal there finds g0 and this m.
	.globl rt_asmcgocall
	.type rt_asmcgocall, %function
rt_asmcgocall:
	push {r4, r5, r6, lr}
	mov r4, sp			// the G's sp; callee-saved
	mov r5, r10			// g; callee-saved
	ldr r6, [r10, #G_M]
	ldr r6, [r6, #M_G0]		// g0
	cmp r6, r10
	beq 1f				// already on g0: no switch
	str sp, [r10, #(G_SCHED+GOBUF_SP)]
	mov r10, r6
	mrc p15, 0, r3, c13, c0, 3
	str r10, [r3, #TLS_G]
	ldr r3, [r6, #(G_SCHED+GOBUF_SP)]
	mov sp, r3
1:
	bic r3, sp, #7
	mov sp, r3
	mov r3, r0
	mov r0, r1
	blx r3
	mov r10, r5			// back to g (and its m), in registers and TLS
	ldr r9, [r10, #G_M]
	mrc p15, 0, r3, c13, c0, 3
	str r10, [r3, #TLS_G]
	str r9, [r3, #TLS_M]
	mov sp, r4
	pop {r4, r5, r6, pc}
	.size rt_asmcgocall, .-rt_asmcgocall

// void crossrt_cgocallback(void (*fn)(void*), void *arg)
// The entry foreign code calls. Foreign code is not built with r9/r10
// reserved, so they hold its values, not m and g: keep them for it (they are
// callee-saved) and load g and m from the TLS block (load_gm).
	.globl crossrt_cgocallback
	.type crossrt_cgocallback, %function
crossrt_cgocallback:
	push {r9, r10, r11, lr}
	mrc p15, 0, r3, c13, c0, 3
	ldr r10, [r3, #TLS_G]
	ldr r9, [r3, #TLS_M]
	bl rt_cgocallback_go
	pop {r9, r10, r11, pc}
	.size crossrt_cgocallback, .-crossrt_cgocallback

// void rt_call_on_stack(void (*fn)(void*), void *arg, uintptr sp)
	.globl rt_call_on_stack
	.type rt_call_on_stack, %function
rt_call_on_stack:
	push {r4, lr}
	mov r4, sp
	bic r2, r2, #7
	mov sp, r2
	mov r3, r0
	mov r0, r1
	blx r3
	mov sp, r4
	pop {r4, pc}
	.size rt_call_on_stack, .-rt_call_on_stack

	.section .note.GNU-stack,"",%progbits
