/* SPDX-License-Identifier: MIT */
/*
 * arch_switch_stacks(uint64_t *save_sp, uint64_t new_sp): save the callee-
 * saved registers on the current kernel stack, store its pointer, load the
 * other thread's stack and resume it.  A new thread's stack is prepared by
 * arch_thread_init_* to "return" into thread_entry_trampoline.
 */
	.text
	.global arch_switch_stacks
arch_switch_stacks:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	mov %rsp, (%rdi)
	mov %rsi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret

	/* First run of a thread: r12 = function, r13 = argument. */
	.global thread_entry_trampoline
thread_entry_trampoline:
	call sched_after_switch_out
	mov %r13, %rdi
	call *%r12
	ud2

	/* First run of a user thread: the trap frame above us is its user state. */
	.global user_entry_trampoline
user_entry_trampoline:
	call sched_after_switch_out
	jmp trap_return

/*
 * long copy_user_asm(void *dst, const void *src, size_t n): rep movsb with a
 * fault fixup: a page fault inside returns -FERRY_EFAULT (see trap.c).
 */
	.global copy_user_asm
	.global copy_user_fault_ip
	.global copy_user_fixup
copy_user_asm:
	mov %rdx, %rcx
	shr $3, %rcx
copy_user_fault_ip:
	rep movsq                     /* whole quadwords, then the tail bytes */
	mov %rdx, %rcx
	and $7, %rcx
copy_user_fault_ip2:
	rep movsb
	xor %eax, %eax
	ret
copy_user_fixup:
	mov $-14, %rax
	ret
	.global copy_user_fault_ip2
