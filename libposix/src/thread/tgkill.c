/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include "libposix.h"

/*
 * tgkill(tgid, tid, sig): tkill within process tgid.  Thread ids are only
 * visible inside their own process (thread.c), so tgid must be ours
 * (ESRCH otherwise, as for a thread not in that group on Linux).
 */
long
__ferry_sys_tgkill(long tgid, long tid, long sig, long d, long e, long f)
{
	(void)d, (void)e, (void)f;
	if (tgid <= 0)
		return -EINVAL;
	if (tgid != __ferry_sys_getpid(0, 0, 0, 0, 0, 0))
		return -ESRCH;
	return __ferry_tkill(tid, sig);
}
