/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <time.h>
#include "libposix.h"
#include "pm.h"

/*
 * ppoll(fds, n, timeout, sigmask, size): poll with a timespec and the
 * signal mask replaced for the wait (set and restored around it: a
 * signal arriving in between is taken before or after the wait).
 */
long
__ferry_sys_ppoll(long fds, long n, long tmo, long mask, long size, long f)
{
	const struct timespec *ts = (const struct timespec *)tmo;
	unsigned long old[2];
	unsigned handlers = __ferry_sig_count; /* a handler run by the mask change counts */
	long rc;

	(void)f;
	if (ts && (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000))
		return -EINVAL;
	if (mask && (rc = __ferry_sys_rt_sigprocmask(SIG_SETMASK, mask, (long)old, size, 0, 0)) < 0)
		return rc;
	rc = __ferry_poll((struct pollfd *)fds, (unsigned long)n,
	                  ts ? (long long)ts->tv_sec * 1000000000 + ts->tv_nsec : -1, handlers);
	if (mask)
		(void)__ferry_sys_rt_sigprocmask(SIG_SETMASK, (long)old, 0, size, 0, 0);
	return rc;
}
