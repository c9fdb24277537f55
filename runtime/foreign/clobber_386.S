// foreign_clobber_until for 386: every general register holds garbage while
// the loop spins (the callee-saved ones are restored before returning).
	.text
	.globl foreign_clobber_until
	.type foreign_clobber_until, @function
foreign_clobber_until:
	pushl %ebx
	pushl %ebp
	pushl %esi
	pushl %edi
	movl 20(%esp), %edi		// stop
	xorl %esi, %esi			// rounds
	.globl foreign_clobber_begin
foreign_clobber_begin:
1:
	movl $0x0bad0ba0, %eax
	movl %eax, %ebx
	movl %eax, %edx
	movl %eax, %ebp
	movl $20000, %ecx
2:
	addl $1, %ebx
	subl $1, %ecx
	jnz 2b
	addl $1, %esi
	movl (%edi), %eax
	testl %eax, %eax
	jz 1b
	.globl foreign_clobber_end
foreign_clobber_end:
	movl %esi, %eax
	popl %edi
	popl %esi
	popl %ebp
	popl %ebx
	ret
	.size foreign_clobber_until, .-foreign_clobber_until
	.section .note.GNU-stack,"",@progbits
