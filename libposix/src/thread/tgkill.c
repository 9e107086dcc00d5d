/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include "libposix.h"

/*
 * tgkill(tgid, tid, sig): tkill within process tgid.  Thread ids are only
 * visible inside their own process (thread.c), so a tid found is always
 * one of ours; tgid itself is checked for sanity only.
 */
long
__ferry_sys_tgkill(long tgid, long tid, long sig, long d, long e, long f)
{
	(void)d, (void)e, (void)f;
	if (tgid <= 0)
		return -EINVAL;
	return __ferry_tkill(tid, sig);
}
