// Raw Linux system calls for arm EABI: `svc #0`, number in r7, arguments in
// r0-r5; the result (or -errno) comes back in r0. r7 (and r4, r5) are
// callee-saved, so they are preserved.
// Numbers: arch/arm/tools/syscall.tbl in the Linux sources; set_tls is the
// ARM private call __ARM_NR_set_tls = 0x0f0005.

#define SYS_write	4
#define SYS_munmap	91
#define SYS_mprotect	125
#define SYS_mmap2	192
#define SYS_exit_group	248
#define SYS_set_tls	0x0f0005

	.syntax unified
	.arm
	.text

	.globl rt_sys_write
	.type rt_sys_write, %function
rt_sys_write:
	push {r7, lr}
	mov r7, #SYS_write
	svc #0
	pop {r7, pc}

	.globl rt_sys_exit_group
	.type rt_sys_exit_group, %function
rt_sys_exit_group:
	mov r7, #SYS_exit_group
	svc #0
	udf #0

// intptr rt_sys_mmap(addr, n, prot, flags, fd, off): mmap2 counts the
// offset in 4096-byte pages; fd and off arrive on the stack.
	.globl rt_sys_mmap
	.type rt_sys_mmap, %function
rt_sys_mmap:
	push {r4, r5, r7, lr}
	ldr r4, [sp, #16]
	ldr r5, [sp, #20]
	lsr r5, r5, #12
	mov r7, #SYS_mmap2
	svc #0
	pop {r4, r5, r7, pc}

	.globl rt_sys_munmap
	.type rt_sys_munmap, %function
rt_sys_munmap:
	push {r7, lr}
	mov r7, #SYS_munmap
	svc #0
	pop {r7, pc}

	.globl rt_sys_mprotect
	.type rt_sys_mprotect, %function
rt_sys_mprotect:
	push {r7, lr}
	mov r7, #SYS_mprotect
	svc #0
	pop {r7, pc}

// intptr rt_sys_settls(void *tp): TPIDRURO = tp.
	.globl rt_sys_settls
	.type rt_sys_settls, %function
rt_sys_settls:
	push {r7, lr}
	movw r7, #(SYS_set_tls & 0xffff)
	movt r7, #(SYS_set_tls >> 16)
	svc #0
	pop {r7, pc}

	.section .note.GNU-stack,"",%progbits
