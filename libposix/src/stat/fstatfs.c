/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <sys/statfs.h>
#include <ferry/proto/vfs.h>
#include "libposix.h"

/* fstatfs(fd, buf): VFS_STATFS with an empty path on the fd's port. */
long
__ferry_sys_fstatfs(long fd, long buf, long c, long d, long e, long f)
{
	struct ferry_fd *ent = __ferry_fd_get(fd);
	struct vfs_statfs_rep rep;
	long rc;

	(void)c, (void)d, (void)e, (void)f;
	if (!ent || ent->kind != FERRY_FD_PORT)
		return -EBADF;
	if ((rc = __ferry_path_op(fd, "", VFS_STATFS, VFS_AT_EMPTY_PATH, 0, &rep, sizeof rep)) < 0)
		return rc;
	__ferry_statfs_fill((struct statfs *)buf, &rep);
	return 0;
}
