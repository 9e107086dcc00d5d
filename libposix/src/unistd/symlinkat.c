/* SPDX-License-Identifier: MIT */
#include <fcntl.h>
#include <ferry/proto/vfs.h>
#include "libposix.h"

/* symlinkat(target, dirfd, linkpath): VFS_SYMLINK; the target is stored as given. */
long
__ferry_sys_symlinkat(long target, long dirfd, long linkpath, long d, long e, long f)
{
	(void)d, (void)e, (void)f;
	return __ferry_path2_op(AT_FDCWD, (const char *)target, dirfd, (const char *)linkpath,
	                        VFS_SYMLINK, 0);
}
