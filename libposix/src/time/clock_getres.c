/* SPDX-License-Identifier: MIT */
#include <time.h>
#include "libposix.h"

/* clock_getres(clk, res): the kernel clocks count nanoseconds. */
long
__ferry_sys_clock_getres(long clk, long resp, long c, long d, long e, long f)
{
	struct timespec *res = (struct timespec *)resp;
	long fc = __ferry_clock(clk);

	(void)c, (void)d, (void)e, (void)f;
	if (fc < 0)
		return fc;
	if (res) {
		res->tv_sec = 0;
		res->tv_nsec = 1;
	}
	return 0;
}
