/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <limits.h>
#include <sys/uio.h>
#include "libposix.h"

/*
 * writev(fd, iov, n) as one write per buffer.  musl's stdio writes through
 * writev, so this is every printf's path.  A failure after some bytes went
 * out reports the bytes written, as a short write.
 */
long
__ferry_sys_writev(long fd, long iovp, long n, long d, long e, long f)
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
		r = __ferry_sys_write(fd, (long)iov[i].iov_base, (long)iov[i].iov_len, 0, 0, 0);
		if (r < 0)
			return total ? total : r;
		total += r;
	}
	return total;
}
