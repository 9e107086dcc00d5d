/* SPDX-License-Identifier: MIT */
#include <fcntl.h>
#include "libposix.h"

/* lchown(path, uid, gid) = fchownat(AT_FDCWD, ..., AT_SYMLINK_NOFOLLOW). */
long
__ferry_sys_lchown(long path, long uid, long gid, long d, long e, long f)
{
	(void)d, (void)e, (void)f;
	return __ferry_sys_fchownat(AT_FDCWD, path, uid, gid, AT_SYMLINK_NOFOLLOW, 0);
}
