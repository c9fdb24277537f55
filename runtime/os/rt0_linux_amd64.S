// Process entry for static amd64 Linux binaries: the kernel leaves argc at
// (%rsp). rt_start gets that pointer on a 16-byte aligned stack.
	.text
	.globl _start
	.type _start, @function
_start:
	xorl %ebp, %ebp
	movq %rsp, %rdi
	andq $-16, %rsp
	call rt_start
	hlt
	.section .note.GNU-stack,"",@progbits
