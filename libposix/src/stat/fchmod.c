/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <ferry/proto/vfs.h>
#include "libposix.h"

/* fchmod(fd, mode): VFS_CHMOD with an empty path on the fd's own port. */
long
__ferry_sys_fchmod(long fd, long mode, long c, long d, long e, long f)
{
	struct ferry_fd *ent = __ferry_fd_get(fd);

	(void)c, (void)d, (void)e, (void)f;
	if (!ent || ent->kind != FERRY_FD_PORT)
		return -EBADF;
	return __ferry_mode_op(fd, "", VFS_CHMOD, VFS_AT_EMPTY_PATH, (uint32_t)mode & 07777, 0);
}
