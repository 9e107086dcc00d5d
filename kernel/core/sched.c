// SPDX-License-Identifier: MIT
/*
 * The scheduler: fixed priorities 0 (idle) .. 31, round-robin within a
 * priority with a time slice, preemption on the timer tick when returning
 * to user mode, and a direct switch (no run-queue pass) for IPC handoff.
 * Entry points: sched_ready, schedule, sched_yield, sched_tick, sched_account_tick,
 * sched_switch_to, sched_thread_cpu, timeouts_run.
 *
 * CPU time: each switch charges the TSC cycles since the previous charge
 * to the thread leaving the CPU, and each tick to the running one
 * (sched_charge), so a thread's time is exact to the cycle; the tick still
 * samples user/kernel/idle per task (sched_account_tick) for times() and
 * the like.
 *
 * Invariant: a READY thread is on exactly one run queue; the RUNNING thread
 * (current) is on none.
 */
#include <arch.h>
#include <ferry/errors.h>
#include <core/task.h>
#include <core/thread.h>
#include <object/port.h>
#include <lib/klog.h>

static struct list runq[THREAD_PRIO_MAX + 1];
static uint32_t runq_bitmap;
uint64_t sched_tick_count;
struct thread *sched_prev_dead; /* reaped after the switch away from it */
bool need_resched;

/* A higher-priority thread is ready or the slice is over: switch on the
 * way out to user mode. */
static void
sched_set_resched(void)
{
	need_resched = true;
	arch_work_pending();
}

uint32_t sched_switch_tsc;

void
sched_init(void)
{
	sched_switch_tsc = arch_tsc_low();
	for (int i = 0; i <= THREAD_PRIO_MAX; i++)
		list_init(&runq[i]);
}

void
sched_ready(struct thread *t)
{
	assert(t->state != THREAD_STATE_READY && t->state != THREAD_STATE_DEAD);
	t->state = THREAD_STATE_READY;
	list_push_back(&runq[t->prio], &t->run_link);
	runq_bitmap |= 1u << t->prio;
	if (current && t->prio > current->prio)
		sched_set_resched();
}

static struct thread *
pick_next(void)
{
	assert(runq_bitmap); /* the idle thread is always ready or running */
	int prio = 31 - __builtin_clz(runq_bitmap);
	struct list *n = list_pop_front(&runq[prio]);
	if (list_empty(&runq[prio]))
		runq_bitmap &= ~(1u << prio);
	return container_of(n, struct thread, run_link);
}

void thread_reap(struct thread *t);

/* Runs on the new thread right after every switch (also for new threads). */
void
sched_reap_prev(void)
{
	thread_reap(sched_prev_dead);
	sched_prev_dead = NULL;
}

/*
 * Switches to next, whose time slice ends at tick slice_end: a fresh one
 * when the scheduler picks it, the current thread's own on a handoff
 * (thread_block_handoff, the IPC fast path), so that a client and a
 * server calling each other share one slice and are preempted when it
 * ends, like any thread that computes, instead of starting a new slice
 * at every message and keeping everyone else off the CPU.
 */
static void
switch_to(struct thread *next, uint64_t slice_end)
{
	struct thread *prev = current;
	if (next == prev) {
		next->state = THREAD_STATE_RUNNING;
		return;
	}
	sched_charge(prev);
	next->state = THREAD_STATE_RUNNING;
	next->slice_end = slice_end;
	if (prev->state == THREAD_STATE_DEAD)
		sched_prev_dead = prev;
	current = next;
	need_resched = false;
	arch_switch(prev, next);
	sched_after_switch();
}

void
sched_switch_to(struct thread *next)
{
	switch_to(next, sched_tick_count + SCHED_SLICE_TICKS);
}

void
schedule(void)
{
	sched_switch_to(pick_next());
}

void
sched_yield(void)
{
	if (current->state == THREAD_STATE_RUNNING)
		sched_ready(current);
	schedule();
}

uint64_t
sched_thread_cpu(const struct thread *t)
{
	return t->cpu_tsc + (t == current ? (uint32_t)(arch_tsc_low() - sched_switch_tsc) : 0);
}

uint64_t sched_idle_ticks;

void
sched_account_tick(bool user)
{
	sched_charge(current);
	if (current->prio == THREAD_PRIO_IDLE || !current->task)
		sched_idle_ticks++;
	else if (user)
		current->task->ticks_user++;
	else
		current->task->ticks_sys++;
}

void
sched_tick(void)
{
	sched_tick_count++;
	uint64_t now = arch_time_ns();
	timeouts_run(now);
	queue_timers_run(now);
	if (sched_tick_count >= current->slice_end && runq_bitmap) {
		int top = 31 - __builtin_clz(runq_bitmap);
		if (top >= current->prio)
			sched_set_resched();
	}
}

/* ---- blocking ---- */

static void
unblock(struct thread *t, int status)
{
	assert(t->state == THREAD_STATE_BLOCKED);
	if (t->waitq)
		list_remove(&t->run_link);
	t->waitq = NULL;
	t->block = THREAD_BLOCK_NONE;
	t->wake_status = status;
}

/* Disarms the deadline of a thread being unblocked, if it had one. */
static inline void
disarm(struct thread *t)
{
	if (timeout_armed(t))
		timeout_cancel(t);
}

/* Marks the current thread blocked on wq with an optional deadline. */
static void
block_prepare(struct waitq *wq, enum thread_block why, uint64_t deadline)
{
	struct thread *t = current;
	t->state = THREAD_STATE_BLOCKED;
	t->block = why;
	t->waitq = wq;
	t->wake_status = 0;
	if (wq)
		list_push_back(&wq->threads, &t->run_link);
	t->deadline = deadline;
	if (deadline != UINT64_MAX)
		timeout_arm(t);
}

int
thread_block(struct waitq *wq, enum thread_block why, uint64_t deadline)
{
	if (current->dying)
		return -FERRY_EINTR;
	block_prepare(wq, why, deadline);
	schedule();
	return current->wake_status;
}

/* Blocks the current thread and switches straight to t (woken with status). */
int
thread_block_handoff(struct waitq *wq, enum thread_block why, uint64_t deadline, struct thread *t,
                     int status)
{
	if (current->dying)
		return -FERRY_EINTR;
	block_prepare(wq, why, deadline);
	unblock(t, status);
	disarm(t);
	switch_to(t, current->slice_end); /* t runs on the rest of our slice */
	return current->wake_status;
}

/* thread_wake of a thread with a deadline: apart, so that the common wake
 * (no deadline) makes no call that would need registers saved. */
static __attribute__((noinline)) void
wake_timed(struct thread *t, int status)
{
	timeout_cancel(t);
	unblock(t, status);
	sched_ready(t);
}

void
thread_wake(struct thread *t, int status)
{
	if (timeout_armed(t)) {
		wake_timed(t, status);
		return;
	}
	unblock(t, status);
	sched_ready(t);
}

void
thread_wake_switch(struct thread *t, int status)
{
	unblock(t, status);
	disarm(t);
	if (current->state == THREAD_STATE_RUNNING)
		sched_ready(current);
	sched_switch_to(t);
}

void
waitq_wake_all(struct waitq *wq, int status)
{
	struct thread *t;
	while ((t = waitq_first(wq)))
		thread_wake(t, status);
}

void
timeouts_run(uint64_t now)
{
	struct thread *t;
	while ((t = timeout_first()) && t->deadline <= now)
		thread_wake(t, -FERRY_ETIMEDOUT);
}

/* sched_after_switch for the assembly trampolines of new threads. */
void
sched_after_switch_out(void)
{
	sched_after_switch();
}
