/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <sys/time.h>
#include "pm.h"

static int
bad_tv(const struct timeval *tv)
{
	return tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= 1000000;
}

static uint64_t
tv_ns(const struct timeval *tv)
{
	if ((uint64_t)tv->tv_sec > (UINT64_MAX - 999999999u) / 1000000000u)
		return UINT64_MAX; /* far enough: 584 years */
	return (uint64_t)tv->tv_sec * 1000000000u + (uint64_t)tv->tv_usec * 1000u;
}

static struct timeval
ns_tv(uint64_t ns)
{
	/* Round up, so a running timer never reads as disarmed. */
	uint64_t us = ns / 1000 + (ns % 1000 != 0);
	struct timeval tv = {(time_t)(us / 1000000), (suseconds_t)(us % 1000000)};
	return tv;
}

/*
 * setitimer(which, new, old): procmgr's interval timers of the process
 * (PROC_TIMER_SET): ITIMER_REAL (SIGALRM after real time), ITIMER_VIRTUAL
 * (SIGVTALRM after user CPU time), ITIMER_PROF (SIGPROF after user +
 * system CPU time).  alarm() comes here through musl.  Without new, the
 * setting is only read (getitimer).
 */
long
__ferry_sys_setitimer(long which, long nv, long ov, long d, long e, long f)
{
	const struct itimerval *n = (const struct itimerval *)nv;
	struct itimerval *o = (struct itimerval *)ov;
	struct proc_timer_req req = {0};
	struct proc_timer_rep rep;
	long rc;

	(void)d, (void)e, (void)f;
	switch (which) {
	case ITIMER_REAL:
		req.id = PROC_TIMER_REAL;
		break;
	case ITIMER_VIRTUAL:
		req.id = PROC_TIMER_VIRTUAL;
		break;
	case ITIMER_PROF:
		req.id = PROC_TIMER_PROF;
		break;
	default:
		return -EINVAL;
	}
	if (n) {
		if (bad_tv(&n->it_value) || bad_tv(&n->it_interval))
			return -EINVAL;
		req.value_ns = tv_ns(&n->it_value);
		req.interval_ns = tv_ns(&n->it_interval);
		rc = __ferry_pm(PROC_TIMER_SET, &req, sizeof req, &rep, sizeof rep, 0, 0);
	} else {
		rc = __ferry_pm(PROC_TIMER_GET, &req, sizeof req, &rep, sizeof rep, 0, 0);
	}
	if (rc < 0)
		return rc;
	if (o) {
		o->it_value = ns_tv(rep.value_ns);
		o->it_interval = ns_tv(rep.interval_ns);
	}
	return 0;
}
