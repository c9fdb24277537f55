// Raw Linux system calls for 386: `int $0x80`, number in %eax, arguments in
// %ebx %ecx %edx %esi %edi %ebp; the result (or -errno) comes back in %eax.
// %ebx %esi %edi %ebp are callee-saved in the C ABI, so they are preserved.
// Numbers are in defs_linux_386.h.
#include "defs_linux_386.h"

	.text

// intptr rt_syscall6(intptr nr, a1, a2, a3, a4, a5, a6)
	.globl rt_syscall6
	.type rt_syscall6, @function
rt_syscall6:
	pushl %ebp
	pushl %ebx
	pushl %esi
	pushl %edi
	movl 20(%esp), %eax
	movl 24(%esp), %ebx
	movl 28(%esp), %ecx
	movl 32(%esp), %edx
	movl 36(%esp), %esi
	movl 40(%esp), %edi
	movl 44(%esp), %ebp
	int $0x80
	popl %edi
	popl %esi
	popl %ebx
	popl %ebp
	ret
	.size rt_syscall6, .-rt_syscall6

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
	.size rt_sys_settls, .-rt_sys_settls

	.section .note.GNU-stack,"",@progbits
