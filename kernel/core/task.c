// SPDX-License-Identifier: MIT
/*
 * Tasks: creation with an empty address space and handle table, exit
 * (kills the threads, closes every handle, fails pending calls, wakes
 * waiters) and final destruction.  Entry points: task_create, task_exit,
 * task_destroy_obj, task_thread_gone, task_cpu.
 *
 * Ownership and references: the task object is referenced by handles and
 * by each of its threads; the address space is torn down when the last
 * thread is gone, the object itself on the last reference.
 */
#include <lib/string.h>
#include <arch.h>
#include <ferry/errors.h>
#include <core/task.h>
#include <mm/slab.h>
#include <mm/vmspace.h>
#include <object/port.h>
#include <lib/klog.h>
#include "../arch/x86_64/cpu.h"

static struct kmem_cache task_cache;
static struct task the_kernel_task;

void
task_cache_init(void)
{
	kmem_cache_init(&task_cache, "task", sizeof(struct task));
	kobj_init(&the_kernel_task.obj, FERRY_OBJ_TASK);
	strlcpy(the_kernel_task.name, "kernel", sizeof(the_kernel_task.name));
	quota_init(&the_kernel_task.quota, INT64_MAX / 2);
	handle_table_init(&the_kernel_task.handles, HANDLE_MAX);
	list_init(&the_kernel_task.threads);
	list_init(&the_kernel_task.pending_calls);
	waitq_init(&the_kernel_task.exit_waiters);
}

struct task *
kernel_task(void)
{
	return &the_kernel_task;
}

/*
 * Creates a task with an empty address space.  The task object is charged
 * to parent's quota (if any); the new task gets its own quota.
 * -FERRY_ENOMEM, -FERRY_EQUOTA.
 */
int
task_create(const char *name, struct task *parent, struct task **out)
{
	int rc;
	if (parent && (rc = quota_charge(&parent->quota, sizeof(struct task))))
		return rc;
	struct task *t = kmem_cache_alloc(&task_cache);
	rc = -FERRY_ENOMEM;
	if (!t)
		goto out_quota;
	kobj_init(&t->obj, FERRY_OBJ_TASK);
	t->obj.owner = parent;
	t->obj.charge = parent ? sizeof(struct task) : 0;
	if (parent)
		kobj_ref(&parent->obj);
	strlcpy(t->name, name, sizeof(t->name));
	quota_init(&t->quota, TASK_QUOTA_DEFAULT);
	handle_table_init(&t->handles, 4096);
	list_init(&t->threads);
	list_init(&t->pending_calls);
	waitq_init(&t->exit_waiters);
	list_init(&t->exit_slot.link);
	waitq_init(&t->resume_waiters);
	t->exit_slot.op = FERRY_NOTIFY_TASK_EXIT;
	rc = vmspace_create(t, &t->vm);
	if (rc)
		goto out_free;
	*out = t;
	return 0;

out_free:
	if (parent)
		kobj_unref(&parent->obj);
	kmem_cache_free(&task_cache, t);
out_quota:
	if (parent)
		quota_release(&parent->quota, sizeof(struct task));
	return rc;
}

void ipc_task_cleanup(struct task *t);
void iobitmap_free(struct task *t);

/* Called when the last thread of a task is gone (current may be that thread). */
void
task_thread_gone(struct task *t)
{
	if (t->state != TASK_STATE_DEAD)
		task_exit(t, 0);
	if (t->vm) {
		arch_pt_activate(arch_kernel_root());
		vmspace_destroy(t->vm);
		t->vm = NULL;
	}
}

/*
 * Ends task t with code: every thread is told to exit, every handle is
 * closed (posting no-senders), callers blocked in calls this task received
 * are woken with -FERRY_EPEER, and task_wait()ers are woken.  Safe to call
 * more than once; the first code wins.
 */
void
task_exit(struct task *t, int code)
{
	if (t->state == TASK_STATE_DEAD)
		return;
	t->state = TASK_STATE_DEAD;
	t->exit_code = code;
	struct list *pos, *tmp;
	list_for_each_safe(pos, tmp, &t->threads)
	{
		struct thread *th = container_of(pos, struct thread, task_link);
		if (th->state == THREAD_STATE_NEW) {
			thread_discard_unstarted(th);
			kobj_unref(&th->obj); /* never ran: drop its self-reference now */
			continue;
		}
		if (th != current)
			thread_kill(th);
	}
	ipc_task_cleanup(t);
	handle_table_destroy(t);
	if (t->exc_port) {
		kobj_unref(&t->exc_port->obj);
		t->exc_port = NULL;
	}
	waitq_wake_all(&t->exit_waiters, 0);
	t->suspended = false;
	waitq_wake_all(&t->resume_waiters, -FERRY_EINTR);
	if (t->watch_port && t->watch_port->q) {
		t->exit_slot.q = t->watch_port->q;
		notify_post(&t->exit_slot);
	}
	if (t->nthreads == 0 && t->vm && t != current->task) {
		vmspace_destroy(t->vm);
		t->vm = NULL;
	}
}

void
task_destroy_obj(struct kobject *o)
{
	struct task *t = container_of(o, struct task, obj);
	assert(t->nthreads == 0);
	if (t->state != TASK_STATE_DEAD)
		task_exit(t, 0);
	if (t->vm) {
		vmspace_destroy(t->vm);
		t->vm = NULL;
	}
	if (t->iobitmap)
		iobitmap_free(t);
	notify_cancel(&t->exit_slot); /* the slot lives in t */
	if (t->watch_port)
		kobj_unref(&t->watch_port->obj);
	struct task *parent = o->owner;
	if (parent) {
		quota_release(&parent->quota, o->charge);
		kobj_unref(&parent->obj);
	}
	kmem_cache_free(&task_cache, t);
}

/*
 * task_watch(task, port, key): when task ends, a FERRY_NOTIFY_TASK_EXIT
 * notification with key arrives on port's queue (from a slot inside the
 * task, so it cannot fail; task_wait then gives the status).  One watcher
 * per task; port 0 cancels.  A task that has already ended is notified at
 * once.  EBADH/EWRONGTYPE/EACCES for the handles (MANAGE on the task, SEND
 * on the port).
 */
long
sys_task_watch(struct trap_frame *tf)
{
	struct kobject *to, *po = NULL;
	int rc = handle_lookup(current->task, (handle_t)tf->rdi, FERRY_OBJ_TASK, FERRY_RIGHT_MANAGE,
	                       &to, NULL);
	if (rc)
		return rc;
	if (tf->rsi && (rc = handle_lookup(current->task, (handle_t)tf->rsi, FERRY_OBJ_PORT,
	                                   FERRY_RIGHT_SEND, &po, NULL)))
		return rc;
	struct task *t = (struct task *)to;
	notify_cancel(&t->exit_slot);
	if (t->watch_port)
		kobj_unref(&t->watch_port->obj);
	t->watch_port = (struct port *)po;
	if (!po)
		return 0;
	kobj_ref(po);
	t->exit_slot.key = tf->rdx;
	if (t->state == TASK_STATE_DEAD && t->watch_port->q) {
		t->exit_slot.q = t->watch_port->q;
		notify_post(&t->exit_slot);
	}
	return 0;
}

/*
 * task_suspend(task, stop): with stop = 1 every thread of the task parks
 * at its next return to user mode (a thread blocked in the kernel stays
 * blocked and parks when it comes out); 0 lets them go on.  For job
 * control: procmgr stops and continues processes.  EBADH/EWRONGTYPE/
 * EACCES (MANAGE), EPEER (task ended), EINVAL (stop not 0 or 1).
 */
long
sys_task_suspend(struct trap_frame *tf)
{
	struct kobject *o;
	int rc = handle_lookup(current->task, (handle_t)tf->rdi, FERRY_OBJ_TASK, FERRY_RIGHT_MANAGE,
	                       &o, NULL);
	if (rc)
		return rc;
	if (tf->rsi > 1)
		return -FERRY_EINVAL;
	struct task *t = (struct task *)o;
	if (t->state == TASK_STATE_DEAD)
		return -FERRY_EPEER;
	t->suspended = tf->rsi;
	if (!t->suspended) {
		waitq_wake_all(&t->resume_waiters, 0);
		return 0;
	}
	if (t == current->task)
		arch_work_pending();
	return 0;
}

/* Parks the current thread while its task is suspended (called on the way
 * out to user mode). */
void
task_park_if_suspended(void)
{
	struct task *t = current->task;
	while (t->suspended && !current->dying)
		thread_block(&t->resume_waiters, THREAD_BLOCK_WAIT, UINT64_MAX);
}

uint64_t
task_cpu(struct task *t)
{
	uint64_t sum = t->cpu_tsc_ended;
	for (struct list *pos = t->threads.next; pos != &t->threads; pos = pos->next)
		sum += sched_thread_cpu(container_of(pos, struct thread, task_link));
	return sum;
}
