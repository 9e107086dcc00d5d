/* SPDX-License-Identifier: MIT */
#include <fcntl.h>
#include "libposix.h"

/* unlink(path) = unlinkat(AT_FDCWD, path, 0). */
long
__ferry_sys_unlink(long path, long b, long c, long d, long e, long f)
{
	(void)b, (void)c, (void)d, (void)e, (void)f;
	return __ferry_sys_unlinkat(AT_FDCWD, path, 0, 0, 0, 0);
}
