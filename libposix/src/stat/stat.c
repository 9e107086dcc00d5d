/* SPDX-License-Identifier: MIT */
#include <fcntl.h>
#include "libposix.h"

/* stat(path, st) = fstatat(AT_FDCWD, path, st, 0). */
long
__ferry_sys_stat(long path, long st, long c, long d, long e, long f)
{
	(void)c, (void)d, (void)e, (void)f;
	return __ferry_sys_newfstatat(AT_FDCWD, path, st, 0, 0, 0);
}
