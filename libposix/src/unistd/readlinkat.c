/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <ferry/proto/vfs.h>
#include "libposix.h"

/* readlinkat(dirfd, path, buf, size): VFS_READLINK; the text is cut at size, no NUL. */
long
__ferry_sys_readlinkat(long dirfd, long path, long buf, long size, long e, long f)
{
	handle_t port;
	long rc;

	(void)e, (void)f;
	if (size <= 0)
		return -EINVAL;
	if ((rc = __ferry_at(dirfd, (const char *)path, &port)) < 0)
		return rc;
	rc = __ferry_text_op(port, VFS_READLINK, (const char *)path, 0, (char *)buf, (size_t)size);
	return rc < 0 ? rc : (rc < size ? rc : size);
}
