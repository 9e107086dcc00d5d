/* SPDX-License-Identifier: MIT */
#include "libposix.h"

/* close(fd): see __ferry_fd_close. */
long
__ferry_sys_close(long fd, long b, long c, long d, long e, long f)
{
	(void)b, (void)c, (void)d, (void)e, (void)f;
	return __ferry_fd_close(fd);
}
