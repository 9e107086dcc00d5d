/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <time.h>
#include "pm.h"

/* timer_gettime(id, cur): PROC_TIMER_GET. */
long
__ferry_sys_timer_gettime(long id, long cur, long c, long d, long e, long f)
{
	struct itimerspec *o = (struct itimerspec *)cur;
	struct proc_timer_req req = {(int32_t)id, 0, 0, 0};
	struct proc_timer_rep rep;
	long rc;

	(void)c, (void)d, (void)e, (void)f;
	if (id < 0 || id >= PROC_TIMERS_MAX)
		return -EINVAL;
	rc = __ferry_pm(PROC_TIMER_GET, &req, sizeof req, &rep, sizeof rep, 0, 0);
	if (rc < 0)
		return rc;
	o->it_value.tv_sec = (time_t)(rep.value_ns / 1000000000u);
	o->it_value.tv_nsec = (long)(rep.value_ns % 1000000000u);
	o->it_interval.tv_sec = (time_t)(rep.interval_ns / 1000000000u);
	o->it_interval.tv_nsec = (long)(rep.interval_ns % 1000000000u);
	return 0;
}
