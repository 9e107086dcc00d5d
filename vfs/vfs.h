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
 * Credentials (cred.c, docs/proto/vfs.md "Credentials"): each request
 * is checked against a struct cred, the current ids of the process the
 * port it came on is bound to, read from procmgr's credential table.
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
struct mount;
struct node {
	uint64_t ino;
	uint32_t dev;   /* the tmpfs instance (st_dev): 1 for the root file system */
	uint32_t mode;  /* VFS_S_IF* | permissions */
	uint32_t nlink; /* names (directories: 2 + subdirectories) */
	uint32_t uid, gid;
	uint64_t rdev; /* device nodes: (major << 8) | minor, Linux style */
	int64_t atime, mtime, ctime;
	uint32_t refs;         /* descriptions and walks holding the node */
	struct lockset *locks; /* lock.c: its locks and waits, or NULL */
	union {
		struct {
			uint8_t *data; /* cap bytes: heap, or vfs's window on mo */
			uint64_t size, cap;
			uint64_t
			        mo; /* handle_t of the memory object holding the data, or 0 (data.c) */
		} reg;
		struct {
			struct dirent *first, *last;
			struct node *parent; /* ".."; the root is its own parent */
			uint64_t next_seq;   /* readdir cookie of the next entry added */
			uint32_t count;
			uint32_t removals; /* entries removed so far (readdir cursors, desc.c) */
			struct mount *
			        mount; /* mounted on this directory, or the mount whose root it is */
		} dir;
		struct {
			char *target;
			uint32_t len;
		} lnk;
	};
};

struct dirent {
	struct dirent *next, *prev;
	uint64_t seq; /* readdir cookie: strictly increasing in the list */
	struct node *node;
	uint8_t namelen;
	char name[];
};

/* Readdir cookies of "." and ".."; real entries start at DIR_SEQ_FIRST. */
#define DIR_SEQ_DOT    1
#define DIR_SEQ_DOTDOT 2
#define DIR_SEQ_FIRST  3

#define VFS_FILE_MAX (1ull << 32) /* largest regular file (EFBIG beyond) */

static inline bool
node_is(const struct node *n, uint32_t type)
{
	return (n->mode & VFS_S_IFMT) == type;
}

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

/*
 * data.c (host tests: the heap): storage of a regular file's bytes.
 * vfs_data_reserve makes n->reg.data hold at least cap bytes (n->reg.cap
 * may get more), keeping the first n->reg.size: -FERRY_ENOSPC.  Small
 * files live on the heap; larger ones, and any file mapped by a client,
 * in a memory object of VFS_FILE_MAX bytes that vfs maps a window of.
 */
int vfs_data_reserve(struct node *n, uint64_t cap);
/* Moves the end of n's memory object (if any) to where size would put it:
 * before bytes past the old end are written, after bytes cut are zeroed. */
int vfs_data_end(struct node *n, uint64_t size);
void vfs_data_free(struct node *n);
/* A new handle to n's memory object with rights (server only): 0, -FERRY_ENOSPC. */
int vfs_data_memobj(struct node *n, uint32_t rights, uint32_t *out);

/* The operations on names (tmpfs.c), after the walk found the parent. */
#define CRED_NGROUPS 16
struct cred {
	uint32_t uid, gid; /* the ids checked: effective (real for access without AT_EACCESS) */
	uint32_t ngroups;  /* supplementary groups */
	uint32_t groups[CRED_NGROUPS];
};
#define CRED_NOBODY 65534u /* the ids of a request no process is bound to */
/* Is gid c's group or one of its supplementary groups? */
bool cred_in_group(const struct cred *c, uint32_t gid);
/* want: 4 read, 2 write, 1 search/execute.  0 or -FERRY_EACCES. */
int vfs_permit(const struct node *n, const struct cred *c, unsigned want);
int tmpfs_mknode(struct node *dir, const char *name, size_t len, uint32_t mode, uint64_t rdev,
                 const struct cred *c, struct node **out);
int tmpfs_unlink(struct node *dir, const char *name, size_t len, bool rmdir, const struct cred *c);
int tmpfs_rename(struct node *odir, const char *oname, size_t olen, struct node *ndir,
                 const char *nname, size_t nlen, const struct cred *c);
int tmpfs_link(struct node *n, struct node *dir, const char *name, size_t len,
               const struct cred *c);

/*
 * mount.c: the mount table.  A tmpfs instance has its own root node (dev
 * != 1); a foreign mount holds a send handle to another server's root
 * directory, and walks that enter it are redirected there (VFS_REDIRECT,
 * docs/proto/vfs.md "Mounts served by other servers").
 */
struct mount {
	struct node *point; /* the directory mounted on (referenced) */
	struct node *root;  /* tmpfs: the instance's root (referenced); foreign: NULL */
	uint64_t port;      /* foreign: handle_t of the other server's root directory */
	uint32_t dev;
	char type[16];
	struct mount *next;
};
/* The mount whose root n is, or NULL. */
static inline struct mount *
mount_of_root(const struct node *n)
{
	return node_is(n, VFS_S_IFDIR) && n->dir.mount && n->dir.mount->root == n ? n->dir.mount
	                                                                          : NULL;
}
/* The mount covering n (n is a mount point), or NULL. */
static inline struct mount *
mount_on(const struct node *n)
{
	return node_is(n, VFS_S_IFDIR) && n->dir.mount && n->dir.mount->point == n ? n->dir.mount
	                                                                           : NULL;
}

/* lookup.c: the path walk */
#define WALK_FOLLOW 0x1 /* follow a symlink in the last component */
#define WALK_PARENT 0x2 /* stop at the parent of the last component */
struct walk {
	struct node *node; /* WALK_PARENT: the parent directory; else the object (referenced) */
	char name[VFS_NAME_MAX + 1]; /* WALK_PARENT: last component ("" for "/") */
	size_t namelen;
	bool trailing_slash; /* the path ended in '/' */
	/* VFS_REDIRECT: the walk entered a foreign mount; the rest of the path
	 * (never empty: "." at the mount point itself) is for that server. */
	struct mount *foreign;
	const char *rest;
	size_t restlen;
};
/*
 * Walks path[len] from start (relative) or root (absolute) as c.  Returns
 * 0 with w->node referenced (node_unref it), or -FERRY_ENOENT,
 * -FERRY_ENOTDIR, -FERRY_ENAMETOOLONG, -FERRY_ELOOP, -FERRY_EACCES,
 * -FERRY_EINVAL (NUL in the path), or VFS_REDIRECT (w->foreign, w->rest:
 * valid until the next walk) with nothing referenced.
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
	uint64_t off;        /* read/write position; readdir cookie for directories */
	uint32_t flags;      /* VFS_O_* status and access flags */
	uint64_t koid;       /* of its port, to recognise it when a client passes it */
	uint32_t lock_waits; /* lock.c: flock waits through it */
	uint32_t lock_ofd;   /* lock.c: its open-file-description records and waits */
	/* Directories: the entry at off, valid while node->dir.removals is
	 * cursor_removals (saves readdir a walk from the first entry). */
	struct dirent *cursor;
	uint32_t cursor_removals;
	struct desc *next; /* all descriptions (koid lookup) */
	/* cred.c: the process this port speaks for (VFS_SESSION; koid 0: none),
	 * or sys: the root port vfs announced, whose holders are servers. */
	uint64_t bind_koid;
	uint32_t bind_slot;
	bool sys;
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
uint64_t vfs_queue(void);
/* Access checks of a description's mode (O_PATH: neither). */
static inline bool
desc_can_read(const struct desc *d)
{
	return !(d->flags & VFS_O_PATH) && (d->flags & VFS_O_ACCMODE) != VFS_O_WRONLY;
}
static inline bool
desc_can_write(const struct desc *d)
{
	uint32_t acc = d->flags & VFS_O_ACCMODE;
	return !(d->flags & VFS_O_PATH) && (acc == VFS_O_WRONLY || acc == VFS_O_RDWR);
}

/*
 * lock.c: record locks and flock (docs/proto/file.md "Locks").  Ranges
 * are inclusive byte offsets [s, e], e = INT64_MAX meaning to the end of
 * file; type FILE_LOCK_RD/WR/UN.
 */
struct lock_owner;
struct file_lock_rep;
/* A new record-lock owner and its port (*port: the send handle).  -ENOLCK, -ENOMEM. */
int lock_owner_new(uint32_t pid, uint32_t *port);
/* The owner whose port h (consumed) names.  -FERRY_EINVAL if none of ours. */
int lock_owner_of(uint32_t h, struct lock_owner **out);
/* Its port's last handle closed: drops its locks and waits. */
void lock_owner_gone(struct lock_owner *o);
/* The kinds of lock: a process's record locks (owner: struct lock_owner),
 * flock and open-file-description record locks (owner: struct desc). */
enum lock_kind { LOCK_POSIX, LOCK_FLOCK, LOCK_OFD };
/* F_GETLK, F_OFD_GETLK: the first lock of another owner conflicting with
 * [s, e] into rep (type UN: none; pid -1 for a description's lock). */
int lock_get(struct node *n, void *owner, unsigned kind, unsigned type, uint64_t s, uint64_t e,
             struct file_lock_rep *rep);
/*
 * Sets owner's lock of kind (owner: a struct lock_owner for LOCK_POSIX, else the struct desc) on
 * n.  Returns 0, -FERRY_EAGAIN (conflict, !wait), -FERRY_EDEADLK,
 * -FERRY_ENOLCK, -FERRY_ENOMEM, or FERRY_REPLY_LATER: token is answered
 * when granted.  A call without token (given up) does nothing.
 */
int lock_set(struct node *n, void *owner, unsigned kind, unsigned type, uint64_t s, uint64_t e,
             bool wait, uint64_t token, uint32_t cookie);
/* Forgets owner's wait cookie (its caller was interrupted); desc: a description's wait. */
void lock_cancel(void *owner, bool desc, uint32_t cookie);
/* Drops o's record locks on n (the process closed a descriptor of n). */
void lock_close(struct node *n, struct lock_owner *o);
/* d is ending: its flock lock and waits go. */
void lock_desc_closed(struct desc *d);

/* file_msg.c, vfs_msg.c: handlers (struct srv_call from lib/srv) */
struct srv_call;
#define FILE_HANDLER(OP, stem, num, req, rep, nh) int on_##stem(void *state, struct srv_call *c);
FILE_PROTO_MESSAGES(FILE_HANDLER)
FILE_MAP_MESSAGES(FILE_HANDLER)
FILE_LOCK_MESSAGES(FILE_HANDLER)
VFS_PROTO_MESSAGES(FILE_HANDLER)
VFS_CRED_MESSAGES(FILE_HANDLER)
#undef FILE_HANDLER

/*
 * cred.c: who a vfs request speaks for.  The receive loop builds a struct
 * vfs_ctx per vfs-protocol request and hands it to the handler as its
 * state: the caller's ids and the node relative paths start from (the
 * port's own, or the VFS_NAMES_AT handle's).
 */
struct vfs_ctx {
	struct cred cred;    /* effective ids and the groups */
	uint32_t ruid, rgid; /* real ids (access, faccessat without AT_EACCESS) */
	struct node *start;
};
/* Fills x for request m on d (takes a VFS_NAMES_AT handle out of m): 0,
 * VFS_FOREIGN_AT, -FERRY_EPERM (a bound process that is gone),
 * -FERRY_EINVAL, -FERRY_EBADH. */
int vfs_ctx_build(struct desc *d, struct ferry_msg *m, struct vfs_ctx *x);
static inline bool
cred_is_root(const struct cred *c)
{
	return c->uid == 0;
}
void vfs_notify(void *state, const struct ferry_msg *m);
/* vfs_msg.c helpers shared with mount_msg.c.  The walks return 0 (node
 * referenced), a negative status, or VFS_REDIRECT with the redirect reply
 * built in c (c == NULL: -FERRY_EXDEV instead). */
struct vfs_names;
/* The request's path(s), inline or in d's transfer area: *p1, *p2. */
int vfs_get_names(struct desc *d, const struct vfs_names *n, const char *inl, size_t cap,
                  const char **p1, const char **p2);
int vfs_walk_obj(const struct vfs_ctx *x, struct srv_call *c, const struct vfs_names *nm,
                 const char *path, uint32_t flags, bool follow, struct node **out);
int vfs_walk_parent(const struct vfs_ctx *x, struct srv_call *c, const struct vfs_names *nm,
                    struct node *start, const char *path, size_t len, struct walk *w);
int vfs_redirect_walk(struct srv_call *c, const struct vfs_names *nm, const struct walk *w);
/* Replies text: the first FILE_INLINE_MAX bytes inline, all of it in the area if the request names one. */
int reply_text(struct srv_call *c, const struct vfs_names *names, const char *text, size_t len);

/* mount.c */
extern struct mount *vfs_mounts;
/* The absolute path of directory n (across mounts) built at the end of buf: *text, *len.  -ENOENT, -ENAMETOOLONG. */
int vfs_node_path(struct node *n, char *buf, size_t size, const char **text, size_t *len);
int mount_tmpfs(struct node *point, uint32_t flags);
/* Mounts the directory port (consumed) of another server. */
int mount_foreign(struct node *point, uint32_t port, const char *type);
int mount_remove(struct mount *m, bool detach);
/* The mount table as /proc/mounts text. */
int mounts_text(char *buf, size_t size, size_t *len);
/* Forwarded opens: the server bound to n's device number (or to FIFOs). -ENXIO if none. */
int fwd_bind(uint32_t type, uint64_t rdev, uint32_t flags, uint32_t op, uint32_t obj,
             uint32_t port);
int fwd_find(const struct node *n, uint32_t *port, uint32_t *op, uint32_t *obj);
/* The receive loop (dispatch.c); returns only if the queue fails. */
int vfs_serve(uint32_t queue);
/* The root for absolute paths. */
extern struct node *vfs_root;

#endif
