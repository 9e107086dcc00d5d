/* SPDX-License-Identifier: MIT */
#include "libposix.h"

/* faccessat(dirfd, path, mode): faccessat2 without flags (the kernel call has none). */
long
__ferry_sys_faccessat(long dirfd, long path, long mode, long d, long e, long f)
{
	(void)d, (void)e, (void)f;
	return __ferry_sys_faccessat2(dirfd, path, mode, 0, 0, 0);
}
