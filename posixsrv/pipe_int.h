/* SPDX-License-Identifier: MIT */
/*
 * Pipe objects, shared by pipe.c (state machine) and pipe_msg.c (the file
 * protocol on pipe ends).
 */
#ifndef POSIXSRV_PIPE_INT_H
#define POSIXSRV_PIPE_INT_H

#include "posixsrv.h"
#include "ring.h"

#define PIPE_WAITERS 16 /* blocked calls per direction */
#define PIPE_ARMS    8  /* armed polls per end */

/* A call answered later: a blocked read or write. */
struct pipe_waiter {
	uint64_t token;
	uint32_t len;
	uint32_t done; /* writes: bytes already in the ring */
	uint8_t *xfer; /* data in the caller's transfer area, or NULL: inline */
	uint8_t inl[FILE_WRITE_INLINE_MAX];
};

struct pipe_arm {
	handle_t port; /* where FILE_READY goes; 0 = slot free */
	uint32_t events;
	uint64_t cookie;
};

struct pipe_end {
	uint32_t open;  /* descriptions of this end: 0/1 for pipes, any for FIFOs */
	handle_t mgr;   /* MANAGE-only handle to the end's port */
	uint32_t flags; /* O_ACCMODE | O_NONBLOCK */
	struct xfer_set xfer;
	struct pipe_arm arms[PIPE_ARMS];
};

struct pipe {
	bool used;
	bool fifo; /* behind a FIFO (fifo.c): ends have no ports of their own */
	uint32_t id;
	struct ring ring;
	struct pipe_end end[2]; /* 0 read, 1 write */
	struct pipe_waiter rd[PIPE_WAITERS], wr[PIPE_WAITERS];
	uint32_t nrd, nwr;
};

/* fifo.c: a FIFO's open file description (KEY_FIFO). */
struct fifo_desc {
	bool used;
	uint32_t fifo; /* index in fifo.c's table */
	handle_t mgr;
	uint32_t flags; /* O_ACCMODE | O_NONBLOCK */
	struct xfer_set xfer;
};
struct fifo_desc *fifo_desc_of(uint32_t index, struct pipe **p);
uint64_t fifo_id(const struct fifo_desc *d);

struct pipe *pipe_of(uint32_t index, unsigned *end);
/* A pipe with its ring and no ends open (FIFOs); NULL: table full or no memory (*err). */
struct pipe *pipe_alloc(int *err);
/* One description of end e is gone; at the last, readers see EOF or writers EPIPE. */
void pipe_end_drop(struct pipe *p, unsigned e);
void pipe_free(struct pipe *p);
uint32_t pipe_revents(const struct pipe *p, unsigned end);
void pipe_kick(struct pipe *p);
int pipe_read(struct pipe *p, uint32_t len, bool nonblock, uint8_t *xfer, uint64_t token,
              struct file_read_rep *rep);
int pipe_write(struct pipe *p, uint32_t len, bool nonblock, const uint8_t *src, bool inline_src,
               uint64_t token, struct file_write_rep *rep);
int pipe_poll(struct pipe *p, unsigned end, uint32_t events, uint64_t cookie, handle_t port,
              uint32_t *revents);

#endif
