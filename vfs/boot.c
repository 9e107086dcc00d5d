// SPDX-License-Identifier: MIT
/*
 * Unpacking the boot archive (cpio newc, lib/cpio) into tmpfs at start:
 * directories, regular files, symlinks, device nodes and FIFOs with their
 * modes, owners and times; parents that the archive does not list are
 * made with mode 0755.  Hard links follow the newc convention: members
 * with nlink > 1 and the same inode number are one file, whose data may
 * come with any of them (GNU cpio puts it on the last).  A member that
 * cannot be created is reported and skipped; a malformed archive stops
 * the unpacking with what was made so far kept.
 */
#include <lib/cpio.h>
#include <lib/string.h>
#include "vfs.h"

#define HARDLINK_MAX 256

static const struct cred root_cred = {.uid = 0, .gid = 0};

/* The directory for path's parent, made as needed; *name is the last component. */
static int
parent_of(struct node *root, const char *path, size_t len, struct node **dir, const char **name,
          size_t *namelen)
{
	struct node *cur = root;
	size_t s = 0;
	for (;;) {
		size_t e = s;
		while (e < len && path[e] != '/')
			e++;
		if (e == len) {
			*dir = cur;
			*name = path + s;
			*namelen = e - s;
			return 0;
		}
		if (e > s && !(e - s == 1 && path[s] == '.')) {
			struct dirent *de = dir_find(cur, path + s, e - s);
			struct node *n;
			if (de) {
				n = de->node;
			} else {
				int rc = tmpfs_mknode(cur, path + s, e - s, VFS_S_IFDIR | 0755, 0,
				                      &root_cred, &n);
				if (rc)
					return rc;
				node_unref(n);
			}
			if (!node_is(n, VFS_S_IFDIR))
				return -FERRY_ENOTDIR;
			cur = n;
		}
		s = e + 1;
	}
}

static int
unpack_one(struct node *root, const struct cpio_entry *e, struct node **links, uint32_t *link_ino,
           unsigned *nlinks)
{
	struct node *dir, *n = NULL;
	const char *name;
	size_t namelen;
	int rc;

	if (e->name_len == 0 || (e->name_len == 1 && e->name[0] == '.'))
		return 0; /* the archive's root entry */
	if (e->name_len >= VFS_PATH_MAX)
		return -FERRY_ENAMETOOLONG;
	if ((rc = parent_of(root, e->name, e->name_len, &dir, &name, &namelen)))
		return rc;
	if (namelen == 0 || namelen > VFS_NAME_MAX)
		return -FERRY_ENAMETOOLONG;
	uint32_t type = e->mode & VFS_S_IFMT;
	struct dirent *de = dir_find(dir, name, namelen);
	if (de && type == VFS_S_IFDIR && node_is(de->node, VFS_S_IFDIR)) {
		n = de->node; /* made earlier as a parent: take the archive's mode */
		n->mode = e->mode;
		n->uid = e->uid;
		n->gid = e->gid;
		n->mtime = (int64_t)e->mtime * 1000000000;
		return 0;
	}
	if (de)
		return -FERRY_EEXIST;

	/* A further name of a hard-linked file already made. */
	if (type != VFS_S_IFDIR && e->nlink > 1) {
		for (unsigned i = 0; i < *nlinks; i++) {
			if (link_ino[i] == e->ino) {
				if ((rc = dir_add(dir, name, namelen, links[i])))
					return rc;
				if (e->size && type == VFS_S_IFREG)
					return reg_write(links[i], 0, e->data, e->size);
				return 0;
			}
		}
	}
	uint64_t rdev = (uint64_t)e->rdev_major << 8 | e->rdev_minor;
	switch (type) {
	case VFS_S_IFDIR:
	case VFS_S_IFREG:
	case VFS_S_IFLNK:
	case VFS_S_IFCHR:
	case VFS_S_IFBLK:
	case VFS_S_IFIFO:
		break;
	default:
		return -FERRY_EINVAL;
	}
	if ((rc = tmpfs_mknode(dir, name, namelen, e->mode, rdev, &root_cred, &n)))
		return rc;
	n->uid = e->uid;
	n->gid = e->gid;
	if (type == VFS_S_IFREG && e->size)
		rc = reg_write(n, 0, e->data, e->size);
	else if (type == VFS_S_IFLNK)
		rc = e->size ? lnk_set(n, e->data, e->size) : -FERRY_EINVAL;
	n->atime = n->mtime = n->ctime = (int64_t)e->mtime * 1000000000;
	if (!rc && type != VFS_S_IFDIR && e->nlink > 1 && *nlinks < HARDLINK_MAX) {
		links[*nlinks] = n;
		link_ino[*nlinks] = e->ino;
		node_ref(n);
		(*nlinks)++;
	}
	node_unref(n);
	return rc;
}

int
vfs_unpack(struct node *root, const void *archive, size_t size)
{
	static struct node *links[HARDLINK_MAX];
	static uint32_t link_ino[HARDLINK_MAX];
	unsigned nlinks = 0;
	struct cpio_entry e;
	size_t cursor = 0;
	int count = 0, r;

	while ((r = cpio_next(archive, size, &cursor, &e)) == 1) {
		if (unpack_one(root, &e, links, link_ino, &nlinks) == 0)
			count++;
	}
	for (unsigned i = 0; i < nlinks; i++)
		node_unref(links[i]);
	return r < 0 ? r : count;
}
