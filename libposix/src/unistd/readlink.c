/* SPDX-License-Identifier: MIT */
#include <fcntl.h>
#include "libposix.h"

/* readlink(path, buf, size) = readlinkat(AT_FDCWD, ...). */
long
__ferry_sys_readlink(long path, long buf, long size, long d, long e, long f)
{
	(void)d, (void)e, (void)f;
	return __ferry_sys_readlinkat(AT_FDCWD, path, buf, size, 0, 0);
}
