/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include "libposix.h"

/*
 * ioctl(fd, req, arg).  No descriptor is a terminal yet (the tty server
 * comes later), so every request on an open fd is ENOTTY; musl's stdio
 * then buffers stdout fully instead of by line.
 */
long
__ferry_sys_ioctl(long fd, long req, long arg, long d, long e, long f)
{
	(void)req, (void)arg, (void)d, (void)e, (void)f;
	if (!__ferry_fd_get(fd))
		return -EBADF;
	return -ENOTTY;
}
