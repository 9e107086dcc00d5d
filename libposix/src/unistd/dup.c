/* SPDX-License-Identifier: MIT */
#include "libposix.h"

/* dup(fd): the lowest free fd, sharing the description, FD_CLOEXEC clear. */
long
__ferry_sys_dup(long fd, long b, long c, long d, long e, long f)
{
	(void)b, (void)c, (void)d, (void)e, (void)f;
	return __ferry_fd_dup(fd, -1, 0, 0);
}
