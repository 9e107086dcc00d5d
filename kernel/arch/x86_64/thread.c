// SPDX-License-Identifier: MIT
/*
 * The x86_64 side of threads: initial stack frames for kernel and user
 * threads, the context switch (address space, kernel stack, FS base, I/O
 * bitmap), and access to a thread's saved user registers.
 */
#include <stddef.h>
#include <lib/string.h>
#include <arch.h>
#include <core/task.h>
#include <core/thread.h>
#include <mm/vmspace.h>
#include "cpu.h"
#include "offsets.h"

/* arch_switch (switch.S) reaches these fields by offset. */
_Static_assert(offsetof(struct thread, task) == THREAD_TASK, "offsets.h");
_Static_assert(offsetof(struct thread, dying) == THREAD_DYING, "offsets.h");
_Static_assert(offsetof(struct thread, ksp) == THREAD_KSP, "offsets.h");
_Static_assert(offsetof(struct thread, kstack_top) == THREAD_KSTACK_TOP, "offsets.h");
_Static_assert(offsetof(struct thread, arena.base) == THREAD_ARENA_BASE, "offsets.h");
_Static_assert(offsetof(struct thread, arena.top) == THREAD_ARENA_TOP, "offsets.h");
_Static_assert(offsetof(struct thread, fsbase) == THREAD_FSBASE, "offsets.h");
_Static_assert(offsetof(struct thread, fpu) == THREAD_FPU, "offsets.h");
_Static_assert(offsetof(struct thread, upcall_pending) == THREAD_UPCALL_PENDING, "offsets.h");
_Static_assert(sizeof(((struct thread *)0)->dying) == 1, "switch.S reads dying as a byte");
_Static_assert(sizeof(((struct thread *)0)->upcall_pending) == 8, "switch.S compares 8 bytes");
_Static_assert(offsetof(struct task, vm) == TASK_VM, "offsets.h");
_Static_assert(offsetof(struct task, suspended) == TASK_SUSPENDED, "offsets.h");
_Static_assert(sizeof(((struct task *)0)->suspended) == 1, "switch.S reads suspended as a byte");
_Static_assert(offsetof(struct task, iobitmap) == TASK_IOBITMAP, "offsets.h");
_Static_assert(offsetof(struct vmspace, root) == VMSPACE_ROOT, "offsets.h");
_Static_assert(offsetof(struct percpu, kstack_top) == PERCPU_KSTACK_TOP, "offsets.h");
_Static_assert(offsetof(struct percpu, work) == PERCPU_WORK, "offsets.h");

extern void thread_entry_trampoline(void);
extern void user_entry_trampoline(void);

struct percpu cpu0;

struct switch_frame {
	uint64_t r15, r14, r13, r12, rbx, rbp, ret;
};

struct trap_frame *
arch_user_frame(struct thread *t)
{
	return (struct trap_frame *)(t->kstack_top - sizeof(struct trap_frame));
}

void
arch_frame_set_return(struct trap_frame *tf, uint64_t value)
{
	tf->rax = value;
}

void
arch_thread_init_kernel(struct thread *t, void (*fn)(void *), void *arg)
{
	struct switch_frame *sf = (struct switch_frame *)(t->kstack_top - sizeof(*sf) - 8);
	memset(sf, 0, sizeof(*sf));
	sf->r12 = (uint64_t)fn;
	sf->r13 = (uint64_t)arg;
	sf->ret = (uint64_t)thread_entry_trampoline;
	t->ksp = (uint64_t)sf;
}

/* Initial FPU/SSE state: x87 control word and MXCSR at their reset defaults. */
static void
fpu_init(struct thread *t)
{
	memset(t->fpu, 0, sizeof(t->fpu));
	t->fpu[0] = 0x7f;
	t->fpu[1] = 0x03; /* FCW 0x037f */
	t->fpu[24] = 0x80;
	t->fpu[25] = 0x1f; /* MXCSR 0x1f80 */
}

void
arch_thread_init_user(struct thread *t, uintptr_t entry, uintptr_t stack, uint64_t arg)
{
	fpu_init(t);
	struct trap_frame *tf = arch_user_frame(t);
	memset(tf, 0, sizeof(*tf));
	tf->rip = entry;
	tf->rsp = stack;
	tf->rdi = arg;
	tf->cs = GDT_UCODE;
	tf->ss = GDT_UDATA;
	tf->rflags = 0x202; /* IF */
	struct switch_frame *sf = (struct switch_frame *)((uintptr_t)tf - sizeof(*sf));
	memset(sf, 0, sizeof(*sf));
	sf->ret = (uint64_t)user_entry_trampoline;
	t->ksp = (uint64_t)sf;
}

void
arch_thread_init_clone(struct thread *t, struct thread *from, uint64_t retval)
{
	arch_thread_init_user(t, 0, 0, 0);
	*arch_user_frame(t) = *arch_user_frame(from);
	arch_user_frame(t)->rax = retval;
	/* from's live FPU state is in the registers, not yet in from->fpu. */
	__asm__ volatile("fxsave64 %0" : "=m"(t->fpu));
	t->fsbase = from->fsbase;
	t->upcall_stack = from->upcall_stack; /* the same memory, in the copy */
	t->upcall_stack_size = from->upcall_stack_size;
}

void
arch_set_fsbase(uint64_t base)
{
	wrmsr(MSR_FSBASE, base);
}

void
arch_work_pending(void)
{
	cpu0.work = 1;
}

void
arch_set_kernel_stack(uintptr_t top)
{
	tss_set_rsp0(top);
	cpu0.kstack_top = top;
}
