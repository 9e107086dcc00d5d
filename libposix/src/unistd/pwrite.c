/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include "libposix.h"

/* pwrite64(fd, buf, len, off): FILE_WRITE at off, the offset unchanged. */
long
__ferry_sys_pwrite64(long fd, long buf, long len, long off, long e, long f)
{
	struct ferry_fd *ent = __ferry_fd_get(fd);

	(void)e, (void)f;
	if (!ent || ent->kind != FERRY_FD_PORT)
		return -EBADF;
	if (len < 0 || off < 0)
		return -EINVAL;
	if (len == 0)
		return 0;
	return __ferry_file_write(ent, (const void *)buf, (size_t)len, off);
}
