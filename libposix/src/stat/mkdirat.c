/* SPDX-License-Identifier: MIT */
#include <ferry/proto/vfs.h>
#include "libposix.h"

/* mkdirat(dirfd, path, mode): VFS_MKDIR with the umask applied. */
long
__ferry_sys_mkdirat(long dirfd, long path, long mode, long d, long e, long f)
{
	(void)d, (void)e, (void)f;
	return __ferry_mode_op(dirfd, (const char *)path, VFS_MKDIR, 0,
	                       (uint32_t)mode & 07777 & ~__ferry_umask, 0);
}
