/* SPDX-License-Identifier: MIT */
/*
 * vfs: server-private types and prototypes, grouped by file.
 *
 * The namespace is one tree of nodes (tmpfs.c); a path is walked from a
 * directory node (lookup.c); every open file description is a struct desc
 * with its own port (desc.c) whose key is the desc's address.  The pure
 * parts (alloc interface, tmpfs.c, lookup.c, cpio unpacking in boot.c)
 * build on the host too, for tests/host/test_vfs_*.c.
 *
 * Credentials: every client is uid 0, gid 0 until procmgr hands vfs the
 * caller's credentials (docs/proto/vfs.md, "Permissions").  The checks
 * already run against struct cred, so only the source of it changes.
 */
#ifndef VFS_VFS_H
#define VFS_VFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <ferry/errors.h>
#include <ferry/proto/vfs.h>

/* alloc.c (the host tests substitute malloc) */
void *vfs_alloc(size_t size);
void *vfs_zalloc(size_t size);
void vfs_free(void *p);
/* Resizes p (NULL: allocate); the old contents up to min(old, new) stay. */
void *vfs_realloc(void *p, size_t old, size_t size);

/* time source (main.c; host tests provide their own): ns since the epoch. */
int64_t vfs_now(void);

/* tmpfs.c: nodes and directories */
struct dirent;
struct node {
	uint64_t ino;
	uint32_t mode;      /* VFS_S_IF* | permissions */
	uint32_t nlink;     /* names (directories: 2 + subdirectories) */
	uint32_t uid, gid;
	uint64_t rdev;      /* device nodes: (major << 8) | minor, Linux style */
	int64_t atime, mtime, ctime;
	uint32_t refs;      /* descriptions and walks holding the node */
	union {
		struct {
			uint8_t *data;
			uint64_t size, cap;
		} reg;
		struct {
			struct dirent *first, *last;
			struct node *parent;  /* ".."; the root is its own parent */
			uint64_t next_seq;    /* readdir cookie of the next entry added */
			uint32_t count;
		} dir;
		struct {
			char *target;
			uint32_t len;
		} lnk;
	};
};

struct dirent {
	struct dirent *next, *prev;
	uint64_t seq;       /* readdir cookie: strictly increasing in the list */
	struct node *node;
	uint8_t namelen;
	char name[];
};

/* Readdir cookies of "." and ".."; real entries start at DIR_SEQ_FIRST. */
#define DIR_SEQ_DOT    1
#define DIR_SEQ_DOTDOT 2
#define DIR_SEQ_FIRST  3

#define VFS_FILE_MAX (1ull << 32) /* largest regular file (EFBIG beyond) */

static inline bool node_is(const struct node *n, uint32_t type) { return (n->mode & VFS_S_IFMT) == type; }

struct node *tmpfs_root(void);
/* A new unlinked node of mode (type | perms); NULL if out of memory. */
struct node *tmpfs_node_new(uint32_t mode, uint32_t uid, uint32_t gid);
void node_ref(struct node *n);
/* Drops a reference; frees the node once it has neither names nor references. */
void node_unref(struct node *n);
struct dirent *dir_find(struct node *dir, const char *name, size_t len);
/* Adds name -> n in dir (n->nlink++, dir's times).  -EEXIST, -ENOMEM, -ENAMETOOLONG. */
int dir_add(struct node *dir, const char *name, size_t len, struct node *n);
/* Removes the entry (nlink--, frees the node if unreferenced). */
void dir_remove(struct node *dir, struct dirent *e);
/* Data of regular files. */
int reg_truncate(struct node *n, uint64_t size);
int reg_write(struct node *n, uint64_t off, const void *buf, size_t len);
size_t reg_read(struct node *n, uint64_t off, void *buf, size_t len);
void node_stat(const struct node *n, struct file_stat *st);
/* Sets the symlink's target (copy).  -ENOMEM. */
int lnk_set(struct node *n, const char *target, size_t len);

/* The operations on names (tmpfs.c), after the walk found the parent. */
struct cred {
	uint32_t uid, gid;
};
/* want: 4 read, 2 write, 1 search/execute.  0 or -FERRY_EACCES. */
int vfs_permit(const struct node *n, const struct cred *c, unsigned want);
int tmpfs_mknode(struct node *dir, const char *name, size_t len, uint32_t mode, uint64_t rdev,
		 const struct cred *c, struct node **out);
int tmpfs_unlink(struct node *dir, const char *name, size_t len, bool rmdir, const struct cred *c);
int tmpfs_rename(struct node *odir, const char *oname, size_t olen, struct node *ndir, const char *nname,
		 size_t nlen, const struct cred *c);
int tmpfs_link(struct node *n, struct node *dir, const char *name, size_t len, const struct cred *c);

/* lookup.c: the path walk */
#define WALK_FOLLOW 0x1 /* follow a symlink in the last component */
#define WALK_PARENT 0x2 /* stop at the parent of the last component */
struct walk {
	struct node *node;  /* WALK_PARENT: the parent directory; else the object (referenced) */
	char name[VFS_NAME_MAX + 1]; /* WALK_PARENT: last component ("" for "/") */
	size_t namelen;
	bool trailing_slash; /* the path ended in '/' */
};
/*
 * Walks path[len] from start (relative) or root (absolute) as c.  Returns
 * 0 with w->node referenced (node_unref it), or -FERRY_ENOENT,
 * -FERRY_ENOTDIR, -FERRY_ENAMETOOLONG, -FERRY_ELOOP, -FERRY_EACCES,
 * -FERRY_EINVAL (NUL in the path).
 */
int vfs_walk(struct node *root, struct node *start, const char *path, size_t len, unsigned flags,
	     const struct cred *c, struct walk *w);

/* devfs.c: character devices served by vfs itself */
#define DEV_MEM_MAJOR 1
#define DEV_NULL      ((1u << 8) | 3)
#define DEV_ZERO      ((1u << 8) | 5)
#define DEV_FULL      ((1u << 8) | 7)
#define DEV_RANDOM    ((1u << 8) | 8)
#define DEV_URANDOM   ((1u << 8) | 9)
#define DEV_TTY       ((5u << 8) | 0)
#define DEV_CONSOLE   ((5u << 8) | 1)
#define DEV_PTMX      ((5u << 8) | 2)
int devfs_populate(struct node *root);
/* -FERRY_ENXIO for devices vfs does not serve. */
int dev_open(const struct node *n);
long dev_read(const struct node *n, void *buf, size_t len);
long dev_write(const struct node *n, const void *buf, size_t len);

/* boot.c: the boot archive into tmpfs.  Returns the count of members or -status. */
int vfs_unpack(struct node *root, const void *archive, size_t size);

/* desc.c: open file descriptions (server only) */
struct xfer_area;
#define DESC_XFER_MAX 4
struct desc {
	struct node *node;
	uint64_t off;       /* read/write position; readdir cookie for directories */
	uint32_t flags;     /* VFS_O_* status and access flags */
	uint64_t koid;      /* of its port, to recognise it when a client passes it */
	struct desc *next;  /* all descriptions (koid lookup) */
	struct {
		uint32_t id;
		struct xfer_area *area;
	} xfer[DESC_XFER_MAX];
};
/* Creates a description of n (referenced here) and its port; *port is the send handle. */
int desc_open(struct node *n, uint32_t flags, uint32_t *port, struct desc **out);
void desc_close(struct desc *d);
struct desc *desc_by_koid(uint64_t koid);
/* Translates (id, off, len) of a request on d into an address in the area; -EINVAL. */
int desc_xfer(struct desc *d, uint32_t id, uint64_t off, uint64_t len, void **out);
int desc_xfer_attach(struct desc *d, uint32_t memobj, uint64_t size, uint32_t *id);
void vfs_set_queue(uint64_t queue);

/* file_msg.c, vfs_msg.c: handlers (struct srv_call from lib/srv) */
struct srv_call;
#define FILE_HANDLER(OP, stem, num, req, rep, nh) int on_##stem(void *state, struct srv_call *c);
FILE_PROTO_MESSAGES(FILE_HANDLER)
VFS_PROTO_MESSAGES(FILE_HANDLER)
#undef FILE_HANDLER
void vfs_notify(void *state, const struct ferry_msg *m);
/* The receive loop (dispatch.c); returns only if the queue fails. */
int vfs_serve(uint32_t queue);
/* The root for absolute paths. */
extern struct node *vfs_root;

#endif
