/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <limits.h>
#include <sys/uio.h>
#include "libposix.h"

/*
 * readv(fd, iov, n) as one read per buffer, stopping at the first short
 * one (end of file, or a pipe with less data).
 */
long
__ferry_sys_readv(long fd, long iovp, long n, long d, long e, long f)
{
	const struct iovec *iov = (const struct iovec *)iovp;
	long total = 0, r, i;
	size_t sum = 0;

	(void)d, (void)e, (void)f;
	if (!__ferry_fd_get(fd))
		return -EBADF;
	if (n < 0 || n > IOV_MAX)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (iov[i].iov_len > (size_t)LONG_MAX - sum)
			return -EINVAL;
		sum += iov[i].iov_len;
	}
	for (i = 0; i < n; i++) {
		if (!iov[i].iov_len)
			continue;
		r = __ferry_sys_read(fd, (long)iov[i].iov_base, (long)iov[i].iov_len, 0, 0, 0);
		if (r < 0)
			return total ? total : r;
		total += r;
		if ((size_t)r < iov[i].iov_len)
			break;
	}
	return total;
}
