/* SPDX-License-Identifier: MIT */
/*
 * Protocol "vfs": path operations, sent to a directory port (the root, the
 * working directory, or any directory a client opened).  Relative paths
 * start at that directory; absolute paths at the root of the vfs that
 * serves the port.  The same port also answers the "file" protocol
 * (readdir, stat, seek ...), since a directory port is an open description.
 * VFS_OPEN replies with a new port (moved to the caller): the open file
 * description.  Every other op replies with a status and inline data.
 *
 * Paths travel in the request's inline names[] when they fit, else in the
 * caller's transfer area attached to this port (FILE_XFER_ATTACH, field
 * xfer non-zero): path 1 at xfer_off, path 2 right after it.  Lengths
 * exclude the NUL; a path must not contain NUL (-FERRY_EINVAL), is at most
 * VFS_PATH_MAX - 1 bytes (-FERRY_ENAMETOOLONG) and each component at most
 * VFS_NAME_MAX bytes (-FERRY_ENAMETOOLONG).  Flag and mode values are the
 * Linux x86_64 ones (VFS_O_*, VFS_AT_*, S_IF*), so libposix passes them
 * through.  Every op's errors are listed in docs/proto/vfs.md.
 *
 * Served by: vfs.  Start-up handshake: docs/proto/vfs.md, "Start-up".
 */
#ifndef FERRY_PROTO_VFS_H
#define FERRY_PROTO_VFS_H

#include <ferry/proto/file.h>

#define VFS_PATH_MAX    4096 /* PATH_MAX, including the NUL */
#define VFS_NAME_MAX    255  /* NAME_MAX */
#define VFS_SYMLOOP_MAX 40

/* open flags (Linux x86_64 values). */
#define VFS_O_ACCMODE   0003
#define VFS_O_RDONLY    00
#define VFS_O_WRONLY    01
#define VFS_O_RDWR      02
#define VFS_O_PATH      010000000
#define VFS_O_CREAT     0100
#define VFS_O_EXCL      0200
#define VFS_O_NOCTTY    0400
#define VFS_O_TRUNC     01000
#define VFS_O_APPEND    02000
#define VFS_O_NONBLOCK  04000
#define VFS_O_DIRECTORY 0200000
#define VFS_O_NOFOLLOW  0400000
#define VFS_O_CLOEXEC   02000000
/* *at flags. */
#define VFS_AT_SYMLINK_NOFOLLOW 0x100
#define VFS_AT_REMOVEDIR        0x200
#define VFS_AT_SYMLINK_FOLLOW   0x400
#define VFS_AT_EACCESS          0x200 /* access only */
#define VFS_AT_EMPTY_PATH       0x1000
/* File types (st_mode & S_IFMT). */
#define VFS_S_IFMT   0170000
#define VFS_S_IFSOCK 0140000
#define VFS_S_IFLNK  0120000
#define VFS_S_IFREG  0100000
#define VFS_S_IFBLK  0060000
#define VFS_S_IFDIR  0040000
#define VFS_S_IFCHR  0020000
#define VFS_S_IFIFO  0010000
/* utimens: special nanosecond values. */
#define VFS_UTIME_NOW  ((int64_t)0x3fffffff)
#define VFS_UTIME_OMIT ((int64_t)0x3ffffffe)

/* Where the request's path(s) are: the head of every path request. */
struct vfs_names {
	uint16_t len;      /* bytes of path 1 (0 only with AT_EMPTY_PATH semantics) */
	uint16_t len2;     /* bytes of path 2 (rename, link, symlink), else 0 */
	uint32_t xfer;     /* 0: inline in names[]; else transfer-area id on this port */
	uint64_t xfer_off; /* offset of path 1 in the area */
};

#define VFS_INLINE(fixed) (FERRY_MSG_INLINE_MAX - 16 - (fixed))

struct vfs_open_req {
	struct vfs_names n;
	uint32_t flags; /* VFS_O_* */
	uint32_t mode;  /* permission bits for O_CREAT (umask already applied) */
	char names[VFS_INLINE(8)];
};
struct vfs_open_rep {
	int32_t status;
	uint32_t mode; /* the object's type and permissions */
	uint64_t ino;
};

/* mkdir, mknod (FIFOs and device nodes), chmod. */
struct vfs_mode_req {
	struct vfs_names n;
	uint32_t flags; /* chmod: VFS_AT_SYMLINK_NOFOLLOW */
	uint32_t mode;
	uint64_t dev; /* mknod: device number */
	char names[VFS_INLINE(16)];
};

/* unlink, rmdir (VFS_AT_REMOVEDIR), readlink, stat, statfs, getpath, access. */
struct vfs_path_req {
	struct vfs_names n;
	uint32_t flags; /* VFS_AT_* */
	uint32_t mode;  /* access: R_OK 4, W_OK 2, X_OK 1, F_OK 0 */
	char names[VFS_INLINE(8)];
};

/* rename, link: path 2 is relative to the directory port in handles[0]. */
struct vfs_path2_req {
	struct vfs_names n;
	uint32_t flags; /* link: VFS_AT_SYMLINK_FOLLOW */
	uint32_t pad;
	char names[VFS_INLINE(8)];
};

struct vfs_chown_req {
	struct vfs_names n;
	uint32_t flags;    /* VFS_AT_SYMLINK_NOFOLLOW */
	uint32_t uid, gid; /* (uint32_t)-1: unchanged */
	uint32_t pad;
	char names[VFS_INLINE(16)];
};

struct vfs_utimens_req {
	struct vfs_names n;
	uint32_t flags; /* VFS_AT_SYMLINK_NOFOLLOW */
	uint32_t pad;
	int64_t atime_ns, mtime_ns; /* or VFS_UTIME_NOW / VFS_UTIME_OMIT */
	char names[VFS_INLINE(24)];
};

struct vfs_stat_rep {
	int32_t status;
	uint32_t pad;
	struct file_stat st;
};

/* readlink and getpath: the text, inline if it fits, else in the area. */
struct vfs_text_rep {
	int32_t status;
	uint32_t len; /* bytes of text (no NUL) */
	char data[FILE_INLINE_MAX];
};

struct vfs_statfs_rep {
	int32_t status;
	uint32_t namemax;
	uint64_t type; /* f_type magic: TMPFS_MAGIC 0x01021994 ... */
	uint64_t bsize, blocks, bfree, files, ffree;
	uint64_t fsid;
	uint32_t flags; /* ST_RDONLY 1, ST_NOSUID 2 ... */
	uint32_t pad;
};

/*
 * Redirects (docs/proto/vfs.md "Mounts served by other servers", "Device
 * and FIFO nodes"): a reply with status VFS_REDIRECT (positive, not an
 * error) carries a port in handles[0] and says where the request goes on.
 *  VFS_REDIRECT_WALK: the walk entered a file system served by another
 *    server; handles[0] is its directory port.  Send the same request
 *    there with path 1 replaced by the rest (len bytes, never empty: "."
 *    for the mount point itself): inline in rest[] when len <= sizeof
 *    rest, else at xfer_off of the request's transfer area.
 *  VFS_REDIRECT_OPEN (VFS_OPEN only): the node is a device or FIFO served
 *    by another server; call op on handles[0] with struct vfs_fwd_open_req
 *    {obj, open flags, id}; its reply's handle is the open description.
 */
#define VFS_REDIRECT      2
#define VFS_REDIRECT_WALK 1
#define VFS_REDIRECT_OPEN 2
#define VFS_REDIRECT_HOPS 8 /* clients follow at most this many per call (ELOOP) */
struct vfs_redirect_rep {
	int32_t status; /* VFS_REDIRECT */
	uint16_t kind;  /* VFS_REDIRECT_* */
	uint16_t len;   /* WALK: bytes of the rest of the path */
	uint32_t op;    /* OPEN: the op to call on handles[0] */
	uint32_t obj;   /* OPEN: the object's number at that server (TTY_CONSOLE, pty minor) */
	uint64_t id;    /* OPEN: the node's identity, (dev << 32) | ino (FIFOs) */
	uint32_t mode;  /* OPEN: the node's type and permissions */
	uint32_t pad;
	char rest[FERRY_MSG_INLINE_MAX - 32];
};
/* The request of a forwarded open; its first 8 bytes are struct tty_open_req. */
struct vfs_fwd_open_req {
	uint32_t obj;
	uint32_t flags; /* open flags (Linux values) */
	uint64_t id;
};

/* Mounting: path 1 is the directory mounted on.  VFS_MOUNT with type
 * "tmpfs" makes a new tmpfs instance; VFS_MOUNT_PORT mounts handles[0],
 * the root directory port of a file system another server serves, type
 * being its name in the mount table ("proc"). */
struct vfs_mount_req {
	struct vfs_names n;
	uint32_t flags; /* MS_RDONLY ... (kept for the mount table only) */
	uint32_t pad;
	char type[16]; /* NUL-padded */
	char names[VFS_INLINE(24)];
};
#define VFS_MNT_DETACH 2 /* umount: MNT_DETACH (flags of struct vfs_path_req) */

/* Binding device numbers (or all FIFOs) to the server that opens them. */
struct vfs_bind_req {
	uint32_t type;  /* VFS_S_IFCHR, VFS_S_IFBLK or VFS_S_IFIFO */
	uint32_t op;    /* the open op to call on the port (TTY_OPEN ...) */
	uint64_t rdev;  /* device number (major << 8 | minor), ignored for FIFOs */
	uint32_t flags; /* VFS_BIND_MAJOR: every minor of rdev's major, obj = the minor */
	uint32_t obj;   /* the object number passed to op */
};
#define VFS_BIND_MAJOR 0x1

#define VFS_PROTO_MESSAGES(X)                                                                      \
	X(VFS_OPEN, vfs_open, 0x0201, struct vfs_open_req, struct vfs_open_rep, 0)                 \
	X(VFS_MKDIR, vfs_mkdir, 0x0202, struct vfs_mode_req, struct ferry_status_rep, 0)           \
	X(VFS_MKNOD, vfs_mknod, 0x0203, struct vfs_mode_req, struct ferry_status_rep, 0)           \
	X(VFS_UNLINK, vfs_unlink, 0x0204, struct vfs_path_req, struct ferry_status_rep, 0)         \
	X(VFS_RENAME, vfs_rename, 0x0205, struct vfs_path2_req, struct ferry_status_rep, 1)        \
	X(VFS_LINK, vfs_link, 0x0206, struct vfs_path2_req, struct ferry_status_rep, 1)            \
	X(VFS_SYMLINK, vfs_symlink, 0x0207, struct vfs_path2_req, struct ferry_status_rep, 0)      \
	X(VFS_READLINK, vfs_readlink, 0x0208, struct vfs_path_req, struct vfs_text_rep, 0)         \
	X(VFS_STAT, vfs_stat, 0x0209, struct vfs_path_req, struct vfs_stat_rep, 0)                 \
	X(VFS_CHMOD, vfs_chmod, 0x020a, struct vfs_mode_req, struct ferry_status_rep, 0)           \
	X(VFS_CHOWN, vfs_chown, 0x020b, struct vfs_chown_req, struct ferry_status_rep, 0)          \
	X(VFS_UTIMENS, vfs_utimens, 0x020c, struct vfs_utimens_req, struct ferry_status_rep, 0)    \
	X(VFS_ACCESS, vfs_access, 0x020d, struct vfs_path_req, struct ferry_status_rep, 0)         \
	X(VFS_STATFS, vfs_statfs, 0x020e, struct vfs_path_req, struct vfs_statfs_rep, 0)           \
	X(VFS_GETPATH, vfs_getpath, 0x020f, struct vfs_path_req, struct vfs_text_rep, 0)           \
	X(VFS_MOUNT, vfs_mount, 0x0210, struct vfs_mount_req, struct ferry_status_rep, 0)          \
	X(VFS_UMOUNT, vfs_umount, 0x0211, struct vfs_path_req, struct ferry_status_rep, 0)         \
	X(VFS_MOUNTS, vfs_mounts, 0x0212, struct vfs_path_req, struct vfs_text_rep, 0)             \
	X(VFS_BIND, vfs_bind, 0x0213, struct vfs_bind_req, struct ferry_status_rep, 1)             \
	X(VFS_MOUNT_PORT, vfs_mount_port, 0x0214, struct vfs_mount_req, struct ferry_status_rep, 1)

FERRY_PROTO_DECLARE(vfs, VFS_PROTO_MESSAGES)

/*
 * Credentials (docs/proto/vfs.md "Credentials").  VFS_CREDS (once, by
 * procmgr at bring-up): handles[0] is procmgr's credential table (struct
 * proc_cred_table, include/ferry/proto/proc.h), mapped read-only.
 * VFS_SESSION: a new description of a directory bound to a process, whose
 * path requests are then checked against that process's current ids.
 * With VFS_SESSION_TOKEN, handles[0] is the process's token (a copy of its
 * process port without the send right) and names the process; without it
 * the process is the one the port the request came on is bound to.  The
 * next handle, if any, is the directory (one of this vfs's descriptions);
 * without it the directory is the root.  The reply's handle is the new port.
 */
struct vfs_creds_req {
	uint32_t flags; /* 0 */
	uint32_t pad;
};
#define VFS_SESSION_TOKEN 0x1
struct vfs_session_req {
	uint32_t flags; /* VFS_SESSION_TOKEN */
	uint32_t pad;
};
#define VFS_CRED_MESSAGES(X)                                                                       \
	X(VFS_CREDS, vfs_creds, 0x0215, struct vfs_creds_req, struct ferry_status_rep, 1)          \
	X(VFS_SESSION, vfs_session, 0x0216, struct vfs_session_req, struct ferry_status_rep,       \
	  FERRY_PROTO_HANDLES_VAR | 2)
FERRY_PROTO_DECLARE(vfs_cred, VFS_CRED_MESSAGES)

/*
 * A path request whose vfs_names.xfer has VFS_NAMES_AT carries one more
 * handle, last: the description the path starts from (with AT_EMPTY_PATH,
 * the object itself), in place of the port's own directory, while the
 * caller's identity stays that of the port the request came on (a bound
 * port, VFS_SESSION).  If that handle is not one of this vfs's
 * descriptions the reply is VFS_FOREIGN_AT (positive): send the request
 * to it directly.
 */
#define VFS_NAMES_AT   0x80000000u
#define VFS_FOREIGN_AT 4

/*
 * Start-up (docs/proto/vfs.md): vfs sends one message with this op to the
 * port its starter gave it, carrying the root directory's port (moved),
 * then serves.  status < 0: vfs could not start (no port follows).
 */
#define VFS_START_ROOT 0x02ff
struct vfs_start_msg {
	int32_t status;
	uint32_t files; /* members of the boot archive unpacked */
};

#endif
