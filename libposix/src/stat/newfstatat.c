/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <ferry/proto/vfs.h>
#include "libposix.h"

/* fstatat(dirfd, path, st, flags): VFS_STAT (AT_SYMLINK_NOFOLLOW, VFS_AT_EMPTY_PATH). */
long
__ferry_sys_newfstatat(long dirfd, long path, long st, long flags, long e, long f)
{
	struct vfs_stat_rep rep;
	long rc;

	(void)e, (void)f;
	if (flags & ~(long)(AT_SYMLINK_NOFOLLOW | VFS_AT_EMPTY_PATH | 0x800))
		return -EINVAL;
	if ((flags & VFS_AT_EMPTY_PATH) && path && !*(const char *)path && dirfd != AT_FDCWD)
		return __ferry_sys_fstat(dirfd, st, 0, 0, 0, 0);
	rc = __ferry_path_op(dirfd, (const char *)path, VFS_STAT, (uint32_t)flags & ~0x800, 0, &rep,
	                     sizeof rep);
	if (rc < 0)
		return rc;
	__ferry_stat_fill((struct stat *)st, &rep.st);
	return 0;
}
