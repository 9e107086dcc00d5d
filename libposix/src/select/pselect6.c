/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <signal.h>
#include <sys/select.h>
#include <time.h>
#include "libposix.h"
#include "pm.h"

/* pselect6(n, r, w, x, timespec, {sigmask, size}): select with the mask replaced for the wait. */
long
__ferry_sys_pselect6(long n, long r, long w, long x, long tmo, long data)
{
	const struct timespec *ts = (const struct timespec *)tmo;
	const unsigned long *d = (const unsigned long *)data; /* {const sigset_t *, size_t} */
	unsigned long old[2];
	unsigned handlers = __ferry_sig_count; /* a handler run by the mask change counts */
	long rc, mask = d ? (long)d[0] : 0, size = d ? (long)d[1] : 0;

	if (ts && (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000))
		return -EINVAL;
	if (mask && (rc = __ferry_sys_rt_sigprocmask(SIG_SETMASK, mask, (long)old, size, 0, 0)) < 0)
		return rc;
	rc = __ferry_select(n, (void *)r, (void *)w, (void *)x,
	                    ts ? (long long)ts->tv_sec * 1000000000 + ts->tv_nsec : -1, handlers);
	if (mask)
		(void)__ferry_sys_rt_sigprocmask(SIG_SETMASK, (long)old, 0, size, 0, 0);
	return rc;
}
