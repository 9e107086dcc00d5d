// SPDX-License-Identifier: MIT
/*
 * Per-process timers: ITIMER_REAL (alarm, setitimer) and POSIX timers
 * (timer_create), all multiplexed onto procmgr's one queue timer.  Armed
 * timers sit in a list sorted by deadline; the queue timer is always set
 * to the head's deadline, and its FERRY_NOTIFY_TIMER (key
 * PROC_KEY_TIMER) fires every timer that is due, re-inserting periodic
 * ones.  Expiry sends the timer's signal like kill from procmgr; an expiry
 * while that signal is still pending counts as an overrun.
 * Entry points: timer_create_, timer_set, timer_get, timer_delete,
 * timer_fire, timer_drop.
 *
 * Ownership: a timer names its process by slot pointer; timer_drop runs
 * when the process dies (all of its timers) and at exec (all but
 * ITIMER_REAL), so the pointer is never stale.
 */
#include "procmgr.h"

#define NTIMERS 1024
#define SIGALRM 14

struct ptimer {
	struct proc *p;    /* owner, NULL when the slot is free */
	int32_t id;        /* PROC_TIMER_REAL or 0..PROC_TIMERS_MAX-1 */
	int32_t sig;       /* 0: no signal (SIGEV_NONE) */
	uint64_t deadline; /* monotonic ns; 0 = disarmed */
	uint64_t interval;
	uint32_t overrun;
	struct ptimer *next; /* in the armed list, sorted by deadline */
};

static struct ptimer timers[NTIMERS];
static struct ptimer *armed; /* Invariant: sorted by deadline, all deadlines != 0 */

static void
rearm(void)
{
	(void)ferry_sys_timer_set(procmgr_queue, PROC_KEY_TIMER, armed ? armed->deadline : 0, 0);
}

static void
unlink_armed(struct ptimer *t)
{
	for (struct ptimer **pp = &armed; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	}
	t->next = NULL;
}

static void
insert_armed(struct ptimer *t)
{
	struct ptimer **pp = &armed;
	while (*pp && (*pp)->deadline <= t->deadline)
		pp = &(*pp)->next;
	t->next = *pp;
	*pp = t;
}

static struct ptimer *
find(const struct proc *p, int32_t id)
{
	for (int i = 0; i < NTIMERS; i++)
		if (timers[i].p == p && timers[i].id == id)
			return &timers[i];
	return NULL;
}

static struct ptimer *
alloc(struct proc *p, int32_t id, int32_t sig)
{
	for (int i = 0; i < NTIMERS; i++) {
		if (!timers[i].p) {
			timers[i] = (struct ptimer){.p = p, .id = id, .sig = sig};
			return &timers[i];
		}
	}
	return NULL;
}

static void
free_timer(struct ptimer *t)
{
	bool was_head = t == armed;
	if (t->deadline)
		unlink_armed(t);
	memset(t, 0, sizeof(*t));
	if (was_head)
		rearm();
}

/*
 * A new POSIX timer of p sending sig (0: none); its id in *id.
 * -FERRY_EINVAL (sig out of range), -FERRY_EAGAIN (PROC_TIMERS_MAX of them,
 * or the table is full).
 */
int
timer_create_(struct proc *p, int32_t sig, int32_t *id)
{
	if (sig < 0 || sig >= PROC_NSIG)
		return -FERRY_EINVAL;
	for (int32_t i = 0; i < PROC_TIMERS_MAX; i++) {
		if (find(p, i))
			continue;
		if (!alloc(p, i, sig))
			return -FERRY_EAGAIN;
		*id = i;
		return 0;
	}
	return -FERRY_EAGAIN;
}

static void
describe(const struct ptimer *t, struct proc_timer_rep *rep)
{
	uint64_t now = unow_ns();
	rep->value_ns = 0;
	rep->interval_ns = 0;
	rep->overrun = 0;
	if (!t)
		return;
	if (t->deadline)
		rep->value_ns = t->deadline > now ? t->deadline - now : 1;
	rep->interval_ns = t->interval;
	rep->overrun = t->overrun;
}

/*
 * Arms (value_ns != 0) or disarms timer id of p; the previous setting in
 * rep.  ITIMER_REAL exists on demand.  -FERRY_EINVAL (no such timer).
 */
int
timer_set(struct proc *p, const struct proc_timer_req *req, struct proc_timer_rep *rep)
{
	struct ptimer *t = find(p, req->id);
	if (!t && req->id != PROC_TIMER_REAL)
		return -FERRY_EINVAL;
	describe(t, rep);
	if (!t) {
		if (!req->value_ns)
			return 0;
		if (!(t = alloc(p, PROC_TIMER_REAL, SIGALRM)))
			return -FERRY_EAGAIN;
	}
	bool was_head = t == armed;
	if (t->deadline)
		unlink_armed(t);
	t->deadline = 0;
	t->interval = req->interval_ns;
	t->overrun = 0;
	if (req->value_ns) {
		uint64_t now = unow_ns();
		t->deadline = req->value_ns > UINT64_MAX - now ? UINT64_MAX : now + req->value_ns;
		insert_armed(t);
	}
	if (was_head || t == armed)
		rearm();
	return 0;
}

/* The setting of timer id of p.  -FERRY_EINVAL (no such POSIX timer). */
int
timer_get(struct proc *p, int32_t id, struct proc_timer_rep *rep)
{
	struct ptimer *t = find(p, id);
	if (!t && id != PROC_TIMER_REAL)
		return -FERRY_EINVAL;
	describe(t, rep);
	return 0;
}

/* Deletes POSIX timer id of p.  -FERRY_EINVAL (no such timer). */
int
timer_delete(struct proc *p, int32_t id)
{
	struct ptimer *t = id == PROC_TIMER_REAL ? NULL : find(p, id);
	if (!t)
		return -FERRY_EINVAL;
	free_timer(t);
	return 0;
}

/* Drops p's timers: all of them (death), or all but ITIMER_REAL (exec). */
void
timer_drop(struct proc *p, bool keep_real)
{
	for (int i = 0; i < NTIMERS; i++)
		if (timers[i].p == p && !(keep_real && timers[i].id == PROC_TIMER_REAL))
			free_timer(&timers[i]);
}

/* The queue timer fired: every due timer sends its signal. */
void
timer_fire(void)
{
	uint64_t now = unow_ns();
	while (armed && armed->deadline <= now) {
		struct ptimer *t = armed;
		armed = t->next;
		t->next = NULL;
		if (t->interval) {
			/* Expiries missed while we were late count as overruns. */
			uint64_t missed = (now - t->deadline) / t->interval;
			t->deadline += (missed + 1) * t->interval;
			t->overrun = (uint32_t)missed;
			insert_armed(t);
		} else {
			t->deadline = 0;
			t->overrun = 0;
		}
		struct proc *p = t->p;
		if (!t->sig || p->state != PROC_LIVE)
			continue;
		if (p->sig_pending & SIGBIT(t->sig))
			t->overrun++;
		else
			(void)sig_send(NULL, p, t->sig, false);
		/* sig_send may end p, and its timers with it: t is then free. */
	}
	rearm();
}
