/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <ferry/syscall.h>
#include "libposix.h"

/* write(fd, buf, len): FILE_WRITE, or the kernel log for the bring-up console. */
long
__ferry_sys_write(long fd, long buf, long len, long d, long e, long f)
{
	struct ferry_fd *ent = __ferry_fd_get(fd);
	long r;

	(void)d, (void)e, (void)f;
	if (!ent)
		return -EBADF;
	if (len < 0)
		return -EINVAL;
	if (len == 0)
		return 0;
	if (ent->kind == FERRY_FD_PORT)
		return __ferry_file_write(ent, (const void *)buf, (size_t)len, -1);
	r = __ferry_status(ferry_sys_debug_write((const char *)buf, (size_t)len));
	return r < 0 ? r : len;
}
