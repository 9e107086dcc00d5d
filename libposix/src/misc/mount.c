/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <ferry/proto/vfs.h>
#include "libposix.h"

/*
 * mount(source, target, type, flags, data): VFS_MOUNT of a new tmpfs
 * instance on target (the only file system type vfs makes itself); a
 * remount is accepted and changes nothing.  Mounting another server's
 * directory port is that server's business (VFS_MOUNT with a handle).
 */
long
__ferry_sys_mount(long source, long target, long type, long flags, long data, long f)
{
	const char *t = (const char *)type;
	struct vfs_mount_req req;
	handle_t port;
	long rc;

	(void)source, (void)data, (void)f;
	if ((rc = __ferry_at(AT_FDCWD, (const char *)target, &port)) < 0)
		return rc;
	if (flags & MS_REMOUNT)
		return __ferry_path_op(AT_FDCWD, (const char *)target, VFS_STAT, 0, 0, 0, 0);
	if (flags & (MS_BIND | MS_MOVE))
		return -EINVAL;
	if (!t)
		return -EFAULT;
	if (strlen(t) >= sizeof req.type)
		return -ENODEV;
	memset(&req, 0, sizeof req);
	memcpy(req.type, t, strlen(t));
	req.flags = (uint32_t)flags;
	return __ferry_vfs_call(port, VFS_MOUNT, &req, sizeof req, req.names, sizeof req.names,
	                        (const char *)target, 0, 0, 0, 0);
}

/* umount2(target, flags): VFS_UMOUNT; MNT_DETACH detaches a busy tmpfs. */
long
__ferry_sys_umount2(long target, long flags, long c, long d, long e, long f)
{
	(void)c, (void)d, (void)e, (void)f;
	if (flags & ~(long)(MNT_DETACH | MNT_FORCE))
		return -EINVAL;
	return __ferry_path_op(AT_FDCWD, (const char *)target, VFS_UMOUNT,
	                       (flags & MNT_DETACH) ? VFS_MNT_DETACH : 0, 0, 0, 0);
}
