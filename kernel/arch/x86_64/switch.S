/* SPDX-License-Identifier: MIT */
/*
 * arch_switch(struct thread *from, struct thread *to): the context switch.
 * Loads to's address space (unless both threads share a task), kernel
 * stack top (TSS rsp0 and the per-CPU copy), FS base and FPU state,
 * computes the per-CPU work byte for to's next system call exit, saves
 * the callee-saved registers on from's kernel stack and resumes to on its
 * own.  A new thread's stack is prepared by arch_thread_init_* to
 * "return" into thread_entry_trampoline or user_entry_trampoline.
 *
 * Written in assembly because it is on every IPC round trip twice: the C
 * version paid for its own frame and register saves on top of the stack
 * switch's.  Field offsets come from offsets.h (checked in thread.c).
 * The caller has already cleared need_resched, so it is not part of work.
 */
#include "offsets.h"

	.text
	.global arch_switch
arch_switch:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	mov THREAD_TASK(%rsi), %rax          /* to->task */
	mov THREAD_TASK(%rdi), %rcx          /* from->task */
	cmp %rax, %rcx
	je 2f
	/* Different tasks have different roots: no need to compare. */
	mov TASK_VM(%rax), %rdx
	test %rdx, %rdx
	jz kernel_root
	mov VMSPACE_ROOT(%rdx), %rdx
1:	mov %rdx, %cr3
	mov TASK_IOBITMAP(%rax), %rdx
	or TASK_IOBITMAP(%rcx), %rdx
	jnz switch_iobitmap
2:	mov THREAD_KSTACK_TOP(%rsi), %rdx
	mov tss_rsp0(%rip), %r8
	mov %rdx, (%r8)
	mov %rdx, cpu0+PERCPU_KSTACK_TOP(%rip)
	mov THREAD_FSBASE(%rsi), %rdx
	cmp THREAD_FSBASE(%rdi), %rdx
	jne switch_fsbase
3:	/* Eager FPU switching: the kernel itself never touches FPU/SSE state.
	 * Threads of the kernel task (no address space) have no FPU state. */
	cmpq $0, TASK_VM(%rcx)
	je 4f
	fxsave64 THREAD_FPU(%rdi)
4:	cmpq $0, TASK_VM(%rax)
	je 5f
	fxrstor64 THREAD_FPU(%rsi)
5:	/* work = to->dying | task->suspended | arena in use | upcall pending */
	movzbl THREAD_DYING(%rsi), %edx
	or TASK_SUSPENDED(%rax), %dl
	mov THREAD_ARENA_TOP(%rsi), %r8
	xor THREAD_ARENA_BASE(%rsi), %r8     /* nonzero: arena in use */
	or THREAD_UPCALL_PENDING(%rsi), %r8
	setne %r8b
	or %r8b, %dl
	mov %dl, cpu0+PERCPU_WORK(%rip)
	mov %rsp, THREAD_KSP(%rdi)
	mov THREAD_KSP(%rsi), %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret

	/* A task without an address space (the kernel's, or one that has
	 * ended): the kernel's own root. */
kernel_root:
	push %rdi
	push %rsi
	push %rax
	push %rcx
	sub $8, %rsp                         /* keep the call 16-byte aligned */
	call arch_kernel_root
	mov %rax, %rdx
	add $8, %rsp
	pop %rcx
	pop %rax
	pop %rsi
	pop %rdi
	jmp 1b

	/* Either task has an I/O bitmap: install to's (NULL: deny all). */
switch_iobitmap:
	push %rdi
	push %rsi
	push %rax
	push %rcx
	sub $8, %rsp                         /* keep the call 16-byte aligned */
	mov TASK_IOBITMAP(%rax), %rdi
	call tss_set_iobitmap
	add $8, %rsp
	pop %rcx
	pop %rax
	pop %rsi
	pop %rdi
	jmp 2b

switch_fsbase:
	push %rax
	push %rcx
	mov %rdx, %rax
	shr $32, %rdx
	mov $0xc0000100, %ecx                /* MSR_FSBASE */
	wrmsr
	pop %rcx
	pop %rax
	jmp 3b

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

/*
 * long copy_msg_in_asm(struct ferry_msg *dst, const struct ferry_msg *src):
 * copies a message from user memory, the header and only the used part of
 * data[] (len rounded up to whole quadwords; the caller checked that the
 * whole 128 bytes lie in the user range).  -FERRY_EMSGSIZE if len is over
 * FERRY_MSG_INLINE_MAX, -FERRY_EFAULT on a fault.  Reading len first
 * halves the copy of a typical short message.  The last byte is read too:
 * 128 bytes span at most two pages, so with the first and the last byte
 * readable the whole buffer is, and a message is accepted exactly when a
 * full copy would have been, whatever its len.
 */
	.global copy_msg_in_asm
	.global copy_user_fault_ip3
	.global copy_user_fault_ip4
	.global copy_user_fault_ip6
copy_msg_in_asm:
copy_user_fault_ip6:
	movzbl 127(%rsi), %ecx                /* the last byte: see above */
copy_user_fault_ip3:
	movzwl 4(%rsi), %ecx                  /* len */
	cmp $88, %ecx                         /* FERRY_MSG_INLINE_MAX */
	ja 1f
	add $(40 + 7), %ecx                   /* offsetof(data), rounded up */
	shr $3, %ecx
copy_user_fault_ip4:
	rep movsq
	xor %eax, %eax
	ret
1:	mov $-90, %rax                        /* -FERRY_EMSGSIZE */
	ret

/*
 * long probe_msg_asm(struct ferry_msg *m): checks that a user message
 * buffer is writable at both ends (128 bytes span at most two pages) by
 * writing back the bytes read there, so its contents do not change.  0 or
 * -FERRY_EFAULT.
 */
	.global probe_msg_asm
	.global copy_user_fault_ip7
	.global copy_user_fault_ip8
	.global copy_user_fault_ip9
	.global copy_user_fault_ip10
probe_msg_asm:
copy_user_fault_ip7:
	movzbl (%rdi), %eax
copy_user_fault_ip8:
	mov %al, (%rdi)
copy_user_fault_ip9:
	movzbl 127(%rdi), %eax
copy_user_fault_ip10:
	mov %al, 127(%rdi)
	xor %eax, %eax
	ret

/* long read_user_u64(const uint64_t *src, uint64_t *dst): 0 or -FERRY_EFAULT. */
	.global read_user_u64
	.global copy_user_fault_ip5
read_user_u64:
copy_user_fault_ip5:
	mov (%rdi), %rax
	mov %rax, (%rsi)
	xor %eax, %eax
	ret
