// SPDX-License-Identifier: MIT
/*
 * Interrupting threads: the kernel's only part in POSIX signals.  procmgr
 * decides which signals a process gets; it calls task_interrupt, which
 * marks bits pending on a thread and breaks its blocking call with
 * -FERRY_EINTR.  On that thread's next return to user mode, upcall_deliver
 * saves the user context in a struct ferry_upcall_frame on the user stack
 * and enters the task's upcall entry (libposix), which runs the handlers
 * and resumes with upcall_return.  A CPU exception of a user thread enters
 * the same entry at once (upcall_fault, from the trap code), on the
 * thread's upcall stack when it has one and the task asked for it, so
 * that libposix can run a SIGSEGV (SIGFPE, ...) handler on that thread
 * (docs/signals.md "Faults").
 * Entry points: sys_upcall_set, sys_upcall_stack, sys_task_interrupt,
 * sys_upcall_return_frame (via syscall.S), upcall_deliver, upcall_fault.
 */
#include <lib/string.h>
#include <arch.h>
#include <ferry/errors.h>
#include <ferry/syscall.h>
#include <core/task.h>
#include <core/thread.h>
#include <mm/vmspace.h>
#include <ferry/msg.h>
#include <lib/klog.h>
#include "../arch/x86_64/cpu.h"

#define RED_ZONE    128
#define RFLAGS_USER 0x40cd5ull /* CF PF AF ZF SF TF DF OF AC: what user code may set */
#define RFLAGS_IF   0x200ull

/*
 * upcall_set(entry, onstack): the task's upcall entry, and the fault
 * vectors (bit n: vector n, FERRY_FAULT_PAST_END included) whose frame
 * goes on the faulting thread's upcall stack (libposix: those whose
 * signal has an SA_ONSTACK handler).
 */
long
sys_upcall_set(struct trap_frame *tf)
{
	if (tf->rdi >= USER_TOP || tf->rsi >> (FERRY_FAULT_PAST_END + 1))
		return -FERRY_EINVAL;
	current->task->upcall_entry = tf->rdi;
	current->task->upcall_onstack = tf->rsi;
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
 * The thread's upcall stack (upcall_stack(base, size), per thread; libposix
 * registers its sigaltstack there): the frame of a fault in the task's
 * onstack set goes on it unless the thread already runs on it, so a stack
 * overflow can still be handled (place_frame).  size 0 removes it.  EINVAL: a range outside user space or wrapping, or
 * smaller than FERRY_UPCALL_STACK_MIN.
 */
long
sys_upcall_stack(struct trap_frame *tf)
{
	uint64_t base = tf->rdi, size = tf->rsi;
	if (size == 0) {
		current->upcall_stack = 0;
		current->upcall_stack_size = 0;
		return 0;
	}
	if (size < FERRY_UPCALL_STACK_MIN || base < PAGE_SIZE || base >= USER_TOP ||
	    size > USER_TOP - base)
		return -FERRY_EINVAL;
	current->upcall_stack = base;
	current->upcall_stack_size = size;
	return 0;
}

/* Writes f and a zero return address at sp (64-byte aligned); 0 or -FERRY_EFAULT. */
static int
put_frame(uint64_t sp, const struct ferry_upcall_frame *f)
{
	uint64_t ret = 0;
	if (copy_to_user(uptr(sp), f, sizeof(*f)))
		return -FERRY_EFAULT;
	return copy_to_user(uptr(sp - 8), &ret, sizeof(ret));
}

/*
 * Where the frame goes: below the interrupted rsp and its red zone, or at
 * the top of the thread's upcall stack when it does not run on it
 * already and the frame is for a fault whose vector the task put in its
 * upcall_onstack set (first), or the interrupted stack has no room (then).
 * A thread already on its upcall stack stays within it (Linux: a frame
 * that would leave the alternate stack is a failure).  Returns the
 * frame's address, or 0 when it could be written nowhere.
 */
static uint64_t
place_frame(const struct trap_frame *tf, struct ferry_upcall_frame *f)
{
	const struct thread *t = current;
	uint64_t base = t->upcall_stack, size = t->upcall_stack_size;
	bool on = size && tf->rsp - base <= size;
	bool alt_first = size && !on && (f->flags & FERRY_UPCALL_F_FAULT) &&
	                 (t->task->upcall_onstack >> f->fault_vector & 1);
	uint64_t top = (base + size - sizeof(*f)) & ~63ull;
	uint64_t sp = (tf->rsp - RED_ZONE - sizeof(*f)) & ~63ull;
	if (alt_first) {
		f->flags |= FERRY_UPCALL_F_ONSTACK;
		if (!put_frame(top, f))
			return top;
		f->flags &= ~FERRY_UPCALL_F_ONSTACK; /* unwritable: try the other */
	}
	if (on)
		f->flags |= FERRY_UPCALL_F_ONSTACK;
	if (sp >= PAGE_SIZE && sp < tf->rsp && (!on || sp - 8 >= base) && !put_frame(sp, f))
		return sp;
	if (!alt_first && size && !on) {
		f->flags |= FERRY_UPCALL_F_ONSTACK;
		if (!put_frame(top, f))
			return top;
	}
	return 0;
}

/*
 * Saves the user context in a frame (with the pending bits, and the fault
 * in *fault if there is one) and makes the thread continue at the upcall
 * entry.  The handlers then start from a clean FPU state (as Linux gives
 * them): a pending x87 or SIMD exception of the interrupted code must not
 * fire again inside them.  False when the frame could be written nowhere.
 */
static bool
enter_upcall(struct trap_frame *tf, const struct ferry_upcall_frame *fault)
{
	struct thread *t = current;
	struct ferry_upcall_frame f __attribute__((aligned(64)));
	if (fault)
		f = *fault;
	else
		memset(&f, 0, sizeof(f));
	f.bits = t->upcall_pending;
	f.fsbase = t->fsbase;
	f.regs = (struct ferry_upcall_regs){
	        tf->r15, tf->r14, tf->r13, tf->r12, tf->r11, tf->r10, tf->r9,  tf->r8,     tf->rbp,
	        tf->rdi, tf->rsi, tf->rdx, tf->rcx, tf->rbx, tf->rax, tf->rip, tf->rflags, tf->rsp,
	};
	__asm__ volatile("fxsave64 %0" : "=m"(f.fpu));
	uint64_t sp = place_frame(tf, &f);
	if (!sp)
		return false;
	static const uint32_t mxcsr_default = 0x1f80; /* every SIMD exception masked */
	__asm__ volatile("fninit\n\tldmxcsr %0" ::"m"(mxcsr_default));
	t->upcall_pending = 0;
	tf->rsp = sp - 8;
	tf->rip = t->task->upcall_entry;
	tf->rdi = sp;
	tf->rflags = (tf->rflags & ~(0x100ull | 0x400ull | 0x40000ull)) | RFLAGS_IF | 0x2;
	tf->cs = GDT_UCODE;
	tf->ss = GDT_UDATA;
	return true;
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
	if (!enter_upcall(tf, NULL)) {
		kprintf("ferry: task %s thread %s: no room for an interrupt frame below rsp %#lx: "
		        "killed\n",
		        task->name, t->name, (unsigned long)tf->rsp);
		task_exit(task, -(128 + 11));
		thread_exit_current();
	}
	return true;
}

/* Exceptions user code causes, which a handler may see (not NMI, #DF, #MC),
 * and the page fault past an object's end. */
static bool
user_vector(uint64_t v)
{
	return (v < 32 && v != 2 && v != 8 && v != 18) || v == FERRY_FAULT_PAST_END;
}

/* Vectors whose fault_addr is the data address (cr2), not the rip. */
static bool
data_fault(uint64_t v)
{
	return v == 14 || v == FERRY_FAULT_PAST_END;
}

/*
 * A CPU exception of the current thread in user mode that the address
 * space could not resolve (vector: tf's, or FERRY_FAULT_PAST_END for a
 * page fault past a mapped object's end; addr: cr2 of a page fault;
 * mapped: it is in a mapping, which refused the access).  When the task has
 * an upcall entry, the thread enters it at once with the fault in the
 * frame (FERRY_UPCALL_F_FAULT) and true is returned; libposix turns it
 * into SIGSEGV, SIGFPE... for the thread, or ends the task with
 * upcall_return(FERRY_UPCALL_F_FATAL).  False (the caller ends the task
 * with the fault's status): no upcall entry, a vector user code cannot
 * cause, or the entry itself faulting.  No stack to write the frame on
 * ends the task as SIGSEGV, as Linux does when it cannot build a frame.
 */
bool
upcall_fault(struct trap_frame *tf, uint64_t vector, uint64_t addr, bool mapped)
{
	struct task *task = current->task;
	if (!task->upcall_entry || !user_vector(vector) || tf->rip == task->upcall_entry)
		return false;
	struct ferry_upcall_frame f __attribute__((aligned(64)));
	memset(&f, 0, sizeof(f));
	f.flags = FERRY_UPCALL_F_FAULT | (mapped ? FERRY_UPCALL_F_MAPPED : 0);
	f.fault_vector = (uint32_t)vector;
	f.fault_error = tf->error;
	f.fault_addr = data_fault(vector) ? addr : tf->rip;
	if (enter_upcall(tf, &f))
		return true;
	kprintf("ferry: task %s thread %s: vector %lu at rip %#lx: no room for the fault frame "
	        "below rsp %#lx: killed\n",
	        task->name, current->name, (unsigned long)vector, (unsigned long)tf->rip,
	        (unsigned long)tf->rsp);
	task_exit(task, -(128 + 11));
	thread_exit_current();
}

long
sys_upcall_return_frame(struct trap_frame *tf)
{
	struct ferry_upcall_frame f __attribute__((aligned(64)));
	if (copy_from_user(&f, uptr(tf->rdi), sizeof(f)))
		return -FERRY_EFAULT;
	const struct ferry_upcall_regs *r = &f.regs;
	if (f.flags & FERRY_UPCALL_F_FATAL) {
		/* The fault is not handled: the task ends as without an entry. */
		if (!(f.flags & FERRY_UPCALL_F_FAULT) || !user_vector(f.fault_vector))
			return -FERRY_EINVAL;
		struct ferry_exception_info info = {
		        .vector = f.fault_vector,
		        .error_code = f.fault_error,
		        .rip = r->rip,
		        .fault_addr = data_fault(f.fault_vector) ? f.fault_addr : 0,
		        .rsp = r->rsp,
		};
		user_fault_exit(&info, "not handled", NULL);
	}
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
