// SPDX-License-Identifier: MIT
/*
 * Thread life cycle: creation (kernel stack block with guard page, transient
 * arena at its bottom), start, exit, kill, and reaping once switched away.
 * Entry points: thread_create, thread_start, thread_exit_current,
 * thread_kill, tarena_alloc (thread_by_slot is inline in core/thread.h).
 *
 * Ownership and references: a live thread holds one reference to itself
 * (dropped when reaped) and one to its task; handles to it hold more.
 */
#include <lib/string.h>
#include <arch.h>
#include <ferry/errors.h>
#include <core/task.h>
#include <core/thread.h>
#include <mm/slab.h>
#include <mm/vmspace.h>
#include <object/futex.h>
#include <lib/klog.h>

struct thread *current;
static struct kmem_cache thread_cache;
struct thread *thread_slots[THREAD_SLOTS];
static uint32_t slot_hint;

void
thread_cache_init(void)
{
	kmem_cache_init(&thread_cache, "thread", sizeof(struct thread));
}

static int
slot_alloc(struct thread *t)
{
	for (uint32_t i = 0; i < THREAD_SLOTS; i++) {
		uint32_t s = (slot_hint + i) % THREAD_SLOTS;
		if (s != 0 && !thread_slots[s]) {
			thread_slots[s] = t;
			t->slot = s;
			slot_hint = s + 1;
			return 0;
		}
	}
	return -FERRY_ENOMEM;
}

/*
 * Creates a thread in task (not yet runnable).  Charged to the task's quota.
 * Returns NULL on quota or memory exhaustion.
 */
struct thread *
thread_create(struct task *task, int prio, const char *name)
{
	const int64_t charge = sizeof(struct thread) + KSTACK_PAGES * PAGE_SIZE;
	if (quota_charge(&task->quota, charge))
		return NULL;
	struct thread *t = kmem_cache_alloc(&thread_cache);
	if (!t)
		goto out_quota;
	t->kstack_top = arch_kstack_alloc(KSTACK_PAGES);
	if (!t->kstack_top)
		goto out_free;
	if (slot_alloc(t))
		goto out_stack;
	kobj_init(&t->obj, FERRY_OBJ_THREAD);
	t->obj.owner = task;
	t->obj.charge = (uint32_t)charge;
	t->task = task;
	kobj_ref(&task->obj);
	t->prio = prio;
	t->state = THREAD_STATE_NEW;
	t->deadline = UINT64_MAX;
	t->cpu_tsc = 0;
	list_init(&t->run_link);
	t->timeout_pos = 0;
	list_init(&t->call_link);
	list_init(&t->task_link);
	strlcpy(t->name, name, sizeof(t->name));
	arena_init(&t->arena, t->kstack_top - KSTACK_PAGES * PAGE_SIZE, t->kstack_top);
	list_push_back(&task->threads, &t->task_link);
	task->nthreads++;
	return t;

out_stack:
	arch_kstack_free(t->kstack_top, KSTACK_PAGES);
out_free:
	kmem_cache_free(&thread_cache, t);
out_quota:
	quota_release(&task->quota, charge);
	return NULL;
}

void
thread_start(struct thread *t)
{
	assert(t->state == THREAD_STATE_NEW);
	sched_ready(t);
}

/* Releases the stack and slot of a dead thread; runs on another thread's stack. */
void
thread_reap(struct thread *t)
{
	arch_kstack_free(t->kstack_top, KSTACK_PAGES);
	t->kstack_top = 0;
	thread_slots[t->slot] = NULL;
	kobj_unref(&t->obj); /* the thread's reference to itself */
}

/*
 * Takes a never-started thread out of its task and frees its stack and
 * slot; the object itself lives on while handles to it remain.
 */
void
thread_discard_unstarted(struct thread *t)
{
	assert(t->state == THREAD_STATE_NEW);
	list_remove(&t->task_link);
	t->task->nthreads--;
	arch_kstack_free(t->kstack_top, KSTACK_PAGES);
	t->kstack_top = 0;
	thread_slots[t->slot] = NULL;
	t->state = THREAD_STATE_DEAD;
}

void
thread_destroy_obj(struct kobject *o)
{
	struct thread *t = container_of(o, struct thread, obj);
	assert(t->state == THREAD_STATE_DEAD || t->state == THREAD_STATE_NEW);
	struct task *task = t->task;
	if (t->state == THREAD_STATE_NEW)
		thread_discard_unstarted(t);
	quota_release(&task->quota, o->charge);
	kmem_cache_free(&thread_cache, t);
	kobj_unref(&task->obj);
}

void task_thread_gone(struct task *task);
void ipc_thread_cleanup(struct thread *t);

void
thread_exit_current(void)
{
	struct thread *t = current;
	struct task *task = t->task;
	sched_charge(t); /* its time stays with the task */
	task->cpu_tsc_ended += t->cpu_tsc;
	futex_thread_exit(t); /* clear-tid word: wakes pthread_join */
	ipc_thread_cleanup(t);
	list_remove(&t->task_link);
	t->state = THREAD_STATE_DEAD;
	task->nthreads--;
	if (task->nthreads == 0)
		task_thread_gone(task);
	schedule();
	panic("dead thread %s resumed", t->name);
}

/*
 * Makes t exit at its next return to user mode; a blocked thread is woken
 * with -FERRY_EINTR so it unwinds first.
 */
void
thread_kill(struct thread *t)
{
	t->dying = true;
	if (t == current)
		arch_work_pending();
	if (t->state == THREAD_STATE_BLOCKED)
		thread_wake(t, -FERRY_EINTR);
}

void *
tarena_alloc(size_t size)
{
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
	arch_work_pending(); /* reset the arena on the way out */
	return arena_alloc(&current->arena, size, sp);
}
