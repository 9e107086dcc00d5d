/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <ferry/proto/vfs.h>
#include "libposix.h"

/* fchown(fd, uid, gid): fchownat on the fd's own port with an empty path. */
long
__ferry_sys_fchown(long fd, long uid, long gid, long d, long e, long f)
{
	struct ferry_fd *ent = __ferry_fd_get(fd);

	(void)d, (void)e, (void)f;
	if (!ent || ent->kind != FERRY_FD_PORT)
		return -EBADF;
	return __ferry_sys_fchownat(fd, (long)"", uid, gid, VFS_AT_EMPTY_PATH, 0);
}
