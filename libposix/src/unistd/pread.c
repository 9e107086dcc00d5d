/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include "libposix.h"

/* pread64(fd, buf, len, off): FILE_READ at off, the offset unchanged. */
long
__ferry_sys_pread64(long fd, long buf, long len, long off, long e, long f)
{
	struct ferry_fd *ent = __ferry_fd_get(fd);

	(void)e, (void)f;
	if (!ent || ent->kind != FERRY_FD_PORT)
		return -EBADF;
	if (len < 0 || off < 0)
		return -EINVAL;
	if (len == 0)
		return 0;
	return __ferry_file_read(ent, (void *)buf, (size_t)len, off);
}
