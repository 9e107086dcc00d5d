/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include "libposix.h"

/*
 * read(fd, buf, len).  Only fd 0 can be open for reading, and only when the
 * spawner passed a stdin port; reading it needs the console protocol,
 * which does not exist yet, so that case is ENOSYS rather than a fake EOF.
 * The kernel log (fds 1, 2) cannot be read: EBADF, as for a write-only fd.
 */
long
__ferry_sys_read(long fd, long buf, long len, long d, long e, long f)
{
	struct ferry_fd *ent = __ferry_fd_get(fd);

	(void)buf, (void)len, (void)d, (void)e, (void)f;
	if (!ent || ent->kind == FERRY_FD_DEBUGLOG)
		return -EBADF;
	return -ENOSYS;
}
