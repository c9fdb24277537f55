// Raw Linux system calls for amd64: `syscall`, number in %rax, arguments in
// %rdi %rsi %rdx %r10 %r8 %r9; the result (or -errno) comes back in %rax.
// Numbers: arch/x86/entry/syscalls/syscall_64.tbl in the Linux sources.

#define SYS_write	1
#define SYS_mmap	9
#define SYS_mprotect	10
#define SYS_munmap	11
#define SYS_arch_prctl	158
#define SYS_exit_group	231
#define ARCH_SET_FS	0x1002

	.text

	.globl rt_sys_write
	.type rt_sys_write, @function
rt_sys_write:
	movl $SYS_write, %eax
	syscall
	ret

	.globl rt_sys_exit_group
	.type rt_sys_exit_group, @function
rt_sys_exit_group:
	movl $SYS_exit_group, %eax
	syscall
	hlt

	.globl rt_sys_mmap
	.type rt_sys_mmap, @function
rt_sys_mmap:
	movq %rcx, %r10
	movl $SYS_mmap, %eax
	syscall
	ret

	.globl rt_sys_munmap
	.type rt_sys_munmap, @function
rt_sys_munmap:
	movl $SYS_munmap, %eax
	syscall
	ret

	.globl rt_sys_mprotect
	.type rt_sys_mprotect, @function
rt_sys_mprotect:
	movl $SYS_mprotect, %eax
	syscall
	ret

// intptr rt_sys_settls(void *tp): %fs base = tp.
	.globl rt_sys_settls
	.type rt_sys_settls, @function
rt_sys_settls:
	movq %rdi, %rsi
	movl $ARCH_SET_FS, %edi
	movl $SYS_arch_prctl, %eax
	syscall
	ret

	.section .note.GNU-stack,"",@progbits
