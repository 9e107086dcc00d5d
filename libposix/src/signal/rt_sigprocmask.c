/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <signal.h>
#include "pm.h"

/* rt_sigprocmask(how, set, old, setsize): unblocking runs what was pending. */
long
__ferry_sys_rt_sigprocmask(long how, long set, long old, long size, long e, long f)
{
	const uint64_t unblockable = (1ull << (SIGKILL - 1)) | (1ull << (SIGSTOP - 1));
	uint64_t m, prev = __ferry_sigmask; /* this thread's */

	(void)e, (void)f;
	if (size != 8)
		return -EINVAL;
	__ferry_sig_adopt();
	prev = __ferry_sigmask;
	if (set) {
		m = *(const uint64_t *)set;
		switch (how) {
		case SIG_BLOCK:
			__ferry_sigmask |= m;
			break;
		case SIG_UNBLOCK:
			__ferry_sigmask &= ~m;
			break;
		case SIG_SETMASK:
			__ferry_sigmask = m;
			break;
		default:
			return -EINVAL;
		}
		__ferry_sigmask &= ~unblockable;
	}
	if (old)
		*(uint64_t *)old = prev;
	/* procmgr applies default actions and holds pending signals, so it
	 * must know what this blocks or unblocks, but for the handled signals
	 * that a single thread may block without telling it (sigstate.c). */
	if (set && __ferry_sig_must_tell(__ferry_sigmask))
		(void)__ferry_sig_sync(0, 0);
	return 0;
}
