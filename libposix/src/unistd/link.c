/* SPDX-License-Identifier: MIT */
#include <fcntl.h>
#include "libposix.h"

/* link(old, new) = linkat(AT_FDCWD, old, AT_FDCWD, new, 0). */
long
__ferry_sys_link(long old, long new, long c, long d, long e, long f)
{
	(void)c, (void)d, (void)e, (void)f;
	return __ferry_sys_linkat(AT_FDCWD, old, AT_FDCWD, new, 0, 0);
}
