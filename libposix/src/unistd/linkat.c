/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <ferry/proto/vfs.h>
#include "libposix.h"

/* linkat(olddirfd, old, newdirfd, new, flags): VFS_LINK (AT_SYMLINK_FOLLOW, VFS_AT_EMPTY_PATH). */
long
__ferry_sys_linkat(long odir, long old, long ndir, long new, long flags, long f)
{
	(void)f;
	if (flags & ~(long)(AT_SYMLINK_FOLLOW | VFS_AT_EMPTY_PATH))
		return -EINVAL;
	return __ferry_path2_op(odir, (const char *)old, ndir, (const char *)new, VFS_LINK,
	                        (uint32_t)flags);
}
