/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <sys/time.h>
#include "pm.h"

/*
 * setitimer(which, new, old): ITIMER_REAL is procmgr's per-process timer
 * (PROC_TIMER_SET, PROC_TIMER_REAL; SIGALRM).  alarm() comes here through
 * musl.  ITIMER_VIRTUAL and ITIMER_PROF need CPU time accounting: EINVAL.
 */
long
__ferry_sys_setitimer(long which, long nv, long ov, long d, long e, long f)
{
	const struct itimerval *n = (const struct itimerval *)nv;
	struct itimerval *o = (struct itimerval *)ov;
	struct proc_timer_req req = {PROC_TIMER_REAL, 0, 0, 0};
	struct proc_timer_rep rep;
	long rc;

	(void)d, (void)e, (void)f;
	if (which != ITIMER_REAL)
		return -EINVAL;
	if (n) {
		if (n->it_value.tv_sec < 0 || n->it_value.tv_usec < 0 ||
		    n->it_value.tv_usec >= 1000000 || n->it_interval.tv_sec < 0 ||
		    n->it_interval.tv_usec < 0 || n->it_interval.tv_usec >= 1000000)
			return -EINVAL;
		req.value_ns = (uint64_t)n->it_value.tv_sec * 1000000000u +
		               (uint64_t)n->it_value.tv_usec * 1000u;
		req.interval_ns = (uint64_t)n->it_interval.tv_sec * 1000000000u +
		                  (uint64_t)n->it_interval.tv_usec * 1000u;
		rc = __ferry_pm(PROC_TIMER_SET, &req, sizeof req, &rep, sizeof rep, 0, 0);
	} else {
		rc = __ferry_pm(PROC_TIMER_GET, &req, sizeof req, &rep, sizeof rep, 0, 0);
	}
	if (rc < 0)
		return rc;
	if (o) {
		/* Round up, so a running timer never reads as disarmed. */
		uint64_t us = (rep.value_ns + 999) / 1000;
		o->it_value.tv_sec = (time_t)(us / 1000000);
		o->it_value.tv_usec = (suseconds_t)(us % 1000000);
		o->it_interval.tv_sec = (time_t)(rep.interval_ns / 1000000000u);
		o->it_interval.tv_usec = (suseconds_t)(rep.interval_ns % 1000000000u / 1000);
	}
	return 0;
}
