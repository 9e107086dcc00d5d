// SPDX-License-Identifier: MIT
/*
 * procfs's protocols (docs/procmgr.md "/proc", docs/proto/vfs.md "Mounts
 * served by other servers"): the vfs path ops that libposix sends after a
 * VFS_REDIRECT_WALK into /proc, and the file ops on what they open.  Each
 * open procfs object is a description with its own port (key with
 * PFS_KEY_BIT); the port vfs holds for the mount is the description of
 * the root.  A process's own port also answers the vfs ops, as "procfs
 * seen by that process": that is where "self" resolves, since a shared
 * procfs port cannot tell who is asking (VFS_REDIRECT_SELF sends the
 * client there).  Files are rendered once, at open, into the
 * description, so reads in pieces see one consistent text (as Linux's
 * seq_file); directories are listed live.
 *
 * Entry points: procfs_mount (PROC_CTL_PROCFS), procfs_dispatch (the proc
 * server's on_other), procfs_gone (no-senders of a description).
 *
 * Ownership: a description owns a MANAGE-only handle to its port, its
 * rendered text and the mapping of an attached transfer area; the
 * client's send handles hold it open, and it ends at no-senders.
 */
#include "procmgr.h"
#include <pmctl.h>
#include <lib/fmt.h>

#define NDESC      256
#define POLLIN     0x1
#define POLLRDNORM 0x40

struct pfs_desc {
	bool used;
	uint16_t gen;
	struct pfs_node node;
	uint32_t flags;  /* open flags */
	uint64_t offset; /* files: byte offset; directories: readdir cookie */
	handle_t port;   /* MANAGE only */
	char *text;      /* files: rendered at open (umap_anon) */
	size_t len, textcap;
	uintptr_t area; /* transfer area mapped here, 0: none */
	uint64_t areasize;
	uint32_t areaid;
};

static struct pfs_desc descs[NDESC];
static uint32_t area_seq = 0x5a17;
handle_t procfs_vfs_root;
static handle_t procfs_vfs_pub; /* "/" of vfs as anyone may hold it */

static port_key_t
desc_key(const struct pfs_desc *d)
{
	return PFS_KEY_BIT | ((uint64_t)d->gen << 32) | (uint64_t)(d - descs);
}

static struct pfs_desc *
desc_by_key(port_key_t key)
{
	if (!(key & PFS_KEY_BIT))
		return NULL;
	uint64_t i = key & 0xffffffffu;
	if (i >= NDESC || !descs[i].used || descs[i].gen != (uint16_t)(key >> 32))
		return NULL;
	return &descs[i];
}

static void
desc_free(struct pfs_desc *d)
{
	if (d->port) {
		ferry_sys_port_destroy(d->port);
		ferry_sys_handle_close(d->port);
	}
	if (d->text)
		uunmap(d->text, d->textcap);
	if (d->area)
		ferry_sys_vm_unmap(0, d->area, d->areasize);
	uint16_t gen = d->gen;
	memset(d, 0, sizeof(*d));
	d->gen = gen;
}

void
procfs_gone(port_key_t key)
{
	struct pfs_desc *d = desc_by_key(key);
	if (d)
		desc_free(d);
}

/*
 * A new description of node n: renders a file's text now, creates the
 * port and returns a send handle to it in *send.  -ENFILE (table full),
 * the rendering's error, or the kernel's.
 */
static int
desc_new(struct pfs_node n, uint32_t flags, handle_t *send)
{
	static char scratch[PFS_TEXT_MAX];
	struct pfs_desc *d = NULL;
	for (int i = 0; i < NDESC && !d; i++)
		if (!descs[i].used)
			d = &descs[i];
	if (!d)
		return -FERRY_ENFILE;
	d->used = true;
	d->gen++;
	d->node = n;
	d->flags = flags;
	int rc = 0;
	if (!pfs_is_dir(n)) {
		if ((rc = pfs_render(n, scratch, sizeof(scratch))) < 0)
			goto fail;
		d->len = (size_t)rc;
		d->textcap = (d->len + 4095) & ~(size_t)4095;
		if (d->textcap) {
			if (!(d->text = umap_anon(d->textcap))) {
				d->textcap = 0;
				rc = -FERRY_ENOMEM;
				goto fail;
			}
			memcpy(d->text, scratch, d->len);
		}
	}
	handle_t full;
	if ((rc = (int)ferry_sys_port_create(procmgr_queue, desc_key(d), &full)))
		goto fail;
	rc = (int)ferry_sys_handle_dup(full, FERRY_RIGHT_MANAGE, &d->port);
	if (!rc)
		rc = (int)ferry_sys_handle_dup(
		        full, FERRY_RIGHT_SEND | FERRY_RIGHT_DUP | FERRY_RIGHT_TRANSFER, send);
	if (rc && !d->port)
		ferry_sys_port_destroy(full);
	ferry_sys_handle_close(full);
	if (rc)
		goto fail;
	return 0;
fail:
	desc_free(d);
	return rc;
}

/* ---- vfs ops ---- */

/* Where a request's path starts and who asks (0: unknown). */
struct pfs_from {
	struct pfs_node start;
	int caller;
};

static int
from_key(port_key_t key, struct pfs_from *f)
{
	struct pfs_desc *d = desc_by_key(key);
	if (d) {
		f->start = d->node;
		f->caller = 0;
		return 0;
	}
	struct proc *p = proc_by_key(key);
	if (!p || p->state != PROC_LIVE)
		return -FERRY_EACCES;
	f->start = (struct pfs_node){PFS_ROOT, 0, 0, 0};
	f->caller = p->pid;
	return 0;
}

/* Path 1 of a request whose names[] start at byte names_off (inline only:
 * procfs paths are short; longer ones get ENAMETOOLONG). */
static int
req_path(const struct srv_call *c, size_t names_off, const char **path, size_t *len)
{
	struct vfs_names n;
	memcpy(&n, c->req->data, sizeof(n));
	if (n.xfer || n.len2)
		return -FERRY_ENAMETOOLONG;
	if (names_off + n.len > c->req->len || names_off + n.len > FERRY_MSG_INLINE_MAX)
		return -FERRY_EINVAL;
	*path = (const char *)c->req->data + names_off;
	*len = n.len;
	if (strnlen(*path, *len) != *len)
		return -FERRY_EINVAL; /* a NUL inside the path */
	return 0;
}

/* Redirect replies: on to the caller's process port (self), or out of /proc. */
static int
redirect(struct srv_call *c, uint16_t kind, const char *rest, size_t len)
{
	struct vfs_redirect_rep *r = SRV_REP(c, struct vfs_redirect_rep);
	if (len == 0 || len > sizeof(r->rest))
		return -FERRY_ENAMETOOLONG;
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->len = (uint16_t)len;
	memcpy(r->rest, rest, len);
	c->rep.len = sizeof(*r);
	if (kind == VFS_REDIRECT_WALK) {
		handle_t h;
		int rc;
		if (!procfs_vfs_pub)
			return -FERRY_ENOENT;
		if ((rc = (int)ferry_sys_handle_dup(procfs_vfs_pub, FERRY_RIGHT_SAME, &h)))
			return rc;
		c->rep.nhandles = 1;
		c->rep.handles[0] = h;
	}
	return VFS_REDIRECT;
}

/*
 * The walk shared by every path op: 0 with *n, or the status to answer
 * (an error or a redirect already built in the reply), or PFS_WALK_FD
 * (*n: a descriptor link followed to an object without a path, the
 * caller known).
 */
static int
walk_fd(struct srv_call *c, size_t names_off, uint32_t flags, bool follow, struct pfs_node *n,
        int *caller)
{
	struct pfs_from f;
	const char *path;
	size_t len, rest_at = 0;
	char out[VFS_PATH_MAX];
	int rc;
	if ((rc = from_key(c->key, &f)) || (rc = req_path(c, names_off, &path, &len)))
		return rc;
	if (len == 0 && !(flags & VFS_AT_EMPTY_PATH))
		return -FERRY_ENOENT;
	*caller = f.caller;
	rc = pfs_walk(f.caller, f.start, path, len, follow, n, &rest_at, out, sizeof(out));
	if (rc == PFS_WALK_SELF)
		return redirect(c, VFS_REDIRECT_SELF, path + rest_at, len - rest_at);
	if (rc == PFS_WALK_OUT) {
		/* An absolute target: vfs walks it from its root. */
		const char *o = out;
		while (*o == '/')
			o++;
		return redirect(c, VFS_REDIRECT_WALK, *o ? o : ".", *o ? strlen(o) : 1);
	}
	if (rc == PFS_WALK_FD) {
		/* A descriptor followed to a pipe or socket: only its owner can
		 * reach it (VFS_REDIRECT_FD), and we must know who asks. */
		if (!f.caller) {
			int w = usnprintf(out, sizeof(out), "%d/fd/%d", n->pid, n->fd);
			return redirect(c, VFS_REDIRECT_SELF, out, (size_t)w);
		}
		return PFS_WALK_FD;
	}
	return rc;
}

/* walk_fd for the ops that act on a descriptor link itself. */
static int
walk(struct srv_call *c, size_t names_off, uint32_t flags, bool follow, struct pfs_node *n,
     int *caller)
{
	int rc = walk_fd(c, names_off, flags, follow, n, caller);
	return rc == PFS_WALK_FD ? 0 : rc;
}

int
on_pfs_open(void *state, struct srv_call *c)
{
	(void)state;
	const struct vfs_open_req *q = SRV_REQ(c, struct vfs_open_req);
	struct pfs_node n;
	int caller, rc;
	bool nofollow = q->flags & VFS_O_NOFOLLOW;
	rc = walk_fd(c, offsetof(struct vfs_open_req, names), 0, !nofollow, &n, &caller);
	if (rc == PFS_WALK_FD) {
		/* The caller's own descriptor: it duplicates it.  Another's: no way in. */
		if (q->flags & VFS_O_DIRECTORY)
			return -FERRY_ENOTDIR;
		if (caller != n.pid)
			return -FERRY_ENXIO;
		struct vfs_redirect_rep *r = SRV_REP(c, struct vfs_redirect_rep);
		memset(r, 0, sizeof(*r));
		r->kind = VFS_REDIRECT_FD;
		r->obj = (uint32_t)n.fd;
		c->rep.len = sizeof(*r);
		return VFS_REDIRECT;
	}
	if (rc)
		return rc;
	if (q->flags & VFS_O_CREAT && q->flags & VFS_O_EXCL)
		return -FERRY_EEXIST;
	if (!(q->flags & VFS_O_PATH)) {
		struct file_stat st;
		pfs_stat(n, &st);
		if ((st.mode & VFS_S_IFMT) == VFS_S_IFLNK)
			return -FERRY_ELOOP; /* O_NOFOLLOW on self or exe */
		if ((q->flags & VFS_O_ACCMODE) != VFS_O_RDONLY || q->flags & VFS_O_TRUNC)
			return pfs_is_dir(n) ? -FERRY_EISDIR : -FERRY_EACCES;
		if (q->flags & VFS_O_DIRECTORY && !pfs_is_dir(n))
			return -FERRY_ENOTDIR;
	}
	handle_t send;
	if ((rc = desc_new(n, q->flags, &send)))
		return rc;
	struct vfs_open_rep *r = SRV_REP(c, struct vfs_open_rep);
	struct file_stat st;
	pfs_stat(n, &st);
	r->mode = st.mode;
	r->ino = st.ino;
	c->rep.nhandles = 1;
	c->rep.handles[0] = send;
	return 0;
}

int
on_pfs_stat(void *state, struct srv_call *c)
{
	(void)state;
	const struct vfs_path_req *q = SRV_REQ(c, struct vfs_path_req);
	struct pfs_node n;
	int caller, rc;
	rc = walk_fd(c, offsetof(struct vfs_path_req, names), q->flags,
	             !(q->flags & VFS_AT_SYMLINK_NOFOLLOW), &n, &caller);
	if (rc == PFS_WALK_FD) {
		pfs_stat_target(n, &SRV_REP(c, struct vfs_stat_rep)->st);
		return 0;
	}
	if (rc)
		return rc;
	pfs_stat(n, &SRV_REP(c, struct vfs_stat_rep)->st);
	return 0;
}

/* A text reply (readlink, getpath): inline, and in the area if one is named. */
static int
text_reply(struct srv_call *c, const char *text, size_t len)
{
	const struct vfs_path_req *q = SRV_REQ(c, struct vfs_path_req);
	struct vfs_text_rep *r = SRV_REP(c, struct vfs_text_rep);
	r->len = (uint32_t)len;
	memcpy(r->data, text, len < FILE_INLINE_MAX ? len : FILE_INLINE_MAX);
	if (len > FILE_INLINE_MAX && q->n.xfer) {
		struct pfs_desc *d = desc_by_key(c->key);
		if (!d || !d->area || q->n.xfer != d->areaid || q->n.xfer_off > d->areasize ||
		    len > d->areasize - q->n.xfer_off)
			return -FERRY_EINVAL;
		memcpy((char *)d->area + q->n.xfer_off, text, len);
	}
	return 0;
}

int
on_pfs_readlink(void *state, struct srv_call *c)
{
	(void)state;
	struct pfs_node n;
	int caller, rc;
	char buf[VFS_PATH_MAX];
	size_t len;
	if ((rc = walk(c, offsetof(struct vfs_path_req, names), 0, false, &n, &caller)))
		return rc;
	if ((rc = pfs_readlink(n, caller, buf, sizeof(buf), &len)))
		return rc;
	return text_reply(c, buf, len);
}

int
on_pfs_access(void *state, struct srv_call *c)
{
	(void)state;
	const struct vfs_path_req *q = SRV_REQ(c, struct vfs_path_req);
	struct pfs_node n;
	int caller, rc;
	if (q->mode & ~7u)
		return -FERRY_EINVAL;
	if ((rc = walk(c, offsetof(struct vfs_path_req, names), q->flags, true, &n, &caller)))
		return rc;
	if (q->mode & 2)
		return -FERRY_EACCES;
	if (q->mode & 1 && !pfs_is_dir(n))
		return -FERRY_EACCES;
	return 0;
}

int
on_pfs_statfs(void *state, struct srv_call *c)
{
	(void)state;
	const struct vfs_path_req *q = SRV_REQ(c, struct vfs_path_req);
	struct pfs_node n;
	int caller, rc;
	if ((rc = walk(c, offsetof(struct vfs_path_req, names), q->flags | VFS_AT_EMPTY_PATH, true,
	               &n, &caller)))
		return rc;
	struct vfs_statfs_rep *r = SRV_REP(c, struct vfs_statfs_rep);
	r->type = 0x9fa0; /* PROC_SUPER_MAGIC */
	r->namemax = VFS_NAME_MAX;
	r->bsize = 4096;
	r->fsid = PFS_DEV;
	r->flags = 1; /* ST_RDONLY */
	return 0;
}

int
on_pfs_getpath(void *state, struct srv_call *c)
{
	(void)state;
	const struct vfs_path_req *q = SRV_REQ(c, struct vfs_path_req);
	struct pfs_node n;
	int caller, rc;
	char below[64], path[128];
	if ((rc = walk(c, offsetof(struct vfs_path_req, names), q->flags | VFS_AT_EMPTY_PATH, true,
	               &n, &caller)))
		return rc;
	if (!pfs_is_dir(n))
		return -FERRY_ENOTDIR;
	pfs_path(n, below, sizeof(below));
	int len = usnprintf(path, sizeof(path), "%s%s", PROCFS_MOUNT_POINT, below);
	return text_reply(c, path, (size_t)len);
}

/* Everything that would change names: /proc is read-only. */
int
on_pfs_rofs(void *state, struct srv_call *c)
{
	(void)state;
	for (unsigned i = 0; i < c->req->nhandles && i < FERRY_MSG_HANDLES_MAX; i++)
		ferry_sys_handle_close(c->req->handles[i]);
	if (c->req->op == VFS_RENAME || c->req->op == VFS_LINK)
		return -FERRY_EXDEV;
	return -FERRY_EROFS;
}

#define on_pfs_mkdir      on_pfs_rofs
#define on_pfs_mknod      on_pfs_rofs
#define on_pfs_unlink     on_pfs_rofs
#define on_pfs_rename     on_pfs_rofs
#define on_pfs_link       on_pfs_rofs
#define on_pfs_symlink    on_pfs_rofs
#define on_pfs_chmod      on_pfs_rofs
#define on_pfs_chown      on_pfs_rofs
#define on_pfs_utimens    on_pfs_rofs
#define on_pfs_mount      on_pfs_rofs
#define on_pfs_umount     on_pfs_rofs
#define on_pfs_mount_port on_pfs_rofs
#define on_pfs_bind       on_pfs_rofs
#define on_pfs_mounts     on_pfs_rofs

/* ---- file ops ---- */

#define NEED_DESC(d, c)                                                                            \
	struct pfs_desc *d = desc_by_key((c)->key);                                                \
	if (!d)                                                                                    \
		return -FERRY_EBADH;

/* The byte range [off, off + len) of d's transfer area, or NULL. */
static char *
area_range(struct pfs_desc *d, uint32_t id, uint64_t off, uint64_t len)
{
	if (!d->area || id != d->areaid || off > d->areasize || len > d->areasize - off)
		return NULL;
	return (char *)d->area + off;
}

int
on_pfs_read(void *state, struct srv_call *c)
{
	(void)state;
	NEED_DESC(d, c);
	const struct file_read_req *q = SRV_REQ(c, struct file_read_req);
	struct file_read_rep *r = SRV_REP(c, struct file_read_rep);
	if (pfs_is_dir(d->node))
		return -FERRY_EISDIR;
	if (d->flags & VFS_O_PATH)
		return -FERRY_EBADH;
	if (q->offset < -1)
		return -FERRY_EINVAL;
	char *dst = (char *)r->data;
	if (q->xfer) {
		if (!(dst = area_range(d, q->xfer, q->xfer_off, q->len)))
			return -FERRY_EINVAL;
	} else if (q->len > FILE_INLINE_MAX) {
		return -FERRY_EINVAL;
	}
	uint64_t off = q->offset == -1 ? d->offset : (uint64_t)q->offset;
	uint64_t n = off < d->len ? d->len - off : 0;
	if (n > q->len)
		n = q->len;
	memcpy(dst, d->text + off, n);
	if (q->offset == -1)
		d->offset = off + n;
	r->len = (uint32_t)n;
	return 0;
}

int
on_pfs_write(void *state, struct srv_call *c)
{
	(void)state;
	NEED_DESC(d, c);
	return -FERRY_EBADH; /* never open for writing */
}

int
on_pfs_seek(void *state, struct srv_call *c)
{
	(void)state;
	NEED_DESC(d, c);
	const struct file_seek_req *q = SRV_REQ(c, struct file_seek_req);
	int64_t base;
	if (pfs_is_dir(d->node)) {
		/* Directories: rewind, or back to a position told before. */
		if (q->whence == 0 && q->offset >= 0)
			d->offset = (uint64_t)q->offset;
		else if (!(q->whence == 1 && q->offset == 0))
			return -FERRY_EINVAL;
		SRV_REP(c, struct file_seek_rep)->offset = (int64_t)d->offset;
		return 0;
	}
	switch (q->whence) {
	case 0:
		base = 0;
		break;
	case 1:
		base = (int64_t)d->offset;
		break;
	case 2:
		base = (int64_t)d->len;
		break;
	default:
		return -FERRY_EINVAL;
	}
	if (q->offset < -base)
		return -FERRY_EINVAL;
	d->offset = (uint64_t)(base + q->offset);
	SRV_REP(c, struct file_seek_rep)->offset = (int64_t)d->offset;
	return 0;
}

int
on_pfs_fstat(void *state, struct srv_call *c)
{
	(void)state;
	NEED_DESC(d, c);
	if (!pfs_valid(d->node))
		return -FERRY_ESRCH; /* its process is gone (Linux: ESRCH) */
	pfs_stat(d->node, &SRV_REP(c, struct file_stat_rep)->st);
	return 0;
}

int
on_pfs_truncate(void *state, struct srv_call *c)
{
	(void)state;
	NEED_DESC(d, c);
	return pfs_is_dir(d->node) ? -FERRY_EISDIR : -FERRY_EINVAL;
}

int
on_pfs_fcntl(void *state, struct srv_call *c)
{
	(void)state;
	NEED_DESC(d, c);
	const struct file_fcntl_req *q = SRV_REQ(c, struct file_fcntl_req);
	if (q->cmd == FILE_FCNTL_GETFL) {
		SRV_REP(c, struct file_fcntl_rep)->value = d->flags & ~(uint32_t)VFS_O_CLOEXEC;
		return 0;
	}
	if (q->cmd == FILE_FCNTL_SETFL) {
		uint32_t ch = VFS_O_APPEND | VFS_O_NONBLOCK;
		d->flags = (d->flags & ~ch) | (q->arg & ch);
		return 0;
	}
	return -FERRY_EINVAL;
}

int
on_pfs_ioctl(void *state, struct srv_call *c)
{
	(void)state;
	NEED_DESC(d, c);
	return -FERRY_ENOTTY;
}

int
on_pfs_poll(void *state, struct srv_call *c)
{
	(void)state;
	ferry_sys_handle_close(c->req->handles[0]);
	NEED_DESC(d, c);
	SRV_REP(c, struct file_poll_rep)->revents = POLLIN | POLLRDNORM; /* never blocks */
	return 0;
}

int
on_pfs_readdir(void *state, struct srv_call *c)
{
	(void)state;
	NEED_DESC(d, c);
	const struct file_readdir_req *q = SRV_REQ(c, struct file_readdir_req);
	struct file_readdir_rep *r = SRV_REP(c, struct file_readdir_rep);
	if (!pfs_is_dir(d->node))
		return -FERRY_ENOTDIR;
	if (d->flags & VFS_O_PATH)
		return -FERRY_EBADH;
	uint8_t *dst = r->data;
	uint64_t room = q->len;
	if (q->xfer) {
		if (!(dst = (uint8_t *)area_range(d, q->xfer, q->xfer_off, q->len)))
			return -FERRY_EINVAL;
	} else if (room > FILE_INLINE_MAX) {
		return -FERRY_EINVAL;
	}
	bool at = q->flags & FILE_READDIR_AT_OFFSET;
	uint64_t cookie = at ? d->offset : q->cookie, next = cookie;
	uint32_t used = 0;
	if (cookie == FILE_READDIR_END)
		goto done;
	for (;;) {
		char name[VFS_NAME_MAX + 1];
		uint8_t type;
		uint64_t ino;
		if (!pfs_readdir(d->node, cookie, name, &type, &ino, &next)) {
			next = FILE_READDIR_END;
			break;
		}
		size_t nl = strlen(name);
		size_t reclen = (sizeof(struct file_dirent) + nl + 7) & ~(size_t)7;
		if (used + reclen > room) {
			if (!used)
				return -FERRY_EINVAL;
			next = cookie;
			break;
		}
		struct file_dirent de = {ino, next, (uint16_t)reclen, type, (uint8_t)nl, 0};
		memset(dst + used, 0, reclen);
		memcpy(dst + used, &de, sizeof(de));
		memcpy(dst + used + sizeof(de), name, nl);
		used += (uint32_t)reclen;
		cookie = next;
	}
done:
	if (at)
		d->offset = next;
	r->len = used;
	r->next = next;
	return 0;
}

int
on_pfs_sync(void *state, struct srv_call *c)
{
	(void)state;
	NEED_DESC(d, c);
	return 0;
}

/* One area per description: procfs clients move little. */
int
on_pfs_xfer_attach(void *state, struct srv_call *c)
{
	(void)state;
	const struct file_xfer_attach_req *q = SRV_REQ(c, struct file_xfer_attach_req);
	handle_t mo = c->req->handles[0];
	struct pfs_desc *d = desc_by_key(c->key);
	int rc;
	if (!d) {
		rc = -FERRY_ENOSYS; /* process ports: paths are short, no area */
		goto out;
	}
	if (!q->size || q->size % 4096 || q->size > FILE_XFER_MAX) {
		rc = -FERRY_EINVAL;
		goto out;
	}
	if (d->area) {
		rc = -FERRY_ENOSPC;
		goto out;
	}
	struct ferry_map_req mr = {0, q->size, FERRY_PROT_READ | FERRY_PROT_WRITE, 0};
	uintptr_t addr;
	if ((rc = (int)ferry_sys_vm_map(0, mo, 0, &mr, &addr)))
		goto out;
	d->area = addr;
	d->areasize = q->size;
	area_seq = area_seq * 1103515245u + 12345u;
	d->areaid = (area_seq >> 8) | 1;
	SRV_REP(c, struct file_xfer_attach_rep)->id = d->areaid;
out:
	ferry_sys_handle_close(mo);
	return rc;
}

/* The file ops on procfs descriptions, named as in file.h's list. */
#define on_pfs_file_read        on_pfs_read
#define on_pfs_file_write       on_pfs_write
#define on_pfs_file_seek        on_pfs_seek
#define on_pfs_file_stat        on_pfs_fstat
#define on_pfs_file_truncate    on_pfs_truncate
#define on_pfs_file_fcntl       on_pfs_fcntl
#define on_pfs_file_ioctl       on_pfs_ioctl
#define on_pfs_file_poll        on_pfs_poll
#define on_pfs_file_readdir     on_pfs_readdir
#define on_pfs_file_sync        on_pfs_sync
#define on_pfs_file_xfer_attach on_pfs_xfer_attach
#define on_pfs_vfs_open         on_pfs_open
#define on_pfs_vfs_mkdir        on_pfs_mkdir
#define on_pfs_vfs_mknod        on_pfs_mknod
#define on_pfs_vfs_unlink       on_pfs_unlink
#define on_pfs_vfs_rename       on_pfs_rename
#define on_pfs_vfs_link         on_pfs_link
#define on_pfs_vfs_symlink      on_pfs_symlink
#define on_pfs_vfs_readlink     on_pfs_readlink
#define on_pfs_vfs_stat         on_pfs_stat
#define on_pfs_vfs_chmod        on_pfs_chmod
#define on_pfs_vfs_chown        on_pfs_chown
#define on_pfs_vfs_utimens      on_pfs_utimens
#define on_pfs_vfs_access       on_pfs_access
#define on_pfs_vfs_statfs       on_pfs_statfs
#define on_pfs_vfs_getpath      on_pfs_getpath
#define on_pfs_vfs_mount        on_pfs_mount
#define on_pfs_vfs_umount       on_pfs_umount
#define on_pfs_vfs_mounts       on_pfs_mounts
#define on_pfs_vfs_bind         on_pfs_bind
#define on_pfs_vfs_mount_port   on_pfs_mount_port

#define PFS_OP_ENTRY(OP, stem, num, req, rep, nh)                                                  \
	[(num)&0xff] = {(srv_handler_fn)on_pfs_##stem, #stem, sizeof(req), sizeof(rep), (nh)},
static const struct srv_op pfs_vfs_ops[] = {VFS_PROTO_MESSAGES(PFS_OP_ENTRY)};
static const struct srv_op pfs_file_ops[] = {FILE_PROTO_MESSAGES(PFS_OP_ENTRY)};

/*
 * Requests outside protocol "proc": vfs ops (on procfs ports and process
 * ports) and file ops (procfs ports) go through their own tables, which
 * check sizes and handle counts as the proc table does; the nested
 * dispatch replies, so the outer one must not.
 */
int
procfs_dispatch(void *state, struct srv_call *c)
{
	(void)state;
	uint32_t op = c->req->op;
	struct srv s = {.queue = procmgr_queue, .state = NULL};
	if (op >= FERRY_PROTO_BASE_VFS && op < FERRY_PROTO_BASE_VFS + FERRY_PROTO_RANGE) {
		s.ops = pfs_vfs_ops;
		s.nops = sizeof(pfs_vfs_ops) / sizeof(pfs_vfs_ops[0]);
		s.base = FERRY_PROTO_BASE_VFS;
	} else if (op >= FERRY_PROTO_BASE_FILE && op < FERRY_PROTO_BASE_FILE + FERRY_PROTO_RANGE &&
	           (c->key & PFS_KEY_BIT)) {
		s.ops = pfs_file_ops;
		s.nops = sizeof(pfs_file_ops) / sizeof(pfs_file_ops[0]);
		s.base = FERRY_PROTO_BASE_FILE;
	} else {
		for (unsigned i = 0; i < c->req->nhandles && i < FERRY_MSG_HANDLES_MAX; i++)
			ferry_sys_handle_close(c->req->handles[i]);
		return -FERRY_ENOSYS;
	}
	srv_dispatch(&s, (struct ferry_msg *)c->req);
	return FERRY_REPLY_LATER;
}

/* A vfs call on port h, moving give (if any); the reply's status (its handles are closed). */
static int
vfs_call(handle_t h, uint32_t op, void *req, size_t len, handle_t give)
{
	struct ferry_msg m;
	memset(&m, 0, sizeof(m));
	m.op = op;
	m.len = (uint16_t)len;
	memcpy(m.data, req, len);
	if (give) {
		m.nhandles = 1;
		m.handles[0] = give;
	}
	int rc = (int)ferry_sys_msg_call(h, &m, FERRY_TIME_INFINITE);
	if (rc)
		return rc;
	int32_t status;
	memcpy(&status, m.data, sizeof(status));
	for (unsigned i = 0; i < m.nhandles && i < FERRY_MSG_HANDLES_MAX; i++)
		ferry_sys_handle_close(m.handles[i]);
	return status;
}

/*
 * Keeps vfsroot (consumed) and mounts procfs at /proc: VFS_MKDIR (an
 * existing directory is fine), then VFS_MOUNT_PORT with a send handle to
 * the root's description.  vfs never calls procmgr, so these calls
 * cannot deadlock.  Returns the mount's status.
 */
int
procfs_mount(handle_t vfsroot)
{
	const char *name = &PROCFS_MOUNT_POINT[1];
	size_t len = strlen(name);
	handle_t send;
	int rc;
	if (procfs_vfs_root) {
		ferry_sys_handle_close(vfsroot);
		return -FERRY_EBUSY;
	}
	procfs_vfs_root = vfsroot;
	struct vfs_mode_req mk;
	memset(&mk, 0, sizeof(mk));
	mk.n.len = (uint16_t)len;
	mk.mode = 0555;
	memcpy(mk.names, name, len);
	rc = vfs_call(vfsroot, VFS_MKDIR, &mk, sizeof(mk), 0);
	if (rc && rc != -FERRY_EEXIST)
		goto fail;
	if ((rc = desc_new((struct pfs_node){PFS_ROOT, 0, 0, 0}, VFS_O_RDONLY | VFS_O_DIRECTORY,
	                   &send)))
		goto fail;
	struct vfs_mount_req mr;
	memset(&mr, 0, sizeof(mr));
	mr.n.len = (uint16_t)len;
	memcpy(mr.type, "proc", 4);
	memcpy(mr.names, name, len);
	if ((rc = vfs_call(vfsroot, VFS_MOUNT_PORT, &mr, sizeof(mr), send)))
		goto fail;
	/* Links out of /proc lead clients to a root of nobody's, never to the
	 * starter's (through which servers act as root: docs/proto/vfs.md
	 * "Credentials"); libposix asks it through its own bound root. */
	if (uvfs_open(vfsroot, "/", VFS_O_PATH | VFS_O_DIRECTORY, FERRY_TIME_INFINITE,
	              &procfs_vfs_pub))
		procfs_vfs_pub = 0;
	return 0;
fail:
	uprintf("procmgr: cannot mount /proc: %s\n", ferry_strerror(rc));
	procfs_vfs_root = 0;
	ferry_sys_handle_close(vfsroot);
	return rc;
}
