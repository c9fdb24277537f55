// Raw Linux system calls for arm EABI: `svc #0`, number in r7, arguments in
// r0-r5; the result (or -errno) comes back in r0. r4, r5 and r7 are
// callee-saved, so they are preserved. Numbers are in defs_linux_arm.h.
#include "defs_linux_arm.h"

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

	.section .note.GNU-stack,"",%progbits
