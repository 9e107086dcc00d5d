/* SPDX-License-Identifier: MIT */
#include <sys/stat.h>
#include <ferry/proto/vfs.h>
#include "libposix.h"

/* mknodat(dirfd, path, mode, dev): VFS_MKNOD (FIFOs, device nodes, empty files). */
long
__ferry_sys_mknodat(long dirfd, long path, long mode, long dev, long e, long f)
{
	(void)e, (void)f;
	return __ferry_mode_op(dirfd, (const char *)path, VFS_MKNOD, 0,
	                       ((uint32_t)mode & S_IFMT) |
	                               ((uint32_t)mode & 07777 & ~__ferry_umask),
	                       (uint64_t)dev);
}
