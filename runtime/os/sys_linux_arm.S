// Raw Linux system calls for arm EABI: `svc #0`, number in r7, arguments in
// r0-r5; the result (or -errno) comes back in r0. r4, r5 and r7 are
// callee-saved, so they are preserved. Numbers are in defs_linux_arm.h.
#include "defs_linux_arm.h"
#include "rt/layout.h"

	.syntax unified
	.arm
	.text

// intptr rt_syscall6(intptr nr, a1, a2, a3, a4, a5, a6): nr and a1-a3 arrive
// in r0-r3, a4-a6 on the stack.
	.globl rt_syscall6
	.type rt_syscall6, %function
rt_syscall6:
	push {r4, r5, r7, lr}
	mov r7, r0
	mov r0, r1
	mov r1, r2
	mov r2, r3
	ldr r3, [sp, #16]
	ldr r4, [sp, #20]
	ldr r5, [sp, #24]
	svc #0
	pop {r4, r5, r7, pc}
	.size rt_syscall6, .-rt_syscall6

// intptr rt_sys_settls(void *tp): TPIDRURO = tp.
	.globl rt_sys_settls
	.type rt_sys_settls, %function
rt_sys_settls:
	push {r7, lr}
	movw r7, #(SYS_set_tls & 0xffff)
	movt r7, #(SYS_set_tls >> 16)
	svc #0
	pop {r7, pc}
	.size rt_sys_settls, .-rt_sys_settls

// intptr rt_clone(uintptr flags, void *stack, uint32 *ctid, void (*fn)(void*), void *arg)
// clone(2) on arm takes (flags, stack, ptid, tls, ctid) in r0-r4. arg
// arrives on our stack. See sys_linux_amd64.S.
	.globl rt_clone
	.type rt_clone, %function
rt_clone:
	push {r4, r7, r11, lr}
	ldr r12, [sp, #16]		// arg
	sub r1, r1, #16
	str r3, [r1]			// fn
	str r12, [r1, #4]		// arg
	mov r4, r2			// ctid
	mov r2, #0			// ptid
	mov r3, #0			// tls: the thread sets its own
	mov r7, #SYS_clone
	svc #0
	cmp r0, #0
	bne 1f				// parent (or error)
	ldr r3, [sp]
	ldr r0, [sp, #4]
	mov r11, #0
	blx r3
	mov r0, #0
	mov r7, #SYS_exit		// this thread only
	svc #0
	udf #0
1:
	pop {r4, r7, r11, pc}
	.size rt_clone, .-rt_clone

// The kernel enters the handler with (sig, info, uctx) in r0-r2 and lr at
// the restorer. The signal may have landed while foreign code, which is not
// built with r9/r10 reserved, had them: reload g and m from the TLS block
// before any runtime code looks at them.
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

	.globl rt_sigreturn_tramp
	.type rt_sigreturn_tramp, %function
rt_sigreturn_tramp:
	mov r7, #SYS_rt_sigreturn
	svc #0
	udf #0
	.size rt_sigreturn_tramp, .-rt_sigreturn_tramp

	.section .note.GNU-stack,"",%progbits
