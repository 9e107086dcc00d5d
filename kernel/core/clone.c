// SPDX-License-Identifier: MIT
/*
 * Task clone: the kernel half of fork.  The child gets a copy-on-write
 * copy of the parent's address space (mm/vmspace.c: vmspace_clone), a
 * duplicate of every handle in the parent's table at the same value, the
 * parent's exception port, and one thread whose user registers, FPU state
 * and FS base are the calling thread's, except that the system call
 * returns FERRY_CLONE_CHILD in the child and 0 in the parent.
 * Entry points: task_clone_prepare, handle_table_clone, sys_task_clone_frame
 * (reached through syscall.S, which saves the complete user state first).
 *
 * Every handle is inherited for now (receive rights on queues included),
 * so procmgr or libposix must close what the child should not keep; an
 * "inheritable" right can later select them.  I/O port permissions are
 * not inherited.
 *
 * Ownership and references: the child task object is charged to the
 * parent (task_create); the child's areas, shadow objects with their
 * shared pages, handle-table chunks and thread are charged to the child,
 * so a fork of a task with N pages touched needs room for N pages in the
 * child's quota.  Each duplicated handle holds its own object reference.
 */
#include <lib/string.h>
#include <arch.h>
#include <ferry/errors.h>
#include <ferry/syscall.h>
#include <core/clone.h>
#include <core/task.h>
#include <mm/pmm.h>
#include <mm/vmspace.h>
#include <object/handle.h>
#include <object/port.h>
#include <lib/klog.h>
#include "../arch/x86_64/cpu.h" /* struct trap_frame for the syscall entry only */

int
handle_table_clone(struct task *src, struct task *dst)
{
	struct handle_table *s = &src->handles, *d = &dst->handles;
	assert(d->nchunks == 0 && d->count == 0);
	for (uint32_t c = 0; c < s->nchunks; c++) {
		int rc = quota_charge(&dst->quota, PAGE_SIZE);
		if (rc)
			return rc;
		paddr_t pa;
		if ((rc = pmm_alloc_zeroed(&pa))) {
			quota_release(&dst->quota, PAGE_SIZE);
			return rc;
		}
		d->chunks[c] = phys_to_virt(pa);
		d->nchunks = c + 1;
		memcpy(d->chunks[c], s->chunks[c], PAGE_SIZE);
		for (uint32_t i = 0; i < HANDLE_CHUNK; i++) {
			struct handle_entry *e = &d->chunks[c][i];
			if (!e->obj)
				continue;
			kobj_ref(e->obj);
			handle_obj_acquired(e->obj, e->rights);
			d->count++;
		}
	}
	/* Same free list and generations, so the child's handle values are the parent's. */
	d->free_head = s->free_head;
	d->limit = s->limit;
	return 0;
}

int
task_clone_prepare(struct task *parent, struct task **out)
{
	if (!parent->vm || parent->state == TASK_STATE_DEAD)
		return -FERRY_EINVAL;
	struct task *c;
	int rc = task_create(parent->name, parent, &c);
	if (rc)
		return rc;
	c->quota.limit = parent->quota.limit;
	if ((rc = vmspace_clone(parent->vm, c->vm)) || (rc = handle_table_clone(parent, c))) {
		task_exit(c, 0);
		kobj_unref(&c->obj);
		return rc;
	}
	c->upcall_entry = parent->upcall_entry; /* same image, same entry */
	c->upcall_onstack = parent->upcall_onstack;
	if (parent->exc_port) {
		kobj_ref(&parent->exc_port->obj);
		c->exc_port = parent->exc_port;
	}
	*out = c;
	return 0;
}

/*
 * task_clone(uint32_t flags, handle_t *child): flags must be 0.  The parent
 * gets 0 and a task handle (MANAGE|DUP|TRANSFER) to the child; the child
 * resumes at the same place with FERRY_CLONE_CHILD.  -FERRY_EINVAL,
 * -FERRY_EFAULT (child pointer), -FERRY_EQUOTA, -FERRY_ENOMEM,
 * -FERRY_EMFILE (no room for the handle).
 */
long
sys_task_clone_frame(struct trap_frame *tf)
{
	uint64_t uaddr = tf->rsi;
	handle_t h = 0;
	struct task *c;
	if (tf->rdi)
		return -FERRY_EINVAL;
	int rc = copy_to_user(uptr(uaddr), &h, sizeof(h));
	if (rc)
		return rc;
	if ((rc = task_clone_prepare(current->task, &c)))
		return rc;
	/* The handle first: a thread that never started cannot be unwound cleanly. */
	if ((rc = handle_install(current->task, &c->obj,
	                         FERRY_RIGHT_MANAGE | FERRY_RIGHT_DUP | FERRY_RIGHT_TRANSFER,
	                         &h))) {
		task_exit(c, 0);
		kobj_unref(&c->obj);
		return rc;
	}
	struct thread *th = thread_create(c, current->prio, current->name);
	if (!th) {
		task_exit(c, 0);
		(void)handle_close(current->task, h);
		return -FERRY_EQUOTA;
	}
	arch_thread_init_clone(th, current, FERRY_CLONE_CHILD);
	thread_start(th);
	copy_to_user(uptr(uaddr), &h, sizeof(h));
	return 0;
}
