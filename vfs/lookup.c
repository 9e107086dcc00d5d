// SPDX-License-Identifier: MIT
/*
 * The path walk: vfs_walk() turns a path into a node (or into the parent
 * directory and last name, for the operations that create or remove
 * names), from the root or a start directory, with ".", "..", symlinks
 * (at most VFS_SYMLOOP_MAX per walk, then ELOOP) and search permission on
 * every directory passed through.
 *
 * A symlink met before the end is expanded in place: the rest of the path
 * is appended to its target in a work buffer, and the walk goes on from
 * the root or from the directory holding the link.  The result must still
 * fit in VFS_PATH_MAX (ENAMETOOLONG otherwise, as Linux does).
 *
 * Errors where POSIX puts them: ENOENT for a missing component (and for
 * an empty path), ENOTDIR when a non-directory is used as one (including
 * "file/" and "file/.."), ENAMETOOLONG for a component over NAME_MAX or a
 * path over PATH_MAX, ELOOP, EACCES for a directory without search
 * permission.
 *
 * Mounts: entering a directory something is mounted on continues in the
 * mounted tmpfs instance's root; ".." from such a root goes to the mount
 * point's parent.  Entering a foreign mount (another server's file system)
 * ends the walk with VFS_REDIRECT and the rest of the path, except that a
 * ".." right after the mount point is taken here, so "/proc/.." is "/".
 */
#include <lib/string.h>
#include "vfs.h"

struct walk_buf {
	char path[VFS_PATH_MAX];
	size_t len;
};

int
vfs_walk(struct node *root, struct node *start, const char *path, size_t len, unsigned flags,
         const struct cred *c, struct walk *w)
{
	static struct walk_buf buf, tmp; /* one walk at a time: the server is single-threaded */
	struct node *cur;
	unsigned links = 0;
	size_t pos = 0;
	int rc;

	if (len >= VFS_PATH_MAX)
		return -FERRY_ENAMETOOLONG;
	if (len == 0)
		return -FERRY_ENOENT;
	if (strnlen(path, len) != len)
		return -FERRY_EINVAL;
	memcpy(buf.path, path, len);
	buf.len = len;
	w->trailing_slash = buf.path[len - 1] == '/';
	w->namelen = 0;
	w->name[0] = 0;
	w->foreign = NULL;
	cur = buf.path[0] == '/' ? root : start;

	for (;;) {
		while (pos < buf.len && buf.path[pos] == '/')
			pos++;
		if (pos == buf.len) {
			/* Nothing after "/", ".", ".." or a symlink's directory target. */
			break;
		}
		size_t s = pos, e = pos;
		while (e < buf.len && buf.path[e] != '/')
			e++;
		size_t clen = e - s;
		const char *comp = buf.path + s;
		size_t after = e;
		while (after < buf.len && buf.path[after] == '/')
			after++;
		bool last = after == buf.len;
		pos = e;

		if (!node_is(cur, VFS_S_IFDIR))
			return -FERRY_ENOTDIR;
		if (clen > VFS_NAME_MAX)
			return -FERRY_ENAMETOOLONG;
		if ((rc = vfs_permit(cur, c, 1)))
			return rc;
		if (last && (flags & WALK_PARENT)) {
			memcpy(w->name, comp, clen);
			w->name[clen] = 0;
			w->namelen = clen;
			break;
		}
		if (clen == 1 && comp[0] == '.')
			continue;
		if (clen == 2 && comp[0] == '.' && comp[1] == '.') {
			if (cur == root)
				continue;
			struct mount *m = mount_of_root(cur);
			cur = m ? m->point->dir.parent : cur->dir.parent;
			continue;
		}
		struct dirent *de = dir_find(cur, comp, clen);
		if (!de)
			return -FERRY_ENOENT;
		struct node *n = de->node;
		bool follow = !last || (flags & WALK_FOLLOW) || w->trailing_slash;
		if (node_is(n, VFS_S_IFLNK) && follow) {
			if (++links > VFS_SYMLOOP_MAX)
				return -FERRY_ELOOP;
			/* New path: target + the rest (which starts with '/' or is empty). */
			size_t rest = buf.len - e;
			if ((size_t)n->lnk.len + rest >= VFS_PATH_MAX)
				return -FERRY_ENAMETOOLONG;
			if (n->lnk.len == 0)
				return -FERRY_ENOENT;
			memcpy(tmp.path, n->lnk.target, n->lnk.len);
			memcpy(tmp.path + n->lnk.len, buf.path + e, rest);
			tmp.len = n->lnk.len + rest;
			memcpy(buf.path, tmp.path, tmp.len);
			buf.len = tmp.len;
			pos = 0;
			if (buf.path[0] == '/')
				cur = root;
			continue;
		}
		struct mount *m = mount_on(n);
		if (m && !m->root) {
			/* Foreign: a ".." right after the mount point stays here. */
			if (buf.len - after >= 2 && buf.path[after] == '.' &&
			    buf.path[after + 1] == '.' &&
			    (buf.len - after == 2 || buf.path[after + 2] == '/')) {
				pos = after + 2;
				continue;
			}
			w->foreign = m;
			w->rest = after < buf.len ? buf.path + after : ".";
			w->restlen = after < buf.len ? buf.len - after : 1;
			return VFS_REDIRECT;
		}
		cur = m ? m->root : n;
		if (last) {
			if (w->trailing_slash && !node_is(cur, VFS_S_IFDIR))
				return -FERRY_ENOTDIR;
			break;
		}
	}
	node_ref(cur);
	w->node = cur;
	return 0;
}
