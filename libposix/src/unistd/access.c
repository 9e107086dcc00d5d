/* SPDX-License-Identifier: MIT */
#include <fcntl.h>
#include "libposix.h"

/* access(path, mode) = faccessat(AT_FDCWD, path, mode). */
long
__ferry_sys_access(long path, long mode, long c, long d, long e, long f)
{
	(void)c, (void)d, (void)e, (void)f;
	return __ferry_sys_faccessat2(AT_FDCWD, path, mode, 0, 0, 0);
}
