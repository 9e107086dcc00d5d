/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <time.h>
#include "libposix.h"

/*
 * clock_settime(clk, ts): no clock can be set.  As Linux: a clock that
 * does not exist or cannot be set (MONOTONIC and its kin) and a bad
 * timespec are EINVAL; the real-time clock and the CPU-time clocks are
 * EPERM (the kernel offers no way to set the first; Linux refuses the
 * others to everyone).
 */
long
__ferry_sys_clock_settime(long clk, long tsp, long c, long d, long e, long f)
{
	const struct timespec *ts = (const struct timespec *)tsp;
	struct ferry_cpuclock cc;
	uint64_t ns;
	long r;

	(void)c, (void)d, (void)e, (void)f;
	r = __ferry_cpuclock(clk, &cc);
	if (r < 0)
		return r;
	if (r > 0) {
		r = __ferry_cpuclock_read(&cc, &ns);
		return r < 0 ? -EINVAL : -EPERM;
	}
	if (clk != CLOCK_REALTIME)
		return -EINVAL;
	if (!ts)
		return -EFAULT;
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000)
		return -EINVAL;
	return -EPERM;
}
