// SPDX-License-Identifier: MIT
/*
 * The mount table and forwarded opens.
 *
 * Mounts: a directory of the namespace can be covered by a new tmpfs
 * instance (its own root node and device number, served here) or by a
 * file system another server serves (a send handle to its root directory:
 * walks entering it are redirected there, lookup.c).  vfs_node_path and
 * mounts_text give paths and /proc/mounts across them.
 *
 * Forwarded opens: device numbers (or whole majors), and FIFOs, bound to
 * a server port and the open op it answers (VFS_BIND); opening such a node
 * redirects the client there (docs/proto/vfs.md, "Device and FIFO nodes").
 *
 * Ownership and references: a mount holds a reference to its mount point
 * and to its tmpfs root; a foreign mount and a binding own their handles.
 */
#include <ulib.h>
#include "vfs.h"

struct mount *vfs_mounts;
static uint32_t next_dev = 2;

int
vfs_node_path(struct node *n, char *buf, size_t size, const char **text, size_t *len)
{
	size_t pos = size;
	struct node *cur = n;

	while (cur != vfs_root) {
		struct mount *m = mount_of_root(cur);
		if (m) {
			cur = m->point;
			continue;
		}
		struct node *parent = cur->dir.parent;
		struct dirent *e = parent->dir.first;
		while (e && e->node != cur)
			e = e->next;
		if (!e || parent == cur)
			return -FERRY_ENOENT;
		if (pos < (size_t)e->namelen + 2)
			return -FERRY_ENAMETOOLONG;
		pos -= e->namelen;
		memcpy(buf + pos, e->name, e->namelen);
		buf[--pos] = '/';
		cur = parent;
	}
	if (pos == size)
		buf[--pos] = '/';
	*text = buf + pos;
	*len = size - pos;
	return 0;
}

static int
mount_check(struct node *point)
{
	if (!node_is(point, VFS_S_IFDIR))
		return -FERRY_ENOTDIR;
	if (point == vfs_root || point->dir.mount || point->nlink == 0)
		return -FERRY_EBUSY; /* the root, stacked mounts, a removed directory */
	return 0;
}

static struct mount *
mount_new(struct node *point, const char *type)
{
	struct mount *m = vfs_zalloc(sizeof(*m));
	if (!m)
		return NULL;
	m->point = point;
	strlcpy(m->type, type, sizeof(m->type));
	node_ref(point);
	point->dir.mount = m;
	struct mount **pp = &vfs_mounts;
	while (*pp)
		pp = &(*pp)->next;
	*pp = m;
	return m;
}

int
mount_tmpfs(struct node *point, uint32_t flags)
{
	int rc;
	(void)flags;
	if ((rc = mount_check(point)))
		return rc;
	struct node *root = tmpfs_node_new(VFS_S_IFDIR | 01777, 0, 0);
	if (!root)
		return -FERRY_ENOMEM;
	struct mount *m = mount_new(point, "tmpfs");
	if (!m) {
		vfs_free(root);
		return -FERRY_ENOMEM;
	}
	root->nlink = 2;
	root->dev = m->dev = next_dev++;
	root->dir.mount = m;
	node_ref(root);
	m->root = root;
	return 0;
}

int
mount_foreign(struct node *point, handle_t port, const char *type)
{
	struct ferry_handle_info info;
	int rc;
	if ((rc = mount_check(point)) || (rc = (int)ferry_sys_handle_info(port, &info)))
		goto out_close;
	if (info.type != FERRY_OBJ_PORT) {
		rc = -FERRY_EWRONGTYPE;
		goto out_close;
	}
	struct mount *m = mount_new(point, type);
	if (!m) {
		rc = -FERRY_ENOMEM;
		goto out_close;
	}
	m->port = port;
	m->dev = next_dev++;
	return 0;
out_close:
	ferry_sys_handle_close(port);
	return rc;
}

/* Is anything in the tree below dir held (descriptions, working directories) or mounted on? */
static bool
tree_busy(struct node *dir, bool top)
{
	if (dir->refs > (top ? 1u : 0u) || (!top && dir->dir.mount))
		return true;
	for (struct dirent *e = dir->dir.first; e; e = e->next) {
		struct node *n = e->node;
		if (node_is(n, VFS_S_IFDIR) ? tree_busy(n, false) : n->refs > 0)
			return true;
	}
	return false;
}

static void
tree_free(struct node *dir)
{
	while (dir->dir.first) {
		struct dirent *e = dir->dir.first;
		if (node_is(e->node, VFS_S_IFDIR))
			tree_free(e->node);
		dir_remove(dir, e);
	}
}

int
mount_remove(struct mount *m, bool detach)
{
	if (m->root && !detach && tree_busy(m->root, true))
		return -FERRY_EBUSY;
	for (struct mount **pp = &vfs_mounts; *pp; pp = &(*pp)->next) {
		if (*pp == m) {
			*pp = m->next;
			break;
		}
	}
	m->point->dir.mount = NULL;
	node_unref(m->point);
	if (m->root) {
		m->root->dir.mount = NULL;
		if (!tree_busy(m->root, true)) {
			tree_free(m->root);
			m->root->nlink = 0;
		}
		/* Detached while busy: the tree lives on for its holders (never freed). */
		node_unref(m->root);
	} else {
		ferry_sys_handle_close((handle_t)m->port);
	}
	vfs_free(m);
	return 0;
}

/* Appends len bytes of s to buf[size] at *used; false when full. */
static bool
put(char *buf, size_t size, size_t *used, const char *s, size_t len)
{
	if (size - *used < len)
		return false;
	memcpy(buf + *used, s, len);
	*used += len;
	return true;
}

int
mounts_text(char *buf, size_t size, size_t *len)
{
	static char path[VFS_PATH_MAX];
	static const char opts[] = " rw 0 0\n";
	size_t used = 0;
	bool ok = put(buf, size, &used, "rootfs / tmpfs", 14) &&
	          put(buf, size, &used, opts, sizeof(opts) - 1);
	for (struct mount *m = vfs_mounts; ok && m; m = m->next) {
		const char *p;
		size_t plen;
		if (vfs_node_path(m->point, path, sizeof(path), &p, &plen))
			continue; /* the mount point was removed from the tree */
		ok = put(buf, size, &used, m->type, strlen(m->type)) &&
		     put(buf, size, &used, " ", 1) && put(buf, size, &used, p, plen) &&
		     put(buf, size, &used, " ", 1) &&
		     put(buf, size, &used, m->type, strlen(m->type)) &&
		     put(buf, size, &used, opts, sizeof(opts) - 1);
	}
	if (!ok)
		return -FERRY_ENAMETOOLONG;
	*len = used;
	return 0;
}

/* Forwarded opens. */
#define FWD_MAX 32
static struct fwd {
	uint32_t type, flags, op, obj;
	uint64_t rdev;
	handle_t port; /* 0: free */
} fwds[FWD_MAX];

static bool
fwd_matches(const struct fwd *f, uint32_t type, uint64_t rdev, uint32_t flags)
{
	if (!f->port || f->type != type)
		return false;
	if (type == VFS_S_IFIFO)
		return true;
	if ((f->flags | flags) & VFS_BIND_MAJOR)
		return (f->flags & flags & VFS_BIND_MAJOR) && f->rdev >> 8 == rdev >> 8;
	return f->rdev == rdev;
}

int
fwd_bind(uint32_t type, uint64_t rdev, uint32_t flags, uint32_t op, uint32_t obj, handle_t port)
{
	struct ferry_handle_info info;
	struct fwd *slot = NULL;
	int rc;

	if ((type != VFS_S_IFCHR && type != VFS_S_IFBLK && type != VFS_S_IFIFO) ||
	    (flags & ~VFS_BIND_MAJOR)) {
		rc = -FERRY_EINVAL;
		goto out_close;
	}
	if ((rc = (int)ferry_sys_handle_info(port, &info)))
		goto out_close;
	if (info.type != FERRY_OBJ_PORT) {
		rc = -FERRY_EWRONGTYPE;
		goto out_close;
	}
	for (unsigned i = 0; i < FWD_MAX; i++) {
		if (fwd_matches(&fwds[i], type, rdev, flags) &&
		    (fwds[i].flags & VFS_BIND_MAJOR) == flags) {
			ferry_sys_handle_close(fwds[i].port); /* rebinding replaces */
			slot = &fwds[i];
			break;
		}
		if (!fwds[i].port && !slot)
			slot = &fwds[i];
	}
	if (!slot) {
		rc = -FERRY_ENOSPC;
		goto out_close;
	}
	*slot = (struct fwd){type, flags, op, obj, rdev, port};
	return 0;
out_close:
	ferry_sys_handle_close(port);
	return rc;
}

int
fwd_find(const struct node *n, handle_t *port, uint32_t *op, uint32_t *obj)
{
	uint32_t type = n->mode & VFS_S_IFMT;
	const struct fwd *major = NULL;
	for (unsigned i = 0; i < FWD_MAX; i++) {
		const struct fwd *f = &fwds[i];
		if (!fwd_matches(f, type, n->rdev, f->flags))
			continue;
		if (!(f->flags & VFS_BIND_MAJOR) || type == VFS_S_IFIFO) {
			major = f;
			break; /* an exact binding wins over a major's */
		}
		major = f;
	}
	if (!major)
		return -FERRY_ENXIO;
	*op = major->op;
	*obj = (major->flags & VFS_BIND_MAJOR) ? (uint32_t)(n->rdev & 0xff) : major->obj;
	return (int)ferry_sys_handle_dup(major->port, FERRY_RIGHT_SAME, port);
}
