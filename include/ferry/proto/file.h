/* SPDX-License-Identifier: MIT */
/*
 * Protocol "file": what every object behind a file descriptor answers
 * (tmpfs files and directories, device nodes, pipe ends, terminals,
 * sockets).  The port a client holds IS the open file description: its key
 * tells the server which one, so the offset and status flags are shared by
 * every descriptor that holds the same port (dup, fork), as POSIX wants.
 * Closing the last handle to the port ends the description (no-senders).
 *
 * Data: up to FILE_INLINE_MAX bytes travel inline in the message (reply
 * for read; FILE_WRITE_INLINE_MAX in a write request); larger transfers go
 * through the client's transfer area: a memory object the client attaches
 * once to a description with FILE_XFER_ATTACH, which returns an id; a
 * request then names the area by that id (field xfer) and a byte range in
 * it (xfer_off, len).  An id is only valid on the description it was
 * attached to.  See docs/proto/file.md.  Errors are negative FERRY_E*
 * statuses in the reply's first field.
 *
 * Served by: vfs (tmpfs, devfs), posixsrv (pipes, ttys, sockets).
 */
#ifndef FERRY_PROTO_FILE_H
#define FERRY_PROTO_FILE_H

#include <ferry/proto/proto.h>

#define FILE_INLINE_MAX 64

/* Request flags. */
#define FILE_F_NONBLOCK 0x1 /* O_NONBLOCK for this call */

struct file_read_req {
	uint64_t len;   /* bytes wanted */
	int64_t offset; /* -1: at (and advancing) the description's offset */
	uint32_t flags; /* FILE_F_* */
	uint32_t xfer;  /* 0: inline reply; else transfer-area descriptor id */
	uint64_t xfer_off;
	int32_t pgrp; /* the caller's process group (terminals: SIGTTIN), 0 unknown */
	uint32_t pad;
};
struct file_read_rep {
	int32_t status;
	uint32_t len; /* bytes read (0 = end of file) */
	uint8_t data[FILE_INLINE_MAX];
};

#define FILE_WRITE_INLINE_MAX 56
struct file_write_req {
	uint32_t len;
	uint32_t flags;
	int64_t offset; /* -1: at the description's offset (or the end, O_APPEND) */
	uint32_t xfer;  /* 0: data inline below; else transfer area */
	int32_t pgrp;   /* the caller's process group (terminals: SIGTTOU), 0 unknown */
	uint64_t xfer_off;
	uint8_t data[FILE_WRITE_INLINE_MAX];
};
struct file_write_rep {
	int32_t status;
	uint32_t len; /* bytes written */
};

struct file_seek_req {
	int64_t offset;
	uint32_t whence; /* SEEK_SET 0, SEEK_CUR 1, SEEK_END 2 */
	uint32_t pad;
};
struct file_seek_rep {
	int32_t status;
	uint32_t pad;
	int64_t offset;
};

/* POSIX-shaped stat, fixed-width. */
struct file_stat {
	uint64_t dev, ino;
	uint32_t mode, nlink, uid, gid;
	uint64_t rdev;
	int64_t size;
	int64_t atime_ns, mtime_ns, ctime_ns;
};
struct file_stat_req {
	uint32_t pad[2];
};
struct file_stat_rep {
	int32_t status;
	uint32_t pad;
	struct file_stat st;
};

struct file_truncate_req {
	int64_t len;
};

struct file_fcntl_req {
	uint32_t cmd; /* FILE_FCNTL_GETFL / SETFL */
	uint32_t arg;
};
struct file_fcntl_rep {
	int32_t status;
	uint32_t value;
};
#define FILE_FCNTL_GETFL 1
#define FILE_FCNTL_SETFL 2

struct file_ioctl_req {
	uint32_t cmd;
	uint32_t len; /* bytes of arg in data */
	uint8_t data[FILE_INLINE_MAX];
};
struct file_ioctl_rep {
	int32_t status;
	uint32_t len;
	uint8_t data[FILE_INLINE_MAX];
};

/* Readiness: arm events; the server sends one FILE_NOTIFY_READY message
 * (op FILE_READY, key = the client's cookie) to the port given. */
struct file_poll_req {
	uint32_t events; /* POLLIN 1, POLLOUT 4, ... (POSIX values) */
	uint32_t pad;
	uint64_t cookie;
};
struct file_poll_rep {
	int32_t status;
	uint32_t revents; /* currently ready (nothing armed if non-zero) */
};

/*
 * Reading a directory: entries packed as struct file_dirent + name (not
 * NUL-terminated), each record padded to 8 bytes (reclen).  cookie 0 starts
 * from the beginning; then pass the reply's next.  With
 * FILE_READDIR_AT_OFFSET the description's own position is used and
 * advanced instead of cookie (getdents; lseek(fd, 0, SEEK_SET) rewinds).
 * next == FILE_READDIR_END after the last entry.
 */
struct file_readdir_req {
	uint64_t cookie; /* 0 = from the start; then the reply's next */
	uint32_t xfer;   /* 0: entries inline in the reply; else transfer area */
	uint32_t flags;  /* FILE_READDIR_* */
	uint64_t xfer_off;
	uint64_t len; /* room for entries (inline: at most FILE_INLINE_MAX) */
};
#define FILE_READDIR_AT_OFFSET 0x1
#define FILE_READDIR_END       UINT64_MAX
struct file_dirent {
	uint64_t ino;
	uint64_t next;   /* cookie of the entry after this one */
	uint16_t reclen; /* bytes of this record, a multiple of 8 */
	uint8_t type;    /* DT_* (POSIX/Linux values) */
	uint8_t namelen;
	uint32_t pad;
	/* char name[namelen] follows */
};
_Static_assert(sizeof(struct file_dirent) == 24, "dirent header layout");
struct file_readdir_rep {
	int32_t status;
	uint32_t len; /* bytes of entries */
	uint64_t next;
	uint8_t data[FILE_INLINE_MAX];
};

struct file_dup_req {
	uint32_t pad[2];
};

/*
 * Transfer area: the request's handle is a memory object (moved) that the
 * server maps read-write for as long as the description lives; size bytes
 * (a page multiple, at most FILE_XFER_MAX).  The reply's id (never 0) names
 * it in read, write and readdir requests on this description (and in
 * path requests on vfs directories).  Errors: -FERRY_EINVAL (size),
 * -FERRY_EWRONGTYPE (not a memory object), -FERRY_EACCES (not mappable
 * read-write), -FERRY_ENOSPC (too many areas on this description),
 * -FERRY_ENOMEM.
 */
#define FILE_XFER_MAX (1u << 20)
struct file_xfer_attach_req {
	uint64_t size;
};
struct file_xfer_attach_rep {
	int32_t status;
	uint32_t id;
};

#define FILE_PROTO_MESSAGES(X)                                                                     \
	X(FILE_READ, file_read, 0x0301, struct file_read_req, struct file_read_rep, 0)             \
	X(FILE_WRITE, file_write, 0x0302, struct file_write_req, struct file_write_rep, 0)         \
	X(FILE_SEEK, file_seek, 0x0303, struct file_seek_req, struct file_seek_rep, 0)             \
	X(FILE_STAT, file_stat, 0x0304, struct file_stat_req, struct file_stat_rep, 0)             \
	X(FILE_TRUNCATE, file_truncate, 0x0305, struct file_truncate_req, struct ferry_status_rep, \
	  0)                                                                                       \
	X(FILE_FCNTL, file_fcntl, 0x0306, struct file_fcntl_req, struct file_fcntl_rep, 0)         \
	X(FILE_IOCTL, file_ioctl, 0x0307, struct file_ioctl_req, struct file_ioctl_rep, 0)         \
	X(FILE_POLL, file_poll, 0x0308, struct file_poll_req, struct file_poll_rep, 1)             \
	X(FILE_READDIR, file_readdir, 0x0309, struct file_readdir_req, struct file_readdir_rep, 0) \
	X(FILE_SYNC, file_sync, 0x030a, struct file_dup_req, struct ferry_status_rep, 0)           \
	X(FILE_XFER_ATTACH, file_xfer_attach, 0x030b, struct file_xfer_attach_req,                 \
	  struct file_xfer_attach_rep, 1)

FERRY_PROTO_DECLARE(file, FILE_PROTO_MESSAGES)

/*
 * Mapping (served by vfs for regular files; other servers answer
 * -FERRY_ENOSYS, which libposix reports as ENODEV): a new handle to the
 * memory object holding the file's bytes, with MAP|READ|EXEC rights, plus
 * WRITE when prot asks for it and the description is open for writing.
 * Mapping it MAP_SHARED sees read/write and is seen by them; mapped
 * FERRY_MAP_PRIVATE it is copy-on-write.  The object is VFS_FILE_MAX bytes
 * long whatever the file's size (bytes past the end read as zeros).
 * Errors: -FERRY_EACCES (not open for reading, or PROT_WRITE without
 * write access; O_PATH), -FERRY_ENODEV (not a regular file), -FERRY_ENOSPC.
 * A list of its own so that servers without mappings need no handler.
 */
struct file_mmap_req {
	uint32_t prot; /* PROT_READ 1, PROT_WRITE 2, PROT_EXEC 4 of a shared mapping */
	uint32_t
	        flags; /* FILE_MMAP_PRIVATE: the mapping is private (writes never reach the file) */
};
#define FILE_MMAP_PRIVATE 0x1
struct file_mmap_rep {
	int32_t status;
	uint32_t pad;
	uint64_t size; /* the file's size now */
};
/*
 * FILE_MSYNC: msync of a shared writable mapping of the file (libposix
 * sends it for each such mapping msync's range meets): the mapping may
 * have been written, so st_mtime and st_ctime are marked for update
 * (POSIX msync).  Errors: -FERRY_ENODEV (not a regular file),
 * -FERRY_EACCES (the description is not open for writing, so it cannot
 * have been mapped writable).
 */
struct file_msync_req {
	uint32_t pad[2];
};
#define FILE_MAP_MESSAGES(X)                                                                       \
	X(FILE_MMAP, file_mmap, 0x030c, struct file_mmap_req, struct file_mmap_rep, 0)             \
	X(FILE_MSYNC, file_msync, 0x030e, struct file_msync_req, struct ferry_status_rep, 0)

FERRY_PROTO_DECLARE(file_map, FILE_MAP_MESSAGES)

/*
 * Record locks (fcntl F_GETLK/F_SETLK/F_SETLKW) and flock, served by vfs
 * for its nodes; other servers answer -FERRY_ENOSYS (libposix: EINVAL,
 * "the file does not support locking").  Record locks belong to a lock
 * owner: a port vfs makes for each process (FILE_LOCK_OWNER, moved to the
 * caller), passed as a copy with every record-lock request; vfs drops the
 * owner's locks and waits when its last handle closes (the process ended).
 * flock locks and open-file-description record locks (F_OFD_*) belong to
 * the description the request came through.  Record locks of both owners
 * conflict with each other; flock with neither (as on Linux).  Errors and the
 * full contract: docs/proto/file.md, "Locks".
 */
struct file_lock_req {
	uint32_t cmd;    /* FILE_LOCK_* */
	uint16_t type;   /* FILE_LOCK_RD, FILE_LOCK_WR, FILE_LOCK_UN */
	uint16_t whence; /* record locks: SEEK_SET 0, SEEK_CUR 1, SEEK_END 2 */
	int64_t start;   /* relative to whence */
	int64_t len;     /* 0: to the end of file and beyond; < 0: the bytes before start */
	uint32_t pid;    /* FILE_LOCK_OWNER: the process's pid (F_GETLK's l_pid) */
	uint32_t cookie; /* SETW, FLOCKW: names the wait for FILE_LOCK_CANCEL */
};
struct file_lock_rep {
	int32_t status;
	uint16_t type; /* GET: the blocking lock's type, or FILE_LOCK_UN */
	uint16_t pad;
	int64_t start; /* GET: the blocking lock, from the start of the file */
	int64_t len;   /* 0: to the end of file */
	uint32_t pid;  /* GET: its owner's pid; 0xffffffff (-1): a description's lock */
	uint32_t pad2;
};
#define FILE_LOCK_RD 0 /* Linux's F_RDLCK, F_WRLCK, F_UNLCK */
#define FILE_LOCK_WR 1
#define FILE_LOCK_UN 2

#define FILE_LOCK_OWNER 1 /* -> handle: a new lock owner */
#define FILE_LOCK_GET   2 /* handle: owner.  F_GETLK */
#define FILE_LOCK_SET   3 /* handle: owner.  F_SETLK: -FERRY_EAGAIN on conflict */
#define FILE_LOCK_SETW  4 /* handle: owner.  F_SETLKW: answered when granted */
#define FILE_LOCK_CANCEL                                                                           \
	5 /* handle: owner (record wait) or none (this description's wait); cookie */
#define FILE_LOCK_CLOSE    6  /* handle: owner.  Drops all its record locks on this file */
#define FILE_LOCK_FLOCK    7  /* flock(LOCK_NB): -FERRY_EAGAIN on conflict */
#define FILE_LOCK_FLOCKW   8  /* flock: answered when granted */
#define FILE_LOCK_OFD_GET  9  /* F_OFD_GETLK (no handle: the owner is this description) */
#define FILE_LOCK_OFD_SET  10 /* F_OFD_SETLK: -FERRY_EAGAIN on conflict */
#define FILE_LOCK_OFD_SETW 11 /* F_OFD_SETLKW: answered when granted */

#define FILE_LOCK_MESSAGES(X)                                                                      \
	X(FILE_LOCK, file_lock, 0x030d, struct file_lock_req, struct file_lock_rep,                \
	  FERRY_PROTO_HANDLES_UPTO(1))

FERRY_PROTO_DECLARE(file_lock, FILE_LOCK_MESSAGES)

#define FILE_READY 0x03ff /* one-way readiness message op (not a request) */

#endif
