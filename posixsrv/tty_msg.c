// SPDX-License-Identifier: MIT
/*
 * The tty protocol (TTY_OPEN, TTY_OPEN_PTMX, TTY_OPEN_PTS on the service
 * port) and the file protocol on terminal descriptions, terminal ioctls
 * included (include/ferry/proto/tty.h, docs/proto/tty.md).
 */
#include "posixsrv.h"
#include "tty_int.h"

static int
on_tty_open(void *st, struct srv_call *c)
{
	(void)st;
	const struct tty_open_req *req = SRV_REQ(c, struct tty_open_req);
	handle_t port;
	int rc = tty_open(req->tty, req->flags, &port);
	if (rc)
		return rc;
	struct ferry_status_rep rep = {0, 0};
	if (srv_reply(c->token, 0, &rep, sizeof(rep), &port, 1))
		ferry_sys_handle_close(port);
	return FERRY_REPLY_LATER;
}

static int
reply_port(struct srv_call *c, handle_t port)
{
	struct ferry_status_rep rep = {0, 0};
	if (srv_reply(c->token, 0, &rep, sizeof(rep), &port, 1))
		ferry_sys_handle_close(port); /* the caller is gone: no-senders cleans up */
	return FERRY_REPLY_LATER;
}

static int
on_tty_open_ptmx(void *st, struct srv_call *c)
{
	(void)st;
	const struct tty_open_req *req = SRV_REQ(c, struct tty_open_req);
	handle_t port;
	int rc = pty_open_master(req->flags, &port);
	return rc ? rc : reply_port(c, port);
}

static int
on_tty_open_pts(void *st, struct srv_call *c)
{
	(void)st;
	const struct tty_open_req *req = SRV_REQ(c, struct tty_open_req);
	handle_t port;
	int rc = pty_open_slave(req->tty, req->flags, &port);
	return rc ? rc : reply_port(c, port);
}

const struct srv_op tty_ops[] = {TTY_PROTO_MESSAGES(SRV_OP_ENTRY)};
const uint32_t tty_nops = sizeof(tty_ops) / sizeof(tty_ops[0]);

#define DESC(c, d, t)                                                                              \
	struct tty *t;                                                                             \
	struct tty_desc *d = tty_desc_of(KEY_INDEX((c)->key), &t);                                 \
	if (!d)                                                                                    \
		return -FERRY_EBADH;

static int
on_file_read(void *st, struct srv_call *c)
{
	(void)st;
	const struct file_read_req *req = SRV_REQ(c, struct file_read_req);
	DESC(c, d, t);
	/* A call abandoned while queued here (its caller was interrupted)
	 * arrives without a token: reading would lose typed input, since
	 * nobody receives it and libposix may restart the call. */
	if (!c->token)
		return 0;
	if (tty_job_check(t, req->pgrp, false))
		return TTY_BACKGROUND; /* libposix raises SIGTTIN */
	uint32_t len;
	uint8_t *x;
	int rc = stream_read_dst(&d->xfer, req, &len, &x);
	if (rc)
		return rc;
	bool nb = stream_nonblock(req->flags, d->flags);
	return tty_read(t, KEY_INDEX(c->key), len, nb, x, c->token,
	                SRV_REP(c, struct file_read_rep));
}

static int
on_file_write(void *st, struct srv_call *c)
{
	(void)st;
	const struct file_write_req *req = SRV_REQ(c, struct file_write_req);
	DESC(c, d, t);
	if (!c->token)
		return 0; /* abandoned: a restarted write must not print twice */
	if (tty_job_check(t, req->pgrp, true))
		return TTY_BACKGROUND; /* TOSTOP: libposix raises SIGTTOU */
	const uint8_t *src;
	int rc = stream_write_src(&d->xfer, req, &src);
	if (rc)
		return rc;
	bool nb = stream_nonblock(req->flags, d->flags);
	return tty_write(t, KEY_INDEX(c->key), req->len, nb, src, !req->xfer, c->token,
	                 SRV_REP(c, struct file_write_rep));
}

static int
on_file_stat(void *st, struct srv_call *c)
{
	(void)st;
	DESC(c, d, t);
	struct file_stat *s = &SRV_REP(c, struct file_stat_rep)->st;
	(void)d;
	s->dev = 5; /* devfs convention: /dev/console is 5:1, /dev/pts/N 136:N */
	s->ino = t->pty ? 0x200 + t->pty->n : 0x100;
	s->mode = PX_S_IFCHR | 0620;
	s->nlink = 1;
	s->rdev = tty_rdev(t);
	return 0;
}

static int
on_file_fcntl(void *st, struct srv_call *c)
{
	(void)st;
	DESC(c, d, t);
	(void)t;
	return stream_fcntl(&d->flags, c);
}

static int
put_arg(struct file_ioctl_rep *rep, const void *v, uint32_t n)
{
	memcpy(rep->data, v, n);
	rep->len = n;
	return 0;
}

int
tty_ioctl(struct tty *t, const struct file_ioctl_req *req, struct file_ioctl_rep *rep)
{
	int32_t v;
	uint32_t have = req->len < FILE_INLINE_MAX ? req->len : FILE_INLINE_MAX;
	switch (req->cmd) {
	case TTY_TCGETS:
		return put_arg(rep, &t->ld.t, sizeof(struct tty_termios));
	case TTY_TCSETSF:
	case TTY_TCSETSW:
	case TTY_TCSETS: {
		struct tty_termios tio;
		if (have < sizeof(tio))
			return -FERRY_EINVAL;
		memcpy(&tio, req->data, sizeof(tio));
		/* TCSETSW/F wait for output to drain on Linux; our writes are
		 * queued in order, so applying now only affects bytes not yet
		 * output-processed: none. */
		if (req->cmd == TTY_TCSETSF)
			ldisc_flush_input(&t->ld);
		ldisc_set_termios(&t->ld, &tio);
		tty_kick(t);
		return 0;
	}
	case TTY_TIOCGWINSZ:
		return put_arg(rep, &t->ws, sizeof(t->ws));
	case TTY_TIOCSWINSZ:
		if (have < sizeof(t->ws))
			return -FERRY_EINVAL;
		if (memcmp(&t->ws, req->data, sizeof(t->ws))) {
			memcpy(&t->ws, req->data, sizeof(t->ws));
			tty_signal_pgrp(t, t->pgrp, TTY_SIGWINCH);
		}
		return 0;
	case TTY_TIOCGPGRP:
		return put_arg(rep, &t->pgrp, sizeof(t->pgrp));
	case TTY_TIOCSPGRP:
		if (have < sizeof(v))
			return -FERRY_EINVAL;
		memcpy(&v, req->data, sizeof(v));
		if (v < 0)
			return -FERRY_EINVAL;
		t->pgrp = v;
		tty_event(t, PROC_TTY_FG);
		return 0;
	case TTY_TIOCGSID:
		return put_arg(rep, &t->sid, sizeof(t->sid));
	case TTY_FIONREAD:
		v = (int32_t)ldisc_count(&t->ld);
		return put_arg(rep, &v, sizeof(v));
	case TTY_TCFLSH:
		if (have < sizeof(v))
			return -FERRY_EINVAL;
		memcpy(&v, req->data, sizeof(v));
		if (v < 0 || v > 2)
			return -FERRY_EINVAL;
		if (v != 1)
			ldisc_flush_input(&t->ld);
		return 0;
	case TTY_TIOCSCTTY:
	case TTY_TIOCNOTTY:
	case TTY_TCSBRK:
	case TTY_TCXONC:
		return 0;
	}
	return -FERRY_ENOTTY;
}

static int
on_file_ioctl(void *st, struct srv_call *c)
{
	(void)st;
	DESC(c, d, t);
	(void)d;
	return tty_ioctl(t, SRV_REQ(c, struct file_ioctl_req), SRV_REP(c, struct file_ioctl_rep));
}

static int
on_file_poll(void *st, struct srv_call *c)
{
	(void)st;
	const struct file_poll_req *req = SRV_REQ(c, struct file_poll_req);
	handle_t port = c->req->handles[0];
	struct tty *t;
	struct tty_desc *d = tty_desc_of(KEY_INDEX(c->key), &t);
	if (!d) {
		ferry_sys_handle_close(port);
		return -FERRY_EBADH;
	}
	return tty_poll(d, t, req->events, req->cookie, port,
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
	struct tty *t;
	struct tty_desc *d = tty_desc_of(KEY_INDEX(c->key), &t);
	if (!d) {
		ferry_sys_handle_close(c->req->handles[0]);
		return -FERRY_EBADH;
	}
	return on_file_xfer_attach_common(&d->xfer, t->nrd == 0 && t->nwr == 0, c);
}

/* File ops a stream does not have (stream.c). */
#define on_file_seek     stream_no_seek
#define on_file_truncate stream_no_truncate
#define on_file_readdir  stream_no_readdir
const struct srv_op tty_file_ops[] = {FILE_PROTO_MESSAGES(SRV_OP_ENTRY)};
const uint32_t tty_file_nops = sizeof(tty_file_ops) / sizeof(tty_file_ops[0]);
