/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdint.h>
#include <time.h>
#include <ferry/syscall.h>
#include "libposix.h"
#include "pm.h"

#define NSEC 1000000000ull

static int
to_ns(const struct timespec *ts, uint64_t *ns)
{
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= (long)NSEC)
		return -EINVAL;
	if ((uint64_t)ts->tv_sec > (UINT64_MAX - (uint64_t)ts->tv_nsec) / NSEC)
		*ns = FERRY_TIME_INFINITE - 1; /* far enough: 584 years */
	else
		*ns = (uint64_t)ts->tv_sec * NSEC + (uint64_t)ts->tv_nsec;
	return 0;
}

/*
 * clock_nanosleep(clk, flags, req, rem) on the kernel's relative sleep.
 * An absolute deadline is turned into a relative one against the same
 * clock; a later change of the real-time clock does not shorten or
 * lengthen a sleep already begun (no settable clock exists yet).  When a
 * signal handler interrupts the sleep, rem (relative sleeps only) gets the
 * time left; a wake-up that ran no handler (a signal this thread blocks
 * without procmgr knowing yet, a stop and continue) sleeps on, as Linux
 * restarts it.
 */
long
__ferry_sys_clock_nanosleep(long clk, long flags, long reqp, long remp, long e, long f)
{
	const struct timespec *req = (const struct timespec *)reqp;
	struct timespec *rem = (struct timespec *)remp;
	uint64_t want, start, now, left;
	long fc = __ferry_clock(clk), r;

	(void)e, (void)f;
	if (fc < 0)
		return fc;
	if (flags & ~TIMER_ABSTIME)
		return -EINVAL;
	r = to_ns(req, &want);
	if (r < 0)
		return r;
	r = __ferry_status(ferry_sys_clock_get((uint32_t)fc, &start));
	if (r < 0)
		return r;
	if (flags & TIMER_ABSTIME)
		want = want > start ? want - start : 0;
	if (want == 0)
		return 0;
	unsigned handlers = __ferry_sig_count;
	for (left = want;;) {
		r = __ferry_status(ferry_sys_thread_sleep(left));
		if (r != -EINTR)
			return r < 0 ? r : 0;
		if (__ferry_status(ferry_sys_clock_get((uint32_t)fc, &now)) < 0)
			now = start;
		left = now - start < want ? want - (now - start) : 0;
		if (__ferry_sig_count != handlers)
			break;
		if (left == 0)
			return 0;
	}
	if (rem && !(flags & TIMER_ABSTIME)) {
		rem->tv_sec = (time_t)(left / NSEC);
		rem->tv_nsec = (long)(left % NSEC);
	}
	return -EINTR;
}
