/* SPDX-License-Identifier: MIT */
/*
 * Helpers of the path calls (open, stat, mkdir ... and their *at forms):
 * which directory port a path starts from, and how its bytes travel
 * (inline in the request when they fit, else in the transfer area
 * attached to that port), and following the redirects of mounts served
 * by other servers (__ferry_vfs_call).  See docs/proto/vfs.md.
 *
 * Credentials (docs/proto/vfs.md "Credentials"): before its first path
 * call a process (a forked child, a new image) asks vfs for a root and a
 * working directory bound to itself (VFS_SESSION, proving who it is with
 * a copy of its process port that cannot send).  vfs then checks every
 * request on them against the process's current ids.  A call relative to
 * a directory descriptor goes to the bound root too, with the
 * descriptor's port as the starting point (VFS_NAMES_AT): the process's
 * identity never travels to another server.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <ferry/proto/vfs.h>
#include <ferry/syscall.h>
#include <ferry/proto/proc.h>
#include "libposix.h"

/* A port bound to us for directory dir (not consumed) from a bound port: 0 or -errno. */
static long
session_dir(handle_t bound, handle_t dir, handle_t *out)
{
	struct vfs_session_req req = {0, 0};
	handle_t copy;
	long rc;

	if ((rc = ferry_sys_handle_dup(dir, FERRY_RIGHT_SAME, &copy)) < 0)
		return __ferry_status(rc);
	return __ferry_rpc(bound, VFS_SESSION, &req, sizeof req, 0, 0, copy, out);
}

long
__ferry_proc_token(handle_t *out)
{
	if (!__ferry_proc.procmgr)
		return -ENOSYS;
	return __ferry_status(
	        ferry_sys_handle_dup(__ferry_proc.procmgr, FERRY_RIGHT_TRANSFER, out));
}

/*
 * Binds the root and working directory to this process once per process
 * (and image).  Without credentials at vfs (ENOSYS: no procmgr yet, or a
 * vfs alone) the ports stay as they are.
 */
long
__ferry_session(void)
{
	struct ferry_proc *p = &__ferry_proc;
	struct vfs_session_req req = {VFS_SESSION_TOKEN, 0};
	handle_t token, root, cwd;
	long rc;

	if (p->session_for == p->procmgr || !p->procmgr || !p->vfs_root)
		return 0;
	if ((rc = __ferry_proc_token(&token)) < 0)
		return rc;
	rc = __ferry_rpc(p->vfs_root, VFS_SESSION, &req, sizeof req, 0, 0, token, &root);
	if (rc == -ENOSYS || rc == -EINVAL) {
		p->session_for = p->procmgr; /* nobody checks credentials, or an old vfs */
		p->sessions = 0;
		return 0;
	}
	if (rc < 0)
		return rc;
	cwd = root;
	p->cwd_bound = 1;
	if (p->cwd && p->cwd != p->vfs_root && session_dir(root, p->cwd, &cwd) < 0) {
		cwd = p->cwd; /* another server's directory (/proc): it stays */
		p->cwd_bound = 0;
	}
	if (p->cwd && p->cwd != p->vfs_root && cwd != p->cwd) {
		__ferry_xfer_forget(p->cwd);
		(void)ferry_sys_handle_close(p->cwd);
	}
	__ferry_xfer_forget(p->vfs_root);
	(void)ferry_sys_handle_close(p->vfs_root);
	p->vfs_root = root;
	p->cwd = cwd;
	p->session_for = p->procmgr;
	p->sessions = 1;
	return 0;
}

/* A working directory port (consumed) bound to us, if vfs serves it. */
handle_t
__ferry_bind_cwd(handle_t port)
{
	handle_t bound;

	if (__ferry_session() < 0 || !__ferry_proc.sessions || port == __ferry_proc.vfs_root)
		return port;
	if (session_dir(__ferry_proc.vfs_root, port, &bound) < 0) {
		__ferry_proc.cwd_bound = 0; /* another server's directory */
		return port;
	}
	__ferry_proc.cwd_bound = 1;
	__ferry_xfer_forget(port);
	(void)ferry_sys_handle_close(port);
	return bound;
}

long
__ferry_at(long dirfd, const char *path, handle_t *port)
{
	struct ferry_fd *f;
	long rc;

	if (!path)
		return -EFAULT;
	if ((rc = __ferry_session()) < 0)
		return rc;
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
	handle_t tmp = 0, h, at = 0, atcopy = 0;
	long rc;
	unsigned hops;
	int self = 0; /* the redirect named our process port */

	if (hout)
		*hout = 0;
	if (__ferry_proc.sessions && port != __ferry_proc.vfs_root && port != __ferry_proc.cwd) {
		/* A directory descriptor: asked through our bound root. */
		at = port;
		port = __ferry_proc.vfs_root;
	}
	for (hops = 0;; hops++) {
		/* Did this hop go to vfs as us (our bound root or working directory)? */
		int to_vfs = __ferry_proc.sessions &&
		             (port == __ferry_proc.vfs_root ||
		              (port == __ferry_proc.cwd && __ferry_proc.cwd_bound));
		if ((rc = __ferry_names(port, n, names, cap, path, 0)) < 0)
			break;
		if (at) {
			if ((rc = ferry_sys_handle_dup(at, FERRY_RIGHT_SAME, &atcopy)) < 0) {
				rc = __ferry_status(rc);
				break;
			}
			n->xfer |= VFS_NAMES_AT;
		}
		if ((rc = __ferry_rpc(port, op, req, reqlen, &r, sizeof r, atcopy, &h)) < 0)
			break;
		atcopy = 0;
		if (at && r.rd.status == VFS_FOREIGN_AT) {
			/* Another server's descriptor: it answers for itself. */
			port = at;
			at = 0;
			hops--;
			continue;
		}
		at = 0;
		if (rep)
			memcpy(rep, &r, replen < sizeof r ? replen : sizeof r);
		if (r.rd.status != VFS_REDIRECT) {
			if (hout)
				*hout = h;
			else if (h)
				(void)ferry_sys_handle_close(h);
			break;
		}
		self = r.rd.kind == VFS_REDIRECT_SELF;
		if (self) { /* procfs asks who we are */
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
		if (!to_vfs && !self && __ferry_proc.sessions) {
			/* Another server (procfs: a link out of /proc) sends us on,
			 * perhaps back into vfs: asked through our bound root, so
			 * that vfs checks our ids (a foreign port: VFS_FOREIGN_AT). */
			at = h;
			port = __ferry_proc.vfs_root;
		}
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
	handle_t hs[2] = {copy, 0};
	unsigned nh = copy ? 1 : 0;
	handle_t at = 0;
	if (__ferry_proc.sessions && oport != __ferry_proc.vfs_root && oport != __ferry_proc.cwd) {
		/* A directory descriptor: asked through our bound root. */
		at = oport;
		oport = __ferry_proc.vfs_root;
	}
again:
	memset(&req, 0, sizeof req);
	if ((rc = __ferry_names(oport, &req.n, req.names, sizeof req.names, old, new)) < 0)
		goto out;
	req.flags = flags;
	if (at) {
		if ((rc = ferry_sys_handle_dup(at, FERRY_RIGHT_SAME, &hs[nh])) < 0) {
			rc = __ferry_status(rc);
			goto out;
		}
		req.n.xfer |= VFS_NAMES_AT;
		nh++;
	}
	struct ferry_status_rep st;
	rc = __ferry_rpc_n(oport, op, &req, sizeof req, &st, sizeof st, hs, nh, 0);
	if (rc == 0 && at && st.status == VFS_FOREIGN_AT) {
		/* Another server's descriptor: a symlink is made there; rename
		 * and link cannot join it to a directory of ours. */
		if (op != VFS_SYMLINK)
			return -EXDEV;
		oport = at;
		at = 0;
		nh = 0;
		goto again;
	}
	return rc;
out:
	for (unsigned i = 0; i < nh; i++)
		(void)ferry_sys_handle_close(hs[i]);
	return rc;
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
