/* SPDX-License-Identifier: MIT */
/*
 * The signal state libposix keeps (dispositions and the mask of the one
 * thread) and its mirror in procmgr, which decides delivery: signals it
 * hands back ("deliver") run here, on the way out of the system call
 * that learned of them (docs/procmgr.md "Signals").
 */
#include <signal.h>
#include <string.h>
#include "pm.h"

LP_HIDDEN struct ferry_sigaction __ferry_sigact[FERRY_NSIG];
LP_HIDDEN uint64_t __ferry_sigmask;
LP_HIDDEN __thread int __ferry_sig_norestart;

long
__ferry_sig_sync(uint32_t how, uint64_t *pending)
{
	struct proc_sigstate_req req;
	struct proc_sig_rep rep;
	long rc;
	int s;

	memset(&req, 0, sizeof req);
	req.how = how;
	for (s = 1; s < FERRY_NSIG; s++) {
		if (__ferry_sigact[s].handler == SIG_IGN)
			req.ignored |= 1ull << (s - 1);
		else if (__ferry_sigact[s].handler != SIG_DFL)
			req.handled |= 1ull << (s - 1);
	}
	req.blocked = __ferry_sigmask;
	if (how & PROC_SIGSTATE_HANDLED) {
		req.how |= PROC_SIGSTATE_FLAGS;
		if (__ferry_sigact[SIGCHLD].flags & SA_NOCLDSTOP)
			req.flags |= PROC_SIGF_NOCLDSTOP;
	}
	rc = __ferry_pm(PROC_SIGSTATE, &req, sizeof req, &rep, sizeof rep, 0, 0);
	if (rc < 0)
		return rc;
	if (pending)
		*pending = rep.pending;
	if (rep.deliver)
		__ferry_sig_run(rep.deliver);
	return 0;
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
	if (!(flags & SA_RESTART))
		__ferry_sig_norestart = 1;
	__ferry_sigmask |= a->mask;
	if (!(a->flags & SA_NODEFER))
		__ferry_sigmask |= 1ull << (s - 1);
	if (a->flags & SA_RESETHAND) {
		a->handler = SIG_DFL;
		a->flags &= ~SA_SIGINFO;
		(void)__ferry_sig_sync(PROC_SIGSTATE_HANDLED | PROC_SIGSTATE_IGNORED, 0);
	}
	if (flags & SA_SIGINFO) {
		memset(&si, 0, sizeof si);
		si.si_signo = s;
		si.si_code = SI_USER;
		((void (*)(int, siginfo_t *, void *))h)(s, &si, 0);
	} else {
		h(s);
	}
	__ferry_sigmask = saved;
}

void
__ferry_sig_run(uint64_t deliver)
{
	int s;

	for (s = 1; s < FERRY_NSIG; s++)
		if (deliver & (1ull << (s - 1)))
			run_one(s);
}
