// SPDX-License-Identifier: MIT
/*
 * Interrupting threads: the kernel's only part in POSIX signals.  procmgr
 * decides which signals a process gets; it calls task_interrupt, which
 * marks bits pending on a thread and breaks its blocking call with
 * -FERRY_EINTR.  On that thread's next return to user mode, upcall_deliver
 * saves the user context in a struct ferry_upcall_frame on the user stack
 * and enters the task's upcall entry (libposix), which runs the handlers
 * and resumes with upcall_return.  Entry points: sys_upcall_set,
 * sys_task_interrupt, sys_upcall_return_frame (via syscall.S), upcall_deliver.
 */
#include <lib/string.h>
#include <arch.h>
#include <ferry/errors.h>
#include <ferry/syscall.h>
#include <core/task.h>
#include <core/thread.h>
#include <mm/vmspace.h>
#include <lib/klog.h>
#include "../arch/x86_64/cpu.h"

#define RED_ZONE    128
#define RFLAGS_USER 0xcd5ull /* CF PF AF ZF SF TF DF OF: what user code may set */
#define RFLAGS_IF   0x200ull

long
sys_upcall_set(struct trap_frame *tf)
{
	if (tf->rdi >= USER_TOP)
		return -FERRY_EINVAL;
	current->task->upcall_entry = tf->rdi;
	return 0;
}

/* The thread a task-directed interrupt goes to: its first live thread. */
static struct thread *
pick_thread(struct task *t)
{
	struct list *pos;
	for (pos = t->threads.next; pos != &t->threads; pos = pos->next) {
		struct thread *th = container_of(pos, struct thread, task_link);
		if (th->state != THREAD_STATE_NEW && th->state != THREAD_STATE_DEAD && !th->dying)
			return th;
	}
	return NULL;
}

long
sys_task_interrupt(struct trap_frame *tf)
{
	uint64_t bits = tf->rsi;
	uint32_t flags = (uint32_t)tf->rdx;
	struct kobject *o;
	struct thread *th;
	int rc;
	if (!bits || (flags & ~(FERRY_INTERRUPT_THREAD | FERRY_INTERRUPT_TID)) ||
	    flags == (FERRY_INTERRUPT_THREAD | FERRY_INTERRUPT_TID))
		return -FERRY_EINVAL;
	if (flags & FERRY_INTERRUPT_THREAD) {
		if ((rc = handle_lookup(current->task, (handle_t)tf->rdi, FERRY_OBJ_THREAD,
		                        FERRY_RIGHT_MANAGE, &o, NULL)))
			return rc;
		th = (struct thread *)o;
		if (th->state == THREAD_STATE_NEW || th->state == THREAD_STATE_DEAD || th->dying)
			return -FERRY_EPEER;
	} else {
		if ((rc = handle_lookup(current->task, (handle_t)tf->rdi, FERRY_OBJ_TASK,
		                        FERRY_RIGHT_MANAGE, &o, NULL)))
			return rc;
		struct task *t = (struct task *)o;
		if (t->state == TASK_STATE_DEAD)
			return -FERRY_EPEER;
		if (flags & FERRY_INTERRUPT_TID) {
			/* One thread of that task by its id: gone (or another task's) is ENOENT. */
			th = thread_by_slot((uint32_t)tf->r10);
			if (!th || th->task != t || th->state == THREAD_STATE_NEW ||
			    th->state == THREAD_STATE_DEAD || th->dying)
				return -FERRY_ENOENT;
		} else if (!(th = pick_thread(t))) {
			return -FERRY_EPEER;
		}
	}
	if (!th->task->upcall_entry)
		return -FERRY_ENOTSUP; /* the caller applies the default action itself */
	th->upcall_pending |= bits;
	if (th == current)
		arch_work_pending();
	else if (th->state == THREAD_STATE_BLOCKED)
		thread_wake(th, -FERRY_EINTR);
	return 0;
}

/*
 * Enters the upcall on the way back to user mode: tf is the thread's
 * complete user frame.  Returns false when there is nothing to deliver.
 * A stack the frame cannot be written to ends the task (as SIGSEGV would).
 */
bool
upcall_deliver(struct trap_frame *tf)
{
	struct thread *t = current;
	struct task *task = t->task;
	if (!t->upcall_pending || !task->upcall_entry)
		return false;
	struct ferry_upcall_frame f __attribute__((aligned(64)));
	memset(&f, 0, sizeof(f));
	f.bits = t->upcall_pending;
	f.fsbase = t->fsbase;
	f.regs = (struct ferry_upcall_regs){
	        tf->r15, tf->r14, tf->r13, tf->r12, tf->r11, tf->r10, tf->r9,  tf->r8,     tf->rbp,
	        tf->rdi, tf->rsi, tf->rdx, tf->rcx, tf->rbx, tf->rax, tf->rip, tf->rflags, tf->rsp,
	};
	__asm__ volatile("fxsave64 %0" : "=m"(f.fpu));
	uint64_t sp = (tf->rsp - RED_ZONE - sizeof(f)) & ~63ull;
	uint64_t ret = 0;
	if (sp < PAGE_SIZE || sp > tf->rsp || copy_to_user(uptr(sp), &f, sizeof(f)) ||
	    copy_to_user(uptr(sp - 8), &ret, sizeof(ret))) {
		kprintf("ferry: task %s thread %s: no room for an interrupt frame below rsp %#lx: "
		        "killed\n",
		        task->name, t->name, (unsigned long)tf->rsp);
		task_exit(task, -(128 + 11));
		thread_exit_current();
	}
	t->upcall_pending = 0;
	tf->rsp = sp - 8;
	tf->rip = task->upcall_entry;
	tf->rdi = sp;
	tf->rflags = (tf->rflags & ~(0x100ull | 0x400ull | 0x40000ull)) | RFLAGS_IF | 0x2;
	tf->cs = GDT_UCODE;
	tf->ss = GDT_UDATA;
	return true;
}

long
sys_upcall_return_frame(struct trap_frame *tf)
{
	struct ferry_upcall_frame f __attribute__((aligned(64)));
	if (copy_from_user(&f, uptr(tf->rdi), sizeof(f)))
		return -FERRY_EFAULT;
	const struct ferry_upcall_regs *r = &f.regs;
	if (r->rip >= USER_TOP || f.fsbase >= USER_TOP)
		return -FERRY_EINVAL;
	tf->r15 = r->r15, tf->r14 = r->r14, tf->r13 = r->r13, tf->r12 = r->r12;
	tf->r11 = r->r11, tf->r10 = r->r10, tf->r9 = r->r9, tf->r8 = r->r8;
	tf->rbp = r->rbp, tf->rdi = r->rdi, tf->rsi = r->rsi, tf->rdx = r->rdx;
	tf->rcx = r->rcx, tf->rbx = r->rbx, tf->rax = r->rax;
	tf->rip = r->rip;
	tf->rsp = r->rsp;
	tf->rflags = (r->rflags & RFLAGS_USER) | RFLAGS_IF | 0x2;
	tf->cs = GDT_UCODE;
	tf->ss = GDT_UDATA;
	current->fsbase = f.fsbase;
	arch_set_fsbase(f.fsbase);
	/* Reserved MXCSR bits would make fxrstor fault in the kernel. */
	uint32_t mxcsr;
	memcpy(&mxcsr, f.fpu + 24, sizeof(mxcsr));
	mxcsr &= 0xffff;
	memcpy(f.fpu + 24, &mxcsr, sizeof(mxcsr));
	__asm__ volatile("fxrstor64 %0" ::"m"(f.fpu));
	return (long)tf->rax; /* the dispatcher stores it back into tf->rax */
}
