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
	// foreign_clobber_loop: the loop again, as a symbol with a size, so
	// that a signal sweep can name it (crossrt run --signal-sweep
	// SIGUSR1@foreign_clobber_loop).
	.globl foreign_clobber_loop
	.type foreign_clobber_loop, @function
foreign_clobber_begin:
foreign_clobber_loop:
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
	.size foreign_clobber_loop, foreign_clobber_end - foreign_clobber_loop
	movl %esi, %eax
	popl %edi
	popl %esi
	popl %ebp
	popl %ebx
	ret
	.size foreign_clobber_until, .-foreign_clobber_until
	.section .note.GNU-stack,"",@progbits
