/* SPDX-License-Identifier: MIT */
#include "libposix.h"

/* accept(fd, addr, len): accept4 without flags. */
long
__ferry_sys_accept(long fd, long addr, long len, long d, long e, long f)
{
	(void)d, (void)e, (void)f;
	return __ferry_sys_accept4(fd, addr, len, 0, 0, 0);
}
