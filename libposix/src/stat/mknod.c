/* SPDX-License-Identifier: MIT */
#include <fcntl.h>
#include "libposix.h"

/* mknod(path, mode, dev) = mknodat(AT_FDCWD, ...). */
long
__ferry_sys_mknod(long path, long mode, long dev, long d, long e, long f)
{
	(void)d, (void)e, (void)f;
	return __ferry_sys_mknodat(AT_FDCWD, path, mode, dev, 0, 0);
}
