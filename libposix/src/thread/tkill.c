/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <signal.h>
#include <ferry/syscall.h>
#include "libposix.h"

/*
 * Sends sig to thread tid of this process.  Signal 0 only checks that the
 * thread exists.  Delivery belongs to the signals code, which provides
 * __ferry_thread_signal; until it is linked in, real signals are ENOSYS.
 */
extern weak LP_HIDDEN long __ferry_thread_signal(long tid, long sig); /* musl: weak */

long
__ferry_tkill(long tid, long sig)
{
	long rc;

	if (sig < 0 || sig >= _NSIG)
		return -EINVAL;
	if (tid <= 0)
		return -EINVAL;
	rc = ferry_sys_thread_tid((uint32_t)tid);
	if (rc < 0 || rc != tid)
		return -ESRCH;
	if (sig == 0)
		return 0;
	if (__ferry_thread_signal)
		return __ferry_thread_signal(tid, sig);
	return -ENOSYS;
}

long
__ferry_sys_tkill(long tid, long sig, long c, long d, long e, long f)
{
	(void)c, (void)d, (void)e, (void)f;
	return __ferry_tkill(tid, sig);
}
