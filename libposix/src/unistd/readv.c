/* SPDX-License-Identifier: MIT */
#include <sys/uio.h>
#include "libposix.h"

/* readv(fd, iov, n): unistd/iov.c. */
long
__ferry_sys_readv(long fd, long iovp, long n, long d, long e, long f)
{
	(void)d, (void)e, (void)f;
	return __ferry_iov_io(fd, (const struct iovec *)iovp, n, __ferry_sys_read);
}
