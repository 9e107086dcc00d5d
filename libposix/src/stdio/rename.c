/* SPDX-License-Identifier: MIT */
#include <fcntl.h>
#include "libposix.h"

/* rename(old, new) = renameat2(AT_FDCWD, old, AT_FDCWD, new, 0). */
long
__ferry_sys_rename(long old, long new, long c, long d, long e, long f)
{
	(void)c, (void)d, (void)e, (void)f;
	return __ferry_sys_renameat2(AT_FDCWD, old, AT_FDCWD, new, 0, 0);
}
