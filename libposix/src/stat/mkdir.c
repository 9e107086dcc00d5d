/* SPDX-License-Identifier: MIT */
#include <fcntl.h>
#include "libposix.h"

/* mkdir(path, mode) = mkdirat(AT_FDCWD, ...). */
long
__ferry_sys_mkdir(long path, long mode, long c, long d, long e, long f)
{
	(void)c, (void)d, (void)e, (void)f;
	return __ferry_sys_mkdirat(AT_FDCWD, path, mode, 0, 0, 0);
}
