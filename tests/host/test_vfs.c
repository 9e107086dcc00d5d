// SPDX-License-Identifier: MIT
/*
 * HOST_VFS_*: vfs's pure parts on the host: the path walk (vfs/lookup.c),
 * tmpfs name operations and data (vfs/tmpfs.c) and the boot-archive
 * unpacking (vfs/boot.c), with malloc as vfs's heap.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vfs.h"
#include "test.h"

void *
vfs_alloc(size_t n)
{
	return malloc(n ? n : 1);
}
void *
vfs_zalloc(size_t n)
{
	return calloc(1, n ? n : 1);
}
void
vfs_free(void *p)
{
	free(p);
}
void *
vfs_realloc(void *p, size_t old, size_t n)
{
	(void)old;
	return realloc(p, n);
}
int
vfs_data_reserve(struct node *n, uint64_t cap)
{
	uint8_t *p = realloc(n->reg.data, cap);
	if (!p)
		return -FERRY_ENOSPC;
	n->reg.data = p;
	n->reg.cap = cap;
	return 0;
}
int
vfs_data_end(struct node *n, uint64_t size)
{
	(void)n, (void)size;
	return 0;
}
void
vfs_data_free(struct node *n)
{
	free(n->reg.data);
}
int64_t
vfs_now(void)
{
	static int64_t t = 1000;
	return t += 1000;
}

static const struct cred root_cred = {.uid = 0, .gid = 0};
static const struct cred user_cred = {.uid = 1000, .gid = 1000};

static struct node *
mk(struct node *dir, const char *name, uint32_t mode)
{
	struct node *n = NULL;
	if (tmpfs_mknode(dir, name, strlen(name), mode, 0, &root_cred, &n))
		return NULL;
	node_unref(n);
	return n;
}

static int
walk(const char *path, unsigned flags, struct node **out)
{
	struct walk w;
	int rc = vfs_walk(tmpfs_root(), tmpfs_root(), path, strlen(path), flags, &root_cred, &w);
	if (!rc) {
		node_unref(w.node);
		if (out)
			*out = w.node;
	}
	return rc;
}

static struct node *
lnk(struct node *dir, const char *name, const char *target)
{
	struct node *n = mk(dir, name, VFS_S_IFLNK | 0777);
	if (n)
		lnk_set(n, target, strlen(target));
	return n;
}

TEST(HOST_VFS_001, "walk: absolute, relative, '.', '..', the root's '..'")
{
	struct node *r = tmpfs_root(), *a = mk(r, "w1", VFS_S_IFDIR | 0755),
	            *b = mk(a, "b", VFS_S_IFDIR | 0755);
	struct node *f = mk(b, "f", VFS_S_IFREG | 0644), *got;
	ASSERT_NOT_NULL(f);
	EXPECT_EQ(walk("/w1/b/f", 0, &got), 0);
	EXPECT_PTR_EQ(got, f);
	EXPECT_EQ(walk("w1/./b/../b//f", 0, &got), 0);
	EXPECT_PTR_EQ(got, f);
	EXPECT_EQ(walk("/../../w1", 0, &got), 0);
	EXPECT_PTR_EQ(got, a);
	EXPECT_EQ(walk("/", 0, &got), 0);
	EXPECT_PTR_EQ(got, r);
	struct walk w;
	EXPECT_EQ(vfs_walk(r, b, "f", 1, 0, &root_cred, &w), 0);
	EXPECT_PTR_EQ(w.node, f);
	node_unref(w.node);
	EXPECT_EQ(vfs_walk(r, b, "../..", 5, 0, &root_cred, &w), 0);
	EXPECT_PTR_EQ(w.node, r);
	node_unref(w.node);
}

TEST(HOST_VFS_002, "walk errors: ENOENT, ENOTDIR, ENAMETOOLONG, ELOOP, EINVAL, EACCES")
{
	struct node *r = tmpfs_root(), *d = mk(r, "w2", VFS_S_IFDIR | 0755);
	mk(d, "file", VFS_S_IFREG | 0644);
	EXPECT_EQ(walk("/w2/none", 0, NULL), -FERRY_ENOENT);
	EXPECT_EQ(walk("", 0, NULL), -FERRY_ENOENT);
	EXPECT_EQ(walk("/w2/file/x", 0, NULL), -FERRY_ENOTDIR);
	EXPECT_EQ(walk("/w2/file/", 0, NULL), -FERRY_ENOTDIR);
	EXPECT_EQ(walk("/w2/file/..", 0, NULL), -FERRY_ENOTDIR);
	char longc[300];
	memset(longc, 'x', sizeof longc);
	longc[0] = '/';
	longc[257] = 0;
	EXPECT_EQ(walk(longc, 0, NULL), -FERRY_ENAMETOOLONG);
	static char huge[VFS_PATH_MAX + 1];
	memset(huge, '/', VFS_PATH_MAX);
	EXPECT_EQ(walk(huge, 0, NULL), -FERRY_ENAMETOOLONG);
	lnk(d, "l1", "l2");
	lnk(d, "l2", "l1");
	EXPECT_EQ(walk("/w2/l1", WALK_FOLLOW, NULL), -FERRY_ELOOP);
	EXPECT_EQ(walk("/w2/l1", 0, NULL), 0); /* the link itself */
	struct walk w;
	EXPECT_EQ(vfs_walk(r, r, "/w2\0x", 5, 0, &root_cred, &w), -FERRY_EINVAL);
	struct node *priv = mk(d, "priv", VFS_S_IFDIR | 0700);
	mk(priv, "in", VFS_S_IFREG | 0644);
	EXPECT_EQ(vfs_walk(r, r, "/w2/priv/in", 11, 0, &user_cred, &w), -FERRY_EACCES);
	EXPECT_EQ(vfs_walk(r, r, "/w2/priv/in", 11, 0, &root_cred, &w), 0);
	node_unref(w.node);
}

TEST(HOST_VFS_003, "WALK_PARENT gives the parent and the last name; trailing slash noted")
{
	struct node *r = tmpfs_root(), *d = mk(r, "w3", VFS_S_IFDIR | 0755);
	struct walk w;
	EXPECT_EQ(vfs_walk(r, r, "/w3/new/", 8, WALK_PARENT, &root_cred, &w), 0);
	EXPECT_PTR_EQ(w.node, d);
	EXPECT_STR_EQ(w.name, "new");
	EXPECT_TRUE(w.trailing_slash);
	node_unref(w.node);
	EXPECT_EQ(vfs_walk(r, r, "/", 1, WALK_PARENT, &root_cred, &w), 0);
	EXPECT_EQ(w.namelen, 0);
	node_unref(w.node);
	EXPECT_EQ(vfs_walk(r, r, "/w3/no/new", 10, WALK_PARENT, &root_cred, &w), -FERRY_ENOENT);
}

TEST(HOST_VFS_004, "symlinks in the middle and at the end, relative and absolute")
{
	struct node *r = tmpfs_root(), *d = mk(r, "w4", VFS_S_IFDIR | 0755),
	            *s = mk(d, "sub", VFS_S_IFDIR | 0755);
	struct node *f = mk(s, "f", VFS_S_IFREG | 0644), *got;
	lnk(d, "rel", "sub");
	lnk(d, "abs", "/w4/sub/f");
	lnk(s, "up", "../rel/f");
	EXPECT_EQ(walk("/w4/rel/f", 0, &got), 0);
	EXPECT_PTR_EQ(got, f);
	EXPECT_EQ(walk("/w4/abs", WALK_FOLLOW, &got), 0);
	EXPECT_PTR_EQ(got, f);
	EXPECT_EQ(walk("/w4/sub/up", WALK_FOLLOW, &got), 0);
	EXPECT_PTR_EQ(got, f);
	EXPECT_EQ(walk("/w4/rel/", 0, &got), 0); /* trailing slash follows */
	EXPECT_PTR_EQ(got, s);
	EXPECT_EQ(walk("/w4/abs/", 0, NULL), -FERRY_ENOTDIR);
}

TEST(HOST_VFS_005, "rename: replace, directories move with their link counts, errors")
{
	struct node *r = tmpfs_root(), *d = mk(r, "w5", VFS_S_IFDIR | 0755);
	struct node *a = mk(d, "a", VFS_S_IFDIR | 0755), *b = mk(d, "b", VFS_S_IFDIR | 0755);
	mk(a, "x", VFS_S_IFDIR | 0755);
	struct node *f = mk(d, "f", VFS_S_IFREG | 0644);
	mk(d, "g", VFS_S_IFREG | 0644);
	EXPECT_EQ(d->nlink, 4);
	EXPECT_EQ(tmpfs_rename(d, "f", 1, d, "g", 1, &root_cred), 0);
	EXPECT_PTR_EQ(dir_find(d, "g", 1)->node, f);
	EXPECT_NULL(dir_find(d, "f", 1));
	EXPECT_EQ(f->nlink, 1);
	EXPECT_EQ(tmpfs_rename(d, "a", 1, b, "a2", 2, &root_cred), 0);
	EXPECT_EQ(d->nlink, 3);
	EXPECT_EQ(b->nlink, 3);
	EXPECT_EQ(a->nlink, 3);
	EXPECT_PTR_EQ(a->dir.parent, b);
	EXPECT_EQ(tmpfs_rename(d, "b", 1, a, "in", 2, &root_cred), -FERRY_EINVAL);
	EXPECT_EQ(tmpfs_rename(d, "g", 1, d, "b", 1, &root_cred), -FERRY_EISDIR);
	EXPECT_EQ(tmpfs_rename(d, "b", 1, d, "g", 1, &root_cred), -FERRY_ENOTDIR);
	EXPECT_EQ(tmpfs_rename(d, "none", 4, d, "z", 1, &root_cred), -FERRY_ENOENT);
	EXPECT_EQ(tmpfs_link(f, d, "h", 1, &root_cred), 0);
	EXPECT_EQ(tmpfs_rename(d, "g", 1, d, "h", 1, &root_cred), 0); /* same file: no-op */
	EXPECT_EQ(f->nlink, 2);
}

TEST(HOST_VFS_006, "an unlinked file lives while referenced; data, holes and truncate")
{
	struct node *r = tmpfs_root(), *d = mk(r, "w6", VFS_S_IFDIR | 0755);
	struct node *f = mk(d, "f", VFS_S_IFREG | 0644);
	char buf[16];
	node_ref(f);
	EXPECT_EQ(reg_write(f, 4, "abc", 3), 0);
	EXPECT_EQ(f->reg.size, 7);
	EXPECT_EQ(reg_read(f, 0, buf, 16), 7);
	EXPECT_MEM_EQ(buf, "\0\0\0\0abc", 7);
	EXPECT_EQ(tmpfs_unlink(d, "f", 1, false, &root_cred), 0);
	EXPECT_EQ(f->nlink, 0);
	EXPECT_EQ(reg_truncate(f, 2), 0);
	EXPECT_EQ(reg_read(f, 0, buf, 16), 2);
	EXPECT_EQ(reg_write(f, VFS_FILE_MAX, "x", 1), -FERRY_EFBIG);
	node_unref(f); /* freed here (ASan would report a leak or a double free) */
	EXPECT_EQ(tmpfs_unlink(d, "f", 1, false, &root_cred), -FERRY_ENOENT);
}

/* Appends one newc member to buf at *len. */
static void
member(char *buf, size_t *len, const char *name, uint32_t ino, uint32_t mode, uint32_t nlink,
       const char *data)
{
	size_t dl = data ? strlen(data) : 0, nl = strlen(name) + 1;
	*len += (size_t)sprintf(buf + *len,
	                        "070701%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X", ino,
	                        mode, 0, 0, nlink, 7, dl, 0, 0, 0, 0, nl, 0);
	memcpy(buf + *len, name, nl);
	*len += nl;
	while (*len & 3)
		buf[(*len)++] = 0;
	if (dl)
		memcpy(buf + *len, data, dl);
	*len += dl;
	while (*len & 3)
		buf[(*len)++] = 0;
}

TEST(HOST_VFS_007, "boot archive: modes, implied parents, symlinks, newc hard links")
{
	static char arch[4096];
	size_t len = 0;
	member(arch, &len, "w7/bin/tool", 10, VFS_S_IFREG | 0755, 1, "#!x");
	member(arch, &len, "w7/etc", 11, VFS_S_IFDIR | 0700, 2, NULL);
	member(arch, &len, "w7/etc/a", 12, VFS_S_IFREG | 0644, 2, NULL);
	member(arch, &len, "w7/etc/b", 12, VFS_S_IFREG | 0644, 2, "shared");
	member(arch, &len, "w7/link", 13, VFS_S_IFLNK | 0777, 1, "bin/tool");
	member(arch, &len, "TRAILER!!!", 0, 0, 1, NULL);
	EXPECT_EQ(vfs_unpack(tmpfs_root(), arch, len), 5);
	struct node *n, *m;
	ASSERT_EQ(walk("/w7/bin/tool", 0, &n), 0);
	EXPECT_EQ(n->mode, VFS_S_IFREG | 0755);
	EXPECT_EQ(n->mtime, 7000000000);
	ASSERT_EQ(walk("/w7/bin", 0, &n), 0);
	EXPECT_EQ(n->mode, VFS_S_IFDIR | 0755);
	ASSERT_EQ(walk("/w7/etc", 0, &n), 0);
	EXPECT_EQ(n->mode, VFS_S_IFDIR | 0700);
	ASSERT_EQ(walk("/w7/etc/a", 0, &n), 0);
	ASSERT_EQ(walk("/w7/etc/b", 0, &m), 0);
	EXPECT_PTR_EQ(n, m);
	EXPECT_EQ(n->nlink, 2);
	EXPECT_EQ(n->reg.size, 6);
	ASSERT_EQ(walk("/w7/link", WALK_FOLLOW, &m), 0);
	ASSERT_EQ(walk("/w7/bin/tool", 0, &n), 0);
	EXPECT_PTR_EQ(n, m);
	/* A truncated archive keeps what was made and reports EINVAL. */
	EXPECT_EQ(vfs_unpack(tmpfs_root(), arch, 50), -FERRY_EINVAL);
}

TEST(HOST_VFS_008, "permissions: owner bits alone for the owner, supplementary groups, root; "
                   "set-group-ID directories; sticky removal EPERM")
{
	struct node *r = tmpfs_root(), *d = mk(r, "w8", VFS_S_IFDIR | 0777), *f, *n = NULL;
	struct cred grp = {.uid = 1000, .gid = 1000, .ngroups = 2, .groups = {7, 500}};
	f = mk(d, "g", VFS_S_IFREG | 0640);
	f->gid = 500;
	EXPECT_EQ(vfs_permit(f, &user_cred, 4), -FERRY_EACCES);
	EXPECT_EQ(vfs_permit(f, &grp, 4), 0);
	EXPECT_EQ(vfs_permit(f, &grp, 2), -FERRY_EACCES);
	EXPECT_EQ(vfs_permit(f, &root_cred, 6), 0);
	EXPECT_EQ(vfs_permit(f, &root_cred, 1), -FERRY_EACCES); /* root executes only an x bit */
	f->uid = 1000;
	f->mode = VFS_S_IFREG | 0077; /* the owner's bits alone count for the owner */
	EXPECT_EQ(vfs_permit(f, &grp, 4), -FERRY_EACCES);
	/* A set-group-ID directory: its group for what is made, its bit for directories. */
	struct node *s = mk(d, "sg", VFS_S_IFDIR | 02777);
	s->gid = 500;
	ASSERT_EQ(tmpfs_mknode(s, "f", 1, VFS_S_IFREG | 0644, 0, &user_cred, &n), 0);
	EXPECT_EQ(n->uid, 1000);
	EXPECT_EQ(n->gid, 500);
	node_unref(n);
	ASSERT_EQ(tmpfs_mknode(s, "d", 1, VFS_S_IFDIR | 0755, 0, &user_cred, &n), 0);
	EXPECT_EQ(n->gid, 500);
	EXPECT_EQ(n->mode, VFS_S_IFDIR | 02755);
	node_unref(n);
	/* Sticky: another user's entry cannot go (EPERM), the owner's can. */
	struct node *t = mk(d, "st", VFS_S_IFDIR | 01777);
	struct cred other = {.uid = 1001, .gid = 1001};
	ASSERT_EQ(tmpfs_mknode(t, "x", 1, VFS_S_IFREG | 0666, 0, &user_cred, &n), 0);
	node_unref(n);
	EXPECT_EQ(tmpfs_unlink(t, "x", 1, false, &other), -FERRY_EPERM);
	EXPECT_EQ(tmpfs_unlink(t, "x", 1, false, &user_cred), 0);
}
