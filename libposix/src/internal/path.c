/* SPDX-License-Identifier: MIT */
/*
 * Helpers of the path calls (open, stat, mkdir ... and their *at forms):
 * which directory port a path starts from, and how its bytes travel
 * (inline in the request when they fit, else in the transfer area
 * attached to that port).  See docs/proto/vfs.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <ferry/proto/vfs.h>
#include <ferry/syscall.h>
#include "libposix.h"

long
__ferry_at(long dirfd, const char *path, handle_t *port)
{
	struct ferry_fd *f;

	if (!path)
		return -EFAULT;
	if (path[0] == '/' || dirfd == AT_FDCWD) {
		*port = path[0] == '/' || !__ferry_proc.cwd ? __ferry_proc.vfs_root : __ferry_proc.cwd;
		return *port ? 0 : -ENOENT; /* no file system given to this process */
	}
	f = __ferry_fd_get(dirfd);
	if (!f || f->kind != FERRY_FD_PORT)
		return -EBADF;
	*port = f->port;
	return 0;
}

long
__ferry_names(handle_t port, struct vfs_names *n, char *names, unsigned cap, const char *p1,
	      const char *p2)
{
	size_t l1 = strnlen(p1, VFS_PATH_MAX), l2 = p2 ? strnlen(p2, VFS_PATH_MAX) : 0;
	uint32_t id;
	void *area;
	long size;

	if (l1 >= VFS_PATH_MAX || l2 >= VFS_PATH_MAX)
		return -ENAMETOOLONG;
	memset(n, 0, sizeof *n);
	n->len = (uint16_t)l1;
	n->len2 = (uint16_t)l2;
	if (l1 + l2 <= cap) {
		memcpy(names, p1, l1);
		if (l2)
			memcpy(names + l1, p2, l2);
		return 0;
	}
	size = __ferry_xfer(port, &id, &area);
	if (size < 0)
		return size == -EAGAIN ? -ENOMEM : size;
	if (l1 + l2 > (size_t)size)
		return -ENAMETOOLONG;
	memcpy(area, p1, l1);
	if (l2)
		memcpy((char *)area + l1, p2, l2);
	n->xfer = id;
	n->xfer_off = 0;
	return 0;
}

long
__ferry_path_op(long dirfd, const char *path, uint32_t op, uint32_t flags, uint32_t mode, void *rep,
		unsigned replen)
{
	struct vfs_path_req req;
	handle_t port;
	long rc;

	if ((rc = __ferry_at(dirfd, path, &port)) < 0)
		return rc;
	memset(&req, 0, sizeof req);
	if ((rc = __ferry_names(port, &req.n, req.names, sizeof req.names, path, 0)) < 0)
		return rc;
	req.flags = flags;
	req.mode = mode;
	return __ferry_rpc(port, op, &req, sizeof req, rep, replen, 0, 0);
}

long
__ferry_mode_op(long dirfd, const char *path, uint32_t op, uint32_t flags, uint32_t mode, uint64_t dev)
{
	struct vfs_mode_req req;
	handle_t port;
	long rc;

	if ((rc = __ferry_at(dirfd, path, &port)) < 0)
		return rc;
	memset(&req, 0, sizeof req);
	if ((rc = __ferry_names(port, &req.n, req.names, sizeof req.names, path, 0)) < 0)
		return rc;
	req.flags = flags;
	req.mode = mode;
	req.dev = dev;
	return __ferry_rpc(port, op, &req, sizeof req, 0, 0, 0, 0);
}

long
__ferry_path2_op(long olddirfd, const char *old, long newdirfd, const char *new, uint32_t op,
		 uint32_t flags)
{
	struct vfs_path2_req req;
	handle_t oport, nport = 0, copy = 0;
	long rc;

	if ((rc = __ferry_at(olddirfd, old, &oport)) < 0)
		return rc;
	if (op != VFS_SYMLINK) {
		if ((rc = __ferry_at(newdirfd, new, &nport)) < 0)
			return rc;
		/* The server learns the second directory from a copy of its port. */
		if ((rc = ferry_sys_handle_dup(nport, FERRY_RIGHT_SAME, &copy)) < 0)
			return __ferry_status(rc);
	} else if ((rc = __ferry_at(newdirfd, new, &oport)) < 0) {
		return rc; /* symlink: the target is text; the link's path decides */
	}
	memset(&req, 0, sizeof req);
	if ((rc = __ferry_names(oport, &req.n, req.names, sizeof req.names, old, new)) < 0) {
		if (copy)
			(void)ferry_sys_handle_close(copy);
		return rc;
	}
	req.flags = flags;
	return __ferry_rpc(oport, op, &req, sizeof req, 0, 0, copy, 0);
}

long
__ferry_text_op(handle_t port, uint32_t op, const char *path, uint32_t flags, char *buf, size_t size)
{
	struct vfs_path_req req;
	struct vfs_text_rep rep;
	uint32_t id;
	void *area;
	long rc, asize;

	memset(&req, 0, sizeof req);
	if ((rc = __ferry_names(port, &req.n, req.names, sizeof req.names, path, 0)) < 0)
		return rc;
	req.flags = flags;
	if ((rc = __ferry_rpc(port, op, &req, sizeof req, &rep, sizeof rep, 0, 0)) < 0)
		return rc;
	if (rep.len <= FILE_INLINE_MAX) {
		memcpy(buf, rep.data, rep.len < size ? rep.len : size);
		return rep.len;
	}
	/* Longer than inline: again, with the text coming back in the area. */
	if ((asize = __ferry_xfer(port, &id, &area)) < 0)
		return asize == -EAGAIN ? -ENOMEM : asize;
	if (!req.n.xfer) {
		memcpy(area, path, req.n.len);
		req.n.xfer = id;
		req.n.xfer_off = 0;
	}
	if ((rc = __ferry_rpc(port, op, &req, sizeof req, &rep, sizeof rep, 0, 0)) < 0)
		return rc;
	if (rep.len > (size_t)asize)
		return -ENAMETOOLONG;
	memcpy(buf, area, rep.len < size ? rep.len : size);
	return rep.len;
}
