// foreign_clobber_until for amd64: every general register the SysV ABI lets
// a function use holds garbage while the loop spins (the callee-saved ones
// are restored before returning, as the ABI requires).
	.text
	.globl foreign_clobber_until
	.type foreign_clobber_until, @function
foreign_clobber_until:
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rdi, %r15			// stop
	xorl %r14d, %r14d		// rounds
	.globl foreign_clobber_begin
	// foreign_clobber_loop: the loop again, as a symbol with a size, so
	// that a signal sweep can name it (crossrt run --signal-sweep
	// SIGUSR1@foreign_clobber_loop).
	.globl foreign_clobber_loop
	.type foreign_clobber_loop, @function
foreign_clobber_begin:
foreign_clobber_loop:
1:
	movabsq $0x0bad0bad0bad0ba0, %rax
	movq %rax, %rbx
	movq %rax, %rcx
	movq %rax, %rdx
	movq %rax, %rsi
	movq %rax, %rdi
	movq %rax, %rbp
	movq %rax, %r8
	movq %rax, %r9
	movq %rax, %r10
	movq %rax, %r11
	movq %rax, %r12
	movq %rax, %r13
	movl $20000, %ecx
2:
	addq $1, %rbx
	subl $1, %ecx
	jnz 2b
	addq $1, %r14
	movl (%r15), %eax
	testl %eax, %eax
	jz 1b
	.globl foreign_clobber_end
foreign_clobber_end:
	.size foreign_clobber_loop, foreign_clobber_end - foreign_clobber_loop
	movq %r14, %rax
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	ret
	.size foreign_clobber_until, .-foreign_clobber_until
	.section .note.GNU-stack,"",@progbits
