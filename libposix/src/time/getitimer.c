/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <sys/time.h>
#include "pm.h"

/* getitimer(which, cur): setitimer without a new value. */
long
__ferry_sys_getitimer(long which, long cur, long c, long d, long e, long f)
{
	(void)c, (void)d, (void)e, (void)f;
	if (!cur)
		return -EFAULT;
	return __ferry_sys_setitimer(which, 0, cur, 0, 0, 0);
}
