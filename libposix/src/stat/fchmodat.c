/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <ferry/proto/vfs.h>
#include "libposix.h"

/* fchmodat(dirfd, path, mode): VFS_CHMOD (the system call has no flags). */
long
__ferry_sys_fchmodat(long dirfd, long path, long mode, long d, long e, long f)
{
	(void)d, (void)e, (void)f;
	return __ferry_mode_op(dirfd, (const char *)path, VFS_CHMOD, 0, (uint32_t)mode & 07777, 0);
}
