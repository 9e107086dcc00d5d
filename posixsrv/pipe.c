// SPDX-License-Identifier: MIT
/*
 * Pipes: a ring of PIPE_CAPACITY bytes between two ends, each end its own
 * port (open file description).  Blocked reads and writes are calls
 * answered later (FERRY_REPLY_LATER); every change of state runs kick(),
 * which serves waiting readers and writers in arrival order and fires
 * armed readiness notices.  Writes of at most PIPE_ATOMIC_MAX bytes go in
 * whole or not at all; larger ones may be split.  Entry points:
 * pipe_create, pipe_read, pipe_write, pipe_poll, pipe_end_closed and the
 * small accessors used by pipe_msg.c.
 *
 * Ownership: posixsrv keeps a MANAGE-only handle to each end's port; the
 * client holds the only send handles, so the no-senders notice says the
 * end is closed everywhere.  A pipe is freed when both ends are closed.
 */
#include "posixsrv.h"
#include "pipe_int.h"

static struct pipe pipes[PIPE_MAX];
static uint32_t npipes;

uint32_t
pipe_count(void)
{
	return npipes;
}

struct pipe *
pipe_of(uint32_t index, unsigned *end)
{
	uint32_t i = index / 2;
	if (i >= PIPE_MAX || !pipes[i].used)
		return NULL;
	*end = index & 1;
	return &pipes[i];
}

/* Makes a port for key; *client gets a send handle, *mgr a MANAGE-only one. */
int
px_make_port(port_key_t key, handle_t *client, handle_t *mgr)
{
	handle_t h;
	int rc = (int)ferry_sys_port_create(px.queue, key, &h);
	if (rc)
		return rc;
	if ((rc = (int)ferry_sys_handle_dup(h, FERRY_RIGHT_MANAGE, mgr)))
		goto out;
	if ((rc = (int)ferry_sys_handle_dup(
	             h, FERRY_RIGHT_SEND | FERRY_RIGHT_DUP | FERRY_RIGHT_TRANSFER, client))) {
		ferry_sys_port_destroy(*mgr);
		ferry_sys_handle_close(*mgr);
	}
out:
	ferry_sys_handle_close(h);
	return rc;
}

struct pipe *
pipe_alloc(int *err)
{
	uint32_t i;
	for (i = 0; i < PIPE_MAX && pipes[i].used; i++)
		;
	if (i == PIPE_MAX) {
		*err = -FERRY_ENFILE;
		return NULL;
	}
	struct pipe *p = &pipes[i];
	memset(p, 0, sizeof(*p));
	void *mem = umap_anon(PIPE_CAPACITY);
	if (!mem) {
		*err = -FERRY_ENOMEM;
		return NULL;
	}
	ring_init(&p->ring, mem, PIPE_CAPACITY);
	p->used = true;
	p->id = i + 1;
	npipes++;
	return p;
}

void
pipe_free(struct pipe *p)
{
	uunmap(p->ring.buf, PIPE_CAPACITY);
	p->used = false;
	npipes--;
}

int
pipe_create(uint32_t flags, handle_t *rd, handle_t *wr, uint32_t *id)
{
	if (flags & ~(PIPE_O_NONBLOCK | PIPE_O_CLOEXEC))
		return -FERRY_EINVAL;
	int rc;
	struct pipe *p = pipe_alloc(&rc);
	if (!p)
		return rc;
	uint32_t i = p->id - 1;
	if ((rc = px_make_port(KEY(KEY_PIPE, i * 2), rd, &p->end[0].mgr)))
		goto out_mem;
	if ((rc = px_make_port(KEY(KEY_PIPE, i * 2 + 1), wr, &p->end[1].mgr)))
		goto out_rd;
	uint32_t nb = flags & PIPE_O_NONBLOCK ? PX_O_NONBLOCK : 0;
	p->end[0].flags = nb;
	p->end[1].flags = PX_O_WRONLY | nb;
	p->end[0].open = p->end[1].open = 1;
	*id = p->id;
	return 0;
out_rd:
	ferry_sys_handle_close(*rd);
	ferry_sys_port_destroy(p->end[0].mgr);
	ferry_sys_handle_close(p->end[0].mgr);
out_mem:
	pipe_free(p);
	return rc;
}

uint32_t
pipe_revents(const struct pipe *p, unsigned end)
{
	uint32_t r = 0;
	if (end == 0) {
		if (ring_used(&p->ring))
			r |= PX_POLLIN | PX_POLLRDNORM;
		if (!p->end[1].open)
			r |= PX_POLLHUP;
	} else {
		if (!p->end[0].open)
			r |= PX_POLLERR;
		else if (ring_space(&p->ring) >= PIPE_ATOMIC_MAX && !p->nwr)
			r |= PX_POLLOUT | PX_POLLWRNORM;
	}
	return r;
}

static void
poll_check(struct pipe *p)
{
	for (unsigned e = 0; e < 2; e++) {
		struct pipe_end *pe = &p->end[e];
		uint32_t now = pipe_revents(p, e);
		for (unsigned i = 0; i < PIPE_ARMS; i++) {
			struct pipe_arm *a = &pe->arms[i];
			uint32_t r = now & (a->events | PX_POLLERR | PX_POLLHUP);
			if (a->port && r)
				stream_ready(&a->port, a->cookie, r);
		}
	}
}

int
pipe_poll(struct pipe *p, unsigned end, uint32_t events, uint64_t cookie, handle_t port,
          uint32_t *revents)
{
	uint32_t r = pipe_revents(p, end) & (events | PX_POLLERR | PX_POLLHUP);
	*revents = r;
	if (r) {
		ferry_sys_handle_close(port);
		return 0;
	}
	struct pipe_end *pe = &p->end[end];
	for (unsigned i = 0; i < PIPE_ARMS; i++) {
		if (!pe->arms[i].port) {
			pe->arms[i] = (struct pipe_arm){port, events, cookie};
			return 0;
		}
	}
	ferry_sys_handle_close(port);
	return -FERRY_ENOSPC;
}

static void
pop(struct pipe_waiter *q, uint32_t *n)
{
	for (uint32_t i = 1; i < *n; i++)
		q[i - 1] = q[i];
	(*n)--;
}

/* Answers a read of up to w->len bytes from the ring; consumes only if the
 * caller is still there to receive them. */
static int
reply_read(struct pipe *p, const struct pipe_waiter *w)
{
	struct file_read_rep rep;
	uint32_t n = ring_used(&p->ring);
	uint32_t cap = w->xfer ? w->len : (w->len < FILE_INLINE_MAX ? w->len : FILE_INLINE_MAX);
	if (n > cap)
		n = cap;
	ring_peek(&p->ring, 0, w->xfer ? w->xfer : rep.data, n);
	rep.len = n;
	int rc = srv_reply(w->token, 0, &rep, 8 + (w->xfer ? 0 : n), NULL, 0);
	if (rc == 0)
		ring_get(&p->ring, NULL, n);
	return rc;
}

static int
reply_write(const struct pipe_waiter *w, int32_t status)
{
	struct file_write_rep rep = {status, w->done};
	return srv_reply(w->token, status, &rep, sizeof(rep), NULL, 0);
}

void
pipe_kick(struct pipe *p)
{
	bool progress = true;
	while (progress) {
		progress = false;
		while (p->nrd && (ring_used(&p->ring) || !p->end[1].open)) {
			if (reply_read(p, &p->rd[0]) == 0)
				progress = true;
			pop(p->rd, &p->nrd);
		}
		while (p->nwr) {
			struct pipe_waiter *w = &p->wr[0];
			if (!p->end[0].open) {
				reply_write(w, w->done ? 0 : -FERRY_EPEER);
				pop(p->wr, &p->nwr);
				continue;
			}
			uint32_t left = w->len - w->done;
			if (w->len <= PIPE_ATOMIC_MAX && ring_space(&p->ring) < left)
				break;
			const uint8_t *src = w->xfer ? w->xfer : w->inl;
			uint32_t k = ring_put(&p->ring, src + w->done, left);
			w->done += k;
			if (k)
				progress = true;
			if (w->done < w->len)
				break;
			/* An atomic write whose caller gave up (interrupted: it may
			 * restart the call) is taken back; nothing has read it yet. */
			if (reply_write(w, 0) != 0 && w->len <= PIPE_ATOMIC_MAX && k == w->len)
				p->ring.tail -= k;
			pop(p->wr, &p->nwr);
		}
	}
	poll_check(p);
}

int
pipe_read(struct pipe *p, uint32_t len, bool nonblock, uint8_t *xfer, uint64_t token,
          struct file_read_rep *rep)
{
	if (len == 0) {
		rep->len = 0;
		return 0;
	}
	if (ring_used(&p->ring) && token) {
		/* Answered here so that the bytes leave the ring only if the
		 * caller takes the reply: one interrupted meanwhile (a signal)
		 * is gone, and a restarted read must find them still there. */
		struct pipe_waiter w = {.token = token, .len = len, .xfer = xfer};
		(void)reply_read(p, &w);
		pipe_kick(p);
		return FERRY_REPLY_LATER;
	}
	if (ring_used(&p->ring)) {
		uint32_t cap = xfer ? len : (len < FILE_INLINE_MAX ? len : FILE_INLINE_MAX);
		rep->len = ring_get(&p->ring, xfer ? xfer : rep->data, cap);
		pipe_kick(p);
		return 0;
	}
	if (!p->end[1].open) {
		rep->len = 0;
		return 0;
	}
	if (nonblock || !token)
		return -FERRY_EAGAIN;
	if (p->nrd == PIPE_WAITERS)
		return -FERRY_EAGAIN;
	p->rd[p->nrd++] = (struct pipe_waiter){.token = token, .len = len, .xfer = xfer};
	return FERRY_REPLY_LATER;
}

int
pipe_write(struct pipe *p, uint32_t len, bool nonblock, const uint8_t *src, bool inline_src,
           uint64_t token, struct file_write_rep *rep)
{
	if (!p->end[0].open)
		return -FERRY_EPEER; /* EPIPE; procmgr will add SIGPIPE */
	rep->len = 0;
	if (len == 0)
		return 0;
	uint32_t k = 0;
	if (!p->nwr) {
		if (len > PIPE_ATOMIC_MAX || ring_space(&p->ring) >= len)
			k = ring_put(&p->ring, src, len);
		if (k)
			pipe_kick(p);
		if (k == len || (nonblock && k)) {
			rep->len = k;
			return 0;
		}
	}
	if (nonblock || !token || p->nwr == PIPE_WAITERS) {
		if (k) {
			rep->len = k;
			return 0;
		}
		return -FERRY_EAGAIN;
	}
	struct pipe_waiter *w = &p->wr[p->nwr++];
	*w = (struct pipe_waiter){.token = token, .len = len, .done = k};
	if (inline_src)
		memcpy(w->inl, src, len);
	else
		w->xfer = (uint8_t *)src;
	return FERRY_REPLY_LATER;
}

void
pipe_end_drop(struct pipe *p, unsigned e)
{
	struct pipe_end *pe = &p->end[e];
	if (!pe->open || --pe->open)
		return; /* a FIFO end with other descriptions: their calls stay */
	for (unsigned i = 0; i < PIPE_ARMS; i++)
		if (pe->arms[i].port)
			ferry_sys_handle_close(pe->arms[i].port);
	memset(pe->arms, 0, sizeof(pe->arms));
	/* Calls still queued on this end came from callers that are gone. */
	if (e == 0)
		p->nrd = 0;
	else
		p->nwr = 0;
	pipe_kick(p);
}

void
pipe_end_closed(uint32_t index)
{
	unsigned e;
	struct pipe *p = pipe_of(index, &e);
	if (!p || p->fifo || !p->end[e].open)
		return;
	struct pipe_end *pe = &p->end[e];
	ferry_sys_port_destroy(pe->mgr);
	ferry_sys_handle_close(pe->mgr);
	pe->mgr = 0;
	pipe_end_drop(p, e);
	xfer_release(&pe->xfer);
	if (!p->end[0].open && !p->end[1].open)
		pipe_free(p);
}
