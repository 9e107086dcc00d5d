/* SPDX-License-Identifier: MIT */
#include "pm.h"

/* getppid(): asked every time (reparenting changes it); 0 without procmgr. */
long
__ferry_sys_getppid(long a, long b, long c, long d, long e, long f)
{
	struct proc_ids_rep r;

	(void)a, (void)b, (void)c, (void)d, (void)e, (void)f;
	if (__ferry_pm_ids(&r) < 0)
		return 0;
	return r.ppid;
}
