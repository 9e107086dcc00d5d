/* SPDX-License-Identifier: MIT */
#include "libposix.h"

/* gettid(): the calling thread's id (the kernel's, see thread.c). */
long
__ferry_sys_gettid(long a, long b, long c, long d, long e, long f)
{
	(void)a, (void)b, (void)c, (void)d, (void)e, (void)f;
	return __ferry_tid();
}
