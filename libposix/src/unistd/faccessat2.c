/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <ferry/proto/vfs.h>
#include "libposix.h"

/*
 * faccessat2(dirfd, path, mode, flags): VFS_ACCESS.  vfs checks with the
 * real ids, or the effective ones with AT_EACCESS.
 */
long
__ferry_sys_faccessat2(long dirfd, long path, long mode, long flags, long e, long f)
{
	(void)e, (void)f;
	if (flags & ~(long)(AT_SYMLINK_NOFOLLOW | AT_EACCESS | VFS_AT_EMPTY_PATH))
		return -EINVAL;
	return __ferry_path_op(dirfd, (const char *)path, VFS_ACCESS,
	                       (uint32_t)flags &
	                               (AT_SYMLINK_NOFOLLOW | AT_EACCESS | VFS_AT_EMPTY_PATH),
	                       (uint32_t)mode, 0, 0);
}
