// SPDX-License-Identifier: MIT
/*
 * The file protocol on pty masters (KEY_PTM ports): unmarshal, check the
 * master and the data range, call pty.c.  Terminal ioctls act on the
 * slave's terminal (termios, window size, process group), plus TIOCGPTN
 * and TIOCSPTLCK (docs/proto/tty.md).  The slave's descriptions answer
 * tty_msg.c.
 */
#include "posixsrv.h"
#include "tty_int.h"

#define MASTER(c, p)                                                                               \
	struct pty *p = pty_of(KEY_INDEX((c)->key));                                               \
	if (!p)                                                                                    \
		return -FERRY_EBADH;

static int
on_file_read(void *st, struct srv_call *c)
{
	(void)st;
	const struct file_read_req *req = SRV_REQ(c, struct file_read_req);
	MASTER(c, p);
	if (!c->token)
		return 0; /* abandoned while queued: the bytes stay for the next read */
	uint32_t len;
	uint8_t *x;
	int rc = stream_read_dst(&p->xfer, req, &len, &x);
	if (rc)
		return rc;
	bool nb = stream_nonblock(req->flags, p->mflags);
	return pty_master_read(p, len, nb, x, c->token, SRV_REP(c, struct file_read_rep));
}

static int
on_file_write(void *st, struct srv_call *c)
{
	(void)st;
	const struct file_write_req *req = SRV_REQ(c, struct file_write_req);
	MASTER(c, p);
	if (!c->token)
		return 0; /* abandoned: a restarted write must not type twice */
	const uint8_t *src;
	int rc = stream_write_src(&p->xfer, req, &src);
	if (rc)
		return rc;
	bool nb = stream_nonblock(req->flags, p->mflags);
	return pty_master_write(p, req->len, nb, src, !req->xfer, c->token,
	                        SRV_REP(c, struct file_write_rep));
}

static int
on_file_stat(void *st, struct srv_call *c)
{
	(void)st;
	MASTER(c, p);
	struct file_stat *s = &SRV_REP(c, struct file_stat_rep)->st;
	s->dev = 5;
	s->ino = 0x180 + p->n;
	s->mode = PX_S_IFCHR | 0666;
	s->nlink = 1;
	s->rdev = (5u << 8) | 2; /* /dev/ptmx */
	return 0;
}

static int
on_file_fcntl(void *st, struct srv_call *c)
{
	(void)st;
	MASTER(c, p);
	return stream_fcntl(&p->mflags, c);
}

static int
on_file_ioctl(void *st, struct srv_call *c)
{
	(void)st;
	const struct file_ioctl_req *req = SRV_REQ(c, struct file_ioctl_req);
	struct file_ioctl_rep *rep = SRV_REP(c, struct file_ioctl_rep);
	MASTER(c, p);
	uint32_t have = req->len < FILE_INLINE_MAX ? req->len : FILE_INLINE_MAX;
	int32_t v;
	switch (req->cmd) {
	case TTY_TIOCGPTN:
		memcpy(rep->data, &p->n, sizeof(p->n));
		rep->len = sizeof(p->n);
		return 0;
	case TTY_TIOCSPTLCK:
		if (have < sizeof(v))
			return -FERRY_EINVAL;
		memcpy(&v, req->data, sizeof(v));
		p->locked = v != 0;
		return 0;
	case TTY_FIONREAD: /* the master reads the slave's output */
		v = (int32_t)ring_used(&p->out);
		memcpy(rep->data, &v, sizeof(v));
		rep->len = sizeof(v);
		return 0;
	case TTY_TCFLSH:
		/* The master's input is the slave's output, and its output the
		 * slave's input. */
		if (have < sizeof(v))
			return -FERRY_EINVAL;
		memcpy(&v, req->data, sizeof(v));
		if (v < 0 || v > 2)
			return -FERRY_EINVAL;
		if (v != 1)
			ring_get(&p->out, NULL, ring_used(&p->out));
		if (v != 0)
			ldisc_flush_input(&p->tty.ld);
		tty_kick(&p->tty);
		return 0;
	case TTY_TIOCSCTTY:
	case TTY_TIOCNOTTY:
		return -FERRY_ENOTTY; /* a master is nobody's controlling terminal */
	}
	return tty_ioctl(&p->tty, req, rep);
}

static int
on_file_poll(void *st, struct srv_call *c)
{
	(void)st;
	const struct file_poll_req *req = SRV_REQ(c, struct file_poll_req);
	handle_t port = c->req->handles[0];
	struct pty *p = pty_of(KEY_INDEX(c->key));
	if (!p) {
		ferry_sys_handle_close(port);
		return -FERRY_EBADH;
	}
	return pty_master_poll(p, req->events, req->cookie, port,
	                       &SRV_REP(c, struct file_poll_rep)->revents);
}

static int
on_file_sync(void *st, struct srv_call *c)
{
	(void)st, (void)c;
	return 0;
}

static int
on_file_xfer_attach(void *st, struct srv_call *c)
{
	(void)st;
	struct pty *p = pty_of(KEY_INDEX(c->key));
	if (!p) {
		ferry_sys_handle_close(c->req->handles[0]);
		return -FERRY_EBADH;
	}
	return on_file_xfer_attach_common(&p->xfer, p->nrd == 0 && p->nwr == 0, c);
}

/* File ops a stream does not have (stream.c). */
#define on_file_seek     stream_no_seek
#define on_file_truncate stream_no_truncate
#define on_file_readdir  stream_no_readdir
const struct srv_op pty_file_ops[] = {FILE_PROTO_MESSAGES(SRV_OP_ENTRY)};
const uint32_t pty_file_nops = sizeof(pty_file_ops) / sizeof(pty_file_ops[0]);
