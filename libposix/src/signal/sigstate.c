/* SPDX-License-Identifier: MIT */
/*
 * The signal state libposix keeps (dispositions and the mask of the one
 * thread) and its mirror in procmgr, which decides delivery: signals it
 * hands back ("deliver") run here, on the way out of the system call
 * that learned of them (docs/procmgr.md "Signals").
 *
 * procmgr's copy of the mask can differ from ours for a while: a handler
 * runs with its signal (and sa_mask) added, and procmgr blocks a signal
 * itself when it hands it out (unless SA_NODEFER).  __ferry_sigmask_pm is
 * what procmgr has; whenever ours blocks something procmgr's does not, or
 * a handler returns and ours unblocks what procmgr's still blocks, one
 * PROC_SIGSTATE sets it right, and delivers what became pending meanwhile
 * (a signal raised inside its own handler runs right after it returns).
 */
#include <signal.h>
#include <string.h>
#include "pm.h"

#define UNBLOCKABLE ((1ull << (SIGKILL - 1)) | (1ull << (SIGSTOP - 1)))

LP_HIDDEN struct ferry_sigaction __ferry_sigact[FERRY_NSIG];
LP_HIDDEN uint64_t __ferry_sigmask;
LP_HIDDEN uint64_t __ferry_sigmask_pm;
LP_HIDDEN __thread int __ferry_sig_norestart;
LP_HIDDEN __thread unsigned __ferry_sig_count;

/* Signals whose handler has SA_NODEFER (procmgr does not block them on delivery). */
static uint64_t
nodefer_set(void)
{
	uint64_t m = 0;
	int s;

	for (s = 1; s < FERRY_NSIG; s++)
		if (__ferry_sigact[s].handler != SIG_DFL && __ferry_sigact[s].handler != SIG_IGN &&
		    (__ferry_sigact[s].flags & SA_NODEFER))
			m |= 1ull << (s - 1);
	return m;
}

long
__ferry_sig_sync(uint32_t how, uint64_t *pending)
{
	struct proc_sigstate_req req;
	struct proc_sig_rep rep;
	long rc;
	int s;

	memset(&req, 0, sizeof req);
	req.how = how | PROC_SIGSTATE_BLOCKED; /* procmgr's mask is always made ours */
	for (s = 1; s < FERRY_NSIG; s++) {
		if (__ferry_sigact[s].handler == SIG_IGN)
			req.ignored |= 1ull << (s - 1);
		else if (__ferry_sigact[s].handler != SIG_DFL)
			req.handled |= 1ull << (s - 1);
	}
	req.blocked = __ferry_sigmask & ~UNBLOCKABLE;
	if (how & PROC_SIGSTATE_HANDLED) {
		req.how |= PROC_SIGSTATE_FLAGS;
		req.nodefer = nodefer_set();
		if (__ferry_sigact[SIGCHLD].flags & SA_NOCLDSTOP)
			req.flags |= PROC_SIGF_NOCLDSTOP;
	}
	rc = __ferry_pm(PROC_SIGSTATE, &req, sizeof req, &rep, sizeof rep, 0, 0);
	if (rc < 0)
		return rc;
	__ferry_sigmask_pm = req.blocked;
	if (pending)
		*pending = rep.pending;
	if (rep.deliver) {
		__ferry_sig_run(rep.deliver);
		__ferry_sig_settle();
	}
	return 0;
}

void
__ferry_sig_settle(void)
{
	if ((__ferry_sigmask & ~UNBLOCKABLE) != __ferry_sigmask_pm)
		(void)__ferry_sig_sync(0, 0);
}

/* One handler call, as __ferry_call_on_stack passes it. */
struct call {
	void (*h)(int);
	unsigned long flags;
	siginfo_t *si;
	int sig;
};

static void
call_handler(void *arg)
{
	struct call *c = arg;

	if (c->flags & SA_SIGINFO)
		((void (*)(int, siginfo_t *, void *))c->h)(c->sig, c->si, 0);
	else
		c->h(c->sig);
}

static void
run_one(int s)
{
	struct ferry_sigaction *a = &__ferry_sigact[s];
	void (*h)(int) = a->handler;
	unsigned long flags = a->flags;
	uint64_t saved = __ferry_sigmask;
	siginfo_t si;

	if (h == SIG_DFL || h == SIG_IGN)
		return;
	__ferry_sig_count++;
	if (!(flags & SA_RESTART))
		__ferry_sig_norestart = 1;
	__ferry_sigmask |= a->mask;
	if (!(flags & SA_NODEFER))
		__ferry_sigmask |= 1ull << (s - 1);
	__ferry_sigmask &= ~UNBLOCKABLE;
	if (flags & SA_RESETHAND) {
		a->handler = SIG_DFL;
		a->flags &= ~SA_SIGINFO;
		(void)__ferry_sig_sync(PROC_SIGSTATE_HANDLED | PROC_SIGSTATE_IGNORED, 0);
	} else if (__ferry_sigmask & ~__ferry_sigmask_pm) {
		/* sa_mask blocks more than procmgr knows: tell it first, so that
		 * it does not hand us those signals inside the handler. */
		(void)__ferry_sig_sync(0, 0);
	}
	memset(&si, 0, sizeof si);
	si.si_signo = s;
	si.si_code = SI_USER;
	struct call c = {h, flags, &si, s};
	if ((flags & SA_ONSTACK) && !(__ferry_altstack.ss_flags & SS_DISABLE) &&
	    !__ferry_on_altstack())
		__ferry_call_on_stack((char *)__ferry_altstack.ss_sp + __ferry_altstack.ss_size,
		                      call_handler, &c);
	else
		call_handler(&c);
	__ferry_sigmask = saved;
}

void
__ferry_sig_run(uint64_t deliver)
{
	int s;

	/* procmgr blocked them as it handed them out (sig_take). */
	__ferry_sigmask_pm |= deliver & ~nodefer_set();
	for (s = 1; s < FERRY_NSIG; s++)
		if (deliver & (1ull << (s - 1)))
			run_one(s);
}
