/* SPDX-License-Identifier: MIT */
#include "pm.h"

/* getpid(): procmgr's pid for us, cached; 1 for a program started without procmgr. */
long
__ferry_sys_getpid(long a, long b, long c, long d, long e, long f)
{
	struct proc_ids_rep r;

	(void)a, (void)b, (void)c, (void)d, (void)e, (void)f;
	if (__ferry_pid)
		return __ferry_pid;
	if (__ferry_pm_ids(&r) < 0)
		return 1;
	return r.pid;
}
