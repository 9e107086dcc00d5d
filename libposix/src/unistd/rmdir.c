/* SPDX-License-Identifier: MIT */
#include <fcntl.h>
#include "libposix.h"

/* rmdir(path) = unlinkat(AT_FDCWD, path, AT_REMOVEDIR). */
long
__ferry_sys_rmdir(long path, long b, long c, long d, long e, long f)
{
	(void)b, (void)c, (void)d, (void)e, (void)f;
	return __ferry_sys_unlinkat(AT_FDCWD, path, AT_REMOVEDIR, 0, 0, 0);
}
