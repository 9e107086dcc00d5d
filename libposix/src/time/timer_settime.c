/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <time.h>
#include <ferry/syscall.h>
#include "pm.h"

extern LP_HIDDEN clockid_t __ferry_timer_clock[PROC_TIMERS_MAX];

static uint64_t
ts_ns(const struct timespec *t)
{
	if ((uint64_t)t->tv_sec > (UINT64_MAX - 999999999u) / 1000000000u)
		return UINT64_MAX; /* far enough: 584 years */
	return (uint64_t)t->tv_sec * 1000000000u + (uint64_t)t->tv_nsec;
}

/*
 * timer_settime(id, flags, new, old): PROC_TIMER_SET with times relative
 * to now (TIMER_ABSTIME is converted here against the timer's clock, the
 * real-time, monotonic or a CPU-time one; a time already past expires at
 * once).
 */
long
__ferry_sys_timer_settime(long id, long flags, long nv, long ov, long e, long f)
{
	const struct itimerspec *n = (const struct itimerspec *)nv;
	struct itimerspec *o = (struct itimerspec *)ov;
	struct proc_timer_req req = {(int32_t)id, 0, 0, 0};
	struct proc_timer_rep rep;
	uint64_t now = 0;
	long rc;

	(void)e, (void)f;
	if (id < 0 || id >= PROC_TIMERS_MAX || !n)
		return -EINVAL;
	if (n->it_value.tv_sec < 0 || n->it_value.tv_nsec < 0 ||
	    n->it_value.tv_nsec >= 1000000000 || n->it_interval.tv_sec < 0 ||
	    n->it_interval.tv_nsec < 0 || n->it_interval.tv_nsec >= 1000000000)
		return -EINVAL;
	req.value_ns = ts_ns(&n->it_value);
	req.interval_ns = ts_ns(&n->it_interval);
	if ((flags & TIMER_ABSTIME) && req.value_ns) {
		clockid_t clk = __ferry_timer_clock[id];
		struct ferry_cpuclock cc;
		if (__ferry_cpuclock(clk, &cc) > 0)
			rc = __ferry_cpuclock_read(&cc, &now);
		else
			rc = ferry_sys_clock_get(clk == CLOCK_REALTIME ? FERRY_CLOCK_REALTIME
			                                               : FERRY_CLOCK_MONOTONIC,
			                         &now);
		if (rc < 0)
			return -EINVAL;
		req.value_ns = req.value_ns > now ? req.value_ns - now : 1;
	}
	rc = __ferry_pm(PROC_TIMER_SET, &req, sizeof req, &rep, sizeof rep, 0, 0);
	if (rc < 0)
		return rc;
	if (o) {
		o->it_value.tv_sec = (time_t)(rep.value_ns / 1000000000u);
		o->it_value.tv_nsec = (long)(rep.value_ns % 1000000000u);
		o->it_interval.tv_sec = (time_t)(rep.interval_ns / 1000000000u);
		o->it_interval.tv_nsec = (long)(rep.interval_ns % 1000000000u);
	}
	return 0;
}
