// SPDX-License-Identifier: MIT
/*
 * The mq protocol (MQ_OPEN/MQ_UNLINK on the service port, the rest on
 * message queue descriptions) and the file protocol on descriptions:
 * unmarshal, check the description, the name and the data range, call
 * mq.c.  Sizes and handle counts were checked by lib/srv.
 */
#include "mq_int.h"

/* The description a call came through, or NULL. */
static struct mq_desc *
desc_of(struct srv_call *c, struct mq **q)
{
	if (KEY_KIND(c->key) != KEY_MQ)
		return NULL;
	return mq_desc_of(KEY_INDEX(c->key), q);
}

/* The name of an MQ_OPEN/MQ_UNLINK: inline, or in the lent page payload. */
static int
name_of(struct srv_call *c, const char **name)
{
	const struct mq_name_req *r = SRV_REQ(c, struct mq_name_req);
	if (r->namelen > MQ_NAME_MAX)
		return -FERRY_ENAMETOOLONG;
	if (!(c->req->flags & FERRY_MSGF_PAYLOAD)) {
		if (r->namelen > MQ_NAME_INLINE)
			return -FERRY_EINVAL;
		*name = r->name;
		return 0;
	}
	if (!r->pl.addr)
		return -FERRY_ENOMEM; /* the kernel could not map it for us */
	if (r->namelen > r->pl.len)
		return -FERRY_EINVAL;
	*name = (const char *)(uintptr_t)r->pl.addr;
	return 0;
}

/*
 * Who calls: the process whose token is handles[0] (consumed), with the
 * ids procmgr's table has for it now; no token, a forged one, or no
 * table make the caller nobody.
 */
static void
caller(struct srv_call *c, struct proc_cred_entry *who)
{
	uint32_t token = c->req->nhandles ? c->req->handles[0] : 0;
	if (srv_cred_of_token(px.credtab, token, who)) {
		memset(who, 0, sizeof(*who));
		who->uid = who->euid = who->gid = who->egid = MQ_NOBODY;
	}
}

static int
on_mq_open(void *st, struct srv_call *c)
{
	(void)st;
	struct proc_cred_entry who;
	caller(c, &who);
	if (KEY_KIND(c->key) != KEY_SERVICE)
		return -FERRY_ENOSYS;
	const struct mq_name_req *r = SRV_REQ(c, struct mq_name_req);
	const char *name;
	int rc = name_of(c, &name);
	if (rc)
		return rc;
	handle_t h;
	struct mq_open_rep rep = {0, 0};
	if ((rc = mq_open_name(name, r->namelen, r, &who, &h, &rep.id)))
		return rc;
	if (srv_reply(c->token, 0, &rep, sizeof(rep), &h, 1))
		ferry_sys_handle_close(h); /* the caller is gone: the description closes */
	return FERRY_REPLY_LATER;
}

static int
on_mq_unlink(void *st, struct srv_call *c)
{
	(void)st;
	struct proc_cred_entry who;
	caller(c, &who);
	if (KEY_KIND(c->key) != KEY_SERVICE)
		return -FERRY_ENOSYS;
	const char *name;
	int rc = name_of(c, &name);
	if (rc)
		return rc;
	const struct mq_name_req *r = SRV_REQ(c, struct mq_name_req);
	return mq_unlink_name(name, r->namelen, &who);
}

static int
on_mq_send(void *st, struct srv_call *c)
{
	(void)st;
	struct mq *q;
	struct mq_desc *d = desc_of(c, &q);
	if (!d)
		return -FERRY_EBADH;
	/* A call whose caller gave up while it sat in our queue comes as a
	 * one-way message: sending it would double it when libposix restarts
	 * the call (SA_RESTART). */
	if (!c->token)
		return 0;
	const struct mq_send_req *r = SRV_REQ(c, struct mq_send_req);
	const uint8_t *src = r->data;
	if (r->xfer) {
		if (!(src = xfer_ptr(&d->xfer, r->xfer, r->xfer_off, r->len)))
			return -FERRY_EFAULT;
	} else if (r->len > MQ_INLINE_MAX) {
		return r->len > q->msgsize ? -FERRY_EMSGSIZE : -FERRY_EINVAL;
	}
	return mq_send(KEY_INDEX(c->key), r, src, c->token);
}

static int
on_mq_receive(void *st, struct srv_call *c)
{
	(void)st;
	struct mq *q;
	struct mq_desc *d = desc_of(c, &q);
	if (!d)
		return -FERRY_EBADH;
	if (!c->token)
		return 0; /* as on_mq_send: the receiver is gone */
	const struct mq_receive_req *r = SRV_REQ(c, struct mq_receive_req);
	uint8_t *dst = NULL;
	uint32_t room = r->len;
	if (r->xfer) {
		if (room > q->msgsize)
			room = q->msgsize; /* only a message's worth is written */
		if (!(dst = xfer_ptr(&d->xfer, r->xfer, r->xfer_off, room)))
			return -FERRY_EFAULT;
	}
	return mq_receive(KEY_INDEX(c->key), r, dst, c->token);
}

static int
on_mq_notify(void *st, struct srv_call *c)
{
	(void)st;
	struct mq *q;
	const struct mq_notify_req *r = SRV_REQ(c, struct mq_notify_req);
	handle_t token = c->req->nhandles ? c->req->handles[0] : 0;
	handle_t port = c->req->nhandles > 1 ? c->req->handles[1] : 0;
	struct proc_cred_entry who;
	/* No valid token: pid 0, nobody, who has no registration to remove
	 * and may not make one (mq_notify). */
	if (srv_cred_of_token(px.credtab, token, &who))
		who.pid = 0;
	if (!desc_of(c, &q)) {
		if (port)
			ferry_sys_handle_close(port);
		return -FERRY_EBADH;
	}
	return mq_notify(KEY_INDEX(c->key), r, who.pid, port);
}

static int
on_mq_getsetattr(void *st, struct srv_call *c)
{
	(void)st;
	struct mq *q;
	if (!desc_of(c, &q))
		return -FERRY_EBADH;
	return mq_getsetattr(KEY_INDEX(c->key), SRV_REQ(c, struct mq_attr_req),
	                     SRV_REP(c, struct mq_attr_rep));
}

const struct srv_op mq_ops[] = {MQ_PROTO_MESSAGES(SRV_OP_ENTRY)};
const uint32_t mq_nops = sizeof(mq_ops) / sizeof(mq_ops[0]);

/* ---- the file protocol on descriptions ---- */

static int
on_file_read(void *st, struct srv_call *c)
{
	(void)st, (void)c;
	return -FERRY_EINVAL; /* messages are read with MQ_RECEIVE */
}

static int
on_file_write(void *st, struct srv_call *c)
{
	(void)st, (void)c;
	return -FERRY_EINVAL;
}

static int
on_file_stat(void *st, struct srv_call *c)
{
	(void)st;
	struct mq *q;
	if (!desc_of(c, &q))
		return -FERRY_EBADH;
	struct file_stat *s = &SRV_REP(c, struct file_stat_rep)->st;
	s->dev = 0x4d51; /* "MQ": posixsrv's message queue namespace */
	s->ino = q->id;
	s->mode = PX_S_IFREG | q->mode;
	s->nlink = q->linked ? 1 : 0;
	s->uid = q->uid;
	s->gid = q->gid;
	s->size = (int64_t)q->bytes;
	return 0;
}

static int
on_file_fcntl(void *st, struct srv_call *c)
{
	(void)st;
	struct mq *q;
	struct mq_desc *d = desc_of(c, &q);
	if (!d)
		return -FERRY_EBADH;
	return stream_fcntl(&d->flags, c);
}

static int
on_file_ioctl(void *st, struct srv_call *c)
{
	(void)st, (void)c;
	return -FERRY_ENOTTY;
}

static int
on_file_poll(void *st, struct srv_call *c)
{
	(void)st;
	const struct file_poll_req *req = SRV_REQ(c, struct file_poll_req);
	handle_t port = c->req->handles[0];
	struct mq *q;
	if (!desc_of(c, &q)) {
		ferry_sys_handle_close(port);
		return -FERRY_EBADH;
	}
	return mq_poll(KEY_INDEX(c->key), req->events, req->cookie, port,
	               &SRV_REP(c, struct file_poll_rep)->revents);
}

static int
on_file_xfer_attach(void *st, struct srv_call *c)
{
	(void)st;
	struct mq *q;
	struct mq_desc *d = desc_of(c, &q);
	if (!d) {
		ferry_sys_handle_close(c->req->handles[0]);
		return -FERRY_EBADH;
	}
	return on_file_xfer_attach_common(&d->xfer, mq_idle(KEY_INDEX(c->key)), c);
}

/* File ops a stream does not have (stream.c). */
#define on_file_seek     stream_no_seek
#define on_file_truncate stream_no_truncate
#define on_file_readdir  stream_no_readdir
#define on_file_sync     stream_no_sync
const struct srv_op mq_file_ops[] = {FILE_PROTO_MESSAGES(SRV_OP_ENTRY)};
const uint32_t mq_file_nops = sizeof(mq_file_ops) / sizeof(mq_file_ops[0]);
