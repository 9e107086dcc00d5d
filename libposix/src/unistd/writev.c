/* SPDX-License-Identifier: MIT */
#include <sys/uio.h>
#include "libposix.h"

/* writev(fd, iov, n): unistd/iov.c.  musl's stdio writes through it. */
long
__ferry_sys_writev(long fd, long iovp, long n, long d, long e, long f)
{
	(void)d, (void)e, (void)f;
	return __ferry_iov_io(fd, (const struct iovec *)iovp, n, __ferry_sys_write);
}
