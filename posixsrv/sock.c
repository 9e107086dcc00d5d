// SPDX-License-Identifier: MIT
/*
 * UNIX-domain sockets: STREAM, DGRAM and SEQPACKET.  Each socket is its
 * own port (open file description) with a receive queue: a byte ring and
 * records (one per message on DGRAM/SEQPACKET; on STREAM only where
 * descriptors travel, and a read stops at such a mark).  A send puts bytes
 * into the receiver's queue; blocked sends wait on the receiver, blocked
 * receives and accepts on their own socket, both answered later
 * (FERRY_REPLY_LATER).  Every change runs kick(), which serves waiters in
 * arrival order and fires armed readiness notices.  A connect makes the
 * server-side socket at once and queues it on the listener until accept.
 * Entry points: sock_create, sock_pair, sock_bind, sock_listen,
 * sock_connect, sock_accept, sock_send, sock_recv, sock_shutdown,
 * sock_poll, sock_closed and the accessors of sock_int.h.
 *
 * Ownership: posixsrv keeps a MANAGE-only handle to each socket's port;
 * clients hold the send handles, so no-senders means closed everywhere.
 * posixsrv holds a send handle only for a connection not yet accepted
 * (backlog) and for descriptors in flight (records), which it closes
 * when the socket holding them goes.
 */
#include "posixsrv.h"
#include "sock_int.h"

static struct sock socks[SOCK_MAX];
static uint32_t nsocks, next_id;

static void kick(struct sock *s);

struct sock *
sock_of(uint32_t index)
{
	if (index >= SOCK_MAX || !socks[index].used)
		return NULL;
	return &socks[index];
}

uint32_t
sock_index(const struct sock *s)
{
	return (uint32_t)(s - socks);
}

uint32_t
sock_count(void)
{
	return nsocks;
}

bool
sock_is_conn(const struct sock *s)
{
	return s->type != SOCK_T_DGRAM;
}

static bool
is_record(const struct sock *s)
{
	return s->type != SOCK_T_STREAM;
}

static struct sock *
peer_of(const struct sock *s)
{
	return s->peer >= 0 ? &socks[s->peer] : NULL;
}

static void
close_handles(handle_t *h, uint32_t *nh)
{
	for (uint32_t i = 0; i < *nh; i++)
		ferry_sys_handle_close(h[i]);
	*nh = 0;
}

/* A new socket; *client gets the send handle.  Returns the index or < 0. */
static int
sock_alloc(uint32_t type, uint32_t nonblock, const struct sock_cred *cred, handle_t *client)
{
	uint32_t i;
	for (i = 0; i < SOCK_MAX && socks[i].used; i++)
		;
	if (i == SOCK_MAX)
		return -FERRY_ENFILE;
	struct sock *s = &socks[i];
	memset(s, 0, sizeof(*s));
	int rc = px_make_port(KEY(KEY_SOCK, i), client, &s->mgr);
	if (rc)
		return rc;
	s->used = true;
	s->id = ++next_id;
	s->type = type;
	s->flags = PX_O_RDWR | (nonblock ? PX_O_NONBLOCK : 0);
	s->peer = -1;
	s->cred = *cred;
	nsocks++;
	return (int)i;
}

static int
check_type(uint32_t domain, uint32_t type, uint32_t protocol, uint32_t *base)
{
	if (domain != SOCK_AF_UNIX)
		return -FERRY_EAFNOSUPPORT;
	if (type & ~(0xfu | SOCK_T_NONBLOCK | SOCK_T_CLOEXEC))
		return -FERRY_EINVAL;
	*base = type & 0xf;
	if (*base != SOCK_T_STREAM && *base != SOCK_T_DGRAM && *base != SOCK_T_SEQPACKET)
		return -FERRY_EPROTONOSUPPORT;
	if (protocol != 0)
		return -FERRY_EPROTONOSUPPORT;
	return 0;
}

int
sock_create(const struct sock_create_req *req, handle_t *h, uint32_t *id)
{
	uint32_t type;
	int rc = check_type(req->domain, req->type, req->protocol, &type);
	if (rc)
		return rc;
	if ((rc = sock_alloc(type, req->type & SOCK_T_NONBLOCK, &req->cred, h)) < 0)
		return rc;
	*id = socks[rc].id;
	return 0;
}

static void sock_free(struct sock *s);

int
sock_pair(const struct sock_create_req *req, handle_t h[2], uint32_t *id)
{
	uint32_t type;
	int rc = check_type(req->domain, req->type, req->protocol, &type);
	if (rc)
		return rc;
	int a = sock_alloc(type, req->type & SOCK_T_NONBLOCK, &req->cred, &h[0]);
	if (a < 0)
		return a;
	int b = sock_alloc(type, req->type & SOCK_T_NONBLOCK, &req->cred, &h[1]);
	if (b < 0) {
		ferry_sys_handle_close(h[0]);
		sock_free(&socks[a]);
		return b;
	}
	socks[a].peer = b;
	socks[b].peer = a;
	*id = socks[a].id;
	return 0;
}

struct sock *
sock_lookup(uint64_t dev, uint64_t ino, const uint8_t *name, uint32_t len)
{
	for (uint32_t i = 0; i < SOCK_MAX; i++) {
		struct sock *s = &socks[i];
		if (!s->used || !s->bound)
			continue;
		if (dev || ino) {
			if (s->dev == dev && s->ino == ino)
				return s;
		} else if (!s->dev && !s->ino && s->namelen == len && !memcmp(s->name, name, len)) {
			return s;
		}
	}
	return NULL;
}

static int
check_name(const struct sock_addr_req *a, const uint8_t *name)
{
	if (a->len == 0 || a->len > SOCK_NAME_MAX)
		return -FERRY_EINVAL;
	if (!a->dev && !a->ino && name[0] != 0)
		return -FERRY_EINVAL; /* a path name needs its node */
	return 0;
}

int
sock_bind(struct sock *s, const struct sock_addr_req *a, const uint8_t *name)
{
	int rc = check_name(a, name);
	if (rc)
		return rc;
	if (s->bound || s->namelen)
		return -FERRY_EINVAL;
	if (sock_lookup(a->dev, a->ino, name, a->len))
		return -FERRY_EADDRINUSE;
	s->bound = true;
	s->dev = a->dev;
	s->ino = a->ino;
	s->namelen = a->len;
	memcpy(s->name, name, a->len);
	return 0;
}

int
sock_listen(struct sock *s, int32_t backlog, const struct sock_cred *cred)
{
	if (!sock_is_conn(s))
		return -FERRY_ENOTSUP;
	if (s->peer >= 0 || s->peer_lost || !s->bound)
		return -FERRY_EINVAL;
	if (backlog < 1)
		backlog = 1;
	s->maxbacklog = backlog > SOCK_BACKLOG_MAX ? SOCK_BACKLOG_MAX : (uint32_t)backlog;
	s->listening = true;
	s->cred = *cred;
	kick(s);
	return 0;
}

int
sock_connect(struct sock *s, const struct sock_addr_req *a, const uint8_t *name)
{
	int rc = check_name(a, name);
	if (rc)
		return rc;
	if (s->listening)
		return -FERRY_EINVAL;
	if (sock_is_conn(s) && (s->peer >= 0 || s->peer_lost))
		return -FERRY_EISCONN;
	struct sock *t = sock_lookup(a->dev, a->ino, name, a->len);
	if (!t)
		return -FERRY_ECONNREFUSED;
	if (t->type != s->type)
		return -FERRY_EPROTOTYPE;
	s->cred = a->cred;
	if (!sock_is_conn(s)) {
		s->peer = (int32_t)sock_index(t);
		s->peer_lost = false;
		return 0;
	}
	if (!t->listening)
		return -FERRY_ECONNREFUSED;
	if (t->nbacklog >= t->maxbacklog)
		return -FERRY_EAGAIN;
	handle_t client;
	int si = sock_alloc(s->type, 0, &t->cred, &client);
	if (si < 0)
		return si;
	struct sock *n = &socks[si];
	n->namelen = t->namelen; /* getsockname on the accepted socket: the listener's name */
	memcpy(n->name, t->name, t->namelen);
	n->peer = (int32_t)sock_index(s);
	s->peer = si;
	t->backlog[t->nbacklog++] = (struct sock_pending){(uint32_t)si, client};
	kick(t);
	return 0;
}

static bool
serve_accept(struct sock *l, const struct sock_waiter *w)
{
	struct sock_pending p = l->backlog[0];
	struct sock *n = &socks[p.idx];
	struct sock_accept_rep rep = {0, n->id};
	if (srv_reply(w->token, 0, &rep, sizeof(rep), &p.client, 1))
		return false; /* the caller is gone: the connection stays queued */
	if (w->src & SOCK_T_NONBLOCK)
		n->flags |= PX_O_NONBLOCK;
	for (uint32_t i = 1; i < l->nbacklog; i++)
		l->backlog[i - 1] = l->backlog[i];
	l->nbacklog--;
	return true;
}

int
sock_accept(struct sock *s, const struct sock_accept_req *req, uint64_t token)
{
	if (!s->listening)
		return -FERRY_EINVAL;
	struct sock_waiter w = {.token = token, .src = req->type};
	if (s->nbacklog && !s->nrd) {
		if (serve_accept(s, &w))
			kick(s);
		return FERRY_REPLY_LATER;
	}
	if ((req->flags & SOCK_F_NONBLOCK) || (s->flags & PX_O_NONBLOCK) || !token)
		return -FERRY_EAGAIN;
	if (s->nrd == SOCK_WAITERS)
		return -FERRY_EAGAIN;
	s->rd[s->nrd++] = w;
	return FERRY_REPLY_LATER;
}

/* ---- the receive queue ---- */

static bool
has_data(const struct sock *s)
{
	if (is_record(s))
		return s->nrecs > 0;
	return s->ring.buf && ring_used(&s->ring) > 0;
}

/* Reads see end of file (0) once the queue is empty. */
static bool
at_eof(const struct sock *s)
{
	if (s->shut & SOCK_SHUT_R)
		return true;
	if (!sock_is_conn(s))
		return false;
	if (s->peer_lost)
		return true;
	const struct sock *p = peer_of(s);
	return p && (p->shut & SOCK_SHUT_W);
}

uint32_t
sock_fionread(const struct sock *s)
{
	if (!has_data(s))
		return 0;
	return is_record(s) ? s->recs[0].len : ring_used(&s->ring);
}

static void
pop_rec(struct sock *s)
{
	for (uint32_t i = 1; i < s->nrecs; i++)
		s->recs[i - 1] = s->recs[i];
	s->nrecs--;
}

static void
pop_waiter(struct sock_waiter *q, uint32_t *n)
{
	for (uint32_t i = 1; i < *n; i++)
		q[i - 1] = q[i];
	(*n)--;
}

/*
 * Answers reader w from s's queue (which has data, or is at end of file);
 * consumes only what a delivered reply carried.  Returns the reply status.
 */
static int
deliver(struct sock *s, const struct sock_waiter *w)
{
	union {
		struct sock_recv_rep r;
		struct file_read_rep f;
	} u;
	memset(&u, 0, sizeof(u.r) - SOCK_RECV_INLINE);
	uint32_t cap = w->xfer ? w->len : (w->len < FILE_INLINE_MAX ? w->len : FILE_INLINE_MAX);
	uint32_t n = 0, full = 0, mflags = 0, namelen = 0, nh = 0;
	struct sock_rec *rec = NULL;
	if (has_data(s)) {
		uint32_t used = ring_used(&s->ring);
		if (is_record(s)) {
			rec = &s->recs[0];
			full = rec->len;
			n = full < cap ? full : cap;
			if (n < full)
				mflags |= SOCK_M_TRUNC;
		} else {
			n = used < cap ? used : cap;
			if (s->nrecs) {
				uint32_t d = s->recs[0].pos - s->ring.head;
				if (d == 0) {
					rec = &s->recs[0];
					if (s->nrecs > 1)
						d = s->recs[1].pos - s->ring.head;
					else
						d = n;
				}
				if (d < n)
					n = d;
			}
			full = n;
		}
	}
	uint8_t *dst = w->xfer ? w->xfer : (w->recv_ext ? u.r.data : u.f.data);
	if (n)
		ring_peek(&s->ring, 0, dst, n);
	bool peek = w->flags & SOCK_F_PEEK;
	handle_t *hs = NULL;
	if (rec && rec->nh && w->recv_ext && !peek) {
		hs = rec->h;
		nh = rec->nh;
	}
	if (rec && rec->from && w->recv_ext) {
		struct sock *from = sock_of(rec->from - 1);
		if (from && from->id == rec->from_id && from->namelen) {
			namelen = from->namelen;
			if (w->name)
				memcpy(w->name, from->name,
				       namelen < w->name_cap ? namelen : w->name_cap);
		}
	}
	int rc;
	if (w->recv_ext) {
		u.r.len = n;
		u.r.full = full;
		u.r.mflags = mflags;
		u.r.namelen = namelen;
		rc = srv_reply(w->token, 0, &u.r,
		               sizeof(u.r) - SOCK_RECV_INLINE + (w->xfer ? 0 : n), hs, nh);
	} else {
		u.f.len = n;
		rc = srv_reply(w->token, 0, &u.f, 8 + (w->xfer ? 0 : n), NULL, 0);
	}
	if (rc || peek)
		return rc;
	ring_get(&s->ring, NULL, is_record(s) ? full : n);
	if (rec) {
		if (hs)
			rec->nh = 0;             /* moved to the reader */
		close_handles(rec->h, &rec->nh); /* read(2) discards descriptors */
		pop_rec(s);
	}
	return 0;
}

/* Queues what fits of sender w into t: 1 when all of it is queued, 0 if not yet, < 0 error. */
static int
put(struct sock *t, struct sock_waiter *w)
{
	if (!t->ring.buf) {
		void *mem = umap_anon(SOCK_CAPACITY);
		if (!mem)
			return -FERRY_ENOMEM;
		ring_init(&t->ring, mem, SOCK_CAPACITY);
	}
	const uint8_t *src = w->xfer ? w->xfer : w->inl;
	if (is_record(t)) {
		if (t->nrecs == SOCK_RECS || ring_space(&t->ring) < w->len)
			return 0;
		struct sock_rec *r = &t->recs[t->nrecs++];
		*r = (struct sock_rec){.pos = t->ring.tail,
		                       .len = w->len,
		                       .from = w->src + 1,
		                       .from_id = socks[w->src].id,
		                       .nh = w->nh};
		memcpy(r->h, w->h, sizeof(r->h));
		w->nh = 0;
		ring_put(&t->ring, src, w->len);
		w->done = w->len;
		return 1;
	}
	if (w->nh) {
		if (t->nrecs == SOCK_RECS || !ring_space(&t->ring))
			return 0;
		struct sock_rec *r = &t->recs[t->nrecs++];
		*r = (struct sock_rec){.pos = t->ring.tail, .nh = w->nh};
		memcpy(r->h, w->h, sizeof(r->h));
		w->nh = 0;
	}
	w->done += ring_put(&t->ring, src + w->done, w->len - w->done);
	return w->done == w->len;
}

static void
reply_send(struct sock_waiter *w, int32_t status)
{
	struct sock_send_rep rep = {status, w->done};
	close_handles(w->h, &w->nh);
	srv_reply(w->token, status, &rep, sizeof(rep), NULL, 0);
}

/* Where s's sends go (dest: sendto's, or NULL), or an error. */
static int
send_target(struct sock *s, struct sock *dest, bool named, struct sock **t)
{
	if (s->shut & SOCK_SHUT_W)
		return -FERRY_EPEER;
	if (sock_is_conn(s)) {
		if (s->peer_lost)
			return -FERRY_EPEER;
		if (s->peer < 0)
			return named ? -FERRY_ENOTSUP : -FERRY_ENOTCONN;
		if (named)
			return -FERRY_EISCONN;
		*t = peer_of(s);
	} else if (named) {
		if (!dest)
			return -FERRY_ECONNREFUSED;
		if (dest->type != s->type)
			return -FERRY_EPROTOTYPE;
		*t = dest;
	} else {
		if (s->peer_lost)
			return -FERRY_ECONNREFUSED;
		if (s->peer < 0)
			return -FERRY_ENOTCONN;
		*t = peer_of(s);
	}
	if ((*t)->shut & SOCK_SHUT_R)
		return -FERRY_EPEER;
	return 0;
}

int
sock_send(struct sock *s, struct sock_waiter *w, bool named, struct sock *dest,
          struct sock_send_rep *rep)
{
	struct sock *t = NULL;
	int rc = send_target(s, dest, named, &t);
	if (rc)
		goto out_err;
	rc = -FERRY_EMSGSIZE;
	if (is_record(t) && w->len > SOCK_CAPACITY)
		goto out_err;
	if (!is_record(t) && !w->len) {
		close_handles(w->h, &w->nh); /* no byte to carry them */
		rep->len = 0;
		return 0;
	}
	w->src = sock_index(s);
	w->done = 0;
	bool nonblock = (w->flags & SOCK_F_NONBLOCK) || (s->flags & PX_O_NONBLOCK);
	if (!t->nwr) {
		int r = put(t, w);
		if (r < 0) {
			rc = r;
			goto out_err;
		}
		if (w->done || r)
			kick(t);
		if (r || (nonblock && w->done)) {
			rep->len = w->done;
			return 0;
		}
	}
	if (nonblock || !w->token || t->nwr == SOCK_WAITERS) {
		if (w->done) {
			rep->len = w->done;
			return 0;
		}
		rc = -FERRY_EAGAIN;
		goto out_err;
	}
	t->wr[t->nwr++] = *w;
	return FERRY_REPLY_LATER;
out_err:
	close_handles(w->h, &w->nh);
	return rc;
}

int
sock_recv(struct sock *s, struct sock_waiter *w)
{
	if (s->listening)
		return -FERRY_EINVAL;
	if (sock_is_conn(s) && s->peer < 0 && !s->peer_lost && !(s->shut & SOCK_SHUT_R))
		return -FERRY_ENOTCONN;
	if ((has_data(s) || at_eof(s)) && !s->nrd) {
		if (deliver(s, w) == 0 && !(w->flags & SOCK_F_PEEK))
			kick(s);
		return FERRY_REPLY_LATER;
	}
	if (w->len == 0 && !is_record(s)) {
		struct sock_waiter z = *w;
		deliver(s, &z);
		return FERRY_REPLY_LATER;
	}
	if ((w->flags & SOCK_F_NONBLOCK) || (s->flags & PX_O_NONBLOCK) || !w->token)
		return -FERRY_EAGAIN;
	if (s->nrd == SOCK_WAITERS)
		return -FERRY_EAGAIN;
	s->rd[s->nrd++] = *w;
	return FERRY_REPLY_LATER;
}

int
sock_shutdown(struct sock *s, uint32_t how)
{
	if (how > SOCK_SHUT_RDWR)
		return -FERRY_EINVAL;
	if (sock_is_conn(s) && s->peer < 0 && !s->peer_lost && !s->listening)
		return -FERRY_ENOTCONN;
	s->shut |= how == SOCK_SHUT_RD   ? SOCK_SHUT_R
	           : how == SOCK_SHUT_WR ? SOCK_SHUT_W
	                                 : SOCK_SHUT_R | SOCK_SHUT_W;
	kick(s);
	struct sock *p = peer_of(s);
	if (p)
		kick(p);
	return 0;
}

/* ---- readiness ---- */

uint32_t
sock_revents(struct sock *s)
{
	uint32_t r = 0;
	if (s->listening)
		return s->nbacklog ? PX_POLLIN | PX_POLLRDNORM : 0;
	if (has_data(s) || at_eof(s))
		r |= PX_POLLIN | PX_POLLRDNORM;
	if (sock_is_conn(s) && (s->peer_lost || s->shut == (SOCK_SHUT_R | SOCK_SHUT_W)))
		r |= PX_POLLHUP;
	struct sock *t = peer_of(s);
	if (!sock_is_conn(s) && !t && !s->peer_lost) {
		r |= PX_POLLOUT | PX_POLLWRNORM; /* sendto: the destination decides */
	} else if (t && !(s->shut & SOCK_SHUT_W) && !(t->shut & SOCK_SHUT_R) && !t->nwr &&
	           (!t->ring.buf || (ring_space(&t->ring) && t->nrecs < SOCK_RECS))) {
		r |= PX_POLLOUT | PX_POLLWRNORM;
	} else if (sock_is_conn(s) && (s->peer_lost || (t && (t->shut & SOCK_SHUT_R)))) {
		r |= PX_POLLERR;
	}
	return r;
}

static void
poll_check(struct sock *s)
{
	uint32_t now = sock_revents(s);
	for (unsigned i = 0; i < SOCK_ARMS; i++) {
		struct sock_arm *a = &s->arms[i];
		uint32_t r = now & (a->events | PX_POLLERR | PX_POLLHUP);
		if (a->port && r)
			stream_ready(&a->port, a->cookie, r);
	}
}

int
sock_poll(struct sock *s, uint32_t events, uint64_t cookie, handle_t port, uint32_t *revents)
{
	uint32_t r = sock_revents(s) & (events | PX_POLLERR | PX_POLLHUP);
	*revents = r;
	if (r) {
		ferry_sys_handle_close(port);
		return 0;
	}
	for (unsigned i = 0; i < SOCK_ARMS; i++) {
		if (!s->arms[i].port) {
			s->arms[i] = (struct sock_arm){port, events, cookie};
			return 0;
		}
	}
	ferry_sys_handle_close(port);
	return -FERRY_ENOSPC;
}

/* Serves s's waiting readers (or accepters) and the senders waiting on its queue. */
static void
kick(struct sock *s)
{
	bool progress = true;
	while (progress) {
		progress = false;
		if (s->listening) {
			while (s->nrd && s->nbacklog) {
				serve_accept(s, &s->rd[0]);
				pop_waiter(s->rd, &s->nrd);
			}
		} else {
			while (s->nrd && (has_data(s) || at_eof(s))) {
				if (deliver(s, &s->rd[0]) == 0)
					progress = true;
				pop_waiter(s->rd, &s->nrd);
			}
		}
		while (s->nwr) {
			struct sock_waiter *w = &s->wr[0];
			if (s->shut & SOCK_SHUT_R) {
				reply_send(w, w->done ? 0 : -FERRY_EPEER);
				pop_waiter(s->wr, &s->nwr);
				continue;
			}
			uint32_t before = w->done;
			int r = put(s, w);
			if (w->done != before || r)
				progress = true;
			if (r == 0)
				break;
			reply_send(w, r < 0 ? r : 0);
			pop_waiter(s->wr, &s->nwr);
		}
	}
	poll_check(s);
	/* Those who send into s may have become writable. */
	if (sock_is_conn(s)) {
		struct sock *p = peer_of(s);
		if (p)
			poll_check(p);
	} else {
		uint32_t me = sock_index(s);
		for (uint32_t i = 0; i < SOCK_MAX; i++)
			if (socks[i].used && socks[i].peer == (int32_t)me && i != me)
				poll_check(&socks[i]);
	}
}

/* ---- the end of a socket ---- */

static void
sock_free(struct sock *s)
{
	ferry_sys_port_destroy(s->mgr);
	ferry_sys_handle_close(s->mgr);
	if (s->ring.buf)
		uunmap(s->ring.buf, SOCK_CAPACITY);
	xfer_release(&s->xfer);
	s->used = false;
	nsocks--;
}

void
sock_closed(uint32_t index)
{
	struct sock *s = sock_of(index);
	if (!s)
		return;
	/* Calls still queued on this socket's readers came from callers that are gone. */
	s->nrd = 0;
	while (s->nwr) {
		struct sock_waiter *w = &s->wr[0];
		reply_send(w, w->done ? 0 : sock_is_conn(s) ? -FERRY_EPEER : -FERRY_ECONNREFUSED);
		pop_waiter(s->wr, &s->nwr);
	}
	for (uint32_t i = 0; i < s->nrecs; i++)
		close_handles(s->recs[i].h, &s->recs[i].nh);
	s->nrecs = 0;
	for (uint32_t i = 0; i < s->nbacklog; i++)
		ferry_sys_handle_close(s->backlog[i].client); /* their no-senders close them */
	s->nbacklog = 0;
	for (unsigned i = 0; i < SOCK_ARMS; i++)
		if (s->arms[i].port)
			ferry_sys_handle_close(s->arms[i].port);
	memset(s->arms, 0, sizeof(s->arms));
	s->bound = false;
	s->listening = false;
	sock_free(s);
	for (uint32_t i = 0; i < SOCK_MAX; i++) {
		struct sock *o = &socks[i];
		if (o->used && o->peer == (int32_t)index) {
			o->peer = -1;
			o->peer_lost = true;
			kick(o);
		}
	}
}
