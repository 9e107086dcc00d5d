// SPDX-License-Identifier: MIT
/*
 * Thread timeouts: the blocked threads that have a deadline, in a binary
 * min-heap ordered by (deadline, arming order).  Arming and cancelling
 * cost O(log n) and finding the next expiry O(1), where the sorted list
 * this replaces walked every armed thread on each arming: thousands of
 * threads in pthread_cond_timedwait made each new one pay for all the
 * others.  Equal deadlines expire in the order they were armed, as the
 * list did.  Entry points: timeout_arm, timeout_cancel, timeout_first
 * (timeout_armed is inline in core/thread.h); sched.c's timeouts_run
 * expires them.
 *
 * Every armed thread has a slot in the thread table, so THREAD_SLOTS
 * bounds the heap and it needs no allocation: arming cannot fail.
 * Invariant: heap[i]->timeout_pos == i + 1 for i < heap_n, and no
 * thread outside the heap has a nonzero timeout_pos.
 */
#include <arch.h>
#include <core/thread.h>
#include <lib/klog.h>

static struct thread *heap[THREAD_SLOTS];
static uint32_t heap_n;
static uint64_t arm_seq; /* arming order, to keep equal deadlines first-in first-out */

static bool
before(const struct thread *a, const struct thread *b)
{
	return a->deadline < b->deadline ||
	       (a->deadline == b->deadline && a->timeout_seq < b->timeout_seq);
}

static void
place(struct thread *t, uint32_t i)
{
	heap[i] = t;
	t->timeout_pos = i + 1;
}

/* Moves t, at index i, up towards the root until its parent comes before it. */
static void
sift_up(struct thread *t, uint32_t i)
{
	while (i > 0) {
		uint32_t parent = (i - 1) / 2;
		if (!before(t, heap[parent]))
			break;
		place(heap[parent], i);
		i = parent;
	}
	place(t, i);
}

/* Moves t, at index i, down until both children come after it. */
static void
sift_down(struct thread *t, uint32_t i)
{
	for (;;) {
		uint32_t c = 2 * i + 1;
		if (c >= heap_n)
			break;
		if (c + 1 < heap_n && before(heap[c + 1], heap[c]))
			c++;
		if (!before(heap[c], t))
			break;
		place(heap[c], i);
		i = c;
	}
	place(t, i);
}

/* Arms t's timeout at t->deadline.  t must not be armed already. */
void
timeout_arm(struct thread *t)
{
	assert(!t->timeout_pos && heap_n < THREAD_SLOTS);
	t->timeout_seq = arm_seq++;
	heap_n++;
	sift_up(t, heap_n - 1);
}

/* Disarms t's timeout; t must be armed (timeout_armed). */
void
timeout_cancel(struct thread *t)
{
	uint32_t i = t->timeout_pos - 1;
	assert(t->timeout_pos && heap[i] == t);
	t->timeout_pos = 0;
	struct thread *last = heap[--heap_n];
	if (i == heap_n)
		return;
	/* The last one fills the hole and moves whichever way restores order. */
	if (i > 0 && before(last, heap[(i - 1) / 2]))
		sift_up(last, i);
	else
		sift_down(last, i);
}

/* The armed thread whose deadline comes first, or NULL. */
struct thread *
timeout_first(void)
{
	return heap_n ? heap[0] : NULL;
}
