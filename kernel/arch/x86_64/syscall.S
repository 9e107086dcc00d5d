/* SPDX-License-Identifier: MIT */
/*
 * The syscall entry.  Interrupts are off on entry (SFMASK clears IF) and
 * stay off in the kernel.  We switch to the thread's kernel stack and build
 * a struct trap_frame (so fork, exceptions and exit see one layout), call
 * syscall_dispatch(frame) and leave by sysret; a frame whose return address
 * was changed to a non-canonical one leaves by iret (trap_return) instead.
 */
#define PERCPU_USER_RSP 0
#define PERCPU_KSTACK   8

	.text
	.global syscall_entry
syscall_entry:
	swapgs
	mov %rsp, %gs:PERCPU_USER_RSP
	mov %gs:PERCPU_KSTACK, %rsp
	pushq $0x23                  /* ss */
	pushq %gs:PERCPU_USER_RSP    /* rsp */
	pushq %r11                   /* rflags */
	pushq $0x2b                  /* cs */
	pushq %rcx                   /* rip */
	pushq $0                     /* error */
	pushq $0x100                 /* vector: system call */
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	mov %rsp, %rdi
	call syscall_dispatch
	.global syscall_return
syscall_return:
	/* sysret needs a canonical rip, else it faults in ring 0. */
	mov 17*8(%rsp), %rcx
	shl $16, %rcx
	sar $16, %rcx
	cmp 17*8(%rsp), %rcx
	jne 1f
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	mov 16(%rsp), %rcx           /* rip from the frame (fork, signals may change it) */
	mov 32(%rsp), %r11           /* rflags from the frame */
	mov 40(%rsp), %rsp           /* user rsp (interrupts are off) */
	swapgs
	sysretq
1:	jmp trap_return
