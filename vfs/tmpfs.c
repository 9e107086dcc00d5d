// SPDX-License-Identifier: MIT
/*
 * tmpfs: the in-memory file system that is vfs's root.  Nodes (regular
 * files, directories, symlinks, device nodes, FIFOs), directory entries,
 * file data, and the name operations that change the tree (create,
 * unlink/rmdir, rename, link) with their POSIX error rules.
 *
 * Ownership and references: a node lives while it has a name (nlink > 0)
 * or a reference (an open description, a walk in progress).  A directory's
 * entries reference nothing extra; its parent pointer is a name ("..").
 * Entries are kept in creation order with increasing seq, which is the
 * readdir cookie, so readdir is stable while entries come and go.
 */
#include <lib/string.h>
#include "vfs.h"

static uint64_t next_ino = 1;
static struct node *root;

struct node *
tmpfs_node_new(uint32_t mode, uint32_t uid, uint32_t gid)
{
	struct node *n = vfs_zalloc(sizeof(*n));
	if (!n)
		return NULL;
	n->ino = next_ino++;
	n->dev = 1;
	n->mode = mode;
	n->uid = uid;
	n->gid = gid;
	n->atime = n->mtime = n->ctime = vfs_now();
	if (node_is(n, VFS_S_IFDIR)) {
		n->dir.parent = n;
		n->dir.next_seq = DIR_SEQ_FIRST;
	}
	return n;
}

struct node *
tmpfs_root(void)
{
	if (!root) {
		root = tmpfs_node_new(VFS_S_IFDIR | 0755, 0, 0);
		if (root)
			root->nlink = 2;
	}
	return root;
}

void
node_ref(struct node *n)
{
	n->refs++;
}

static void
node_free(struct node *n)
{
	if (node_is(n, VFS_S_IFREG))
		vfs_data_free(n);
	else if (node_is(n, VFS_S_IFLNK))
		vfs_free(n->lnk.target);
	vfs_free(n);
}

void
node_unref(struct node *n)
{
	if (--n->refs == 0 && n->nlink == 0)
		node_free(n);
}

struct dirent *
dir_find(struct node *dir, const char *name, size_t len)
{
	for (struct dirent *e = dir->dir.first; e; e = e->next)
		if (e->namelen == len && memcmp(e->name, name, len) == 0)
			return e;
	return NULL;
}

int
dir_add(struct node *dir, const char *name, size_t len, struct node *n)
{
	if (len == 0 || len > VFS_NAME_MAX)
		return -FERRY_ENAMETOOLONG;
	if (dir_find(dir, name, len))
		return -FERRY_EEXIST;
	struct dirent *e = vfs_alloc(sizeof(*e) + len + 1);
	if (!e)
		return -FERRY_ENOMEM;
	e->seq = dir->dir.next_seq++;
	e->node = n;
	e->namelen = (uint8_t)len;
	memcpy(e->name, name, len);
	e->name[len] = 0;
	e->next = NULL;
	e->prev = dir->dir.last;
	if (dir->dir.last)
		dir->dir.last->next = e;
	else
		dir->dir.first = e;
	dir->dir.last = e;
	dir->dir.count++;
	n->nlink++;
	if (node_is(n, VFS_S_IFDIR)) {
		n->nlink++; /* its own "." */
		n->dir.parent = dir;
		dir->nlink++; /* its ".." */
	}
	dir->mtime = dir->ctime = n->ctime = vfs_now();
	return 0;
}

void
dir_remove(struct node *dir, struct dirent *e)
{
	struct node *n = e->node;
	if (e->prev)
		e->prev->next = e->next;
	else
		dir->dir.first = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		dir->dir.last = e->prev;
	dir->dir.count--;
	dir->dir.removals++;
	vfs_free(e);
	if (node_is(n, VFS_S_IFDIR)) {
		n->nlink = 0;
		dir->nlink--;
	} else {
		n->nlink--;
	}
	dir->mtime = dir->ctime = n->ctime = vfs_now();
	if (n->nlink == 0 && n->refs == 0)
		node_free(n);
}

static int
reg_reserve(struct node *n, uint64_t size)
{
	if (size > VFS_FILE_MAX)
		return -FERRY_EFBIG;
	if (size <= n->reg.cap)
		return 0;
	uint64_t cap = n->reg.cap ? n->reg.cap : 64;
	while (cap < size)
		cap *= 2;
	return vfs_data_reserve(n, cap);
}

int
reg_truncate(struct node *n, uint64_t size)
{
	int rc = reg_reserve(n, size);
	if (rc)
		return rc;
	if (size > n->reg.size) {
		if ((rc = vfs_data_end(n, size)))
			return rc;
		memset(n->reg.data + n->reg.size, 0, size - n->reg.size);
	} else {
		/* Shared mappings see the cut bytes go, and a later extension reads zeros. */
		memset(n->reg.data + size, 0, n->reg.size - size);
		if ((rc = vfs_data_end(n, size)))
			return rc;
	}
	n->reg.size = size;
	n->mtime = n->ctime = vfs_now();
	return 0;
}

int
reg_write(struct node *n, uint64_t off, const void *buf, size_t len)
{
	if (off > VFS_FILE_MAX || len > VFS_FILE_MAX - off)
		return -FERRY_EFBIG;
	int rc = reg_reserve(n, off + len);
	if (rc)
		return rc;
	if (off + len > n->reg.size && (rc = vfs_data_end(n, off + len)))
		return rc;
	if (off > n->reg.size)
		memset(n->reg.data + n->reg.size, 0, off - n->reg.size); /* a hole reads as zeros */
	memcpy(n->reg.data + off, buf, len);
	if (off + len > n->reg.size)
		n->reg.size = off + len;
	n->mtime = n->ctime = vfs_now();
	return 0;
}

size_t
reg_read(struct node *n, uint64_t off, void *buf, size_t len)
{
	if (off >= n->reg.size)
		return 0;
	if (len > n->reg.size - off)
		len = n->reg.size - off;
	memcpy(buf, n->reg.data + off, len);
	return len;
}

int
lnk_set(struct node *n, const char *target, size_t len)
{
	char *t = vfs_alloc(len + 1);
	if (!t)
		return -FERRY_ENOMEM;
	memcpy(t, target, len);
	t[len] = 0;
	vfs_free(n->lnk.target);
	n->lnk.target = t;
	n->lnk.len = (uint32_t)len;
	return 0;
}

void
node_stat(const struct node *n, struct file_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->dev = n->dev;
	st->ino = n->ino;
	st->mode = n->mode;
	st->nlink = n->nlink;
	st->uid = n->uid;
	st->gid = n->gid;
	st->rdev = n->rdev;
	if (node_is(n, VFS_S_IFREG))
		st->size = (int64_t)n->reg.size;
	else if (node_is(n, VFS_S_IFLNK))
		st->size = n->lnk.len;
	else if (node_is(n, VFS_S_IFDIR))
		st->size = 4096;
	st->atime_ns = n->atime;
	st->mtime_ns = n->mtime;
	st->ctime_ns = n->ctime;
}

bool
cred_in_group(const struct cred *c, uint32_t gid)
{
	if (c->gid == gid)
		return true;
	for (uint32_t i = 0; i < c->ngroups && i < CRED_NGROUPS; i++)
		if (c->groups[i] == gid)
			return true;
	return false;
}

int
vfs_permit(const struct node *n, const struct cred *c, unsigned want)
{
	unsigned bits;
	if (c->uid == 0) {
		/* root may do anything, but execute only what someone may execute. */
		if ((want & 1) && !node_is(n, VFS_S_IFDIR) && !(n->mode & 0111))
			return -FERRY_EACCES;
		return 0;
	}
	if (c->uid == n->uid)
		bits = (n->mode >> 6) & 7;
	else if (cred_in_group(c, n->gid))
		bits = (n->mode >> 3) & 7;
	else
		bits = n->mode & 7;
	return (bits & want) == want ? 0 : -FERRY_EACCES;
}

/* Sticky directories: only the owner of the entry or of the directory may remove it. */
static int
sticky_ok(const struct node *dir, const struct node *n, const struct cred *c)
{
	if (!(dir->mode & 01000) || c->uid == 0 || c->uid == n->uid || c->uid == dir->uid)
		return 0;
	return -FERRY_EPERM; /* Linux's answer (POSIX allows EACCES or EPERM) */
}

static bool
is_dot(const char *name, size_t len)
{
	return (len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.');
}

int
tmpfs_mknode(struct node *dir, const char *name, size_t len, uint32_t mode, uint64_t rdev,
             const struct cred *c, struct node **out)
{
	if (len == 0 || is_dot(name, len))
		return -FERRY_EEXIST;
	if (dir->nlink == 0)
		return -FERRY_ENOENT; /* creating in a removed directory */
	if (dir_find(dir, name, len))
		return -FERRY_EEXIST;
	int rc = vfs_permit(dir, c, 3);
	if (rc)
		return rc;
	if (len > VFS_NAME_MAX)
		return -FERRY_ENAMETOOLONG;
	/* A set-group-ID directory gives its group to what is made in it, and
	 * its set-group-ID bit to directories (POSIX, Linux). */
	bool sgid = dir->mode & 02000;
	if (sgid && (mode & VFS_S_IFMT) == VFS_S_IFDIR)
		mode |= 02000;
	struct node *n = tmpfs_node_new(mode, c->uid, sgid ? dir->gid : c->gid);
	if (!n)
		return -FERRY_ENOSPC;
	n->rdev = rdev;
	n->dev = dir->dev;
	n->refs = 1; /* the caller's */
	if ((rc = dir_add(dir, name, len, n))) {
		node_unref(n);
		return rc;
	}
	*out = n;
	return 0;
}

int
tmpfs_unlink(struct node *dir, const char *name, size_t len, bool rmdir, const struct cred *c)
{
	if (rmdir && len == 1 && name[0] == '.')
		return -FERRY_EINVAL;
	if (rmdir && (len == 0 || (len == 2 && name[0] == '.' && name[1] == '.')))
		return len ? -FERRY_ENOTEMPTY : -FERRY_EBUSY;
	if (!rmdir && (len == 0 || is_dot(name, len)))
		return -FERRY_EISDIR;
	struct dirent *e = dir_find(dir, name, len);
	if (!e)
		return -FERRY_ENOENT;
	int rc = vfs_permit(dir, c, 3);
	if (rc || (rc = sticky_ok(dir, e->node, c)))
		return rc;
	bool isdir = node_is(e->node, VFS_S_IFDIR);
	if (rmdir && !isdir)
		return -FERRY_ENOTDIR;
	if (!rmdir && isdir)
		return -FERRY_EISDIR;
	if (isdir && (e->node == root || e->node->dir.mount))
		return -FERRY_EBUSY; /* the root, a mount point */
	if (isdir && e->node->dir.count)
		return -FERRY_ENOTEMPTY;
	dir_remove(dir, e);
	return 0;
}

/* Is a an ancestor of (or equal to) b? */
static bool
is_ancestor(const struct node *a, const struct node *b)
{
	for (;;) {
		if (a == b)
			return true;
		if (b->dir.parent == b)
			return false;
		b = b->dir.parent;
	}
}

int
tmpfs_rename(struct node *odir, const char *oname, size_t olen, struct node *ndir,
             const char *nname, size_t nlen, const struct cred *c)
{
	if (olen == 0 || nlen == 0 || is_dot(oname, olen) || is_dot(nname, nlen))
		return -FERRY_EBUSY;
	struct dirent *oe = dir_find(odir, oname, olen);
	if (!oe)
		return -FERRY_ENOENT;
	if (nlen > VFS_NAME_MAX)
		return -FERRY_ENAMETOOLONG;
	int rc;
	if ((rc = vfs_permit(odir, c, 3)) || (rc = vfs_permit(ndir, c, 3)) ||
	    (rc = sticky_ok(odir, oe->node, c)))
		return rc;
	struct node *n = oe->node;
	bool isdir = node_is(n, VFS_S_IFDIR);
	if (odir->dev != ndir->dev)
		return -FERRY_EXDEV;
	if (isdir && n->dir.mount)
		return -FERRY_EBUSY;
	/* A directory may not move below itself. */
	if (isdir && is_ancestor(n, ndir))
		return -FERRY_EINVAL;
	if (ndir->nlink == 0)
		return -FERRY_ENOENT;
	struct dirent *ne = dir_find(ndir, nname, nlen);
	if (ne) {
		struct node *t = ne->node;
		if (t == n)
			return 0; /* both names are links to one file: nothing happens */
		if ((rc = sticky_ok(ndir, t, c)))
			return rc;
		if (isdir && !node_is(t, VFS_S_IFDIR))
			return -FERRY_ENOTDIR;
		if (!isdir && node_is(t, VFS_S_IFDIR))
			return -FERRY_EISDIR;
		if (node_is(t, VFS_S_IFDIR) && t->dir.count)
			return -FERRY_ENOTEMPTY;
		if (node_is(t, VFS_S_IFDIR) && t->dir.mount)
			return -FERRY_EBUSY;
	}
	/*
	 * Add the new name before removing the old so the node never drops
	 * to nlink 0 (which would free it); the target goes last.  The only
	 * failure left is memory, before anything changed.
	 */
	node_ref(n);
	struct dirent *keep = ne;
	if (ne) {
		/* Unhook the target's entry without freeing: the name is reused below. */
		if (ne->prev)
			ne->prev->next = ne->next;
		else
			ndir->dir.first = ne->next;
		if (ne->next)
			ne->next->prev = ne->prev;
		else
			ndir->dir.last = ne->prev;
		ndir->dir.count--;
	}
	rc = dir_add(ndir, nname, nlen, n);
	if (rc) {
		if (keep) { /* put the target back where it was (at the end: order only) */
			keep->next = NULL;
			keep->prev = ndir->dir.last;
			if (ndir->dir.last)
				ndir->dir.last->next = keep;
			else
				ndir->dir.first = keep;
			ndir->dir.last = keep;
			ndir->dir.count++;
		}
		node_unref(n);
		return rc;
	}
	/* dir_add counted the new name; the old one goes now. */
	oe = dir_find(odir, oname, olen);
	if (isdir) {
		/* dir_add counted a fresh directory (name, "." and ndir's ".."
		 * link); only the ".." link actually moved, from odir. */
		n->nlink -= 2;
		odir->nlink--;
	} else {
		n->nlink--;
	}
	if (oe->prev)
		oe->prev->next = oe->next;
	else
		odir->dir.first = oe->next;
	if (oe->next)
		oe->next->prev = oe->prev;
	else
		odir->dir.last = oe->prev;
	odir->dir.count--;
	vfs_free(oe);
	odir->mtime = odir->ctime = vfs_now();
	if (keep) {
		struct node *t = keep->node;
		vfs_free(keep);
		if (node_is(t, VFS_S_IFDIR)) {
			t->nlink = 0;
			ndir->nlink--;
		} else {
			t->nlink--;
		}
		if (t->nlink == 0 && t->refs == 0)
			node_free(t);
	}
	node_unref(n);
	return 0;
}

int
tmpfs_link(struct node *n, struct node *dir, const char *name, size_t len, const struct cred *c)
{
	if (node_is(n, VFS_S_IFDIR))
		return -FERRY_EPERM;
	if (len == 0 || is_dot(name, len) || dir_find(dir, name, len))
		return -FERRY_EEXIST;
	if (dir->nlink == 0 || n->nlink == 0)
		return -FERRY_ENOENT;
	if (n->nlink >= 65000)
		return -FERRY_EMLINK;
	if (n->dev != dir->dev)
		return -FERRY_EXDEV;
	int rc = vfs_permit(dir, c, 3);
	if (rc)
		return rc;
	return dir_add(dir, name, len, n);
}
