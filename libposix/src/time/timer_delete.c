/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include "pm.h"

/* timer_delete(id): PROC_TIMER_DELETE. */
long
__ferry_sys_timer_delete(long id, long b, long c, long d, long e, long f)
{
	struct proc_timer_req req = {(int32_t)id, 0, 0, 0};

	(void)b, (void)c, (void)d, (void)e, (void)f;
	if (id < 0 || id >= PROC_TIMERS_MAX)
		return -EINVAL;
	return __ferry_pm(PROC_TIMER_DELETE, &req, sizeof req, 0, 0, 0, 0);
}
