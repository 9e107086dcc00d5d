// SPDX-License-Identifier: MIT
/*
 * The vfs protocol (include/ferry/proto/vfs.h): path operations on a
 * directory description.  Each handler takes its path(s) from the
 * request or the transfer area, walks them (lookup.c), applies the
 * operation (tmpfs.c) and replies.  Errors per op: docs/proto/vfs.md.
 */
#include <srv.h>
#include <ulib.h>
#include "vfs.h"

#define DESC(c) ((struct desc *)(uintptr_t)(c)->key)

struct node *vfs_root;

/*
 * The request's path(s): inline in inl[cap] or in the transfer area.
 * *p2 may be NULL when len2 is 0.
 */
int
vfs_get_names(struct desc *d, const struct vfs_names *n, const char *inl, size_t cap,
              const char **p1, const char **p2)
{
	size_t total = (size_t)n->len + n->len2;
	void *p;
	int rc;

	if (n->len >= VFS_PATH_MAX || n->len2 >= VFS_PATH_MAX)
		return -FERRY_ENAMETOOLONG;
	if (n->xfer) {
		if ((rc = desc_xfer(d, n->xfer, n->xfer_off, total, &p)))
			return rc;
		*p1 = p;
	} else {
		if (total > cap)
			return -FERRY_EINVAL;
		*p1 = inl;
	}
	*p2 = *p1 + n->len;
	return 0;
}

#define NAMES(c, type, p1, p2)                                                                     \
	vfs_get_names(DESC(c), &SRV_REQ(c, type)->n, SRV_REQ(c, type)->names,                      \
	              sizeof(SRV_REQ(c, type)->names), (p1), (p2))

/*
 * A walk that entered a foreign mount: the reply redirects the client
 * (docs/proto/vfs.md, "Mounts served by other servers").  The rest of the
 * path goes inline, or into the request's area when longer.
 */
int
vfs_redirect_walk(struct srv_call *c, const struct vfs_names *nm, const struct walk *w)
{
	struct vfs_redirect_rep *rp = SRV_REP(c, struct vfs_redirect_rep);
	handle_t h;
	void *area;
	int rc;

	if (w->restlen > sizeof(rp->rest)) {
		if (!nm->xfer)
			return -FERRY_ENAMETOOLONG;
		if ((rc = desc_xfer(DESC(c), nm->xfer, nm->xfer_off, w->restlen, &area)))
			return rc;
		memcpy(area, w->rest, w->restlen); /* the walk's own buffer: no overlap */
	} else {
		memcpy(rp->rest, w->rest, w->restlen);
	}
	if ((rc = (int)ferry_sys_handle_dup((handle_t)w->foreign->port, FERRY_RIGHT_SAME, &h)))
		return rc;
	rp->kind = VFS_REDIRECT_WALK;
	rp->len = (uint16_t)w->restlen;
	c->rep.len = sizeof(*rp);
	c->rep.nhandles = 1;
	c->rep.handles[0] = h;
	return VFS_REDIRECT;
}

/* Ops with two paths cannot follow a redirect: another server's file system is another device. */
static int
no_redirect(int rc)
{
	return rc == VFS_REDIRECT ? -FERRY_EXDEV : rc;
}

/* The object a request names: path, or the description itself for an empty path with AT_EMPTY_PATH. */
int
vfs_walk_obj(const struct vfs_ctx *x, struct srv_call *c, const struct vfs_names *nm,
             const char *path, uint32_t flags, bool follow, struct node **out)
{
	struct walk w;
	int rc;

	if (nm->len == 0 && (flags & VFS_AT_EMPTY_PATH)) {
		node_ref(x->start);
		*out = x->start;
		return 0;
	}
	rc = vfs_walk(vfs_root, x->start, path, nm->len, follow ? WALK_FOLLOW : 0, &x->cred, &w);
	if (rc == VFS_REDIRECT)
		return vfs_redirect_walk(c, nm, &w);
	if (rc)
		return rc;
	*out = w.node;
	return 0;
}

int
vfs_walk_parent(const struct vfs_ctx *x, struct srv_call *c, const struct vfs_names *nm,
                struct node *start, const char *path, size_t len, struct walk *w)
{
	int rc = vfs_walk(vfs_root, start, path, len, WALK_PARENT, &x->cred, w);
	if (rc == VFS_REDIRECT)
		return c ? vfs_redirect_walk(c, nm, w) : -FERRY_EXDEV;
	return rc;
}

#define walk_obj(c, p, len, flags, follow, out)                                                    \
	vfs_walk_obj(x, (c), &SRV_REQ(c, struct vfs_names)[0], (p), (flags), (follow), (out))
#define walk_parent(c, start, p, len, w)                                                           \
	vfs_walk_parent(x, (c), &SRV_REQ(c, struct vfs_names)[0], (start), (p), (len), (w))

/* A device or FIFO another server serves: the client opens it there (VFS_REDIRECT_OPEN). */
static int
redirect_open(struct srv_call *c, struct node *n, uint32_t flags)
{
	struct vfs_redirect_rep *rp = SRV_REP(c, struct vfs_redirect_rep);
	uint32_t op, obj;
	handle_t h;
	int rc;
	(void)flags;

	if ((rc = fwd_find(n, &h, &op, &obj)))
		return rc;
	rp->kind = VFS_REDIRECT_OPEN;
	rp->op = op;
	rp->obj = obj;
	rp->id = ((uint64_t)n->dev << 32) | n->ino;
	rp->mode = n->mode;
	c->rep.len = sizeof(*rp);
	c->rep.nhandles = 1;
	c->rep.handles[0] = h;
	return VFS_REDIRECT;
}

static int
open_node(const struct vfs_ctx *x, struct srv_call *c, struct node *n, uint32_t flags, bool created)
{
	struct vfs_open_rep *rp = SRV_REP(c, struct vfs_open_rep);
	uint32_t acc = flags & VFS_O_ACCMODE;
	uint32_t port;
	int rc;

	if ((flags & VFS_O_DIRECTORY) && !node_is(n, VFS_S_IFDIR))
		return -FERRY_ENOTDIR;
	if (!(flags & VFS_O_PATH)) {
		if (node_is(n, VFS_S_IFLNK))
			return -FERRY_ELOOP; /* O_NOFOLLOW met a symlink */
		if (node_is(n, VFS_S_IFDIR) && (acc != VFS_O_RDONLY || (flags & VFS_O_CREAT)))
			return -FERRY_EISDIR;
		if (!created) {
			unsigned want =
			        (acc != VFS_O_WRONLY ? 4 : 0) | (acc != VFS_O_RDONLY ? 2 : 0);
			if ((flags & VFS_O_TRUNC) && acc == VFS_O_RDONLY)
				want |= 2;
			if ((rc = vfs_permit(n, &x->cred, want)))
				return rc;
		}
		if (node_is(n, VFS_S_IFCHR) || node_is(n, VFS_S_IFBLK)) {
			if ((rc = dev_open(n)) == -FERRY_ENXIO)
				return redirect_open(c, n, flags);
			if (rc)
				return rc;
		} else if (node_is(n, VFS_S_IFIFO)) {
			return redirect_open(c, n, flags);
		} else if (node_is(n, VFS_S_IFSOCK)) {
			return -FERRY_ENXIO; /* sockets are connected to, not opened */
		}
		if ((flags & VFS_O_TRUNC) && node_is(n, VFS_S_IFREG) && acc != VFS_O_RDONLY &&
		    (rc = reg_truncate(n, 0)))
			return rc;
	}
	if ((rc = desc_open(n, flags & ~(uint32_t)VFS_O_CLOEXEC, &port, NULL)))
		return rc;
	rp->mode = n->mode;
	rp->ino = n->ino;
	c->rep.nhandles = 1;
	c->rep.handles[0] = port;
	return 0;
}

int
on_vfs_open(void *state, struct srv_call *c)
{
	const struct vfs_open_req *rq = SRV_REQ(c, struct vfs_open_req);
	uint32_t flags = rq->flags;
	const char *p, *p2;
	struct node *n;
	struct walk w;
	int rc;
	const struct vfs_ctx *x = state;

	if ((rc = NAMES(c, struct vfs_open_req, &p, &p2)))
		return rc;
	if ((flags & VFS_O_ACCMODE) == VFS_O_ACCMODE)
		return -FERRY_EINVAL;
	if (!(flags & VFS_O_CREAT)) {
		bool follow = !(flags & VFS_O_NOFOLLOW);
		if ((rc = walk_obj(c, p, rq->n.len, 0, follow, &n)))
			return rc;
		rc = open_node(x, c, n, flags, false);
		node_unref(n);
		return rc;
	}
	if ((rc = walk_parent(c, x->start, p, rq->n.len, &w)))
		return rc;
	struct node *dir = w.node;
	bool created = false;
	struct dirent *e = w.namelen ? dir_find(dir, w.name, w.namelen) : NULL;
	if (w.namelen == 0 ||
	    (w.namelen <= 2 && w.name[0] == '.' && (w.namelen == 1 || w.name[1] == '.'))) {
		rc = (flags & VFS_O_EXCL) ? -FERRY_EEXIST : -FERRY_EISDIR;
		goto out;
	}
	if (e) {
		if (flags & VFS_O_EXCL) {
			rc = -FERRY_EEXIST;
			goto out;
		}
		n = e->node;
		if (node_is(n, VFS_S_IFLNK) && !(flags & VFS_O_NOFOLLOW)) {
			if ((rc = walk_obj(c, p, rq->n.len, 0, true, &n)))
				goto out;
		} else {
			node_ref(n);
		}
		if (w.trailing_slash && !node_is(n, VFS_S_IFDIR)) {
			node_unref(n);
			rc = -FERRY_ENOTDIR;
			goto out;
		}
	} else {
		if (w.trailing_slash) {
			rc = -FERRY_EISDIR;
			goto out;
		}
		if ((rc = tmpfs_mknode(dir, w.name, w.namelen, VFS_S_IFREG | (rq->mode & 07777), 0,
		                       &x->cred, &n)))
			goto out;
		created = true;
	}
	rc = open_node(x, c, n, flags, created);
	node_unref(n);
out:
	node_unref(dir);
	return rc;
}

static int
make(const struct vfs_ctx *x, struct srv_call *c, uint32_t mode, uint64_t rdev)
{
	const struct vfs_mode_req *rq = SRV_REQ(c, struct vfs_mode_req);
	const char *p, *p2;
	struct node *n;
	struct walk w;
	int rc;

	if ((rc = NAMES(c, struct vfs_mode_req, &p, &p2)))
		return rc;
	if ((rc = walk_parent(c, x->start, p, rq->n.len, &w)))
		return rc;
	if (w.trailing_slash && (mode & VFS_S_IFMT) != VFS_S_IFDIR) {
		rc = dir_find(w.node, w.name, w.namelen) ? -FERRY_EEXIST : -FERRY_ENOENT;
		goto out;
	}
	if ((rc = tmpfs_mknode(w.node, w.name, w.namelen, mode, rdev, &x->cred, &n)) == 0)
		node_unref(n);
out:
	node_unref(w.node);
	return rc;
}

int
on_vfs_mkdir(void *state, struct srv_call *c)
{
	const struct vfs_ctx *x = state;
	return make(x, c, VFS_S_IFDIR | (SRV_REQ(c, struct vfs_mode_req)->mode & 07777), 0);
}

int
on_vfs_mknod(void *state, struct srv_call *c)
{
	const struct vfs_mode_req *rq = SRV_REQ(c, struct vfs_mode_req);
	uint32_t type = rq->mode & VFS_S_IFMT;
	const struct vfs_ctx *x = state;
	if (type == 0)
		type = VFS_S_IFREG;
	if (type != VFS_S_IFREG && type != VFS_S_IFIFO && type != VFS_S_IFCHR &&
	    type != VFS_S_IFBLK && type != VFS_S_IFSOCK)
		return -FERRY_EINVAL;
	return make(x, c, type | (rq->mode & 07777), rq->dev);
}

int
on_vfs_unlink(void *state, struct srv_call *c)
{
	const struct vfs_path_req *rq = SRV_REQ(c, struct vfs_path_req);
	bool rmdir = rq->flags & VFS_AT_REMOVEDIR;
	const char *p, *p2;
	struct walk w;
	int rc;
	const struct vfs_ctx *x = state;

	if ((rc = NAMES(c, struct vfs_path_req, &p, &p2)))
		return rc;
	if ((rc = walk_parent(c, x->start, p, rq->n.len, &w)))
		return rc;
	struct dirent *e = w.namelen ? dir_find(w.node, w.name, w.namelen) : NULL;
	if (e && w.trailing_slash && !node_is(e->node, VFS_S_IFDIR))
		rc = -FERRY_ENOTDIR;
	else
		rc = tmpfs_unlink(w.node, w.name, w.namelen, rmdir, &x->cred);
	node_unref(w.node);
	return rc;
}

/* The directory node of the description whose port the client passed. */
static int
other_dir(struct srv_call *c, struct node **out)
{
	struct ferry_handle_info info;
	handle_t h = c->req->handles[0];
	int rc = (int)ferry_sys_handle_info(h, &info);
	ferry_sys_handle_close(h);
	if (rc)
		return rc;
	struct desc *d = desc_by_koid(info.koid);
	if (!d)
		return -FERRY_EXDEV; /* not one of ours: another server's file system */
	*out = d->node;
	return 0;
}

int
on_vfs_rename(void *state, struct srv_call *c)
{
	const struct vfs_path2_req *rq = SRV_REQ(c, struct vfs_path2_req);
	const char *p1, *p2;
	struct node *ndir_start;
	struct walk ow, nw;
	int rc;
	const struct vfs_ctx *x = state;

	if ((rc = other_dir(c, &ndir_start)))
		return rc;
	if ((rc = NAMES(c, struct vfs_path2_req, &p1, &p2)))
		return rc;
	if ((rc = vfs_walk_parent(x, NULL, NULL, x->start, p1, rq->n.len, &ow)))
		return rc;
	if ((rc = vfs_walk_parent(x, NULL, NULL, ndir_start, p2, rq->n.len2, &nw)))
		goto out_old;
	struct dirent *e = ow.namelen ? dir_find(ow.node, ow.name, ow.namelen) : NULL;
	if (e && !node_is(e->node, VFS_S_IFDIR) && (ow.trailing_slash || nw.trailing_slash))
		rc = -FERRY_ENOTDIR;
	else
		rc = tmpfs_rename(ow.node, ow.name, ow.namelen, nw.node, nw.name, nw.namelen,
		                  &x->cred);
	node_unref(nw.node);
out_old:
	node_unref(ow.node);
	return rc;
}

int
on_vfs_link(void *state, struct srv_call *c)
{
	const struct vfs_path2_req *rq = SRV_REQ(c, struct vfs_path2_req);
	const char *p1, *p2;
	struct node *ndir_start, *n;
	struct walk nw;
	int rc;
	const struct vfs_ctx *x = state;

	if ((rc = other_dir(c, &ndir_start)))
		return rc;
	if ((rc = NAMES(c, struct vfs_path2_req, &p1, &p2)))
		return rc;
	if ((rc = walk_obj(c, p1, rq->n.len, rq->flags, rq->flags & VFS_AT_SYMLINK_FOLLOW, &n))) {
		if (rc == VFS_REDIRECT) {
			ferry_sys_handle_close(c->rep.handles[0]);
			c->rep.nhandles = 0;
			c->rep.len = sizeof(struct ferry_status_rep);
		}
		return no_redirect(rc);
	}
	if ((rc = vfs_walk_parent(x, NULL, NULL, ndir_start, p2, rq->n.len2, &nw)))
		goto out_n;
	if (nw.trailing_slash && !node_is(n, VFS_S_IFDIR))
		rc = dir_find(nw.node, nw.name, nw.namelen) ? -FERRY_EEXIST : -FERRY_ENOENT;
	else
		rc = tmpfs_link(n, nw.node, nw.name, nw.namelen, &x->cred);
	node_unref(nw.node);
out_n:
	node_unref(n);
	return rc;
}

int
on_vfs_symlink(void *state, struct srv_call *c)
{
	const struct vfs_path2_req *rq = SRV_REQ(c, struct vfs_path2_req);
	const char *target, *p2;
	struct node *n;
	struct walk w;
	int rc;
	const struct vfs_ctx *x = state;

	if ((rc = NAMES(c, struct vfs_path2_req, &target, &p2)))
		return rc;
	if (rq->n.len == 0)
		return -FERRY_ENOENT;
	if (strnlen(target, rq->n.len) != rq->n.len)
		return -FERRY_EINVAL;
	if ((rc = vfs_walk_parent(x, NULL, NULL, x->start, p2, rq->n.len2, &w)))
		return rc;
	if (w.trailing_slash) {
		rc = dir_find(w.node, w.name, w.namelen) ? -FERRY_EEXIST : -FERRY_ENOENT;
	} else if ((rc = tmpfs_mknode(w.node, w.name, w.namelen, VFS_S_IFLNK | 0777, 0, &x->cred,
	                              &n)) == 0) {
		if ((rc = lnk_set(n, target, rq->n.len)))
			(void)tmpfs_unlink(w.node, w.name, w.namelen, false, &x->cred);
		node_unref(n);
	}
	node_unref(w.node);
	return rc;
}

/* Replies text: inline (first FILE_INLINE_MAX bytes) and whole in the area if given. */
int
reply_text(struct srv_call *c, const struct vfs_names *names, const char *text, size_t len)
{
	struct vfs_text_rep *rp = SRV_REP(c, struct vfs_text_rep);
	void *area;
	int rc;

	if (names->xfer) {
		if ((rc = desc_xfer(DESC(c), names->xfer, names->xfer_off, len, &area)))
			return rc;
		memcpy(area, text, len);
	}
	rp->len = (uint32_t)len;
	memcpy(rp->data, text, len < FILE_INLINE_MAX ? len : FILE_INLINE_MAX);
	return 0;
}

int
on_vfs_readlink(void *state, struct srv_call *c)
{
	const struct vfs_path_req *rq = SRV_REQ(c, struct vfs_path_req);
	const char *p, *p2;
	struct node *n;
	int rc;
	const struct vfs_ctx *x = state;

	if ((rc = NAMES(c, struct vfs_path_req, &p, &p2)))
		return rc;
	if ((rc = walk_obj(c, p, rq->n.len, rq->flags, false, &n)))
		return rc;
	if (!node_is(n, VFS_S_IFLNK))
		rc = -FERRY_EINVAL;
	else
		rc = reply_text(c, &rq->n, n->lnk.target, n->lnk.len);
	if (!rc)
		n->atime = vfs_now();
	node_unref(n);
	return rc;
}

int
on_vfs_stat(void *state, struct srv_call *c)
{
	const struct vfs_path_req *rq = SRV_REQ(c, struct vfs_path_req);
	const char *p, *p2;
	struct node *n;
	int rc;
	const struct vfs_ctx *x = state;

	if ((rc = NAMES(c, struct vfs_path_req, &p, &p2)))
		return rc;
	if ((rc = walk_obj(c, p, rq->n.len, rq->flags, !(rq->flags & VFS_AT_SYMLINK_NOFOLLOW), &n)))
		return rc;
	node_stat(n, &SRV_REP(c, struct vfs_stat_rep)->st);
	node_unref(n);
	return 0;
}

/*
 * chmod: the owner or root.  The set-group-ID bit of a file goes when the
 * caller is neither root nor in the file's group (POSIX, Linux).
 */
int
on_vfs_chmod(void *state, struct srv_call *c)
{
	const struct vfs_mode_req *rq = SRV_REQ(c, struct vfs_mode_req);
	const struct vfs_ctx *x = state;
	const char *p, *p2;
	struct node *n;
	int rc;

	if ((rc = NAMES(c, struct vfs_mode_req, &p, &p2)))
		return rc;
	if ((rc = walk_obj(c, p, rq->n.len, rq->flags, !(rq->flags & VFS_AT_SYMLINK_NOFOLLOW), &n)))
		return rc;
	uint32_t mode = rq->mode & 07777;
	if (node_is(n, VFS_S_IFLNK))
		rc = -FERRY_ENOTSUP; /* Linux: links have no mode of their own */
	else if (!cred_is_root(&x->cred) && x->cred.uid != n->uid)
		rc = -FERRY_EPERM;
	else if (!cred_is_root(&x->cred) && !node_is(n, VFS_S_IFDIR) &&
	         !cred_in_group(&x->cred, n->gid))
		mode &= ~(uint32_t)02000;
	if (!rc) {
		n->mode = (n->mode & VFS_S_IFMT) | mode;
		n->ctime = vfs_now();
	}
	node_unref(n);
	return rc;
}

/*
 * chown: root changes anything; the owner may change only the group, to
 * one of its own groups.  Set-id bits of a non-directory go.
 */
int
on_vfs_chown(void *state, struct srv_call *c)
{
	const struct vfs_chown_req *rq = SRV_REQ(c, struct vfs_chown_req);
	const struct vfs_ctx *x = state;
	const char *p, *p2;
	struct node *n;
	int rc;

	if ((rc = NAMES(c, struct vfs_chown_req, &p, &p2)))
		return rc;
	if ((rc = walk_obj(c, p, rq->n.len, rq->flags, !(rq->flags & VFS_AT_SYMLINK_NOFOLLOW), &n)))
		return rc;
	if (!cred_is_root(&x->cred) &&
	    (x->cred.uid != n->uid || (rq->uid != UINT32_MAX && rq->uid != n->uid) ||
	     (rq->gid != UINT32_MAX && rq->gid != n->gid && !cred_in_group(&x->cred, rq->gid)))) {
		rc = -FERRY_EPERM;
	} else {
		if (rq->uid != UINT32_MAX)
			n->uid = rq->uid;
		if (rq->gid != UINT32_MAX)
			n->gid = rq->gid;
		if (!node_is(n, VFS_S_IFDIR) && (rq->uid != UINT32_MAX || rq->gid != UINT32_MAX))
			n->mode &= ~(uint32_t)06000; /* chown clears set-id bits */
		n->ctime = vfs_now();
	}
	node_unref(n);
	return rc;
}

/*
 * utimensat: explicit times need the owner or root (EPERM); "now" for
 * both needs the owner, root or write permission (EACCES); OMIT for both
 * changes nothing and needs nothing.
 */
int
on_vfs_utimens(void *state, struct srv_call *c)
{
	const struct vfs_utimens_req *rq = SRV_REQ(c, struct vfs_utimens_req);
	const struct vfs_ctx *x = state;
	const char *p, *p2;
	struct node *n;
	int rc;

	if ((rc = NAMES(c, struct vfs_utimens_req, &p, &p2)))
		return rc;
	if ((rc = walk_obj(c, p, rq->n.len, rq->flags, !(rq->flags & VFS_AT_SYMLINK_NOFOLLOW), &n)))
		return rc;
	bool omit = rq->atime_ns == VFS_UTIME_OMIT && rq->mtime_ns == VFS_UTIME_OMIT;
	bool now = (rq->atime_ns == VFS_UTIME_NOW || rq->atime_ns == VFS_UTIME_OMIT) &&
	           (rq->mtime_ns == VFS_UTIME_NOW || rq->mtime_ns == VFS_UTIME_OMIT);
	bool owner = cred_is_root(&x->cred) || x->cred.uid == n->uid;
	if (omit)
		goto out;
	if (!owner && !now) {
		rc = -FERRY_EPERM;
		goto out;
	}
	if (!owner && (rc = vfs_permit(n, &x->cred, 2)))
		goto out;
	int64_t t = vfs_now();
	if (rq->atime_ns != VFS_UTIME_OMIT)
		n->atime = rq->atime_ns == VFS_UTIME_NOW ? t : rq->atime_ns;
	if (rq->mtime_ns != VFS_UTIME_OMIT)
		n->mtime = rq->mtime_ns == VFS_UTIME_NOW ? t : rq->mtime_ns;
	n->ctime = t;
out:
	node_unref(n);
	return rc;
}

/* access/faccessat: the real ids, or the effective ones with AT_EACCESS. */
int
on_vfs_access(void *state, struct srv_call *c)
{
	const struct vfs_path_req *rq = SRV_REQ(c, struct vfs_path_req);
	const struct vfs_ctx *x = state;
	const char *p, *p2;
	struct node *n;
	int rc;

	if (rq->mode & ~7u)
		return -FERRY_EINVAL;
	if ((rc = NAMES(c, struct vfs_path_req, &p, &p2)))
		return rc;
	/* The walk searches with the ids the check uses (Linux: access
	 * switches to the real ids for the whole lookup). */
	struct vfs_ctx rx = *x;
	if (!(rq->flags & VFS_AT_EACCESS)) {
		rx.cred.uid = x->ruid;
		rx.cred.gid = x->rgid;
	}
	if ((rc = vfs_walk_obj(&rx, c, &rq->n, p, rq->flags, !(rq->flags & VFS_AT_SYMLINK_NOFOLLOW),
	                       &n)))
		return rc;
	rc = vfs_permit(n, &rx.cred, rq->mode);
	node_unref(n);
	return rc;
}

int
on_vfs_statfs(void *state, struct srv_call *c)
{
	const struct vfs_path_req *rq = SRV_REQ(c, struct vfs_path_req);
	struct vfs_statfs_rep *rp = SRV_REP(c, struct vfs_statfs_rep);
	const char *p, *p2;
	struct node *n;
	uint64_t pages = 0;
	int rc;
	const struct vfs_ctx *x = state;

	if ((rc = NAMES(c, struct vfs_path_req, &p, &p2)))
		return rc;
	if ((rc = walk_obj(c, p, rq->n.len, rq->flags | (rq->n.len ? 0 : VFS_AT_EMPTY_PATH), true,
	                   &n)))
		return rc;
	rp->fsid = n->dev;
	node_unref(n);
	(void)ferry_sys_kernel_info(FERRY_INFO_FREE_PAGES, &pages);
	rp->type = 0x01021994; /* TMPFS_MAGIC */
	rp->bsize = 4096;
	rp->blocks = pages;
	rp->bfree = pages;
	rp->files = 1u << 20;
	rp->ffree = 1u << 20;
	rp->namemax = VFS_NAME_MAX;
	return 0;
}

int
on_vfs_getpath(void *state, struct srv_call *c)
{
	const struct vfs_path_req *rq = SRV_REQ(c, struct vfs_path_req);
	static char buf[VFS_PATH_MAX];
	const char *p, *p2, *text;
	struct node *n;
	size_t len;
	int rc;
	const struct vfs_ctx *x = state;

	if ((rc = NAMES(c, struct vfs_path_req, &p, &p2)))
		return rc;
	if ((rc = walk_obj(c, p, rq->n.len, rq->flags | (rq->n.len ? 0 : VFS_AT_EMPTY_PATH), true,
	                   &n)))
		return rc;
	if (!node_is(n, VFS_S_IFDIR))
		rc = -FERRY_ENOTDIR;
	else if (n->nlink == 0)
		rc = -FERRY_ENOENT;
	else
		rc = vfs_node_path(n, buf, sizeof(buf), &text, &len);
	if (!rc)
		rc = reply_text(c, &rq->n, text, len);
	node_unref(n);
	return rc;
}
