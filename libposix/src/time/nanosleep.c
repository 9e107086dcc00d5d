/* SPDX-License-Identifier: MIT */
#include <time.h>
#include "libposix.h"

/* nanosleep(req, rem): a relative clock_nanosleep on CLOCK_MONOTONIC. */
long
__ferry_sys_nanosleep(long req, long rem, long c, long d, long e, long f)
{
	(void)c, (void)d, (void)e, (void)f;
	return __ferry_sys_clock_nanosleep(CLOCK_MONOTONIC, 0, req, rem, 0, 0);
}
