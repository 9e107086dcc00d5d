/* SPDX-License-Identifier: MIT */
#include "libposix.h"

/* pipe(fds): pipe2 without flags. */
long
__ferry_sys_pipe(long fds, long b, long c, long d, long e, long f)
{
	(void)b;
	return __ferry_sys_pipe2(fds, 0, c, d, e, f);
}
