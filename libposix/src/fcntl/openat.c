/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <ferry/proto/vfs.h>
#include <ferry/syscall.h>
#include "libposix.h"

/*
 * openat(dirfd, path, flags, mode): VFS_OPEN; the reply's port becomes the
 * new fd.  The umask is applied here, O_CLOEXEC stays with the fd, and
 * O_LARGEFILE (always on for 64-bit) is not passed on.
 */
long
__ferry_sys_openat(long dirfd, long pathp, long flags, long mode, long e, long f)
{
	const char *path = (const char *)pathp;
	struct vfs_open_req req;
	struct vfs_open_rep rep;
	handle_t port, h;
	long rc, fd;

	(void)e, (void)f;
	if ((rc = __ferry_at(dirfd, path, &port)) < 0)
		return rc;
	memset(&req, 0, sizeof req);
	if ((rc = __ferry_names(port, &req.n, req.names, sizeof req.names, path, 0)) < 0)
		return rc;
	req.flags = (uint32_t)flags & ~(uint32_t)(O_LARGEFILE | O_CLOEXEC | O_NOCTTY);
	req.mode = (flags & O_CREAT) ? (uint32_t)mode & 07777 & ~__ferry_umask : 0;
	if ((rc = __ferry_rpc(port, VFS_OPEN, &req, sizeof req, &rep, sizeof rep, 0, &h)) < 0)
		return rc;
	if (!h)
		return -EIO;
	fd = __ferry_fd_alloc(0, h, (flags & O_CLOEXEC) ? FERRY_FDF_CLOEXEC : 0);
	if (fd < 0) {
		(void)ferry_sys_handle_close(h);
		return fd;
	}
	__ferry_fds[fd].mode = rep.mode & S_IFMT;
	return fd;
}
