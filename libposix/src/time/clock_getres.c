/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <time.h>
#include "libposix.h"

/*
 * clock_getres(clk, res): the kernel clocks count nanoseconds, and so do
 * the CPU-time clocks (the TSC at each switch).  A CPU clock of a process
 * that does not exist is ESRCH (Linux says EINVAL), so that musl's
 * clock_getcpuclockid, which asks here, answers ESRCH as POSIX wants.
 */
long
__ferry_sys_clock_getres(long clk, long resp, long c, long d, long e, long f)
{
	struct timespec *res = (struct timespec *)resp;
	struct ferry_cpuclock cc;
	uint64_t ns;
	long r;

	(void)c, (void)d, (void)e, (void)f;
	r = __ferry_cpuclock(clk, &cc);
	if (r == 0)
		r = __ferry_clock(clk);
	else if (r > 0)
		r = __ferry_cpuclock_read(&cc, &ns);
	if (r < 0)
		return r;
	if (res) {
		res->tv_sec = 0;
		res->tv_nsec = 1;
	}
	return 0;
}
