// SPDX-License-Identifier: MIT
/*
 * Signals as procmgr decides them: permission checks, kill to a process,
 * a group or everyone, default actions, pending sets and their delivery.
 *
 * A signal whose disposition is a handler becomes pending; procmgr hands
 * pending, unblocked, handled signals to the process in the reply of its
 * next PROC_KILL, PROC_SIGSTATE or PROC_SIGWAIT ("deliver" mask), and
 * libposix runs the handlers right there.  That covers raise, kill to
 * oneself, unblocking with sigprocmask, sigsuspend, pause and sigwait.
 * Interrupting a process blocked elsewhere needs the kernel's
 * task_interrupt (docs/procmgr.md "Signals").
 *
 * Job control: a stop signal with the default action suspends every
 * thread of the task (task_suspend) and SIGCONT resumes them; the parent
 * hears of both through SIGCHLD (unless it asked for SA_NOCLDSTOP) and
 * wait's WUNTRACED/WCONTINUED.  While stopped, only SIGKILL acts; other
 * signals stay pending until SIGCONT.
 * Entry points: sig_send, sig_kill, sig_take, sig_wake_sigwait, sig_stop, sig_continue,
 * sig_flush_interrupts.
 */
#include "procmgr.h"

static const uint64_t default_ignore =
        SIGBIT(SIGCHLD) | SIGBIT(SIGURG) | SIGBIT(SIGWINCH) | SIGBIT(SIGCONT);
static const uint64_t stop_sigs =
        SIGBIT(SIGSTOP) | SIGBIT(SIGTSTP) | SIGBIT(SIGTTIN) | SIGBIT(SIGTTOU);

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

/*
 * Signals pending, not blocked and handled: taken off the pending set for
 * delivery, and blocked (unless SA_NODEFER) as libposix blocks them while
 * their handlers run; its PROC_SIGSTATE after the handlers unblocks them.
 */
uint64_t
sig_take(struct proc *p)
{
	uint64_t d = p->sig_pending & ~p->sig_blocked & p->sig_handled;
	p->sig_pending &= ~d;
	p->sig_blocked |= d & ~p->sig_nodefer;
	return d;
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

/*
 * Applies default actions of pending, unblocked signals that have no
 * handler: terminates p (true), stops it, or drops ignored ones.  A
 * stopped process keeps its signals pending until it continues.
 */
bool
sig_defaults(struct proc *p)
{
	if (p->stopped)
		return false;
	uint64_t ready = p->sig_pending & ~p->sig_blocked & ~p->sig_handled;
	for (int s = 1; s < PROC_NSIG && ready; s++) {
		uint64_t b = SIGBIT(s);
		if (!(ready & b))
			continue;
		ready &= ~b;
		if ((p->sig_ignored & b) || (default_ignore & b)) {
			p->sig_pending &= ~b;
			continue;
		}
		if (stop_sigs & b) {
			p->sig_pending &= ~b;
			sig_stop(p, s);
			continue;
		}
		proc_terminate(p, s);
		return true;
	}
	return false;
}

void
sig_wake_sigwait(struct proc *p)
{
	if (!p->sigwait_token)
		return;
	bool suspend = p->sigwait_flags & PROC_SIGWAIT_SUSPEND;
	uint64_t m = p->sig_pending & p->sigwait_mask & (suspend ? p->sig_handled : ~0ull);
	if (!m)
		return;
	struct proc_sigwait_rep rep = {0};
	rep.sig = __builtin_ctzll(m) + 1;
	if (suspend) {
		/* Handlers run under the temporary mask, then the saved one returns. */
		rep.deliver = sig_take(p);
		p->sig_blocked = p->sigwait_saved | (rep.deliver & ~p->sig_nodefer);
	} else {
		p->sig_pending &= ~SIGBIT(rep.sig);
	}
	srv_reply(p->sigwait_token, 0, &rep, sizeof(rep), NULL, 0);
	p->sigwait_token = 0;
}

static bool intr_wanted; /* some process has want_intr set */

/*
 * Lets to's pending signals act: default actions, a waiting sigwait, or,
 * when a handled, unblocked one is pending, an interrupt so that its
 * upcall fetches the signal now rather than at its next call to us.  The
 * interrupt is sent by sig_flush_interrupts after the current request's
 * reply: a process whose own call we are serving gets its signals in that
 * reply, and interrupting it now would break the call instead.
 */
static void
sig_poke(struct proc *to)
{
	if (to->state != PROC_LIVE || to->stopped || sig_defaults(to))
		return;
	sig_wake_sigwait(to);
	if (to->sig_pending & to->sig_handled & ~to->sig_blocked) {
		to->want_intr = true;
		intr_wanted = true;
	}
}

/*
 * Interrupts the processes that still have a handled, unblocked signal
 * pending (a process busy elsewhere: blocked in another server, sleeping,
 * or computing).  main.c calls it after each request's reply.
 */
void
sig_flush_interrupts(void)
{
	if (!intr_wanted)
		return;
	intr_wanted = false;
	for (int i = 0; i < NPROC; i++) {
		struct proc *p = &proctab[i];
		if (!p->want_intr)
			continue;
		p->want_intr = false;
		if (p->state == PROC_LIVE && !p->stopped && p->task && !p->sigwait_token &&
		    (p->sig_pending & p->sig_handled & ~p->sig_blocked))
			(void)ferry_sys_task_interrupt(p->task, 1, 0);
	}
}

/*
 * Sends sig (1..64, or 0 to probe) from `from` (NULL: procmgr or the
 * control port) to `to`.  -FERRY_EPERM without permission.
 */
int
sig_send(struct proc *from, struct proc *to, int sig, bool check_perm)
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
	/* A stop discards a pending SIGCONT and SIGCONT discards pending stops
	 * (POSIX); SIGCONT continues even when it is ignored or blocked. */
	if (sig == SIGCONT) {
		to->sig_pending &= ~stop_sigs;
		if (to->state == PROC_LIVE && to->stopped) {
			sig_continue(to);
			if (!(to->sig_ignored & b))
				to->sig_pending |= b;
			sig_poke(to);
			return 0;
		}
	} else if (stop_sigs & b) {
		to->sig_pending &= ~SIGBIT(SIGCONT);
	}
	if ((to->sig_ignored & b) && !(to->sigwait_token && (to->sigwait_mask & b)))
		return 0;
	to->sig_pending |= b;
	sig_poke(to);
	return 0;
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
