// foreign_clobber_until for arm: r9 and r10, where the runtime keeps m and g,
// hold garbage (small numbers in the unmapped first page) while the loop
// spins, and so does every other register AAPCS lets a function use (the
// callee-saved ones are restored before returning).
	.syntax unified
	.arm
	.text
	.globl foreign_clobber_until
	.type foreign_clobber_until, %function
foreign_clobber_until:
	push {r4-r11, r12, lr}
	mov r11, r0			// stop
	mov r4, #0			// rounds
	.globl foreign_clobber_begin
	// foreign_clobber_loop: the loop again, as a symbol with a size, so
	// that a signal sweep can name it (crossrt run --signal-sweep
	// SIGUSR1@foreign_clobber_loop).
	.globl foreign_clobber_loop
	.type foreign_clobber_loop, %function
foreign_clobber_begin:
foreign_clobber_loop:
1:
	movw r9, #0x0b09		// "m"
	movw r10, #0x0b10		// "g"
	movw r5, #0x0bad
	mov r6, r5
	mov r7, r5
	mov r8, r5
	mov r12, r5
	movw r1, #20000
2:
	add r5, r5, #1
	subs r1, r1, #1
	bne 2b
	add r4, r4, #1
	ldr r2, [r11]
	cmp r2, #0
	beq 1b
	.globl foreign_clobber_end
foreign_clobber_end:
	.size foreign_clobber_loop, foreign_clobber_end - foreign_clobber_loop
	mov r0, r4
	pop {r4-r11, r12, pc}
	.size foreign_clobber_until, .-foreign_clobber_until
	.section .note.GNU-stack,"",%progbits
