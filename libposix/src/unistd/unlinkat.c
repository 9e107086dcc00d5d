/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <ferry/proto/vfs.h>
#include "libposix.h"

/* unlinkat(dirfd, path, flags): VFS_UNLINK; AT_REMOVEDIR makes it rmdir. */
long
__ferry_sys_unlinkat(long dirfd, long path, long flags, long d, long e, long f)
{
	(void)d, (void)e, (void)f;
	if (flags & ~(long)AT_REMOVEDIR)
		return -EINVAL;
	return __ferry_path_op(dirfd, (const char *)path, VFS_UNLINK, (uint32_t)flags, 0, 0, 0);
}
