/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include "libposix.h"

/* dup3(old, new, flags): dup2 with O_CLOEXEC; old == new is EINVAL. */
long
__ferry_sys_dup3(long old, long new, long flags, long d, long e, long f)
{
	(void)d, (void)e, (void)f;
	if (flags & ~(long)O_CLOEXEC)
		return -EINVAL;
	if (!__ferry_fd_get(old) || new < 0 || new >= FERRY_FD_MAX)
		return -EBADF;
	if (old == new)
		return -EINVAL;
	return __ferry_fd_dup(old, new, 0, (flags & O_CLOEXEC) ? FERRY_FDF_CLOEXEC : 0);
}
