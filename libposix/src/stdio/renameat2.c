/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <ferry/proto/vfs.h>
#include "libposix.h"

/* renameat2(olddirfd, old, newdirfd, new, flags): VFS_RENAME; no flags yet (EINVAL). */
long
__ferry_sys_renameat2(long odir, long old, long ndir, long new, long flags, long f)
{
	(void)f;
	if (flags)
		return -EINVAL;
	return __ferry_path2_op(odir, (const char *)old, ndir, (const char *)new, VFS_RENAME, 0);
}
