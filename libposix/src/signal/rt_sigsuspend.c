/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <ferry/syscall.h>
#include "pm.h"

/*
 * rt_sigsuspend(mask, setsize): procmgr holds the call (PROC_SIGWAIT with
 * the temporary mask) until a handled signal arrives; its handler runs
 * here under that mask, then the old mask returns.  Always -EINTR.
 */
long
__ferry_sys_rt_sigsuspend(long set, long size, long c, long d, long e, long f)
{
	struct proc_sigwait_req req = {0, FERRY_TIME_INFINITE, PROC_SIGWAIT_SUSPEND,
	                               __ferry_sig_tid()};
	struct proc_sigwait_rep rep;
	uint64_t saved;
	long rc;

	(void)c, (void)d, (void)e, (void)f;
	if (size != 8)
		return -EINVAL;
	__ferry_sig_adopt();
	saved = __ferry_sigmask;
	req.mask = *(const uint64_t *)set;
	if (!__ferry_sig_known)
		(void)__ferry_sig_sync(0, 0); /* procmgr restores this thread's mask after */
	rc = __ferry_sig_call(PROC_SIGWAIT, &req, sizeof req, &rep, sizeof rep);
	if (rc < 0)
		return rc;
	/* procmgr went back to its mask from before the call, plus what it
	 * delivers (__ferry_sig_run adds those).  The handler runs under the
	 * temporary mask; then the saved one returns, and procmgr hears of it
	 * at once: what that unblocks comes now, after the handler. */
	__ferry_sigmask = req.mask;
	__ferry_sig_run(rep.deliver, &rep.info);
	__ferry_sigmask = saved;
	(void)__ferry_sig_sync(0, 0);
	return -EINTR;
}

/* pause(): sigsuspend with the current mask. */
long
__ferry_sys_pause(long a, long b, long c, long d, long e, long f)
{
	uint64_t m;

	(void)a, (void)b, (void)c, (void)d, (void)e, (void)f;
	__ferry_sig_adopt();
	m = __ferry_sigmask;
	return __ferry_sys_rt_sigsuspend((long)&m, 8, 0, 0, 0, 0);
}
