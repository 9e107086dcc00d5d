// SPDX-License-Identifier: MIT
/*
 * Signals as procmgr decides them: permission checks, kill to a process,
 * a group or everyone, signals to one thread, sigqueue, default actions,
 * pending sets and their delivery.
 *
 * Threads: each thread of a process that has spoken to procmgr has a
 * struct sigthr (its mask, the signals directed to it, its sigwait);
 * the first one lives in the process, the others come from a pool, on a
 * list per process and in a hash by (process, tid).  Every signal request
 * from libposix names its thread, and a process may have hundreds: a
 * request finds its thread in O(1) and visits only the threads with
 * signals of their own pending (a second list) or in sigwait (a count
 * says whether any is), all of them only for a signal pending on the
 * process; so creating, masking and ending threads costs the same with 1
 * or 500 of them.  A signal to the process is pending on the process
 * until a thread that does not block it takes it; one to a thread
 * (tgkill, pthread_kill) only for that thread.
 *
 * A signal whose disposition is a handler becomes pending; procmgr hands
 * a pending, unblocked, handled signal (the lowest, with its siginfo) to
 * the thread in the reply of its next PROC_KILL, PROC_SIGSTATE or
 * PROC_SIGWAIT, and libposix runs the handler right there.  A thread busy
 * elsewhere is interrupted (the kernel's task_interrupt, FERRY_INTERRUPT_TID)
 * and its upcall asks.  A delivered signal is blocked for the thread until
 * libposix says its handler returned (unless SA_NODEFER).
 *
 * siginfo: every sent signal gets a record in a pool (sender, si_code,
 * sigqueue's value), oldest first per process.  A standard signal already
 * pending is not recorded again (it coalesces); a real-time one (32..64)
 * is recorded once per sending, up to RLIMIT_SIGPENDING per process.
 *
 * Job control: a stop signal with the default action suspends every
 * thread of the task (task_suspend) and SIGCONT resumes them; the parent
 * hears of both through SIGCHLD (unless it asked for SA_NOCLDSTOP) and
 * wait's WUNTRACED/WCONTINUED.  While stopped, only SIGKILL acts; other
 * signals stay pending until SIGCONT.
 * Entry points: sig_send, sig_send_info, sig_kill, sig_thread, sig_take,
 * sig_pending_for, sig_poke, sig_wait, sig_drop, sig_stop, sig_continue,
 * sig_flush_interrupts.
 */
#include "procmgr.h"

#define SIGRT_FIRST 32
#define SI_USER     0
#define SI_KERNEL   0x80

static const uint64_t default_ignore =
        SIGBIT(SIGCHLD) | SIGBIT(SIGURG) | SIGBIT(SIGWINCH) | SIGBIT(SIGCONT);
static const uint64_t stop_sigs =
        SIGBIT(SIGSTOP) | SIGBIT(SIGTSTP) | SIGBIT(SIGTTIN) | SIGBIT(SIGTTOU);
/* Signals that act on the whole process even when sent to one thread. */
static const uint64_t process_wide = SIGBIT(SIGKILL) | SIGBIT(SIGCONT) | SIGBIT(SIGSTOP) |
                                     SIGBIT(SIGTSTP) | SIGBIT(SIGTTIN) | SIGBIT(SIGTTOU);

/* Queued siginfo records; free ones on a list (index + 1). */
struct sigq {
	uint32_t next;
	int32_t tid; /* 0: to the process */
	struct proc_siginfo info;
};
static struct sigq sigq[SIGQ_POOL];
static uint32_t sigq_free;
static struct sigthr sigthr[SIGTHR_POOL];
static uint32_t sigthr_free;
#define SIGTHR_HASH 1024                  /* buckets; power of two */
static uint32_t sigthr_hash[SIGTHR_HASH]; /* pool index + 1 of each bucket's first */
static bool pools_ready;

static void
pools_init(void)
{
	if (pools_ready)
		return;
	for (uint32_t i = 0; i < SIGQ_POOL; i++)
		sigq[i].next = i + 2 <= SIGQ_POOL ? i + 2 : 0;
	sigq_free = 1;
	for (uint32_t i = 0; i < SIGTHR_POOL; i++)
		sigthr[i].next = i + 2 <= SIGTHR_POOL ? i + 2 : 0;
	sigthr_free = 1;
	pools_ready = true;
}

static bool
may_signal(const struct proc *from, const struct proc *to, int sig)
{
	if (!from || cred_privileged(from))
		return true;
	if (sig == SIGCONT && from->sid == to->sid)
		return true;
	return from->uid == to->uid || from->uid == to->suid || from->euid == to->uid ||
	       from->euid == to->suid;
}

/* ---- threads ---- */

static struct sigthr *
thr_next(const struct sigthr *t, const struct proc *p)
{
	uint32_t n = t == &p->thr0 ? p->thr_head : t->next;
	return n ? &sigthr[n - 1] : NULL;
}

#define FOR_THREADS(t, p) for (struct sigthr *t = &(p)->thr0; t; t = thr_next(t, p))

/* The next thread after t that may have signals of its own pending: the
 * first thread, then the pool states on p's pend_head list. */
static struct sigthr *
pend_next(const struct sigthr *t, const struct proc *p)
{
	uint32_t n = t == &p->thr0 ? p->pend_head : t->pnext;
	return n ? &sigthr[n - 1] : NULL;
}

/* Every thread of p whose own pending set is not empty, and the first
 * thread in any case (t may leave the list in the loop body). */
#define FOR_PENDING(t, p)                                                                          \
	for (struct sigthr *t = &(p)->thr0, *t##_n = pend_next(t, p); t;                           \
	     t = t##_n, t##_n = t ? pend_next(t, p) : NULL)

#define SIGCANCEL 33 /* musl's cancellation signal */

/*
 * Whether pool state t may be reclaimed (threads_reclaim): it waits for
 * nothing, blocks every application signal (all but musl's internal 32,
 * 33, 34), and holds none, or holds only SIGCANCEL and blocks it too.
 * The second is how a cancelled thread ends: musl's cancellation handler
 * raises SIGCANCEL again, and the thread blocks it with the rest on its
 * way out.  Only musl's own short critical sections block SIGCANCEL in a
 * live thread; one whose state goes there loses a pending SIGCANCEL, whose
 * cancel request stays in the thread's memory and acts at its next
 * cancellation point.
 */
static bool
reclaimable(const struct sigthr *t)
{
	const uint64_t app =
	        ~(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP) | SIGBIT(32) | SIGBIT(SIGCANCEL) | SIGBIT(34));
	const uint64_t app_cancel = app | SIGBIT(SIGCANCEL);
	if (t->sigwait_token)
		return false;
	if (!t->pending)
		return (t->blocked & app) == app;
	return t->pending == SIGBIT(SIGCANCEL) && (t->blocked & app_cancel) == app_cancel;
}

/* t changed: if it became reclaimable, a reclaim pass is worth trying again. */
static void
note_change(struct proc *p, const struct sigthr *t)
{
	if (t != &p->thr0 && reclaimable(t))
		p->thr_full = false;
}

static void
set_blocked(struct proc *p, struct sigthr *t, uint64_t blocked)
{
	t->blocked = blocked;
	note_change(p, t);
}

/*
 * Every change of a thread's own pending set, sigwait token and mask goes
 * through set_pending, set_waiting and set_blocked, which keep p's list of
 * threads with pending signals and its count of waiting ones (a walk over
 * all p's threads is only needed for a signal pending on the process), and
 * note a state that became reclaimable.
 */
static void
set_pending(struct proc *p, struct sigthr *t, uint64_t pending)
{
	if (t != &p->thr0 && !t->pending != !pending) {
		uint32_t i = (uint32_t)(t - sigthr) + 1;
		if (pending) {
			t->pprev = 0;
			t->pnext = p->pend_head;
			if (p->pend_head)
				sigthr[p->pend_head - 1].pprev = i;
			p->pend_head = i;
		} else {
			if (t->pprev)
				sigthr[t->pprev - 1].pnext = t->pnext;
			else
				p->pend_head = t->pnext;
			if (t->pnext)
				sigthr[t->pnext - 1].pprev = t->pprev;
		}
	}
	t->pending = pending;
	note_change(p, t);
}

static void
set_waiting(struct proc *p, struct sigthr *t, uint64_t token)
{
	p->thr_waiting += (token != 0) - (t->sigwait_token != 0);
	t->sigwait_token = token;
	note_change(p, t);
}

/* Ends thread t's sigwait call, if any, with status rc. */
static void
end_wait(struct proc *p, struct sigthr *t, int rc)
{
	if (t->sigwait_token) {
		srv_reply(t->sigwait_token, rc, NULL, 0, NULL, 0);
		set_waiting(p, t, 0);
	}
}

static uint16_t
owner_of(const struct proc *p)
{
	return (uint16_t)(p - proctab + 1);
}
_Static_assert(NPROC < 65535, "struct sigthr's owner holds a proctab index + 1");

static uint32_t
thr_bucket(const struct proc *p, int32_t tid)
{
	uint32_t h = (uint32_t)((uintptr_t)p >> 4) * 0x9e3779b9u ^ (uint32_t)tid * 0x85ebca6bu;
	return (h >> 16) & (SIGTHR_HASH - 1);
}
_Static_assert((SIGTHR_HASH & (SIGTHR_HASH - 1)) == 0, "thr_bucket masks the hash");

/* p's pool state for tid, or NULL. */
static struct sigthr *
thr_lookup(const struct proc *p, int32_t tid)
{
	for (uint32_t i = sigthr_hash[thr_bucket(p, tid)]; i; i = sigthr[i - 1].hnext)
		if (sigthr[i - 1].owner == owner_of(p) && sigthr[i - 1].tid == tid)
			return &sigthr[i - 1];
	return NULL;
}

/* A pool state for thread tid of p, first on p's list; NULL when the pool is empty. */
static struct sigthr *
thr_add(struct proc *p, int32_t tid, uint64_t blocked)
{
	uint32_t i = sigthr_free;
	if (!i)
		return NULL;
	struct sigthr *t = &sigthr[i - 1];
	uint32_t *bucket = &sigthr_hash[thr_bucket(p, tid)];
	sigthr_free = t->next;
	*t = (struct sigthr){.tid = tid,
	                     .blocked = blocked,
	                     .next = p->thr_head,
	                     .hnext = *bucket,
	                     .owner = owner_of(p)};
	if (p->thr_head)
		sigthr[p->thr_head - 1].prev = i;
	p->thr_head = i;
	*bucket = i;
	p->thr_count++;
	return t;
}

/* Takes pool state t off p's list and the hash and frees it; a sigwait
 * still in it must have been ended or moved. */
static void
thr_remove(struct proc *p, struct sigthr *t)
{
	uint32_t i = (uint32_t)(t - sigthr) + 1;
	if (t->owner != owner_of(p) || t->sigwait_token)
		upanic("procmgr: thr_remove: state of another process, or still waiting");
	set_pending(p, t, 0);
	if (t->prev)
		sigthr[t->prev - 1].next = t->next;
	else
		p->thr_head = t->next;
	if (t->next)
		sigthr[t->next - 1].prev = t->prev;
	uint32_t *link = &sigthr_hash[thr_bucket(p, t->tid)];
	while (*link != i)
		link = &sigthr[*link - 1].hnext;
	*link = t->hnext;
	t->owner = 0;
	t->next = sigthr_free;
	sigthr_free = i;
	p->thr_count--;
}

/* Which of a process's siginfo records sigq_release drops. */
#define SIGQ_ALL     (-1) /* every one */
#define SIGQ_THREADS (-2) /* those directed to a thread */

/* Drops p's siginfo records of tid (a thread id, SIGQ_ALL or SIGQ_THREADS). */
static void
sigq_release(struct proc *p, int32_t tid)
{
	uint32_t *link = &p->sigq_head;
	while (*link) {
		struct sigq *q = &sigq[*link - 1];
		bool drop = tid == SIGQ_ALL || (tid == SIGQ_THREADS ? q->tid != 0 : q->tid == tid);
		if (!drop) {
			link = &q->next;
			continue;
		}
		uint32_t i = *link;
		*link = q->next;
		if (q->info.sig >= SIGRT_FIRST && p->sigq_rt)
			p->sigq_rt--;
		q->next = sigq_free;
		sigq_free = i;
	}
}

/* Drops the states of p's threads but the first (whose mask stays, as the
 * mask of the thread that comes next) and the signals directed to them. */
static void
threads_release(struct proc *p)
{
	pools_init();
	end_wait(p, &p->thr0, -FERRY_EPEER);
	while (p->thr_head) {
		struct sigthr *t = &sigthr[p->thr_head - 1];
		end_wait(p, t, -FERRY_EPEER);
		thr_remove(p, t);
	}
	p->thr0.tid = 0;
	set_pending(p, &p->thr0, 0);
	p->thr0.want_intr = false;
	sigq_release(p, SIGQ_THREADS);
	if (p->thr_count || p->pend_head || p->thr_waiting)
		upanic("procmgr: threads left after release (%u, %u, %u)", p->thr_count,
		       p->pend_head, p->thr_waiting);
}

/* The threads are those of p's current task: an exec (a new task) ended them. */
static void
threads_check(struct proc *p)
{
	if (p->thr_task != p->task) {
		threads_release(p);
		p->thr_task = p->task;
	}
}

/*
 * Frees the states of p's threads (but the first) that are reclaimable:
 * musl blocks every signal in a thread that is ending, so these are
 * mostly threads that have ended, and a live one among them loses nothing
 * it could be given (it gets a state again when it next asks).
 */
static void
threads_reclaim(struct proc *p)
{
	/* A pass that freed nothing is not repeated until a state changes:
	 * a process with SIGTHR_PER_PROC live threads would otherwise walk
	 * them all at every request of a thread beyond them. */
	if (p->thr_full)
		return;
	uint32_t before = p->thr_count;
	for (uint32_t i = p->thr_head, n; i; i = n) {
		struct sigthr *t = &sigthr[i - 1];
		n = t->next;
		if (!reclaimable(t))
			continue;
		sigq_release(p, t->tid); /* a pending SIGCANCEL's record */
		thr_remove(p, t);
	}
	if (p->thr_count == before)
		p->thr_full = true;
}

struct sigthr *
sig_thread(struct proc *p, int32_t tid)
{
	pools_init();
	threads_check(p);
	if (tid <= 0 || p->thr0.tid == tid)
		return &p->thr0;
	struct sigthr *t = thr_lookup(p, tid);
	if (t)
		return t;
	if (p->thr0.tid == 0) {
		p->thr0.tid = tid;
		return &p->thr0;
	}
	if (!sigthr_free || p->thr_count >= SIGTHR_PER_PROC)
		threads_reclaim(p);
	if (p->thr_count >= SIGTHR_PER_PROC)
		return NULL;
	return thr_add(p, tid, p->thr0.blocked);
}

/* Thread t has ended: its state goes (the first thread's becomes unknown). */
static void
thread_gone(struct proc *p, struct sigthr *t)
{
	sigq_release(p, t->tid);
	end_wait(p, t, -FERRY_EPEER);
	if (t != &p->thr0) {
		thr_remove(p, t);
		return;
	}
	/* The next thread takes its place; without one, the first thread
	 * is unknown again (interrupts go to whichever the kernel picks). */
	set_pending(p, t, 0);
	t->tid = 0;
	t->want_intr = false;
	if (!p->thr_head)
		return;
	struct sigthr *n = &sigthr[p->thr_head - 1];
	struct sigthr moved = *n;
	set_waiting(p, n, 0); /* its sigwait moves with it */
	thr_remove(p, n);
	t->tid = moved.tid;
	t->blocked = moved.blocked;
	t->sigwait_mask = moved.sigwait_mask;
	t->sigwait_saved = moved.sigwait_saved;
	t->sigwait_flags = moved.sigwait_flags;
	t->want_intr = moved.want_intr;
	set_pending(p, t, moved.pending);
	set_waiting(p, t, moved.sigwait_token);
}

uint64_t
sig_pending_for(const struct proc *p, const struct sigthr *t)
{
	return p->sig_pending | t->pending;
}

/* ---- siginfo records ---- */

/* Records info for p (thread tid or 0); false when the pool or p's limit is full. */
static bool
sigq_add(struct proc *p, int32_t tid, const struct proc_siginfo *info)
{
	bool rt = info->sig >= SIGRT_FIRST;
	pools_init();
	if (!sigq_free)
		return false;
	if (rt && p->sigq_rt >= p->rlim[RLIMIT_SIGPENDING][0])
		return false;
	uint32_t i = sigq_free;
	struct sigq *q = &sigq[i - 1];
	sigq_free = q->next;
	q->next = 0;
	q->tid = tid;
	q->info = *info;
	uint32_t *link = &p->sigq_head;
	while (*link)
		link = &sigq[*link - 1].next;
	*link = i;
	if (rt)
		p->sigq_rt++;
	return true;
}

/*
 * Takes one instance of sig pending for thread t (its own first, then the
 * process's) off the pending sets, with its record in *info.
 */
static void
dequeue(struct proc *p, struct sigthr *t, int sig, struct proc_siginfo *info)
{
	uint64_t b = SIGBIT(sig);
	bool own = t->pending & b;
	int32_t tid = own ? t->tid : 0;
	bool more = false, found = false;
	*info = (struct proc_siginfo){.sig = sig, .code = SI_KERNEL};
	for (uint32_t *link = &p->sigq_head; *link;) {
		struct sigq *q = &sigq[*link - 1];
		if (q->info.sig != sig || q->tid != tid) {
			link = &q->next;
			continue;
		}
		if (found) {
			more = true;
			break;
		}
		found = true;
		*info = q->info;
		if (info->code == SI_TIMER)
			info->uid = timer_taken(p, info->pid); /* si_overrun */
		uint32_t i = *link;
		*link = q->next;
		if (sig >= SIGRT_FIRST && p->sigq_rt)
			p->sigq_rt--;
		q->next = sigq_free;
		sigq_free = i;
	}
	if (more)
		return;
	if (own)
		set_pending(p, t, t->pending & ~b);
	else
		p->sig_pending &= ~b;
}

/* Drops every instance of the signals in m (now ignored) from p and its threads. */
static void
discard(struct proc *p, uint64_t m)
{
	if (!m)
		return;
	p->sig_pending &= ~m;
	FOR_PENDING(t, p)
	{
		if (t->pending & m)
			set_pending(p, t, t->pending & ~m);
	}
	for (uint32_t *link = &p->sigq_head; *link;) {
		struct sigq *q = &sigq[*link - 1];
		if (!(SIGBIT(q->info.sig) & m)) {
			link = &q->next;
			continue;
		}
		if (q->info.code == SI_TIMER) /* taken too (as Linux's dequeue) */
			(void)timer_taken(p, q->info.pid);
		uint32_t i = *link;
		*link = q->next;
		if (q->info.sig >= SIGRT_FIRST && p->sigq_rt)
			p->sigq_rt--;
		q->next = sigq_free;
		sigq_free = i;
	}
}

void
sig_drop(struct proc *p)
{
	threads_release(p);
	sigq_release(p, SIGQ_ALL);
	p->sig_pending = 0;
	p->sigq_rt = 0;
}

/* ---- delivery ---- */

int
sig_take(struct proc *p, struct sigthr *t, struct proc_siginfo *info)
{
	uint64_t d = sig_pending_for(p, t) & ~t->blocked & p->sig_handled;
	t->want_intr = false; /* it gets its signals in this reply */
	if (!d)
		return 0;
	int s = __builtin_ctzll(d) + 1;
	dequeue(p, t, s, info);
	set_blocked(p, t, t->blocked | (SIGBIT(s) & ~p->sig_nodefer));
	return s;
}

/* The parent of p hears that p stopped or continued (SIGCHLD, waiters). */
static void
tell_parent(struct proc *p)
{
	struct proc *parent = proc_by_pid(p->ppid);
	if (parent && parent->state == PROC_LIVE && !parent->nocldstop)
		sig_send(NULL, parent, SIGCHLD, false);
	wait_child_changed(p);
}

/* Stops the live process p for signal sig (every thread parks in the kernel). */
void
sig_stop(struct proc *p, int sig)
{
	if (p->stopped || !p->task)
		return;
	if (ferry_sys_task_suspend(p->task, 1) != 0)
		return; /* the task is ending: its no-senders notice follows */
	p->stopped = true;
	p->stop_sig = sig;
	p->stopped_report = true;
	p->continued_report = false;
	tell_parent(p);
}

/* Continues the stopped process p (SIGCONT), then lets pending signals act. */
void
sig_continue(struct proc *p)
{
	if (!p->stopped)
		return;
	(void)ferry_sys_task_suspend(p->task, 0);
	p->stopped = false;
	p->stopped_report = false;
	p->continued_report = true;
	tell_parent(p);
}

/* Signals of the process some thread does not block (a sigwaiting one counts). */
static uint64_t
unblocked_somewhere(struct proc *p)
{
	uint64_t m = 0;
	FOR_THREADS(t, p)
	m |= ~t->blocked;
	return m;
}

/*
 * Applies default actions of pending signals without handler that a
 * thread does not block: terminates p (true), stops it, or drops ignored
 * ones.  A stopped process keeps its signals pending until it continues.
 */
static bool
sig_defaults(struct proc *p)
{
	if (p->stopped)
		return false;
	uint64_t ready = p->sig_pending ? p->sig_pending & unblocked_somewhere(p) : 0;
	FOR_PENDING(t, p)
	ready |= t->pending & ~t->blocked;
	ready &= ~p->sig_handled;
	for (int s = 1; s < PROC_NSIG && ready; s++) {
		uint64_t b = SIGBIT(s);
		if (!(ready & b))
			continue;
		ready &= ~b;
		if ((p->sig_ignored & b) || (default_ignore & b)) {
			discard(p, b);
			continue;
		}
		if (stop_sigs & b) {
			discard(p, b);
			sig_stop(p, s);
			continue;
		}
		proc_terminate(p, s);
		return true;
	}
	return false;
}

bool
sig_dropped_now(struct proc *p, int sig)
{
	uint64_t b = SIGBIT(sig);
	if (p->sig_ignored & b)
		return true;
	if (!(default_ignore & b) || (p->sig_handled & b) || p->stopped ||
	    !(unblocked_somewhere(p) & b))
		return false;
	if (p->thr_waiting) {
		FOR_THREADS(t, p)
		{
			if (t->sigwait_token && (t->sigwait_mask & b))
				return false;
		}
	}
	return true;
}

/* Ends thread t's sigwait/sigsuspend if a signal it waits for is pending. */
static void
wake_sigwait(struct proc *p, struct sigthr *t)
{
	if (!t->sigwait_token)
		return;
	bool suspend = t->sigwait_flags & PROC_SIGWAIT_SUSPEND;
	uint64_t m = sig_pending_for(p, t) & t->sigwait_mask & (suspend ? p->sig_handled : ~0ull);
	if (!m)
		return;
	struct proc_sigwait_rep rep = {0};
	if (suspend) {
		/* The handler runs under the temporary mask, then the saved one returns. */
		int s = sig_take(p, t, &rep.info);
		rep.deliver = s ? SIGBIT(s) : 0;
		set_blocked(p, t, t->sigwait_saved | (rep.deliver & ~p->sig_nodefer));
	} else {
		dequeue(p, t, __builtin_ctzll(m) + 1, &rep.info);
	}
	srv_reply(t->sigwait_token, 0, &rep, sizeof(rep), NULL, 0);
	set_waiting(p, t, 0);
}

static bool intr_wanted; /* some process has want_intr set */
/* The processes whose want_intr went from false to true since the last
 * flush (proctab indexes), so that a flush visits those and not every
 * slot; a process freed meanwhile has want_intr false again and is
 * skipped.  On overflow (only through such stale entries) the flush
 * looks at every slot. */
static uint16_t intr_list[NPROC];
static unsigned intr_n;
static bool intr_all;
_Static_assert(NPROC <= 65536, "intr_list holds proctab indexes");

static void
proc_want_intr(struct proc *p)
{
	if (!p->want_intr) {
		p->want_intr = true;
		if (intr_n < NPROC)
			intr_list[intr_n++] = (uint16_t)(p - proctab);
		else
			intr_all = true;
	}
	intr_wanted = true;
}

/*
 * Replies to PROC_KILL held until the interrupts wanted when it was served
 * have gone out (sig_flush_interrupts), so that when kill returns, a
 * thread it made pending a signal for has its interrupt: one that blocked
 * the signal without telling us (libposix's sigstate.c) learns of it in
 * its upcall before it can run on and unblock it.  The caller itself is
 * not interrupted while its reply is held (that would break its call and
 * lose the reply).
 */
struct held_reply {
	uint64_t token;
	struct proc *p;
	int32_t tid;
	int32_t status;
	struct proc_sig_rep rep;
};
static struct held_reply held[16];
static unsigned held_n;

int
sig_hold_reply(struct proc *p, int32_t tid, uint64_t token, int status,
               const struct proc_sig_rep *rep)
{
	if (!intr_wanted || held_n >= sizeof(held) / sizeof(held[0]))
		return status;
	held[held_n++] = (struct held_reply){token, p, tid, status, *rep};
	return FERRY_REPLY_LATER;
}

/* Whether thread t of p waits for a held reply (tid 0: we cannot tell). */
static bool
reply_held(const struct proc *p, const struct sigthr *t)
{
	for (unsigned i = 0; i < held_n; i++)
		if (held[i].p == p && (held[i].tid == t->tid || !t->tid || held[i].tid <= 0))
			return true;
	return false;
}

bool
sig_interrupts_wanted(void)
{
	return intr_wanted;
}

static void
want_intr(struct proc *p, struct sigthr *t)
{
	t->want_intr = true;
	proc_want_intr(p);
}

/*
 * Lets p's pending signals act: default actions, waiting sigwaits, and an
 * interrupt (sent by sig_flush_interrupts after the current request's
 * reply) to a thread that should run a handler now rather than at its
 * next call to us.  A signal to the process goes to a thread not blocking
 * it (the first found); a thread whose own call we are serving gets its
 * signals in that call's reply (sig_take clears its want_intr).
 */
void
sig_poke(struct proc *to)
{
	if (to->state != PROC_LIVE || to->stopped)
		return;
	threads_check(to);
	if (to->thr_waiting) {
		FOR_THREADS(t, to)
		wake_sigwait(to, t);
	}
	if (sig_defaults(to))
		return;
	FOR_PENDING(t, to)
	{
		if (!t->sigwait_token && (t->pending & to->sig_handled & ~t->blocked))
			want_intr(to, t);
	}
	/* Only a signal to the process looks at every thread. */
	uint64_t left = to->sig_pending & to->sig_handled;
	for (struct sigthr *t = &to->thr0; t && left; t = thr_next(t, to)) {
		if (!t->sigwait_token && (left & ~t->blocked)) {
			left &= t->blocked;
			want_intr(to, t);
		}
	}
}

/*
 * Interrupts the threads that still have a handled, unblocked signal
 * pending (busy elsewhere: blocked in another server, sleeping, or
 * computing).  main.c calls it when no request is queued.  A thread
 * that has ended loses its state, and the process's signals look for
 * another thread.
 */
void
sig_flush_interrupts(void)
{
	static uint16_t batch[NPROC], later[NPROC];
	unsigned nlater = 0;
	for (int round = 0; intr_wanted && round < 4; round++) {
		intr_wanted = false;
		unsigned n = intr_n;
		bool all = intr_all;
		for (unsigned i = 0; i < n; i++)
			batch[i] = intr_list[i];
		intr_n = 0;
		intr_all = false;
		if (all)
			n = NPROC;
		for (unsigned i = 0; i < n; i++) {
			struct proc *p = &proctab[all ? i : batch[i]];
			if (!p->want_intr)
				continue;
			p->want_intr = false;
			if (p->state != PROC_LIVE || p->stopped || !p->task)
				continue;
			bool again = false;
			for (struct sigthr *t = &p->thr0, *n; t; t = n) {
				n = thr_next(t, p);
				if (!t->want_intr)
					continue;
				if (reply_held(p, t)) {
					/* After its reply: in the next flush. */
					if (!p->want_intr && nlater < NPROC)
						later[nlater++] = (uint16_t)(p - proctab);
					p->want_intr = true;
					continue;
				}
				t->want_intr = false;
				if (t->sigwait_token ||
				    !(sig_pending_for(p, t) & p->sig_handled & ~t->blocked))
					continue;
				long rc = t->tid ? ferry_sys_task_interrupt_tid(p->task, 1,
				                                                (uint32_t)t->tid)
				                 : ferry_sys_task_interrupt(p->task, 1, 0);
				if (rc == -FERRY_ENOENT) {
					/* The first thread's state takes the next one's
					 * in (which n pointed at): look at it again. */
					if (t == &p->thr0 && p->thr_head)
						n = t;
					thread_gone(p, t);
					again = true;
				}
			}
			if (again)
				sig_poke(p); /* sets intr_wanted for the next round */
		}
	}
	for (unsigned i = 0; i < held_n; i++)
		(void)srv_reply(held[i].token, held[i].status, &held[i].rep, sizeof(held[i].rep),
		                NULL, 0);
	held_n = 0;
	/* The loop calls us again once the queue is empty. */
	for (unsigned i = 0; i < nlater; i++) {
		proctab[later[i]].want_intr = false;
		proc_want_intr(&proctab[later[i]]);
	}
}

int
sig_send_info(struct proc *from, struct proc *to, int sig, bool check_perm,
              const struct proc_siginfo *info, int32_t tid, bool queue)
{
	if (check_perm && !may_signal(from, to, sig))
		return -FERRY_EPERM;
	if (sig == 0 || to->state == PROC_ZOMBIE || to->state == PROC_FREE)
		return 0;
	uint64_t b = SIGBIT(sig);
	if (sig == SIGKILL) {
		if (to->state == PROC_LIVE)
			proc_terminate(to, SIGKILL);
		else
			to->sig_pending |= b;
		return 0;
	}
	struct proc_siginfo si = {.sig = sig, .code = SI_KERNEL};
	if (info) {
		si = *info;
		si.sig = sig;
	} else if (from) {
		si.code = SI_USER;
		si.pid = from->pid;
		si.uid = from->uid;
	}
	/* A stop discards a pending SIGCONT and SIGCONT discards pending stops
	 * (POSIX); SIGCONT continues even when it is ignored or blocked. */
	if (sig == SIGCONT) {
		discard(to, stop_sigs);
		if (to->state == PROC_LIVE && to->stopped) {
			sig_continue(to);
			if (!(to->sig_ignored & b) && !(to->sig_pending & b)) {
				to->sig_pending |= b;
				(void)sigq_add(to, 0, &si);
			}
			sig_poke(to);
			return 0;
		}
	} else if (stop_sigs & b) {
		discard(to, SIGBIT(SIGCONT));
	}
	struct sigthr *t = NULL;
	if (tid && !(process_wide & b) && to->state == PROC_LIVE) {
		if (!(t = sig_thread(to, tid)))
			return -FERRY_EAGAIN;
	}
	bool waited = false;
	if (to->thr_waiting) {
		FOR_THREADS(w, to)
		waited |= w->sigwait_token && (w->sigwait_mask & b) && (!t || w == t);
	}
	if ((to->sig_ignored & b) && !waited)
		return 0;
	uint64_t set = t ? t->pending : to->sig_pending;
	if (sig < SIGRT_FIRST) {
		if (!(set & b))
			(void)sigq_add(to, t ? t->tid : 0, &si); /* else it coalesces */
	} else if (!sigq_add(to, t ? t->tid : 0, &si) && queue) {
		return -FERRY_EAGAIN;
	}
	if (t)
		set_pending(to, t, t->pending | b);
	else
		to->sig_pending |= b;
	sig_poke(to);
	return 0;
}

/*
 * Sends sig (1..64, or 0 to probe) from `from` (NULL: procmgr or the
 * control port) to `to`.  -FERRY_EPERM without permission.
 */
int
sig_send(struct proc *from, struct proc *to, int sig, bool check_perm)
{
	return sig_send_info(from, to, sig, check_perm, NULL, 0, false);
}

/*
 * kill(pid, sig) from `from` (NULL: the control port).  -FERRY_EINVAL (bad
 * signal), -FERRY_ESRCH (nobody there), -FERRY_EPERM (nobody permitted).
 */
int
sig_kill(struct proc *from, int pid, int sig)
{
	if (sig < 0 || sig >= PROC_NSIG)
		return -FERRY_EINVAL;
	if (pid > 0) {
		struct proc *t = proc_by_pid(pid);
		if (!t || t->state == PROC_FREE)
			return -FERRY_ESRCH;
		return sig_send(from, t, sig, true);
	}
	int pgid = pid == 0 ? (from ? from->pgid : -1) : -pid;
	int found = 0, sent = 0;
	for (int i = 0; i < NPROC; i++) {
		struct proc *t = &proctab[i];
		if (t->state != PROC_LIVE && t->state != PROC_EMBRYO)
			continue;
		if (pid == -1) {
			if (t->pid == 1 || t == from)
				continue;
		} else if (t->pgid != pgid) {
			continue;
		}
		found++;
		if (sig_send(from, t, sig, true) == 0)
			sent++;
	}
	/* kill(-1) spares init and the caller, as Linux does. */
	if (!found)
		return -FERRY_ESRCH;
	return sent ? 0 : -FERRY_EPERM;
}

/*
 * PROC_SIGWAIT of thread t.  Without SUSPEND: waits for a signal of the
 * mask; with it, the mask is blocked while waiting and a handled signal
 * ends the wait.  Timed waits are polled by libposix (timeout 0).
 */
int
sig_wait(struct proc *p, struct sigthr *t, const struct proc_sigwait_req *r, uint64_t token)
{
	if (t->sigwait_token)
		return -FERRY_EBUSY;
	if (r->timeout_ns != 0 && r->timeout_ns != FERRY_TIME_INFINITE)
		return -FERRY_ENOTSUP; /* libposix polls timed waits */
	t->sigwait_flags = r->flags;
	if (r->flags & PROC_SIGWAIT_SUSPEND) {
		t->sigwait_saved = t->blocked;
		set_blocked(p, t, r->mask & ~(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP)));
		t->sigwait_mask = ~t->blocked;
		if (sig_defaults(p))
			return -FERRY_EINTR;
	} else {
		t->sigwait_mask = r->mask;
	}
	set_waiting(p, t, token);
	wake_sigwait(p, t);
	if (!t->sigwait_token)
		return FERRY_REPLY_LATER; /* replied already */
	if (r->timeout_ns == 0) {
		set_waiting(p, t, 0);
		if (r->flags & PROC_SIGWAIT_SUSPEND)
			set_blocked(p, t, t->sigwait_saved);
		return -FERRY_EAGAIN;
	}
	if (r->flags & PROC_SIGWAIT_SUSPEND)
		sig_poke(p); /* another thread may take what it now blocks */
	return FERRY_REPLY_LATER;
}

/*
 * PROC_SIGSTATE from thread t: the parts of the state in r->how (the
 * mask is t's), then what is pending acts; the reply (rep, NULL for a
 * one-way message) hands t a signal.
 * -FERRY_EINTR when p ended meanwhile (nobody reads the reply).
 */
int
sig_state(struct proc *p, struct sigthr *t, const struct proc_sigstate_req *r,
          struct proc_sig_rep *rep)
{
	const uint64_t unblockable = SIGBIT(SIGKILL) | SIGBIT(SIGSTOP);
	if (r->how & PROC_SIGSTATE_IGNORED)
		p->sig_ignored = r->ignored & ~unblockable;
	if (r->how & PROC_SIGSTATE_HANDLED) {
		p->sig_handled = r->handled & ~unblockable;
		p->sig_nodefer = r->nodefer & p->sig_handled;
	}
	if (r->how & PROC_SIGSTATE_BLOCKED)
		set_blocked(p, t, r->blocked & ~unblockable);
	if (r->how & PROC_SIGSTATE_FLAGS) {
		p->nocldstop = r->flags & PROC_SIGF_NOCLDSTOP;
		p->nocldwait = r->flags & PROC_SIGF_NOCLDWAIT;
	}
	/* Setting a signal to SIG_IGN discards it if pending (POSIX). */
	discard(p, p->sig_ignored);
	sig_poke(p);
	if (p->state != PROC_LIVE)
		return -FERRY_EINTR;
	if (!rep)
		return 0;
	rep->blocked = t->blocked; /* before sig_take blocks what it hands out */
	rep->ignored = p->sig_ignored;
	int s = sig_take(p, t, &rep->info);
	rep->deliver = s ? SIGBIT(s) : 0;
	rep->pending = sig_pending_for(p, t);
	return 0;
}

/*
 * PROC_KILL from thread `self` of p: kill, tgkill (target_tid) or
 * sigqueue (PROC_KILL_QUEUE); the reply (rep, NULL for a one-way message)
 * hands self a signal.
 */
int
sig_kill_req(struct proc *p, struct sigthr *self, const struct proc_kill_req *r,
             struct proc_sig_rep *rep)
{
	bool queue = r->flags & PROC_KILL_QUEUE;
	int rc;
	if (r->flags & ~PROC_KILL_QUEUE || r->sig < 0 || r->sig >= PROC_NSIG || r->target_tid < 0) {
		rc = -FERRY_EINVAL;
	} else if (r->target_tid) {
		/* A thread of the caller's own process (thread ids are per process). */
		struct proc_siginfo si = {.code = queue ? r->code : SI_USER,
		                          .pid = p->pid,
		                          .uid = p->uid,
		                          .value = queue ? r->value : 0};
		if (r->pid != p->pid)
			rc = -FERRY_ESRCH;
		else
			rc = r->sig ? sig_send_info(p, p, r->sig, false, &si, r->target_tid, queue)
			            : 0;
	} else if (queue) {
		struct proc *to = r->pid > 0 ? proc_by_pid(r->pid) : NULL;
		struct proc_siginfo si = {
		        .code = r->code, .pid = p->pid, .uid = p->uid, .value = r->value};
		if (!to || to->state == PROC_FREE)
			rc = -FERRY_ESRCH;
		else if (r->code >= 0 && to != p)
			rc = -FERRY_EPERM; /* only the kernel's codes are >= 0 (as Linux) */
		else
			rc = sig_send_info(p, to, r->sig, true, &si, 0, true);
	} else {
		rc = sig_kill(p, r->pid, r->sig);
	}
	if (p->state == PROC_LIVE && rep) {
		int s = sig_take(p, self, &rep->info);
		rep->deliver = s ? SIGBIT(s) : 0;
		rep->pending = sig_pending_for(p, self);
	}
	return rc;
}
