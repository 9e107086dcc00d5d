// SPDX-License-Identifier: MIT
/*
 * Threads as seen from user space: the system calls under POSIX threads.
 * thread_clone is Linux's clone for CLONE_THREAD in one step: a new thread
 * in the caller's task with its entry, stack, argument and FS base, its id
 * written to *ptid before it can run, and *ctid as its clear-tid word
 * (zeroed and futex-woken when it exits: pthread_join's wake-up).
 *
 * Thread ids: a thread's id is its slot in the kernel's thread table, a
 * small nonzero number (< 2^12, well inside the 30 bits musl's mutexes
 * keep for the owner), unique among live threads and reused after exit,
 * as Linux reuses tids.  thread_tid checks that an id names a live thread
 * of the caller's own task: ids of other tasks are never visible.
 * Entry points: sys_thread_clone, sys_thread_set_tid_address,
 * sys_thread_tid.
 */
#include <arch.h>
#include <ferry/errors.h>
#include <ferry/syscall.h>
#include <core/task.h>
#include <core/thread.h>
#include <mm/vmspace.h>
#include <lib/klog.h>
#include "../arch/x86_64/cpu.h" /* struct trap_frame for the syscall entries only */

/*
 * thread_clone(entry, stack, arg, fsbase, ptid, ctid): the new thread's id,
 * or -FERRY_EINVAL (an address outside user space, a misaligned stack or
 * ctid), -FERRY_EFAULT (ptid not writable), -FERRY_EQUOTA (the task's
 * kernel-memory quota or the thread table is exhausted), -FERRY_EPEER
 * (the task is exiting).  ptid and ctid may be 0.
 */
long
sys_thread_clone(struct trap_frame *tf)
{
	uintptr_t entry = tf->rdi, stack = tf->rsi, fsbase = tf->r10;
	uintptr_t ptid = tf->r8, ctid = tf->r9;
	struct task *task = current->task;
	uint32_t tid;

	if (entry >= USER_TOP || stack >= USER_TOP || fsbase >= USER_TOP || (stack & 7) ||
	    (ctid & 3) || (ctid && !user_range(ctid, sizeof(uint32_t)))) {
		user_error("thread_clone entry %lx stack %lx fs %lx ctid %lx", entry, stack, fsbase,
		           ctid);
		return -FERRY_EINVAL;
	}
	if (task->state == TASK_STATE_DEAD)
		return -FERRY_EPEER;
	struct thread *th = thread_create(task, current->prio, current->name);
	if (!th)
		return -FERRY_EQUOTA;
	arch_thread_init_user(th, entry, stack, tf->rdx);
	th->fsbase = fsbase;
	th->clear_tid = ctid;
	tid = th->slot;
	if (ptid && copy_to_user(uptr(ptid), &tid, sizeof(tid))) {
		kobj_unref(&th->obj); /* never started: its self-reference frees it */
		return -FERRY_EFAULT;
	}
	thread_start(th);
	return tid;
}

/*
 * thread_set_tid_address(uint32_t *ctid): the caller's clear-tid word
 * (0: none).  Returns the caller's id; -FERRY_EINVAL for a misaligned or
 * non-user address.
 */
long
sys_thread_set_tid_address(struct trap_frame *tf)
{
	uintptr_t ctid = tf->rdi;
	if ((ctid & 3) || (ctid && !user_range(ctid, sizeof(uint32_t))))
		return -FERRY_EINVAL;
	current->clear_tid = ctid;
	return current->slot;
}

/*
 * thread_tid(uint32_t tid): for 0, the caller's id; otherwise tid when it
 * names a thread of the caller's task that has not exited, else
 * -FERRY_ENOENT.
 */
long
sys_thread_tid(struct trap_frame *tf)
{
	uint32_t tid = (uint32_t)tf->rdi;
	if (tid == 0)
		return current->slot;
	struct thread *t = thread_by_slot(tid);
	if (!t || t->task != current->task || t->state == THREAD_STATE_DEAD || t->dying)
		return -FERRY_ENOENT;
	return tid;
}
