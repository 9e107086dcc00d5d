/* SPDX-License-Identifier: MIT */
#include <fcntl.h>
#include "libposix.h"

/* open(path, flags, mode) = openat(AT_FDCWD, ...). */
long
__ferry_sys_open(long path, long flags, long mode, long d, long e, long f)
{
	(void)d, (void)e, (void)f;
	return __ferry_sys_openat(AT_FDCWD, path, flags, mode, 0, 0);
}
