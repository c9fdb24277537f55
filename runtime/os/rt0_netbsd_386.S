// Process entry for static 386 NetBSD binaries: the kernel leaves argc at
// (%esp), as Linux does. rt_start gets that pointer on a 16-byte aligned
// stack. The ident note (netbsd_ident.inc) tells the loader this is NetBSD.
#include "netbsd_ident.inc"

	.text
	.globl _start
	.type _start, @function
_start:
	xorl %ebp, %ebp
	movl %esp, %eax
	andl $-16, %esp
	subl $12, %esp
	pushl %eax
	call rt_start
	hlt

	NETBSD_IDENT_NOTE(@note)
	.section .note.GNU-stack,"",@progbits
