// SPDX-License-Identifier: MIT
/*
 * The pipe protocol (PIPE_CREATE on the service port) and the file
 * protocol on pipe ends: unmarshal, check the end and the data range,
 * call pipe.c.  Sizes and handle counts were checked by lib/srv.
 */
#include "posixsrv.h"
#include "pipe_int.h"

static int
on_pipe_create(void *st, struct srv_call *c)
{
	(void)st;
	const struct pipe_create_req *req = SRV_REQ(c, struct pipe_create_req);
	handle_t h[2];
	uint32_t id;
	int rc = pipe_create(req->flags, &h[0], &h[1], &id);
	if (rc)
		return rc;
	struct pipe_create_rep rep = {0, id};
	if ((rc = srv_reply(c->token, 0, &rep, sizeof(rep), h, 2))) {
		/* The caller is gone: its ends close with our handles. */
		ferry_sys_handle_close(h[0]);
		ferry_sys_handle_close(h[1]);
	}
	return FERRY_REPLY_LATER;
}

static int
on_pipe_fifo_open(void *st, struct srv_call *c)
{
	(void)st;
	const struct pipe_fifo_open_req *req = SRV_REQ(c, struct pipe_fifo_open_req);
	handle_t port;
	int rc = fifo_open(req->id, req->flags, c->token, &port);
	if (rc)
		return rc; /* an error, or FERRY_REPLY_LATER: fifo.c answers */
	struct ferry_status_rep rep = {0, 0};
	if (srv_reply(c->token, 0, &rep, sizeof(rep), &port, 1))
		ferry_sys_handle_close(port);
	return FERRY_REPLY_LATER;
}

const struct srv_op pipe_ops[] = {PIPE_PROTO_MESSAGES(SRV_OP_ENTRY)};
const uint32_t pipe_nops = sizeof(pipe_ops) / sizeof(pipe_ops[0]);

static struct pipe *
end_of(struct srv_call *c, unsigned *end)
{
	return pipe_of(KEY_INDEX(c->key), end);
}

static int
on_file_read(void *st, struct srv_call *c)
{
	(void)st;
	const struct file_read_req *req = SRV_REQ(c, struct file_read_req);
	unsigned e;
	struct pipe *p = end_of(c, &e);
	if (!p)
		return -FERRY_EBADH;
	if (e != 0)
		return -FERRY_EBADH; /* EBADF: not open for reading */
	if (!c->token)
		return 0; /* an abandoned call: see on_file_write */
	uint32_t len;
	uint8_t *x;
	int rc = stream_read_dst(&p->end[e].xfer, req, &len, &x);
	if (rc)
		return rc;
	if (req->offset != -1)
		return -FERRY_ESPIPE;
	bool nb = stream_nonblock(req->flags, p->end[e].flags);
	return pipe_read(p, len, nb, x, c->token, SRV_REP(c, struct file_read_rep));
}

static int
on_file_write(void *st, struct srv_call *c)
{
	(void)st;
	const struct file_write_req *req = SRV_REQ(c, struct file_write_req);
	unsigned e;
	struct pipe *p = end_of(c, &e);
	if (!p)
		return -FERRY_EBADH;
	if (e != 1)
		return -FERRY_EBADH;
	/* A call whose caller was interrupted while it sat in our queue
	 * arrives as a one-way message: doing it would lose the data read or
	 * write it twice when libposix restarts the call (SA_RESTART). */
	if (!c->token)
		return 0;
	if (req->offset != -1)
		return -FERRY_ESPIPE;
	const uint8_t *src;
	int rc = stream_write_src(&p->end[e].xfer, req, &src);
	if (rc)
		return rc;
	bool nb = stream_nonblock(req->flags, p->end[e].flags);
	return pipe_write(p, req->len, nb, src, !req->xfer, c->token,
	                  SRV_REP(c, struct file_write_rep));
}

static int
on_file_stat(void *st, struct srv_call *c)
{
	(void)st;
	unsigned e;
	struct pipe *p = end_of(c, &e);
	if (!p)
		return -FERRY_EBADH;
	struct file_stat *s = &SRV_REP(c, struct file_stat_rep)->st;
	s->dev = 0x5050; /* "PP": posixsrv's pipe namespace */
	s->ino = p->id;
	s->mode = PX_S_IFIFO | 0600;
	s->nlink = 1;
	s->size = ring_used(&p->ring);
	return 0;
}

static int
on_file_fcntl(void *st, struct srv_call *c)
{
	(void)st;
	unsigned e;
	struct pipe *p = end_of(c, &e);
	if (!p)
		return -FERRY_EBADH;
	struct pipe_end *pe = &p->end[e];
	return stream_fcntl(&pe->flags, c);
}

static int
on_file_ioctl(void *st, struct srv_call *c)
{
	(void)st;
	const struct file_ioctl_req *req = SRV_REQ(c, struct file_ioctl_req);
	unsigned e;
	struct pipe *p = end_of(c, &e);
	if (!p)
		return -FERRY_EBADH;
	if (req->cmd != TTY_FIONREAD)
		return -FERRY_ENOTTY;
	return stream_fionread(c, ring_used(&p->ring));
}

static int
on_file_poll(void *st, struct srv_call *c)
{
	(void)st;
	const struct file_poll_req *req = SRV_REQ(c, struct file_poll_req);
	handle_t port = c->req->handles[0];
	unsigned e;
	struct pipe *p = end_of(c, &e);
	if (!p) {
		ferry_sys_handle_close(port);
		return -FERRY_EBADH;
	}
	return pipe_poll(p, e, req->events, req->cookie, port,
	                 &SRV_REP(c, struct file_poll_rep)->revents);
}

static int
on_file_xfer_attach(void *st, struct srv_call *c)
{
	(void)st;
	unsigned e;
	struct pipe *p = end_of(c, &e);
	if (!p) {
		ferry_sys_handle_close(c->req->handles[0]);
		return -FERRY_EBADH;
	}
	return on_file_xfer_attach_common(&p->end[e].xfer, p->nrd == 0 && p->nwr == 0, c);
}

/* File ops a stream does not have (stream.c). */
#define on_file_seek     stream_no_seek
#define on_file_truncate stream_no_truncate
#define on_file_readdir  stream_no_readdir
#define on_file_sync     stream_no_sync
const struct srv_op pipe_file_ops[] = {FILE_PROTO_MESSAGES(SRV_OP_ENTRY)};
const uint32_t pipe_file_nops = sizeof(pipe_file_ops) / sizeof(pipe_file_ops[0]);
