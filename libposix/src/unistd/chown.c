/* SPDX-License-Identifier: MIT */
#include <fcntl.h>
#include "libposix.h"

/* chown(path, uid, gid) = fchownat(AT_FDCWD, ..., 0). */
long
__ferry_sys_chown(long path, long uid, long gid, long d, long e, long f)
{
	(void)d, (void)e, (void)f;
	return __ferry_sys_fchownat(AT_FDCWD, path, uid, gid, 0, 0);
}
