// SPDX-License-Identifier: MIT
/*
 * Per-process timers: the interval timers (alarm and setitimer's
 * ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF) and POSIX timers
 * (timer_create), all multiplexed onto procmgr's one queue timer.  A timer
 * expires when its clock (monotonic or CPU time) reaches its target.
 * Armed timers sit in a list sorted by deadline, the monotonic time of the
 * next look at them; the queue timer is always set to the head's
 * deadline, and its FERRY_NOTIFY_TIMER (key PROC_KEY_TIMER) handles every
 * timer that is due.  A periodic timer is looked at again no sooner than
 * TIMER_MIN_GAP_NS later (expiries in between are overruns), so no
 * interval can keep procmgr busy.
 *
 * On a CPU-time clock (ITIMER_VIRTUAL, ITIMER_PROF, the process's or a
 * thread's CPU clock): there is one CPU, so a CPU clock never runs faster
 * than real time, and the deadline is the earliest moment the target can
 * be reached (now + what is left); when it comes the clock is read again,
 * and not there yet, the timer goes back in the list for what is still
 * left (at least CPU_RECHECK_MIN_NS, longer while the clock stands
 * still).  No cost on the kernel's paths; an expiry is late by at most
 * that minimum while the process computes.
 *
 * Expiry sends the timer's signal like kill from procmgr (POSIX timers
 * with si_code SI_TIMER, the timer id and si_value); an expiry while that
 * signal is still pending counts as an overrun, which becomes the timer's
 * reported overrun (and si_overrun) when the signal is taken, as Linux.
 * Entry points: timer_create_, timer_set, timer_get, timer_delete,
 * timer_fire, timer_drop, timer_taken.
 *
 * Ownership: a timer names its process by slot pointer; timer_drop runs
 * when the process dies (all of its timers) and at exec (all but the
 * interval timers), so the pointer is never stale.
 */
#include "procmgr.h"

#define NTIMERS   1024
#define SIGALRM   14
#define SIGVTALRM 26
#define SIGPROF   27

#define CPU_RECHECK_MIN_NS  1000000ull  /* 1 ms: the tick */
#define TIMER_MIN_GAP_NS    100000ull   /* 100 us between two looks at a periodic timer */
#define CPU_RECHECK_IDLE_NS 64000000ull /* longest wait while a CPU clock stands still */

struct ptimer {
	struct proc *p;     /* owner, NULL when the slot is free */
	int32_t id;         /* PROC_TIMER_REAL/VIRTUAL/PROF or 0..PROC_TIMERS_MAX-1 */
	int32_t sig;        /* 0: no signal (SIGEV_NONE) */
	int32_t clock;      /* PROC_CLOCK_* or CPU_CLOCK_VIRTUAL/PROF */
	int32_t clock_tid;  /* PROC_CLOCK_THREAD_CPU: whose */
	int32_t notify_tid; /* the thread the signal goes to, 0: the process */
	uint64_t value;     /* si_value of POSIX timers */
	uint64_t deadline;  /* monotonic ns of the next look at it; 0 = disarmed */
	uint64_t target;    /* its clock's value at the next expiry */
	uint64_t seen;      /* CPU clocks: its value at the last check */
	uint64_t wait;      /* CPU clocks: the last check's wait while it stood still */
	uint64_t interval;
	uint32_t overrun;      /* expiries that found its signal pending since it was taken */
	uint32_t overrun_last; /* overrun when its signal was last taken (timer_getoverrun) */
	struct ptimer *next;   /* in the armed list, sorted by deadline */
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
alloc(struct proc *p, int32_t id, int32_t sig, int32_t clock)
{
	for (int i = 0; i < NTIMERS; i++) {
		if (!timers[i].p) {
			timers[i] = (struct ptimer){.p = p, .id = id, .sig = sig, .clock = clock};
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

static bool
is_itimer(int32_t id)
{
	return id == PROC_TIMER_REAL || id == PROC_TIMER_VIRTUAL || id == PROC_TIMER_PROF;
}

static bool
on_cpu_clock(const struct ptimer *t)
{
	return t->clock != PROC_CLOCK_MONOTONIC;
}

/* Now on t's clock; false when the clock is gone (its thread ended). */
static bool
clock_now(const struct ptimer *t, uint64_t *ns)
{
	if (!on_cpu_clock(t)) {
		*ns = unow_ns();
		return true;
	}
	return cpu_clock(t->p, t->clock, t->clock_tid, ns) == 0;
}

static uint64_t
add_sat(uint64_t a, uint64_t b)
{
	return b > UINT64_MAX - a ? UINT64_MAX : a + b;
}

/*
 * When to look at CPU timer t next, its clock reading c (below the
 * target): after what is left, but no sooner than the tick, and backing
 * off while the clock does not move (a sleeping process).
 */
static uint64_t
recheck_at(struct ptimer *t, uint64_t now, uint64_t c)
{
	uint64_t left = t->target - c, wait = left;
	if (c == t->seen && t->wait) {
		wait = t->wait * 2 > CPU_RECHECK_IDLE_NS ? CPU_RECHECK_IDLE_NS : t->wait * 2;
		if (left > wait)
			wait = left;
	}
	if (wait < CPU_RECHECK_MIN_NS)
		wait = CPU_RECHECK_MIN_NS;
	t->seen = c;
	t->wait = wait;
	return add_sat(now, wait);
}

/*
 * A new POSIX timer of p; its id in *id.  -FERRY_EINVAL (bad signal,
 * clock or thread), -FERRY_EAGAIN (PROC_TIMERS_MAX of them, or the table
 * is full).
 */
int
timer_create_(struct proc *p, const struct proc_timer_req *req, int32_t *id)
{
	uint64_t ns;
	if (req->sig < 0 || req->sig >= PROC_NSIG || req->notify_tid < 0 ||
	    (req->flags & ~PROC_TIMER_VALUE_ID))
		return -FERRY_EINVAL;
	if (req->clock != PROC_CLOCK_MONOTONIC && req->clock != PROC_CLOCK_PROCESS_CPU &&
	    req->clock != PROC_CLOCK_THREAD_CPU)
		return -FERRY_EINVAL;
	if (req->clock != PROC_CLOCK_MONOTONIC && cpu_clock(p, req->clock, req->clock_tid, &ns))
		return -FERRY_EINVAL;
	if (req->notify_tid && cpu_clock(p, PROC_CLOCK_THREAD_CPU, req->notify_tid, &ns))
		return -FERRY_EINVAL;
	for (int32_t i = 0; i < PROC_TIMERS_MAX; i++) {
		if (find(p, i))
			continue;
		struct ptimer *t = alloc(p, i, req->sig, req->clock);
		if (!t)
			return -FERRY_EAGAIN;
		t->clock_tid = req->clock_tid;
		t->notify_tid = req->notify_tid;
		t->value = req->flags & PROC_TIMER_VALUE_ID ? (uint64_t)i : req->value;
		*id = i;
		return 0;
	}
	return -FERRY_EAGAIN;
}

static void
describe(const struct ptimer *t, struct proc_timer_rep *rep)
{
	uint64_t now;
	rep->value_ns = 0;
	rep->interval_ns = 0;
	rep->overrun = 0;
	if (!t)
		return;
	if (t->deadline) {
		if (!clock_now(t, &now))
			now = t->target;
		rep->value_ns = t->target > now ? t->target - now : 1;
	}
	rep->interval_ns = t->interval;
	rep->overrun = t->overrun_last;
}

/* The interval timer id of p, made on demand (NULL: the table is full). */
static struct ptimer *
itimer(struct proc *p, int32_t id)
{
	struct ptimer *t = find(p, id);
	if (t)
		return t;
	if (id == PROC_TIMER_REAL)
		return alloc(p, id, SIGALRM, PROC_CLOCK_MONOTONIC);
	if (id == PROC_TIMER_VIRTUAL)
		return alloc(p, id, SIGVTALRM, CPU_CLOCK_VIRTUAL);
	return alloc(p, id, SIGPROF, CPU_CLOCK_PROF);
}

/*
 * Arms (value_ns != 0) or disarms timer id of p; the previous setting in
 * rep.  The interval timers exist on demand.  -FERRY_EINVAL (no such
 * timer, or its thread's clock is gone), -FERRY_EAGAIN (no room).
 */
int
timer_set(struct proc *p, const struct proc_timer_req *req, struct proc_timer_rep *rep)
{
	struct ptimer *t = find(p, req->id);
	uint64_t now = unow_ns(), c = 0;
	if (!t && !is_itimer(req->id))
		return -FERRY_EINVAL;
	describe(t, rep);
	if (!t) {
		if (!req->value_ns)
			return 0;
		if (!(t = itimer(p, req->id)))
			return -FERRY_EAGAIN;
	}
	if (req->value_ns && !clock_now(t, &c))
		return -FERRY_EINVAL;
	bool was_head = t == armed;
	if (t->deadline)
		unlink_armed(t);
	t->deadline = 0;
	t->interval = req->interval_ns;
	t->overrun = 0;
	t->overrun_last = 0;
	if (req->value_ns) {
		t->target = add_sat(c, req->value_ns);
		t->seen = c;
		t->wait = 0;
		t->deadline = add_sat(now, req->value_ns);
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
	if (!t && !is_itimer(id))
		return -FERRY_EINVAL;
	describe(t, rep);
	return 0;
}

/* Deletes POSIX timer id of p.  -FERRY_EINVAL (no such timer). */
int
timer_delete(struct proc *p, int32_t id)
{
	struct ptimer *t = is_itimer(id) ? NULL : find(p, id);
	if (!t)
		return -FERRY_EINVAL;
	free_timer(t);
	return 0;
}

/* Drops p's timers: all of them (death), or all but the interval timers (exec). */
void
timer_drop(struct proc *p, bool keep_itimers)
{
	for (int i = 0; i < NTIMERS; i++)
		if (timers[i].p == p && !(keep_itimers && is_itimer(timers[i].id)))
			free_timer(&timers[i]);
}

/* Is the signal of t still pending where t sends it? */
static bool
still_pending(struct ptimer *t)
{
	if (!t->notify_tid)
		return t->p->sig_pending & SIGBIT(t->sig);
	struct sigthr *th = sig_thread(t->p, t->notify_tid);
	return th && (th->pending & SIGBIT(t->sig));
}

/* t expired, missing `missed` periods since its last expiry: signal it. */
static void
expire(struct ptimer *t, uint64_t missed)
{
	struct proc *p = t->p;
	bool pending = t->sig && p->state == PROC_LIVE && still_pending(t);
	/* A signal dropped as it is sent is not taken either (as Linux): the
	 * overrun of the last one taken stays, the count goes on. */
	bool dropped = t->sig && p->state == PROC_LIVE && !pending && sig_dropped_now(p, t->sig);
	uint64_t sum = (uint64_t)t->overrun + missed + pending;
	t->overrun = sum > INT32_MAX ? INT32_MAX : (uint32_t)sum; /* DELAYTIMER_MAX */
	if (!t->sig || p->state != PROC_LIVE || pending || dropped)
		return;
	if (is_itimer(t->id)) {
		(void)sig_send(NULL, p, t->sig, false);
		return;
	}
	/* Linux's siginfo for timers: si_timerid and si_overrun sit where
	 * si_pid and si_uid are. */
	struct proc_siginfo si = {
	        .sig = t->sig, .code = SI_TIMER, .pid = t->id, .uid = 0, .value = t->value};
	(void)sig_send_info(NULL, p, t->sig, false, &si, t->notify_tid, false);
	/* sig_send_info may end p, and its timers with it: t is then free. */
}

/* One due timer t, off the list: re-inserted, disarmed or signalled. */
static void
due(struct ptimer *t, uint64_t now)
{
	uint64_t c, missed = 0;
	if (!clock_now(t, &c)) {
		t->deadline = 0; /* its thread is gone: it never expires */
		return;
	}
	if (c < t->target) {
		/* A CPU clock that has not got there yet (or a monotonic one read
		 * a moment early). */
		t->deadline = on_cpu_clock(t) ? recheck_at(t, now, c) : t->target;
		insert_armed(t);
		return;
	}
	if (t->interval) {
		/* Expiries missed while we were late count as overruns. */
		missed = (c - t->target) / t->interval;
		t->target = add_sat(t->target, (missed + 1) * t->interval);
		t->seen = c;
		t->wait = 0;
		/* However short the interval, procmgr looks again only after
		 * TIMER_MIN_GAP_NS: the expiries in between count as overruns. */
		t->deadline = add_sat(now, t->target - c < TIMER_MIN_GAP_NS ? TIMER_MIN_GAP_NS
		                                                            : t->target - c);
		insert_armed(t);
	} else {
		t->deadline = 0;
	}
	expire(t, missed);
}

/*
 * The signal of POSIX timer id of p was taken (delivered or waited for):
 * the overrun counted since it was sent is now the timer's reported one,
 * and the count starts again.  Returns it, for the siginfo's si_overrun.
 */
uint32_t
timer_taken(struct proc *p, int32_t id)
{
	struct ptimer *t = is_itimer(id) ? NULL : find(p, id);
	uint64_t c;
	if (!t)
		return 0;
	/* Expiries since procmgr last looked count too (as Linux, which
	 * brings the timer forward when the signal is taken). */
	if (t->interval && t->deadline && clock_now(t, &c) && c >= t->target) {
		uint64_t n = (c - t->target) / t->interval + 1;
		uint64_t sum = (uint64_t)t->overrun + n;
		t->target = add_sat(t->target, n * t->interval);
		t->overrun = sum > INT32_MAX ? INT32_MAX : (uint32_t)sum;
	}
	t->overrun_last = t->overrun;
	t->overrun = 0;
	return t->overrun_last;
}

/* The queue timer fired: every due timer is handled. */
void
timer_fire(void)
{
	uint64_t now = unow_ns();
	while (armed && armed->deadline <= now) {
		struct ptimer *t = armed;
		armed = t->next;
		t->next = NULL;
		due(t, now);
	}
	rearm();
}
