/* SPDX-License-Identifier: MIT */
/*
 * Protocol "file": what every object behind a file descriptor answers
 * (tmpfs files and directories, device nodes, pipe ends, terminals,
 * sockets).  The port a client holds IS the open file description: its key
 * tells the server which one, so the offset and status flags are shared by
 * every descriptor that holds the same port (dup, fork), as POSIX wants.
 * Closing the last handle to the port ends the description (no-senders).
 *
 * Data: up to FILE_INLINE_MAX bytes travel inline in the message (request
 * for write, reply for read); larger transfers use a page payload or the
 * client's transfer area (see docs/proto/file.md).  Errors are negative
 * FERRY_E* statuses in the reply's first field.
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
	uint64_t len;     /* bytes wanted */
	int64_t offset;   /* -1: at (and advancing) the description's offset */
	uint32_t flags;   /* FILE_F_* */
	uint32_t xfer;    /* 0: inline reply; else transfer-area descriptor id */
	uint64_t xfer_off;
};
struct file_read_rep {
	int32_t status;
	uint32_t len;     /* bytes read (0 = end of file) */
	uint8_t data[FILE_INLINE_MAX];
};

struct file_write_req {
	uint32_t len;
	uint32_t flags;
	int64_t offset;   /* -1: at the description's offset (or the end, O_APPEND) */
	uint32_t xfer;    /* 0: data inline below; else transfer area */
	uint32_t pad;
	uint64_t xfer_off;
	uint8_t data[FILE_INLINE_MAX - 24];
};
struct file_write_rep {
	int32_t status;
	uint32_t len;     /* bytes written */
};

struct file_seek_req {
	int64_t offset;
	uint32_t whence;  /* SEEK_SET 0, SEEK_CUR 1, SEEK_END 2 */
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
	uint32_t cmd;     /* FILE_FCNTL_GETFL / SETFL */
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
	uint32_t len;     /* bytes of arg in data */
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
	uint32_t events;  /* POLLIN 1, POLLOUT 4, ... (POSIX values) */
	uint32_t pad;
	uint64_t cookie;
};
struct file_poll_rep {
	int32_t status;
	uint32_t revents; /* currently ready (nothing armed if non-zero) */
};

/* Reading a directory: entries packed as struct file_dirent + name. */
struct file_readdir_req {
	uint64_t cookie;  /* 0 = from the start; then the reply's next */
	uint32_t xfer;
	uint32_t pad;
	uint64_t xfer_off;
	uint64_t len;
};
struct file_readdir_rep {
	int32_t status;
	uint32_t len;     /* bytes of entries */
	uint64_t next;
	uint8_t data[FILE_INLINE_MAX];
};

struct file_dup_req {
	uint32_t pad[2];
};

#define FILE_PROTO_MESSAGES(X)                                                                     \
	X(FILE_READ, file_read, 0x0301, struct file_read_req, struct file_read_rep, 0)            \
	X(FILE_WRITE, file_write, 0x0302, struct file_write_req, struct file_write_rep, 0)        \
	X(FILE_SEEK, file_seek, 0x0303, struct file_seek_req, struct file_seek_rep, 0)            \
	X(FILE_STAT, file_stat, 0x0304, struct file_stat_req, struct file_stat_rep, 0)            \
	X(FILE_TRUNCATE, file_truncate, 0x0305, struct file_truncate_req, struct ferry_status_rep, 0) \
	X(FILE_FCNTL, file_fcntl, 0x0306, struct file_fcntl_req, struct file_fcntl_rep, 0)        \
	X(FILE_IOCTL, file_ioctl, 0x0307, struct file_ioctl_req, struct file_ioctl_rep, 0)        \
	X(FILE_POLL, file_poll, 0x0308, struct file_poll_req, struct file_poll_rep, 1)            \
	X(FILE_READDIR, file_readdir, 0x0309, struct file_readdir_req, struct file_readdir_rep, 0) \
	X(FILE_SYNC, file_sync, 0x030a, struct file_dup_req, struct ferry_status_rep, 0)

FERRY_PROTO_DECLARE(file, FILE_PROTO_MESSAGES)

#define FILE_READY 0x03ff /* one-way readiness message op (not a request) */

#endif
