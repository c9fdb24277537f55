// Raw Linux system calls for 386: `int $0x80`, number in %eax, arguments in
// %ebx %ecx %edx %esi %edi %ebp; the result (or -errno) comes back in %eax.
// Numbers: arch/x86/entry/syscalls/syscall_32.tbl in the Linux sources.
// %ebx %esi %edi %ebp are callee-saved in the C ABI, so they are preserved.

#define SYS_munmap		91
#define SYS_mprotect		125
#define SYS_mmap2		192
#define SYS_set_thread_area	243
#define SYS_write		4
#define SYS_exit_group		252

	.text

	.globl rt_sys_write
	.type rt_sys_write, @function
rt_sys_write:
	pushl %ebx
	movl 8(%esp), %ebx
	movl 12(%esp), %ecx
	movl 16(%esp), %edx
	movl $SYS_write, %eax
	int $0x80
	popl %ebx
	ret

	.globl rt_sys_exit_group
	.type rt_sys_exit_group, @function
rt_sys_exit_group:
	movl 4(%esp), %ebx
	movl $SYS_exit_group, %eax
	int $0x80
	hlt

// intptr rt_sys_mmap(addr, n, prot, flags, fd, off): mmap2 counts the
// offset in 4096-byte pages.
	.globl rt_sys_mmap
	.type rt_sys_mmap, @function
rt_sys_mmap:
	pushl %ebp
	pushl %ebx
	pushl %esi
	pushl %edi
	movl 20(%esp), %ebx
	movl 24(%esp), %ecx
	movl 28(%esp), %edx
	movl 32(%esp), %esi
	movl 36(%esp), %edi
	movl 40(%esp), %ebp
	shrl $12, %ebp
	movl $SYS_mmap2, %eax
	int $0x80
	popl %edi
	popl %esi
	popl %ebx
	popl %ebp
	ret

	.globl rt_sys_munmap
	.type rt_sys_munmap, @function
rt_sys_munmap:
	pushl %ebx
	movl 8(%esp), %ebx
	movl 12(%esp), %ecx
	movl $SYS_munmap, %eax
	int $0x80
	popl %ebx
	ret

	.globl rt_sys_mprotect
	.type rt_sys_mprotect, @function
rt_sys_mprotect:
	pushl %ebx
	movl 8(%esp), %ebx
	movl 12(%esp), %ecx
	movl 16(%esp), %edx
	movl $SYS_mprotect, %eax
	int $0x80
	popl %ebx
	ret

// intptr rt_sys_settls(void *tp): ask the kernel for a free TLS slot in the
// GDT with base tp (struct user_desc, entry_number -1), then load %gs with
// its selector (index << 3 | RPL 3).
	.globl rt_sys_settls
	.type rt_sys_settls, @function
rt_sys_settls:
	pushl %ebx
	movl 8(%esp), %eax		// tp
	subl $16, %esp			// struct user_desc
	movl $-1, 0(%esp)		// entry_number: any free slot
	movl %eax, 4(%esp)		// base_addr
	movl $0xfffff, 8(%esp)		// limit: 4 GiB in pages
	movl $0x51, 12(%esp)		// seg_32bit | limit_in_pages | useable
	movl %esp, %ebx
	movl $SYS_set_thread_area, %eax
	int $0x80
	testl %eax, %eax
	jnz 1f
	movl 0(%esp), %ecx
	shll $3, %ecx
	orl $3, %ecx
	movw %cx, %gs
1:
	addl $16, %esp
	popl %ebx
	ret

	.section .note.GNU-stack,"",@progbits
