/* SPDX-License-Identifier: MIT */
#include <fcntl.h>
#include "libposix.h"

/* truncate(path, len): open for writing, ftruncate, close. */
long
__ferry_sys_truncate(long path, long len, long c, long d, long e, long f)
{
	long fd, rc;

	(void)c, (void)d, (void)e, (void)f;
	if ((fd = __ferry_sys_openat(AT_FDCWD, path, O_WRONLY, 0, 0, 0)) < 0)
		return fd;
	rc = __ferry_sys_ftruncate(fd, len, 0, 0, 0, 0);
	(void)__ferry_fd_close(fd);
	return rc;
}
