/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <limits.h>
#include <ferry/proto/vfs.h>
#include "libposix.h"

/* getcwd(buf, size): VFS_GETPATH on the working directory; returns the length with the NUL. */
long
__ferry_sys_getcwd(long bufp, long size, long c, long d, long e, long f)
{
	static char path[PATH_MAX];
	handle_t port = __ferry_proc.cwd ? __ferry_proc.cwd : __ferry_proc.vfs_root;
	char *buf = (char *)bufp;
	long n;

	(void)c, (void)d, (void)e, (void)f;
	if (!port)
		return -ENOENT;
	if ((n = __ferry_text_op(port, VFS_GETPATH, "", 0, path, sizeof path)) < 0)
		return n;
	if (n >= PATH_MAX)
		return -ENAMETOOLONG;
	if (size <= n)
		return -ERANGE;
	for (long i = 0; i < n; i++)
		buf[i] = path[i];
	buf[n] = 0;
	return n + 1;
}
