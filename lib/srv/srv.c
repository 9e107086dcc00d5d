// SPDX-License-Identifier: MIT
/*
 * The server receive loop and dispatch (see srv.h).  Replies go out with
 * the combined reply+receive system call, so a server answering calls one
 * after another makes one system call per request.
 */
#include <stdbool.h>
#include <lib/string.h>
#include <ferry/syscall.h>
#include "srv.h"

static void
drop_handles(const struct ferry_msg *m)
{
	for (unsigned i = 0; i < m->nhandles && i < FERRY_MSG_HANDLES_MAX; i++)
		if (m->handles[i])
			ferry_sys_handle_close(m->handles[i]);
}

/* Builds the reply to m in *out (out->token != 0 means: send it). */
static void
dispatch(struct srv *s, struct ferry_msg *m, struct ferry_msg *out)
{
	struct srv_call c;
	int32_t status;
	memset(&c.rep, 0, sizeof(c.rep));
	c.req = m;
	c.key = m->key;
	c.token = m->token;
	out->token = 0;

	if (m->op >= FERRY_NOTIFY_BASE) {
		if (s->on_notify)
			s->on_notify(s->state, m);
		return;
	}
	uint32_t idx = m->op - s->base;
	const struct srv_op *op = m->op >= s->base && idx < s->nops ? &s->ops[idx] : NULL;
	if (!op || !op->fn) {
		if (s->on_other) {
			status = s->on_other(s->state, &c);
			goto reply;
		}
		drop_handles(m);
		status = -FERRY_ENOSYS;
		c.rep.len = sizeof(struct ferry_status_rep);
		goto reply;
	}
	bool nh_ok = op->handles & FERRY_PROTO_HANDLES_VAR
	                     ? m->nhandles <= (op->handles & ~FERRY_PROTO_HANDLES_VAR)
	                     : m->nhandles == op->handles;
	if (m->len < op->req_size || !nh_ok) {
		/* Hostile or buggy client: refuse before the handler sees it. */
		drop_handles(m);
		status = -FERRY_EINVAL;
		c.rep.len = sizeof(struct ferry_status_rep);
		goto reply;
	}
	c.rep.len = op->rep_size;
	status = op->fn(s->state, &c);
reply:
	if (status == FERRY_REPLY_LATER || !m->token)
		return;
	*out = c.rep;
	memcpy(out->data, &status, sizeof(status));
	if (out->len < sizeof(int32_t))
		out->len = sizeof(int32_t);
	out->op = m->op;
	out->token = m->token;
}

void
srv_handle(struct srv *s, struct ferry_msg *m, struct ferry_msg *out)
{
	dispatch(s, m, out);
}

void
srv_dispatch(struct srv *s, struct ferry_msg *m)
{
	struct ferry_msg out;
	dispatch(s, m, &out);
	if (out.token)
		ferry_sys_msg_reply(&out);
}

int
srv_run(struct srv *s)
{
	struct ferry_msg m;
	long rc = ferry_sys_msg_recv(s->queue, &m, FERRY_TIME_INFINITE);
	for (;;) {
		if (rc == -FERRY_EINTR || rc == -FERRY_ETIMEDOUT) {
			rc = ferry_sys_msg_recv(s->queue, &m, FERRY_TIME_INFINITE);
			continue;
		}
		if (rc)
			return (int)rc;
		struct ferry_msg out;
		dispatch(s, &m, &out);
		if (out.token) {
			m = out;
			rc = ferry_sys_msg_reply_recv(s->queue, &m, FERRY_TIME_INFINITE);
		} else {
			rc = ferry_sys_msg_recv(s->queue, &m, FERRY_TIME_INFINITE);
		}
	}
}

int
srv_reply(uint64_t token, int32_t status, void *rep, size_t len, const uint32_t *handles,
          unsigned nhandles)
{
	struct ferry_msg m;
	memset(&m, 0, sizeof(m));
	if (len > FERRY_MSG_INLINE_MAX || nhandles > FERRY_MSG_HANDLES_MAX)
		return -FERRY_EINVAL;
	if (len < sizeof(int32_t))
		len = sizeof(int32_t);
	if (rep)
		memcpy(m.data, rep, len);
	memcpy(m.data, &status, sizeof(status));
	m.len = (uint16_t)len;
	m.token = token;
	m.nhandles = (uint8_t)nhandles;
	for (unsigned i = 0; i < nhandles; i++)
		m.handles[i] = handles[i];
	return (int)ferry_sys_msg_reply(&m);
}
