/* SPDX-License-Identifier: MIT */
#include "libposix.h"

/* The file mode creation mask, applied by libposix before a request leaves. */
LP_HIDDEN unsigned __ferry_umask = 022;

/* umask(mask): returns the previous mask. */
long
__ferry_sys_umask(long mask, long b, long c, long d, long e, long f)
{
	unsigned old = __ferry_umask;

	(void)b, (void)c, (void)d, (void)e, (void)f;
	__ferry_umask = (unsigned)mask & 0777;
	return old;
}
