// Process entry for static 386 Linux binaries: the kernel leaves argc at
// (%esp). rt_start gets that pointer on a 16-byte aligned stack.
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
	.section .note.GNU-stack,"",@progbits
