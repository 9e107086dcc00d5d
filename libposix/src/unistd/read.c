/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include "libposix.h"

/* read(fd, buf, len): FILE_READ at the description's offset. */
long
__ferry_sys_read(long fd, long buf, long len, long d, long e, long f)
{
	struct ferry_fd *ent = __ferry_fd_get(fd);

	(void)d, (void)e, (void)f;
	if (!ent || ent->kind == FERRY_FD_DEBUGLOG)
		return -EBADF;
	if (len < 0)
		return -EINVAL;
	if (len == 0)
		return 0;
	return __ferry_file_read(ent, (void *)buf, (size_t)len, -1);
}
