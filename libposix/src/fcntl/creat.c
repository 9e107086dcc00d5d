/* SPDX-License-Identifier: MIT */
#include <fcntl.h>
#include "libposix.h"

/* creat(path, mode) = open(path, O_CREAT|O_WRONLY|O_TRUNC, mode). */
long
__ferry_sys_creat(long path, long mode, long c, long d, long e, long f)
{
	(void)c, (void)d, (void)e, (void)f;
	return __ferry_sys_openat(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode, 0, 0);
}
