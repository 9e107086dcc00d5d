/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <ferry/syscall.h>
#include "libposix.h"

/* write(fd, buf, len): the bring-up console is the kernel log. */
long
__ferry_sys_write(long fd, long buf, long len, long d, long e, long f)
{
	struct ferry_fd *ent = __ferry_fd_get(fd);
	long r;

	(void)d, (void)e, (void)f;
	if (!ent)
		return -EBADF;
	if (ent->kind != FERRY_FD_DEBUGLOG)
		return -ENOSYS; /* port I/O: needs the object protocols */
	if (len < 0)
		return -EINVAL;
	if (len == 0)
		return 0;
	r = __ferry_status(ferry_sys_debug_write((const char *)buf, (size_t)len));
	return r < 0 ? r : len;
}
