/* SPDX-License-Identifier: MIT */
#include <fcntl.h>
#include "libposix.h"

/* chmod(path, mode) = fchmodat(AT_FDCWD, ...). */
long
__ferry_sys_chmod(long path, long mode, long c, long d, long e, long f)
{
	(void)c, (void)d, (void)e, (void)f;
	return __ferry_sys_fchmodat(AT_FDCWD, path, mode, 0, 0, 0);
}
