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

	.section .note.GNU-stack,"",@progbits
