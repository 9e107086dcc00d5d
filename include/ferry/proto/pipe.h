/* SPDX-License-Identifier: MIT */
/*
 * Protocol "pipe": creating pipes, sent to posixsrv's service port (the
 * AT_FERRY_POSIXSRV handle).  PIPE_CREATE replies with two ports, moved to
 * the caller: handles[0] is the read end, handles[1] the write end.  Each
 * end is an open file description answering the "file" protocol
 * (include/ferry/proto/file.h): read, write, fcntl, stat, ioctl FIONREAD,
 * poll, xfer_attach.  Closing every handle to an end closes it (no-senders):
 * readers then see end of file, writers get -FERRY_EPEER (EPIPE).
 *
 * Errors: -FERRY_EINVAL (unknown flags), -FERRY_ENFILE (posixsrv's pipe
 * table is full), -FERRY_ENOMEM / -FERRY_EQUOTA (no memory for the ring or
 * the ports).  docs/proto/pipe.md has the semantics of each file op.
 *
 * PIPE_FIFO_OPEN opens a FIFO: vfs redirects the open of a FIFO node here
 * (struct vfs_fwd_open_req: obj 0, the open flags, id = the node's
 * (dev << 32) | ino).  One pipe per id while any description is open.
 * O_RDONLY waits for a writer and O_WRONLY for a reader (answered later),
 * unless O_NONBLOCK: then O_RDONLY opens at once and O_WRONLY fails with
 * -FERRY_ENXIO; O_RDWR never waits.  Reply: the description in
 * handles[0].  Errors also -FERRY_EINVAL (access mode 3), -FERRY_ENFILE.
 */
#ifndef FERRY_PROTO_PIPE_H
#define FERRY_PROTO_PIPE_H

#include <ferry/proto/proto.h>

#define PIPE_ATOMIC_MAX 4096  /* PIPE_BUF: writes up to this size are atomic */
#define PIPE_CAPACITY   65536 /* bytes a pipe holds (F_GETPIPE_SZ) */

/* Request flags: Linux pipe2 values. */
#define PIPE_O_NONBLOCK 04000    /* both ends start non-blocking */
#define PIPE_O_CLOEXEC  02000000 /* client-side only; accepted and ignored */

struct pipe_create_req {
	uint32_t flags; /* PIPE_O_* */
	uint32_t pad;
};
struct pipe_create_rep {
	int32_t status;
	uint32_t id; /* the pipe's number (st_ino of both ends) */
};

/* The first bytes of vfs's struct vfs_fwd_open_req. */
struct pipe_fifo_open_req {
	uint32_t obj;   /* 0 */
	uint32_t flags; /* Linux open flags: access mode and O_NONBLOCK are used */
	uint64_t id;    /* the FIFO's identity: (st_dev << 32) | st_ino of the node */
};

#define PIPE_PROTO_MESSAGES(X)                                                                     \
	X(PIPE_CREATE, pipe_create, 0x0501, struct pipe_create_req, struct pipe_create_rep, 0)     \
	X(PIPE_FIFO_OPEN, pipe_fifo_open, 0x0502, struct pipe_fifo_open_req,                       \
	  struct ferry_status_rep, 0)

FERRY_PROTO_DECLARE(pipe, PIPE_PROTO_MESSAGES)

#endif
