/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include "pm.h"

/* rt_sigpending(set, setsize) */
long
__ferry_sys_rt_sigpending(long set, long size, long c, long d, long e, long f)
{
	uint64_t pending = 0;
	long rc;

	(void)c, (void)d, (void)e, (void)f;
	if (size != 8)
		return -EINVAL;
	rc = __ferry_sig_sync(0, &pending);
	if (rc < 0 && rc != -ENOSYS)
		return rc;
	*(uint64_t *)set = pending;
	return 0;
}
