/* SPDX-License-Identifier: MIT */
#include <fcntl.h>
#include "libposix.h"

/* lstat(path, st) = fstatat(AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW). */
long
__ferry_sys_lstat(long path, long st, long c, long d, long e, long f)
{
	(void)c, (void)d, (void)e, (void)f;
	return __ferry_sys_newfstatat(AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW, 0, 0);
}
