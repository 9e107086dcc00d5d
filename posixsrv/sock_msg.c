// SPDX-License-Identifier: MIT
/*
 * The sock protocol (SOCK_CREATE/SOCK_PAIR on the service port, the rest
 * on socket ports) and the file protocol on socket ports: unmarshal,
 * check the socket, names and data ranges, call sock.c.  Sizes and handle
 * counts were checked by lib/srv; handlers own the request's handles.
 */
#include "posixsrv.h"
#include "sock_int.h"

static struct sock *
sock_call(struct srv_call *c)
{
	if (KEY_KIND(c->key) != KEY_SOCK)
		return NULL;
	return sock_of(KEY_INDEX(c->key));
}

static void
drop(struct srv_call *c)
{
	for (unsigned i = 0; i < c->req->nhandles; i++)
		ferry_sys_handle_close(c->req->handles[i]);
}

static int
on_sock_create(void *st, struct srv_call *c)
{
	(void)st;
	if (KEY_KIND(c->key) != KEY_SERVICE)
		return -FERRY_ENOSYS;
	handle_t h;
	struct sock_create_rep rep = {0, 0};
	int rc = sock_create(SRV_REQ(c, struct sock_create_req), &h, &rep.id);
	if (rc)
		return rc;
	if (srv_reply(c->token, 0, &rep, sizeof(rep), &h, 1))
		ferry_sys_handle_close(h); /* the caller is gone */
	return FERRY_REPLY_LATER;
}

static int
on_sock_pair(void *st, struct srv_call *c)
{
	(void)st;
	if (KEY_KIND(c->key) != KEY_SERVICE)
		return -FERRY_ENOSYS;
	handle_t h[2];
	struct sock_create_rep rep = {0, 0};
	int rc = sock_pair(SRV_REQ(c, struct sock_create_req), h, &rep.id);
	if (rc)
		return rc;
	if (srv_reply(c->token, 0, &rep, sizeof(rep), h, 2)) {
		ferry_sys_handle_close(h[0]);
		ferry_sys_handle_close(h[1]);
	}
	return FERRY_REPLY_LATER;
}

/* The name text of a bind/connect request, or NULL (*rc says why). */
static const uint8_t *
addr_text(struct sock *s, const struct sock_addr_req *a, int *rc)
{
	*rc = -FERRY_EINVAL;
	if (a->len == 0 || a->len > SOCK_NAME_MAX)
		return NULL;
	if (!a->xfer)
		return a->len <= SOCK_ADDR_INLINE ? a->name : NULL;
	*rc = -FERRY_EFAULT;
	return xfer_ptr(&s->xfer, a->xfer, a->xfer_off, a->len);
}

static int
on_sock_bind(void *st, struct srv_call *c)
{
	(void)st;
	struct sock *s = sock_call(c);
	if (!s)
		return -FERRY_ENOTSOCK;
	const struct sock_addr_req *a = SRV_REQ(c, struct sock_addr_req);
	int rc;
	const uint8_t *name = addr_text(s, a, &rc);
	return name ? sock_bind(s, a, name) : rc;
}

static int
on_sock_listen(void *st, struct srv_call *c)
{
	(void)st;
	struct sock *s = sock_call(c);
	if (!s)
		return -FERRY_ENOTSOCK;
	const struct sock_listen_req *req = SRV_REQ(c, struct sock_listen_req);
	return sock_listen(s, req->backlog, &req->cred);
}

static int
on_sock_accept(void *st, struct srv_call *c)
{
	(void)st;
	struct sock *s = sock_call(c);
	if (!s)
		return -FERRY_ENOTSOCK;
	return sock_accept(s, SRV_REQ(c, struct sock_accept_req), c->token);
}

static int
on_sock_connect(void *st, struct srv_call *c)
{
	(void)st;
	struct sock *s = sock_call(c);
	if (!s)
		return -FERRY_ENOTSOCK;
	const struct sock_addr_req *a = SRV_REQ(c, struct sock_addr_req);
	int rc;
	const uint8_t *name = addr_text(s, a, &rc);
	return name ? sock_connect(s, a, name) : rc;
}

static int
on_sock_send(void *st, struct srv_call *c)
{
	(void)st;
	struct sock *s = sock_call(c);
	if (!s) {
		drop(c);
		return -FERRY_ENOTSOCK;
	}
	const struct sock_send_req *req = SRV_REQ(c, struct sock_send_req);
	struct sock_waiter w = {.token = c->token, .len = req->len, .flags = req->flags};
	int rc = -FERRY_EFAULT;
	if (req->xfer) {
		if (!(w.xfer = xfer_ptr(&s->xfer, req->xfer, req->xfer_off, req->len)))
			goto out_drop;
	} else if (req->len > SOCK_SEND_INLINE) {
		rc = -FERRY_EINVAL;
		goto out_drop;
	} else {
		memcpy(w.inl, req->data, req->len);
	}
	struct sock *dest = NULL;
	if (req->namelen) {
		const uint8_t *name = NULL;
		rc = -FERRY_EINVAL;
		if (req->namelen > SOCK_NAME_MAX)
			goto out_drop;
		if (!req->dev && !req->ino) {
			rc = -FERRY_EFAULT;
			if (!(name = xfer_ptr(&s->xfer, req->xfer, req->name_off, req->namelen)))
				goto out_drop;
		}
		dest = sock_lookup(req->dev, req->ino, name, req->namelen);
	}
	w.nh = c->req->nhandles;
	for (uint32_t i = 0; i < w.nh; i++)
		w.h[i] = c->req->handles[i];
	return sock_send(s, &w, req->namelen != 0, dest, SRV_REP(c, struct sock_send_rep));
out_drop:
	drop(c);
	return rc;
}

static int
on_sock_recv(void *st, struct srv_call *c)
{
	(void)st;
	struct sock *s = sock_call(c);
	if (!s)
		return -FERRY_ENOTSOCK;
	const struct sock_recv_req *req = SRV_REQ(c, struct sock_recv_req);
	uint64_t len = req->len > UINT32_MAX ? UINT32_MAX : req->len;
	struct sock_waiter w = {
	        .token = c->token, .len = (uint32_t)len, .flags = req->flags, .recv_ext = true};
	if (req->xfer && !(w.xfer = xfer_ptr(&s->xfer, req->xfer, req->xfer_off, len)))
		return -FERRY_EFAULT;
	if (req->name_cap) {
		w.name_cap = req->name_cap > SOCK_NAME_MAX ? SOCK_NAME_MAX : req->name_cap;
		if (!(w.name = xfer_ptr(&s->xfer, req->xfer, req->name_off, w.name_cap)))
			return -FERRY_EFAULT;
	}
	return sock_recv(s, &w);
}

static int
on_sock_shutdown(void *st, struct srv_call *c)
{
	(void)st;
	struct sock *s = sock_call(c);
	if (!s)
		return -FERRY_ENOTSOCK;
	return sock_shutdown(s, SRV_REQ(c, struct sock_shutdown_req)->how);
}

static int
on_sock_name(void *st, struct srv_call *c)
{
	(void)st;
	struct sock *s = sock_call(c);
	if (!s)
		return -FERRY_ENOTSOCK;
	const struct sock_name_req *req = SRV_REQ(c, struct sock_name_req);
	const struct sock *n = s;
	if (req->peer) {
		if (!sock_is_conn(s) ? s->peer < 0 : (s->peer < 0 || s->peer_lost))
			return -FERRY_ENOTCONN;
		n = sock_of((uint32_t)s->peer);
	}
	struct sock_name_rep *rep = SRV_REP(c, struct sock_name_rep);
	rep->len = n->namelen;
	memcpy(rep->name, n->name, n->namelen < SOCK_NAME_INLINE ? n->namelen : SOCK_NAME_INLINE);
	if (req->xfer) {
		uint8_t *x = xfer_ptr(&s->xfer, req->xfer, req->xfer_off, n->namelen);
		if (!x)
			return -FERRY_EFAULT;
		memcpy(x, n->name, n->namelen);
	}
	return 0;
}

static int
on_sock_info(void *st, struct srv_call *c)
{
	(void)st;
	struct sock *s = sock_call(c);
	if (!s)
		return -FERRY_ENOTSOCK;
	struct sock_info_rep *rep = SRV_REP(c, struct sock_info_rep);
	rep->type = s->type;
	rep->state = (s->listening ? SOCK_I_LISTENING : 0) | (s->peer >= 0 ? SOCK_I_CONNECTED : 0) |
	             (s->bound ? SOCK_I_BOUND : 0);
	rep->shut = s->shut;
	const struct sock *p = s->peer >= 0 && sock_is_conn(s) ? sock_of((uint32_t)s->peer) : NULL;
	if (p)
		rep->peer = p->cred;
	rep->rcvbuf = SOCK_CAPACITY;
	rep->queued = sock_fionread(s);
	return 0;
}

const struct srv_op sock_ops[] = {SOCK_PROTO_MESSAGES(SRV_OP_ENTRY)};
const uint32_t sock_nops = sizeof(sock_ops) / sizeof(sock_ops[0]);

/* ---- the file protocol on socket ports ---- */

static int
on_file_read(void *st, struct srv_call *c)
{
	(void)st;
	struct sock *s = sock_call(c);
	if (!s)
		return -FERRY_EBADH;
	const struct file_read_req *req = SRV_REQ(c, struct file_read_req);
	uint64_t len = req->len > UINT32_MAX ? UINT32_MAX : req->len;
	if (req->offset != -1)
		return -FERRY_ESPIPE;
	struct sock_waiter w = {
	        .token = c->token, .len = (uint32_t)len, .flags = req->flags & SOCK_F_NONBLOCK};
	if (req->xfer && !(w.xfer = xfer_ptr(&s->xfer, req->xfer, req->xfer_off, len)))
		return -FERRY_EFAULT;
	return sock_recv(s, &w);
}

static int
on_file_write(void *st, struct srv_call *c)
{
	(void)st;
	struct sock *s = sock_call(c);
	if (!s)
		return -FERRY_EBADH;
	const struct file_write_req *req = SRV_REQ(c, struct file_write_req);
	if (req->offset != -1)
		return -FERRY_ESPIPE;
	struct sock_waiter w = {
	        .token = c->token, .len = req->len, .flags = req->flags & SOCK_F_NONBLOCK};
	if (req->xfer) {
		if (!(w.xfer = xfer_ptr(&s->xfer, req->xfer, req->xfer_off, req->len)))
			return -FERRY_EFAULT;
	} else if (req->len > FILE_WRITE_INLINE_MAX) {
		return -FERRY_EINVAL;
	} else {
		memcpy(w.inl, req->data, req->len);
	}
	return sock_send(s, &w, false, NULL,
	                 (struct sock_send_rep *)SRV_REP(c, struct file_write_rep));
}

static int
on_file_stat(void *st, struct srv_call *c)
{
	(void)st;
	struct sock *s = sock_call(c);
	if (!s)
		return -FERRY_EBADH;
	struct file_stat *fs = &SRV_REP(c, struct file_stat_rep)->st;
	fs->dev = 0x5353; /* "SS": posixsrv's socket namespace */
	fs->ino = s->id;
	fs->mode = PX_S_IFSOCK | 0777;
	fs->nlink = 1;
	return 0;
}

static int
on_file_fcntl(void *st, struct srv_call *c)
{
	(void)st;
	struct sock *s = sock_call(c);
	if (!s)
		return -FERRY_EBADH;
	return stream_fcntl(&s->flags, c);
}

static int
on_file_ioctl(void *st, struct srv_call *c)
{
	(void)st;
	const struct file_ioctl_req *req = SRV_REQ(c, struct file_ioctl_req);
	struct sock *s = sock_call(c);
	if (!s)
		return -FERRY_EBADH;
	if (req->cmd != TTY_FIONREAD)
		return -FERRY_ENOTTY;
	return stream_fionread(c, sock_fionread(s));
}

static int
on_file_poll(void *st, struct srv_call *c)
{
	(void)st;
	const struct file_poll_req *req = SRV_REQ(c, struct file_poll_req);
	handle_t port = c->req->handles[0];
	struct sock *s = sock_call(c);
	if (!s) {
		ferry_sys_handle_close(port);
		return -FERRY_EBADH;
	}
	return sock_poll(s, req->events, req->cookie, port,
	                 &SRV_REP(c, struct file_poll_rep)->revents);
}

static int
on_file_xfer_attach(void *st, struct srv_call *c)
{
	(void)st;
	struct sock *s = sock_call(c);
	if (!s) {
		ferry_sys_handle_close(c->req->handles[0]);
		return -FERRY_EBADH;
	}
	return on_file_xfer_attach_common(&s->xfer, false, c);
}

/* File ops a stream does not have (stream.c). */
#define on_file_seek     stream_no_seek
#define on_file_truncate stream_no_truncate
#define on_file_readdir  stream_no_readdir
#define on_file_sync     stream_no_sync
const struct srv_op sock_file_ops[] = {FILE_PROTO_MESSAGES(SRV_OP_ENTRY)};
const uint32_t sock_file_nops = sizeof(sock_file_ops) / sizeof(sock_file_ops[0]);
