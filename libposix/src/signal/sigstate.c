/* SPDX-License-Identifier: MIT */
/*
 * The signal state libposix keeps (dispositions for the process, a mask
 * per thread) and its mirror in procmgr, which decides delivery: a signal
 * it hands back ("deliver", with its siginfo) runs here, in the thread
 * that asked, on the way out of the system call that learned of it
 * (docs/procmgr.md "Signals").  Every request names the calling thread.
 *
 * procmgr's copy of a thread's mask can differ from ours for a while: a
 * handler runs with its signal (and sa_mask) added, and procmgr blocks a
 * signal itself when it hands it out (unless SA_NODEFER).
 * __ferry_sigmask_pm is what procmgr has; whenever ours blocks something
 * procmgr's does not, or a handler returns and ours unblocks what
 * procmgr's still blocks, one PROC_SIGSTATE sets it right, and delivers
 * what became pending meanwhile (a signal raised inside its own handler
 * runs right after it returns; queued signals one after the other).
 */
#include <signal.h>
#include <string.h>
#include "pthread_impl.h"
#include "pm.h"

#define UNBLOCKABLE ((1ull << (SIGKILL - 1)) | (1ull << (SIGSTOP - 1)))

LP_HIDDEN struct ferry_sigaction __ferry_sigact[FERRY_NSIG];
LP_HIDDEN __thread uint64_t __ferry_sigmask;
LP_HIDDEN __thread uint64_t __ferry_sigmask_pm;
LP_HIDDEN __thread int __ferry_sig_known;
LP_HIDDEN __thread int __ferry_sig_norestart;
LP_HIDDEN __thread unsigned __ferry_sig_count;

int32_t
__ferry_sig_tid(void)
{
	return __pthread_self()->tid;
}

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
	req.tid = __ferry_sig_tid();
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
	memset(&rep, 0, sizeof rep);
	rc = __ferry_pm(PROC_SIGSTATE, &req, sizeof req, &rep, sizeof rep, 0, 0);
	if (rc < 0)
		return rc;
	__ferry_sigmask_pm = req.blocked;
	__ferry_sig_known = 1;
	if (pending)
		*pending = rep.pending;
	if (rep.deliver) {
		__ferry_sig_run(rep.deliver, &rep.info);
		__ferry_sig_settle(rep.pending);
	}
	return 0;
}

void
__ferry_sig_settle(uint64_t pending)
{
	uint64_t m = __ferry_sigmask & ~UNBLOCKABLE;

	if (m != __ferry_sigmask_pm || (pending & ~m))
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

void
__ferry_sig_run(uint64_t deliver, const struct proc_siginfo *info)
{
	int s = info->sig;
	struct ferry_sigaction *a;
	void (*h)(int);
	unsigned long flags;
	uint64_t saved = __ferry_sigmask;
	siginfo_t si;

	if (s < 1 || s >= FERRY_NSIG || deliver != 1ull << (s - 1))
		return; /* procmgr hands out one signal at a time */
	a = &__ferry_sigact[s];
	h = a->handler;
	flags = a->flags;
	/* procmgr blocked it as it handed it out (sig_take). */
	if (!(nodefer_set() & deliver))
		__ferry_sigmask_pm |= deliver;
	if (h == SIG_DFL || h == SIG_IGN)
		return;
	__ferry_sig_count++;
	if (!(flags & SA_RESTART))
		__ferry_sig_norestart = 1;
	__ferry_sigmask |= a->mask;
	if (!(flags & SA_NODEFER))
		__ferry_sigmask |= deliver;
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
	si.si_code = info->code;
	si.si_pid = info->pid;
	si.si_uid = info->uid;
	si.si_value.sival_ptr = (void *)(uintptr_t)info->value;
	struct call c = {h, flags, &si, s};
	if ((flags & SA_ONSTACK) && !(__ferry_altstack.ss_flags & SS_DISABLE) &&
	    !__ferry_on_altstack())
		__ferry_call_on_stack((char *)__ferry_altstack.ss_sp + __ferry_altstack.ss_size,
		                      call_handler, &c);
	else
		call_handler(&c);
	__ferry_sigmask = saved;
}
