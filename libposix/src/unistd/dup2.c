/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include "libposix.h"

/* dup2(old, new): new (closed first) shares old's description; old == new is a no-op. */
long
__ferry_sys_dup2(long old, long new, long c, long d, long e, long f)
{
	(void)c, (void)d, (void)e, (void)f;
	if (!__ferry_fd_get(old))
		return -EBADF;
	if (new < 0 || new >= FERRY_FD_MAX)
		return -EBADF;
	if (old == new)
		return new;
	return __ferry_fd_dup(old, new, 0, 0);
}
