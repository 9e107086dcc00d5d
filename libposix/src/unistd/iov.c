/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <limits.h>
#include <sys/uio.h>
#include "libposix.h"

/*
 * readv and writev: one read or write (one) per buffer, stopping at the
 * first short one (end of file, a pipe with less data or room: the later
 * buffers must not move before the rest of this one; musl's stdio goes on
 * from there).  A failure after some bytes moved reports those bytes.
 */
long
__ferry_iov_io(long fd, const struct iovec *iov, long n, __ferry_io_fn one)
{
	long total = 0, r, i;
	size_t sum = 0;

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
		r = one(fd, (long)iov[i].iov_base, (long)iov[i].iov_len, 0, 0, 0);
		if (r < 0)
			return total ? total : r;
		total += r;
		if ((size_t)r < iov[i].iov_len)
			break;
	}
	return total;
}
