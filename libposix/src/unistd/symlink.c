/* SPDX-License-Identifier: MIT */
#include <fcntl.h>
#include "libposix.h"

/* symlink(target, linkpath) = symlinkat(target, AT_FDCWD, linkpath). */
long
__ferry_sys_symlink(long target, long linkpath, long c, long d, long e, long f)
{
	(void)c, (void)d, (void)e, (void)f;
	return __ferry_sys_symlinkat(target, AT_FDCWD, linkpath, 0, 0, 0);
}
