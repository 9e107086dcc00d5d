/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <ferry/proto/vfs.h>
#include "libposix.h"

/* fchownat(dirfd, path, uid, gid, flags): VFS_CHOWN; -1 leaves an id unchanged. */
long
__ferry_sys_fchownat(long dirfd, long path, long uid, long gid, long flags, long f)
{
	struct vfs_chown_req req;
	handle_t port;
	long rc;

	(void)f;
	if (flags & ~(long)(AT_SYMLINK_NOFOLLOW | VFS_AT_EMPTY_PATH))
		return -EINVAL;
	if ((rc = __ferry_at(dirfd, (const char *)path, &port)) < 0)
		return rc;
	memset(&req, 0, sizeof req);
	req.flags = (uint32_t)flags;
	req.uid = (uint32_t)uid;
	req.gid = (uint32_t)gid;
	return __ferry_vfs_call(port, VFS_CHOWN, &req, sizeof req, req.names, sizeof req.names,
	                        (const char *)path, 0, 0, 0, 0);
}
