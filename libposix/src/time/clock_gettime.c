/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <time.h>
#include <ferry/syscall.h>
#include "libposix.h"

/*
 * clock_gettime(clk, ts); gettimeofday and time are musl's wrappers on it.
 * The kernel's clocks, or a CPU-time clock (a process's that is gone, or
 * a thread that is not ours: EINVAL, as Linux).
 */
long
__ferry_sys_clock_gettime(long clk, long tsp, long c, long d, long e, long f)
{
	struct timespec *ts = (struct timespec *)tsp;
	struct ferry_cpuclock cc;
	uint64_t ns;
	long fc, r;

	(void)c, (void)d, (void)e, (void)f;
	r = __ferry_cpuclock(clk, &cc);
	if (r < 0)
		return r;
	if (r) {
		r = __ferry_cpuclock_read(&cc, &ns);
		if (r < 0)
			return -EINVAL;
	} else {
		fc = __ferry_clock(clk);
		if (fc < 0)
			return fc;
		r = __ferry_status(ferry_sys_clock_get((uint32_t)fc, &ns));
		if (r < 0)
			return r;
	}
	ts->tv_sec = (time_t)(ns / 1000000000u);
	ts->tv_nsec = (long)(ns % 1000000000u);
	return 0;
}
