/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include "pm.h"

/* timer_getoverrun(id): the overrun count PROC_TIMER_GET reports. */
long
__ferry_sys_timer_getoverrun(long id, long b, long c, long d, long e, long f)
{
	struct proc_timer_req req = {(int32_t)id, 0, 0, 0};
	struct proc_timer_rep rep;
	long rc;

	(void)b, (void)c, (void)d, (void)e, (void)f;
	if (id < 0 || id >= PROC_TIMERS_MAX)
		return -EINVAL;
	rc = __ferry_pm(PROC_TIMER_GET, &req, sizeof req, &rep, sizeof rep, 0, 0);
	return rc < 0 ? rc : (long)rep.overrun;
}
