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

// intptr rt_sys_settls(void *tp): give this thread its own LDT entry with
// base tp and load %gs with its selector (index << 3 | TI=LDT | RPL 3).
// Why not set_thread_area: Linux has three GDT TLS slots per thread, which a
// new thread inherits filled, and qemu-i386 7.2 keeps one GDT for the whole
// process, so a thread reusing its creator's slot moves the creator's %gs
// base the next time qemu reloads it (after a signal). The LDT is shared by
// the process, so one entry per thread avoids both.
	.globl rt_sys_settls
	.type rt_sys_settls, @function
rt_sys_settls:
	pushl %ebx
	movl 8(%esp), %edx		// tp
	movl $1, %ecx
	lock xaddl %ecx, rt_ldt_next	// this thread's entry
	subl $16, %esp			// struct user_desc
	movl %ecx, 0(%esp)		// entry_number
	movl %edx, 4(%esp)		// base_addr
	movl $0xfffff, 8(%esp)		// limit: 4 GiB in pages
	movl $0x51, 12(%esp)		// seg_32bit | limit_in_pages | useable
	movl $1, %ebx			// func 1: write an entry
	movl %esp, %ecx
	movl $16, %edx
	movl $SYS_modify_ldt, %eax
	int $0x80
	testl %eax, %eax
	jnz 1f
	movl 0(%esp), %ecx
	shll $3, %ecx
	orl $7, %ecx
	movw %cx, %gs
1:
	addl $16, %esp
	popl %ebx
	ret
	.size rt_sys_settls, .-rt_sys_settls

// intptr rt_clone(uintptr flags, void *stack, uint32 *ctid, void (*fn)(void*), void *arg)
// clone(2) on i386 takes (flags, stack, ptid, tls, ctid) in ebx ecx edx esi
// edi. See sys_linux_amd64.S.
	.globl rt_clone
	.type rt_clone, @function
rt_clone:
	pushl %ebp
	pushl %ebx
	pushl %esi
	pushl %edi
	movl 24(%esp), %ecx		// stack
	subl $16, %ecx
	movl 32(%esp), %eax
	movl %eax, 0(%ecx)		// fn
	movl 36(%esp), %eax
	movl %eax, 4(%ecx)		// arg
	movl 20(%esp), %ebx		// flags
	movl 28(%esp), %edi		// ctid
	xorl %edx, %edx			// ptid
	xorl %esi, %esi			// tls: the thread sets its own
	movl $SYS_clone, %eax
	int $0x80
	testl %eax, %eax
	jnz 1f				// parent (or error)
	movl 0(%esp), %eax
	movl 4(%esp), %edx
	xorl %ebp, %ebp
	andl $-16, %esp
	subl $12, %esp
	pushl %edx
	call *%eax
	xorl %ebx, %ebx
	movl $SYS_exit, %eax		// this thread only
	int $0x80
	hlt
1:
	popl %edi
	popl %esi
	popl %ebx
	popl %ebp
	ret
	.size rt_clone, .-rt_clone

// The kernel enters the handler as a cdecl call (sig, info, uctx) with the
// restorer as return address. g and m are in TLS on 386: nothing to reload.
	.globl rt_sigtramp
	.type rt_sigtramp, @function
rt_sigtramp:
	jmp rt_sighandler
	.size rt_sigtramp, .-rt_sigtramp

	.globl rt_sigreturn_tramp
	.type rt_sigreturn_tramp, @function
rt_sigreturn_tramp:
	movl $SYS_rt_sigreturn, %eax
	int $0x80
	hlt
	.size rt_sigreturn_tramp, .-rt_sigreturn_tramp

	.data
	.align 4
// The next free LDT entry; entry 0 is left unused.
rt_ldt_next:
	.long 1

	.section .note.GNU-stack,"",@progbits
