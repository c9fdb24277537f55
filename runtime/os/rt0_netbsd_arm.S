// Process entry for static arm NetBSD binaries: the kernel leaves argc at
// [sp], as Linux does. rt_start gets that pointer on an 8-byte aligned
// stack. The ident note (netbsd_ident.inc) tells the loader this is NetBSD.
#include "netbsd_ident.inc"

	.syntax unified
	.arm
	.text
	.globl _start
	.type _start, %function
_start:
	mov r0, sp
	bic r1, r0, #7
	mov sp, r1
	mov r11, #0
	mov lr, #0
	bl rt_start
	udf #0

	NETBSD_IDENT_NOTE(%note)
	.section .note.GNU-stack,"",%progbits
