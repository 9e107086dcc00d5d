/* SPDX-License-Identifier: MIT */
/*
 * The syscall entry.  Interrupts are off on entry (SFMASK clears IF) and
 * stay off in the kernel.  We switch to the thread's kernel stack, where a
 * struct trap_frame sits at the top.
 *
 * Fast path (every call but task_clone): only the parts of the frame the
 * kernel reads are stored (return rip/rflags/rsp for sysret, the argument
 * registers for the handler); callee-saved registers are preserved by the
 * C code itself.  The handler gets the frame and returns the result in
 * rax; unless there is pending work (reschedule, thread death, a used
 * transient arena: cpu0.work), we restore the argument registers so no
 * kernel value leaks, and sysret.
 *
 * Full path (task_clone, which copies the caller's complete user state,
 * and upcall_return, which replaces it): their syscall_table entries are
 * the stubs below, which complete the frame with every register and leave
 * by the iret path, which also covers frames the kernel rewrote with a
 * non-canonical rip.  Routing them through the table keeps every other
 * call free of a test for them.
 */
#define PERCPU_USER_RSP 0
#define PERCPU_KSTACK   8
#define PERCPU_WORK     24

/* Offsets in struct trap_frame. */
#define TF_R10    (5 * 8)
#define TF_R9     (6 * 8)
#define TF_R8     (7 * 8)
#define TF_RDI    (9 * 8)
#define TF_RSI    (10 * 8)
#define TF_RDX    (11 * 8)
#define TF_RIP    (17 * 8)
#define TF_RFLAGS (19 * 8)
#define TF_RSP    (20 * 8)

#define SYS_COUNT 49

#define TF_R15 (0 * 8)
#define TF_R14 (1 * 8)
#define TF_R13 (2 * 8)
#define TF_R12 (3 * 8)
#define TF_R11 (4 * 8)
#define TF_RBP (8 * 8)
#define TF_RCX (12 * 8)
#define TF_RBX (13 * 8)
#define TF_RAX (14 * 8)
#define TF_VECTOR (15 * 8)
#define TF_ERROR  (16 * 8)

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
	sub $(17 * 8), %rsp          /* vector, error and the general registers */
	mov %rdi, TF_RDI(%rsp)
	mov %rsi, TF_RSI(%rsp)
	mov %rdx, TF_RDX(%rsp)
	mov %r10, TF_R10(%rsp)
	mov %r8, TF_R8(%rsp)
	mov %r9, TF_R9(%rsp)
	cmp $SYS_COUNT, %rax
	jae nosys
	mov %rsp, %rdi
	call *syscall_table(, %rax, 8)
fast_exit:
	cmpb $0, %gs:PERCPU_WORK
	jne exit_work
	mov TF_RDI(%rsp), %rdi
	mov TF_RSI(%rsp), %rsi
	mov TF_RDX(%rsp), %rdx
	mov TF_R10(%rsp), %r10
	mov TF_R8(%rsp), %r8
	mov TF_R9(%rsp), %r9
	mov TF_RIP(%rsp), %rcx
	mov TF_RFLAGS(%rsp), %r11
	mov TF_RSP(%rsp), %rsp
	swapgs
	sysretq
exit_work:
	/* Complete the frame: the callee-saved registers still hold the user's
	 * values here; rcx and r11 were clobbered by syscall (zero, not leak). */
	mov %rbx, TF_RBX(%rsp)
	mov %rbp, TF_RBP(%rsp)
	mov %r12, TF_R12(%rsp)
	mov %r13, TF_R13(%rsp)
	mov %r14, TF_R14(%rsp)
	mov %r15, TF_R15(%rsp)
	movq $0, TF_RCX(%rsp)
	movq $0, TF_R11(%rsp)
	mov %rsp, %rdi
	mov %rax, %rsi
	call syscall_exit_work       /* stores the result in the frame; 1: leave by iret */
	test %eax, %eax
	jnz trap_return
	mov TF_RAX(%rsp), %rax
	jmp fast_exit
nosys:
	mov $-38, %rax               /* -FERRY_ENOSYS */
	jmp fast_exit

	/* Reached from the fast path's indirect call with the user's values
	 * still in every register but rdi (already in the frame): drop the
	 * return address, which is never used, and store the rest. */
	.global sys_task_clone
	.global sys_upcall_return
sys_task_clone:
sys_upcall_return:
	add $8, %rsp
	movq $0x100, TF_VECTOR(%rsp) /* vector: system call */
	movq $0, TF_ERROR(%rsp)
	mov %rax, TF_RAX(%rsp)
	mov %rbx, TF_RBX(%rsp)
	mov %rcx, TF_RCX(%rsp)
	mov %rbp, TF_RBP(%rsp)
	mov %r11, TF_R11(%rsp)
	mov %r12, TF_R12(%rsp)
	mov %r13, TF_R13(%rsp)
	mov %r14, TF_R14(%rsp)
	mov %r15, TF_R15(%rsp)
	mov %rsp, %rdi
	call syscall_dispatch        /* stores the result in the frame's rax */
	jmp trap_return
