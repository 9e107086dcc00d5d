// SPDX-License-Identifier: MIT
/*
 * Queue timers: each queue owns one timer whose expiry is a
 * FERRY_NOTIFY_TIMER notification from the queue's preallocated slot, so
 * it can never fail for lack of memory; expiries not yet received coalesce
 * (the notification's count says how many).  Periodic timers re-arm
 * themselves, skipping periods that were missed.  Entry points:
 * queue_timer_set, queue_timer_cancel, queue_timers_run, sys_timer_set.
 */
#include <arch.h>
#include <ferry/errors.h>
#include <core/task.h>
#include <object/port.h>
#include "../arch/x86_64/cpu.h"

static struct list armed = LIST_INIT(armed); /* sorted by deadline */

static void
arm(struct queue *q)
{
	struct list *pos = armed.next;
	while (pos != &armed &&
	       container_of(pos, struct queue, timer_link)->timer_deadline <= q->timer_deadline)
		pos = pos->next;
	list_insert_before(pos, &q->timer_link);
}

void
queue_timer_cancel(struct queue *q)
{
	if (list_linked(&q->timer_link))
		list_remove(&q->timer_link);
	notify_cancel(&q->timer_slot);
	q->timer_deadline = 0;
	q->timer_period = 0;
}

/*
 * Arms q's timer to fire at deadline (absolute monotonic ns) and then every
 * period ns (0: once); deadline 0 disarms it and drops a pending expiry.
 * A deadline in the past fires at the next tick.
 */
int
queue_timer_set(struct queue *q, port_key_t key, uint64_t deadline, uint64_t period)
{
	if (q->dead)
		return -FERRY_EPEER;
	if (period && period < TICK_NS)
		return -FERRY_EINVAL;
	queue_timer_cancel(q);
	if (!deadline)
		return 0;
	q->timer_slot.key = key;
	q->timer_deadline = deadline;
	q->timer_period = period;
	arm(q);
	return 0;
}

void
queue_timers_run(uint64_t now)
{
	while (!list_empty(&armed)) {
		struct queue *q = container_of(armed.next, struct queue, timer_link);
		if (q->timer_deadline > now)
			break;
		list_remove(&q->timer_link);
		/* Periods that ended unseen (a late tick) count as expiries too. */
		uint64_t missed = q->timer_period ? (now - q->timer_deadline) / q->timer_period : 0;
		notify_post(&q->timer_slot);
		q->timer_slot.count += missed;
		if (q->timer_period) {
			q->timer_deadline += (missed + 1) * q->timer_period;
			arm(q);
		}
	}
}

long
sys_timer_set(struct trap_frame *tf)
{
	struct kobject *o;
	int rc = handle_lookup(current->task, (handle_t)tf->rdi, FERRY_OBJ_QUEUE, FERRY_RIGHT_RECV,
	                       &o, NULL);
	if (rc)
		return rc;
	return queue_timer_set((struct queue *)o, tf->rsi, tf->rdx, tf->r10);
}
