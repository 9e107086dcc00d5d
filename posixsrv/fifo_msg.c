// SPDX-License-Identifier: MIT
/*
 * The file protocol on FIFO descriptions (KEY_FIFO): the pipe ops of
 * pipe.c on the FIFO's pipe, with the description's access mode, flags
 * and transfer areas.  An O_RDWR description reads the read end and
 * writes the write end.  docs/proto/pipe.md, "FIFOs".
 */
#include "posixsrv.h"
#include "pipe_int.h"

#define DESC(c, d, p)                                                                              \
	struct pipe *p;                                                                            \
	struct fifo_desc *d = fifo_desc_of(KEY_INDEX((c)->key), &p);                               \
	if (!d)                                                                                    \
		return -FERRY_EBADH;

static int
on_file_read(void *st, struct srv_call *c)
{
	(void)st;
	const struct file_read_req *req = SRV_REQ(c, struct file_read_req);
	DESC(c, d, p);
	if ((d->flags & PX_O_ACCMODE) == PX_O_WRONLY)
		return -FERRY_EBADH;
	if (!c->token)
		return 0; /* abandoned while queued (see pipe_msg.c) */
	uint32_t len;
	uint8_t *x;
	int rc = stream_read_dst(&d->xfer, req, &len, &x);
	if (rc)
		return rc;
	if (req->offset != -1)
		return -FERRY_ESPIPE;
	bool nb = stream_nonblock(req->flags, d->flags);
	return pipe_read(p, len, nb, x, c->token, SRV_REP(c, struct file_read_rep));
}

static int
on_file_write(void *st, struct srv_call *c)
{
	(void)st;
	const struct file_write_req *req = SRV_REQ(c, struct file_write_req);
	DESC(c, d, p);
	if ((d->flags & PX_O_ACCMODE) == 0)
		return -FERRY_EBADH;
	if (!c->token)
		return 0;
	if (req->offset != -1)
		return -FERRY_ESPIPE;
	const uint8_t *src;
	int rc = stream_write_src(&d->xfer, req, &src);
	if (rc)
		return rc;
	bool nb = stream_nonblock(req->flags, d->flags);
	return pipe_write(p, req->len, nb, src, !req->xfer, c->token,
	                  SRV_REP(c, struct file_write_rep));
}

static int
on_file_stat(void *st, struct srv_call *c)
{
	(void)st;
	DESC(c, d, p);
	struct file_stat *s = &SRV_REP(c, struct file_stat_rep)->st;
	uint64_t id = fifo_id(d);
	s->dev = id >> 32; /* the node's, as vfs named it */
	s->ino = (uint32_t)id;
	s->mode = PX_S_IFIFO | 0644;
	s->nlink = 1;
	s->size = ring_used(&p->ring);
	return 0;
}

static int
on_file_fcntl(void *st, struct srv_call *c)
{
	(void)st;
	DESC(c, d, p);
	(void)p;
	return stream_fcntl(&d->flags, c);
}

static int
on_file_ioctl(void *st, struct srv_call *c)
{
	(void)st;
	const struct file_ioctl_req *req = SRV_REQ(c, struct file_ioctl_req);
	DESC(c, d, p);
	(void)d;
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
	struct pipe *p;
	struct fifo_desc *d = fifo_desc_of(KEY_INDEX(c->key), &p);
	if (!d) {
		ferry_sys_handle_close(port);
		return -FERRY_EBADH;
	}
	uint32_t *revents = &SRV_REP(c, struct file_poll_rep)->revents;
	uint32_t acc = d->flags & PX_O_ACCMODE;
	if (acc == PX_O_RDWR) {
		/* Both ends: ready if either is; armed on the end asked about first. */
		uint32_t r = (pipe_revents(p, 0) | pipe_revents(p, 1)) &
		             (req->events | PX_POLLERR | PX_POLLHUP);
		if (r) {
			*revents = r;
			ferry_sys_handle_close(port);
			return 0;
		}
		return pipe_poll(p, (req->events & PX_POLLIN) ? 0 : 1, req->events, req->cookie,
		                 port, revents);
	}
	return pipe_poll(p, acc == PX_O_WRONLY ? 1 : 0, req->events, req->cookie, port, revents);
}

static int
on_file_xfer_attach(void *st, struct srv_call *c)
{
	(void)st;
	struct pipe *p;
	struct fifo_desc *d = fifo_desc_of(KEY_INDEX(c->key), &p);
	if (!d) {
		ferry_sys_handle_close(c->req->handles[0]);
		return -FERRY_EBADH;
	}
	return on_file_xfer_attach_common(&d->xfer, p->nrd == 0 && p->nwr == 0, c);
}

/* File ops a stream does not have (stream.c). */
#define on_file_seek     stream_no_seek
#define on_file_truncate stream_no_truncate
#define on_file_readdir  stream_no_readdir
#define on_file_sync     stream_no_sync
const struct srv_op fifo_file_ops[] = {FILE_PROTO_MESSAGES(SRV_OP_ENTRY)};
const uint32_t fifo_file_nops = sizeof(fifo_file_ops) / sizeof(fifo_file_ops[0]);
