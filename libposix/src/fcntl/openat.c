/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <ferry/proto/vfs.h>
#include <ferry/syscall.h>
#include "libposix.h"

/*
 * Opens a device or FIFO at the server vfs redirected us to: op on its
 * port (consumed) with the node's object number and identity.
 */
static long
open_forwarded(handle_t srv, const struct vfs_redirect_rep *rd, uint32_t flags, handle_t *h)
{
	struct vfs_fwd_open_req fr = {rd->obj, flags, rd->id};
	long rc = __ferry_rpc(srv, rd->op, &fr, sizeof fr, 0, 0, 0, h);
	(void)ferry_sys_handle_close(srv);
	if (rc == -ENOSYS || rc == -ENODEV)
		rc = -ENXIO; /* the server does not serve this node */
	return rc;
}

/*
 * openat(dirfd, path, flags, mode): VFS_OPEN; the reply's port becomes the
 * new fd.  The umask is applied here, O_CLOEXEC stays with the fd, and
 * O_LARGEFILE (always on for 64-bit) is not passed on.  Devices and FIFOs
 * served elsewhere come back as a redirect and are opened there.
 */
long
__ferry_sys_openat(long dirfd, long pathp, long flags, long mode, long e, long f)
{
	const char *path = (const char *)pathp;
	struct vfs_open_req req;
	union {
		struct vfs_open_rep o;
		struct vfs_redirect_rep rd;
	} rep;
	handle_t port, h;
	long rc, fd;

	(void)e, (void)f;
	if ((rc = __ferry_at(dirfd, path, &port)) < 0)
		return rc;
	memset(&req, 0, sizeof req);
	req.flags = (uint32_t)flags & ~(uint32_t)(O_LARGEFILE | O_CLOEXEC | O_NOCTTY);
	req.mode = (flags & O_CREAT) ? (uint32_t)mode & 07777 & ~__ferry_umask : 0;
	rc = __ferry_vfs_call(port, VFS_OPEN, &req, sizeof req, req.names, sizeof req.names, path,
	                      &rep, sizeof rep, &h, 0);
	if (rc == VFS_REDIRECT) {
		rep.o.mode = rep.rd.mode;
		rc = open_forwarded(h, &rep.rd, (uint32_t)flags & ~(uint32_t)O_CLOEXEC, &h);
	}
	if (rc < 0)
		return rc;
	if (!h)
		return -EIO;
	fd = __ferry_fd_alloc(0, h, (flags & O_CLOEXEC) ? FERRY_FDF_CLOEXEC : 0);
	if (fd < 0) {
		(void)ferry_sys_handle_close(h);
		return fd;
	}
	__ferry_fds[fd].mode = rep.o.mode & S_IFMT;
	return fd;
}
