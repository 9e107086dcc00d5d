/* SPDX-License-Identifier: MIT */
/*
 * Helpers of the path calls (open, stat, mkdir ... and their *at forms):
 * which directory port a path starts from, and how its bytes travel
 * (inline in the request when they fit, else in the transfer area
 * attached to that port), and following the redirects of mounts served
 * by other servers (__ferry_vfs_call).  See docs/proto/vfs.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <ferry/proto/vfs.h>
#include <ferry/syscall.h>
#include <ferry/proto/proc.h>
#include "libposix.h"

long
__ferry_at(long dirfd, const char *path, handle_t *port)
{
	struct ferry_fd *f;

	if (!path)
		return -EFAULT;
	if (path[0] == '/' || dirfd == AT_FDCWD) {
		*port = path[0] == '/' || !__ferry_proc.cwd ? __ferry_proc.vfs_root
		                                            : __ferry_proc.cwd;
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

/*
 * The rest of a path after a redirect (inline, or in the transfer area of
 * the port the request went to) into rest[VFS_PATH_MAX].
 */
static long
redirect_rest(handle_t port, const struct vfs_names *n, const struct vfs_redirect_rep *rd,
              char *rest)
{
	uint32_t id;
	void *area;
	long size;

	if (rd->len == 0 || rd->len >= VFS_PATH_MAX)
		return -EIO;
	if (rd->len <= sizeof rd->rest) {
		memcpy(rest, rd->rest, rd->len);
	} else {
		if (!n->xfer || (size = __ferry_xfer(port, &id, &area)) < 0 ||
		    n->xfer_off + rd->len > (uint64_t)size)
			return -EIO;
		memcpy(rest, (char *)area + n->xfer_off, rd->len);
	}
	rest[rd->len] = 0;
	return 0;
}

long
__ferry_vfs_call(handle_t port, uint32_t op, void *req, unsigned reqlen, char *names, unsigned cap,
                 const char *path, void *rep, unsigned replen, handle_t *hout, handle_t *last)
{
	struct vfs_names *n = req; /* every path request starts with it */
	union {
		struct vfs_redirect_rep rd;
		char bytes[FERRY_MSG_INLINE_MAX];
	} r;
	char rest[VFS_PATH_MAX];
	handle_t tmp = 0, h;
	long rc;
	unsigned hops;

	if (hout)
		*hout = 0;
	for (hops = 0;; hops++) {
		if ((rc = __ferry_names(port, n, names, cap, path, 0)) < 0)
			break;
		if ((rc = __ferry_rpc(port, op, req, reqlen, &r, sizeof r, 0, &h)) < 0)
			break;
		if (rep)
			memcpy(rep, &r, replen < sizeof r ? replen : sizeof r);
		if (r.rd.status != VFS_REDIRECT) {
			if (hout)
				*hout = h;
			else if (h)
				(void)ferry_sys_handle_close(h);
			break;
		}
		if (r.rd.kind == VFS_REDIRECT_SELF) { /* procfs asks who we are */
			if (h)
				(void)ferry_sys_handle_close(h);
			h = 0;
			if (!__ferry_proc.procmgr ||
			    ferry_sys_handle_dup(__ferry_proc.procmgr, FERRY_RIGHT_SAME, &h) < 0) {
				rc = -ENOENT;
				break;
			}
			r.rd.kind = VFS_REDIRECT_WALK; /* then on as a walk, at our process port */
		}
		if (r.rd.kind == VFS_REDIRECT_FD) {
			/* One of our own descriptors (procfs, on our process port): an
			 * open shares its description, as a dup does. */
			struct ferry_fd *fe = __ferry_fd_get(r.rd.obj);
			if (h)
				(void)ferry_sys_handle_close(h);
			h = 0;
			if (op != VFS_OPEN || !hout) {
				rc = -ENXIO;
			} else if (!fe || fe->kind != FERRY_FD_PORT) {
				rc = -ENOENT; /* closed meanwhile */
			} else if ((rc = ferry_sys_handle_dup(fe->port, FERRY_RIGHT_SAME, &h)) <
			           0) {
				rc = rc == -FERRY_EMFILE || rc == -FERRY_EQUOTA
				             ? -EMFILE
				             : __ferry_status(rc);
			} else {
				*hout = h;
				rc = FERRY_VFS_DUPFD;
			}
			break;
		}
		if (!h) {
			rc = -EIO;
			break;
		}
		if (r.rd.kind == VFS_REDIRECT_OPEN) {
			/* A device or FIFO another server opens: the caller goes on. */
			if (op != VFS_OPEN || !hout) {
				(void)ferry_sys_handle_close(h);
				rc = -ENXIO;
				break;
			}
			*hout = h;
			rc = VFS_REDIRECT;
			break;
		}
		if (r.rd.kind != VFS_REDIRECT_WALK || hops >= VFS_REDIRECT_HOPS ||
		    (rc = redirect_rest(port, n, &r.rd, rest)) < 0) {
			(void)ferry_sys_handle_close(h);
			if (rc >= 0)
				rc = r.rd.kind != VFS_REDIRECT_WALK ? -EIO : -ELOOP;
			break;
		}
		/* Again at the other server's directory, with the rest of the path. */
		path = rest;
		if (tmp) {
			__ferry_xfer_forget(tmp);
			(void)ferry_sys_handle_close(tmp);
		}
		port = tmp = h;
	}
	if (last && rc >= 0 && tmp) {
		*last = tmp; /* the caller closes it */
	} else if (tmp) {
		__ferry_xfer_forget(tmp);
		(void)ferry_sys_handle_close(tmp);
		if (last)
			*last = 0;
	} else if (last) {
		*last = 0;
	}
	return rc;
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
	req.flags = flags;
	req.mode = mode;
	return __ferry_vfs_call(port, op, &req, sizeof req, req.names, sizeof req.names, path, rep,
	                        replen, 0, 0);
}

long
__ferry_mode_op(long dirfd, const char *path, uint32_t op, uint32_t flags, uint32_t mode,
                uint64_t dev)
{
	struct vfs_mode_req req;
	handle_t port;
	long rc;

	if ((rc = __ferry_at(dirfd, path, &port)) < 0)
		return rc;
	memset(&req, 0, sizeof req);
	req.flags = flags;
	req.mode = mode;
	req.dev = dev;
	return __ferry_vfs_call(port, op, &req, sizeof req, req.names, sizeof req.names, path, 0, 0,
	                        0, 0);
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
__ferry_text_op(handle_t port, uint32_t op, const char *path, uint32_t flags, char *buf,
                size_t size)
{
	struct vfs_path_req req;
	struct vfs_text_rep rep;
	handle_t last;
	uint32_t id;
	void *area;
	long rc, asize;

	memset(&req, 0, sizeof req);
	req.flags = flags;
	rc = __ferry_vfs_call(port, op, &req, sizeof req, req.names, sizeof req.names, path, &rep,
	                      sizeof rep, 0, &last);
	if (rc < 0)
		return rc;
	if (last)
		port = last; /* answered by another server: ask it again there */
	if (rep.len <= FILE_INLINE_MAX) {
		memcpy(buf, rep.data, rep.len < size ? rep.len : size);
		rc = rep.len;
		goto out;
	}
	/* Longer than inline: again, with the text coming back in the area. */
	if ((asize = __ferry_xfer(port, &id, &area)) < 0) {
		rc = asize == -EAGAIN ? -ENOMEM : asize;
		goto out;
	}
	if (!req.n.xfer) {
		memcpy(area, req.names, req.n.len);
		req.n.xfer = id;
		req.n.xfer_off = 0;
	}
	if ((rc = __ferry_rpc(port, op, &req, sizeof req, &rep, sizeof rep, 0, 0)) < 0)
		goto out;
	if (rep.len > (size_t)asize) {
		rc = -ENAMETOOLONG;
		goto out;
	}
	memcpy(buf, area, rep.len < size ? rep.len : size);
	rc = rep.len;
out:
	if (last) {
		__ferry_xfer_forget(last);
		(void)ferry_sys_handle_close(last);
	}
	return rc;
}
