// SPDX-License-Identifier: MIT
/*
 * Message queues at work: messages in priority order, blocked and timed
 * sends and receives (calls answered later), the notification
 * registration, and poll readiness.  A message goes straight to a waiting
 * receiver when there is one, else into the queue, where an empty
 * queue's registration fires (a signal sent through procmgr's control
 * port with si_code SI_MESGQ).  Timed waits end at their deadline
 * (mq_timers, from the main loop).  Entry points: mq_send, mq_receive,
 * mq_notify, mq_poll, mq_getsetattr, mq_idle, mq_desc_drop,
 * mq_next_timeout, mq_timers.
 *
 * Replies that carry a message are sent here (FERRY_REPLY_LATER to the
 * handler): a message leaves the queue only when its receiver took the
 * reply, and a blocked sender's message enters it only when the sender
 * took its reply, so a caller interrupted by a signal (EINTR, then maybe
 * restarted) never loses or doubles a message.
 */
#include "mq_int.h"

static uint32_t ntimed; /* waiters with a deadline, over all queues */

/* ---- readiness ---- */

uint32_t
mq_revents(const struct mq *q)
{
	uint32_t r = 0;
	if (q->cur)
		r |= PX_POLLIN | PX_POLLRDNORM;
	if (q->cur < q->maxmsg)
		r |= PX_POLLOUT | PX_POLLWRNORM;
	return r;
}

static void
poll_check(struct mq *q)
{
	if (!q->narmed)
		return; /* the common case: no description scan */
	uint32_t now = mq_revents(q);
	for (uint32_t i = 0; i < MQ_DESC_MAX; i++) {
		struct mq_desc *d = &mq_descs[i];
		if (!d->used || &mq_queues[d->q] != q)
			continue;
		for (unsigned k = 0; k < MQ_ARMS; k++) {
			uint32_t r = now & d->arms[k].events;
			if (d->arms[k].port && r) {
				stream_ready(&d->arms[k].port, d->arms[k].cookie, r);
				q->narmed--;
			}
		}
	}
}

int
mq_poll(uint32_t di, uint32_t events, uint64_t cookie, handle_t port, uint32_t *revents)
{
	struct mq *q;
	struct mq_desc *d = mq_desc_of(di, &q);
	uint32_t r = mq_revents(q) & events;
	*revents = r;
	if (r) {
		ferry_sys_handle_close(port);
		return 0;
	}
	for (unsigned k = 0; k < MQ_ARMS; k++) {
		if (!d->arms[k].port) {
			d->arms[k] = (struct mq_arm){port, events, cookie};
			q->narmed++;
			return 0;
		}
	}
	ferry_sys_handle_close(port);
	return -FERRY_ENOSPC;
}

/* ---- notification ---- */

/* Ends q's registration; a thread notification's port is closed (its
 * waiting thread sees no-senders) unless fired sent it the message first. */
static void
notify_clear(struct mq *q)
{
	q->notify = false;
	if (q->notify_port) {
		ferry_sys_handle_close(q->notify_port);
		q->notify_port = 0;
	}
}

static void
notify_fire(struct mq *q, int32_t pid)
{
	if (q->notify_how == MQ_NOTIFY_THREAD) {
		struct ferry_msg m;
		memset(&m, 0, sizeof(m));
		m.op = MQ_NOTIFY_FIRED;
		/* Never block on a client: its queue holds this one message. */
		(void)ferry_sys_msg_send(q->notify_port, &m, FERRY_IPC_NONBLOCK);
	}
	notify_clear(q);
	if (q->notify_how != MQ_NOTIFY_SIGNAL || !q->notify_sig)
		return;
	if (px.procmgr_ctl) {
		/* One-way, as the terminal's signals: procmgr calls posixsrv. */
		struct proc_ctl_sigqueue_req req = {
		        .pid = q->notify_pid,
		        .sig = q->notify_sig,
		        .code = MQ_SI_MESGQ,
		        .from_pid = pid,
		        .value = q->notify_value,
		};
		struct ferry_msg m;
		memset(&m, 0, sizeof(m));
		m.op = PROC_CTL_SIGQUEUE;
		m.len = sizeof(req);
		memcpy(m.data, &req, sizeof(req));
		if (ferry_sys_msg_send(px.procmgr_ctl, &m, FERRY_IPC_NONBLOCK) == 0)
			return;
	}
	uprintf("posixsrv: mq %s: notification signal %d for pid %d not delivered (%s)\n", q->name,
	        (int)q->notify_sig, (int)q->notify_pid,
	        px.procmgr_ctl ? "procmgr unreachable" : "no procmgr");
}

static int
notify_check(const struct mq *q, const struct mq_notify_req *r, int32_t pid, handle_t port)
{
	if (r->how != MQ_NOTIFY_NONE && r->how != MQ_NOTIFY_SIGNAL && r->how != MQ_NOTIFY_THREAD)
		return -FERRY_EINVAL;
	/* Linux takes signal 0 (registered, nothing is sent). */
	if (r->how == MQ_NOTIFY_SIGNAL && (r->signo < 0 || r->signo > 64))
		return -FERRY_EINVAL;
	if ((r->how == MQ_NOTIFY_THREAD) != (port != 0))
		return -FERRY_EINVAL;
	if (pid <= 0)
		return -FERRY_EPERM; /* the caller is no process procmgr knows */
	struct ferry_handle_info info;
	if (port && (ferry_sys_handle_info(port, &info) || info.type != FERRY_OBJ_PORT))
		return -FERRY_EINVAL;
	if (q->notify)
		return -FERRY_EBUSY;
	return 0;
}

int
mq_notify(uint32_t di, const struct mq_notify_req *r, int32_t pid, handle_t port)
{
	struct mq *q;
	(void)mq_desc_of(di, &q);
	if (r->how == MQ_NOTIFY_REMOVE) {
		/* Only the registered process removes it; others are told 0 (Linux). */
		if (q->notify && q->notify_pid == pid)
			notify_clear(q);
		if (port)
			ferry_sys_handle_close(port);
		return 0;
	}
	int rc = notify_check(q, r, pid, port);
	if (rc) {
		if (port)
			ferry_sys_handle_close(port);
		return rc;
	}
	q->notify = true;
	q->notify_how = r->how;
	q->notify_desc = di;
	q->notify_pid = pid;
	q->notify_sig = r->signo;
	q->notify_value = r->value;
	q->notify_port = port;
	return 0;
}

/* ---- messages ---- */

/* Inserts a message (room checked by the caller) after those of priority >= prio. */
static void
enqueue(struct mq *q, const uint8_t *src, uint32_t len, uint32_t prio, int32_t pid)
{
	uint32_t slot = (uint32_t)__builtin_ctzll(~q->slots_used);
	q->slots_used |= 1ull << slot;
	memcpy(q->buf + (uint64_t)slot * q->msgsize, src, len);
	uint32_t at = q->cur;
	while (at > 0 && q->msgs[at - 1].prio < prio)
		at--;
	memmove(&q->msgs[at + 1], &q->msgs[at], (q->cur - at) * sizeof(q->msgs[0]));
	q->msgs[at] = (struct mq_entry){len, prio, slot};
	q->cur++;
	q->bytes += len;
	if (q->cur == 1 && q->notify)
		notify_fire(q, pid);
}

static void
dequeue(struct mq *q)
{
	q->slots_used &= ~(1ull << q->msgs[0].slot);
	q->bytes -= q->msgs[0].len;
	memmove(&q->msgs[0], &q->msgs[1], (q->cur - 1) * sizeof(q->msgs[0]));
	q->cur--;
}

/* Answers a receive with (src, len, prio); 0 if the caller took it. */
static int
reply_msg(uint64_t token, uint8_t *xfer, const uint8_t *src, uint32_t len, uint32_t prio)
{
	struct mq_receive_rep rep = {0, len, prio, 0, {0}};
	memcpy(xfer ? xfer : rep.data, src, len);
	return srv_reply(token, 0, &rep, 16 + (xfer ? 0 : len), NULL, 0);
}

/* The process a message entering q now would notify by signal (0: none). */
static int32_t
notifies(const struct mq *q)
{
	return !q->cur && !q->nrd && q->notify && q->notify_how == MQ_NOTIFY_SIGNAL && q->notify_sig
	               ? q->notify_pid
	               : 0;
}

/* Answers a send; notified tells the sender whom its message signalled,
 * so that a process notifying itself sees the handler run before its
 * mq_send returns, as on Linux. */
static int
reply_sent(uint64_t token, int32_t notified)
{
	struct mq_send_rep rep = {0, notified};
	return srv_reply(token, 0, &rep, sizeof(rep), NULL, 0);
}

static int
reply_status(uint64_t token, int32_t status)
{
	struct ferry_status_rep rep = {status, 0};
	return srv_reply(token, status, &rep, sizeof(rep), NULL, 0);
}

/* A queue's blocked receivers or senders, in arrival order. */
struct waits {
	void *base; /* struct mq_rwait or mq_swait, each starting with its mq_wait */
	uint32_t *n;
	size_t size;
};

static struct waits
readers(struct mq *q)
{
	return (struct waits){q->rd, &q->nrd, sizeof(q->rd[0])};
}

static struct waits
writers(struct mq *q)
{
	return (struct waits){q->wr, &q->nwr, sizeof(q->wr[0])};
}

static struct mq_wait *
wait_at(struct waits l, uint32_t i)
{
	return (struct mq_wait *)((uint8_t *)l.base + i * l.size);
}

static void
wait_pop(struct waits l, uint32_t i)
{
	if (wait_at(l, i)->deadline)
		ntimed--;
	memmove(wait_at(l, i), wait_at(l, i + 1), (*l.n - i - 1) * l.size);
	(*l.n)--;
}

/* Ends with status each wait of l that ends(w, arg) picks. */
static void
waits_end(struct waits l, bool (*ends)(const struct mq_wait *, uint64_t), uint64_t arg,
          int32_t status)
{
	for (uint32_t k = 0; k < *l.n;) {
		if (ends(wait_at(l, k), arg)) {
			(void)reply_status(wait_at(l, k)->token, status);
			wait_pop(l, k);
		} else {
			k++;
		}
	}
}

/* Hands a message to the first waiting receiver still there; false if none. */
static bool
hand_over(struct mq *q, const uint8_t *src, uint32_t len, uint32_t prio)
{
	while (q->nrd) {
		struct mq_rwait w = q->rd[0];
		wait_pop(readers(q), 0);
		if (reply_msg(w.w.token, w.xfer, src, len, prio) == 0)
			return true;
	}
	return false;
}

/* Room was made: blocked senders' messages go in, in arrival order. */
static void
kick_senders(struct mq *q)
{
	while (q->nwr && q->cur < q->maxmsg) {
		struct mq_swait w = q->wr[0];
		wait_pop(writers(q), 0);
		if (reply_sent(w.w.token, notifies(q)) == 0)
			enqueue(q, w.xfer ? w.xfer : w.inl, w.len, w.prio, w.pid);
	}
}

/* Whether a call that must wait may: 0, or the error that ends it now. */
static int
may_wait(uint32_t flags, bool nonblock, uint64_t deadline)
{
	if (nonblock)
		return -FERRY_EAGAIN;
	if (flags & MQ_F_BADTIME)
		return -FERRY_EINVAL;
	if (deadline && deadline <= unow_ns())
		return -FERRY_ETIMEDOUT;
	return 0;
}

int
mq_send(uint32_t di, const struct mq_send_req *r, const uint8_t *src, uint64_t token)
{
	struct mq *q;
	struct mq_desc *d = mq_desc_of(di, &q);
	if ((d->flags & MQ_O_ACCMODE) == 0)
		return -FERRY_EBADH; /* EBADF: not open for writing */
	if (r->prio >= MQ_PRIO_LIMIT)
		return -FERRY_EINVAL;
	if (r->len > q->msgsize)
		return -FERRY_EMSGSIZE;
	if (q->cur < q->maxmsg) {
		if (reply_sent(token, notifies(q)))
			return FERRY_REPLY_LATER; /* the sender gave up: nothing sent */
		if (q->cur || !hand_over(q, src, r->len, r->prio))
			enqueue(q, src, r->len, r->prio, r->pid);
		poll_check(q);
		return FERRY_REPLY_LATER;
	}
	bool nb = (r->flags & MQ_F_NONBLOCK) || (d->flags & MQ_O_NONBLOCK);
	int rc = may_wait(r->flags, nb, r->deadline);
	if (rc)
		return rc;
	if (q->nwr == MQ_WAITERS)
		return -FERRY_EAGAIN;
	struct mq_swait *w = &q->wr[q->nwr++];
	*w = (struct mq_swait){
	        .w = {token, r->deadline, di}, .len = r->len, .prio = r->prio, .pid = r->pid};
	if (r->xfer)
		w->xfer = src;
	else
		memcpy(w->inl, src, r->len);
	if (r->deadline)
		ntimed++;
	return FERRY_REPLY_LATER;
}

int
mq_receive(uint32_t di, const struct mq_receive_req *r, uint8_t *dst, uint64_t token)
{
	struct mq *q;
	struct mq_desc *d = mq_desc_of(di, &q);
	if ((d->flags & MQ_O_ACCMODE) == MQ_O_WRONLY)
		return -FERRY_EBADH; /* EBADF: not open for reading */
	if (r->len < q->msgsize)
		return -FERRY_EMSGSIZE;
	if (!dst && q->msgsize > MQ_INLINE_MAX)
		return -FERRY_EMSGSIZE; /* no area: the client could not take it inline */
	if (q->cur) {
		const struct mq_entry *e = &q->msgs[0];
		if (reply_msg(token, dst, q->buf + (uint64_t)e->slot * q->msgsize, e->len, e->prio))
			return FERRY_REPLY_LATER; /* the receiver gave up: the message stays */
		dequeue(q);
		kick_senders(q);
		poll_check(q);
		return FERRY_REPLY_LATER;
	}
	bool nb = (r->flags & MQ_F_NONBLOCK) || (d->flags & MQ_O_NONBLOCK);
	int rc = may_wait(r->flags, nb, r->deadline);
	if (rc)
		return rc;
	if (q->nrd == MQ_WAITERS)
		return -FERRY_EAGAIN;
	q->rd[q->nrd++] =
	        (struct mq_rwait){.w = {token, r->deadline, di}, .len = r->len, .xfer = dst};
	if (r->deadline)
		ntimed++;
	return FERRY_REPLY_LATER;
}

int
mq_getsetattr(uint32_t di, const struct mq_attr_req *r, struct mq_attr_rep *rep)
{
	struct mq *q;
	struct mq_desc *d = mq_desc_of(di, &q);
	rep->flags = d->flags & MQ_O_NONBLOCK;
	rep->maxmsg = q->maxmsg;
	rep->msgsize = q->msgsize;
	rep->curmsgs = q->cur;
	if (r->set)
		d->flags = (d->flags & ~MQ_O_NONBLOCK) | (r->flags & MQ_O_NONBLOCK);
	return 0;
}

bool
mq_idle(uint32_t di)
{
	struct mq *q;
	(void)mq_desc_of(di, &q);
	return !q->nrd && !q->nwr;
}

/* ---- time limits ---- */

ferry_time_t
mq_next_timeout(uint64_t now)
{
	if (!ntimed)
		return FERRY_TIME_INFINITE;
	uint64_t next = UINT64_MAX;
	for (uint32_t i = 0; i < MQ_MAX; i++) {
		struct mq *q = &mq_queues[i];
		if (!q->used)
			continue;
		struct waits both[2] = {readers(q), writers(q)};
		for (int s = 0; s < 2; s++)
			for (uint32_t k = 0; k < *both[s].n; k++) {
				uint64_t d = wait_at(both[s], k)->deadline;
				if (d && d < next)
					next = d;
			}
	}
	return next <= now ? 0 : next - now;
}

static bool
expired(const struct mq_wait *w, uint64_t now)
{
	return w->deadline && w->deadline <= now;
}

void
mq_timers(uint64_t now)
{
	if (!ntimed)
		return;
	for (uint32_t i = 0; i < MQ_MAX; i++) {
		struct mq *q = &mq_queues[i];
		if (!q->used)
			continue;
		waits_end(readers(q), expired, now, -FERRY_ETIMEDOUT);
		waits_end(writers(q), expired, now, -FERRY_ETIMEDOUT);
	}
}

/* ---- closing ---- */

static bool
through(const struct mq_wait *w, uint64_t index)
{
	return w->desc == index;
}

void
mq_desc_drop(struct mq *q, struct mq_desc *d, uint32_t index)
{
	/* Calls still waiting through it point into its transfer areas. */
	waits_end(readers(q), through, index, -FERRY_EBADH);
	waits_end(writers(q), through, index, -FERRY_EBADH);
	/* Linux drops the registration when its process closes the
	 * descriptor; here when the description it came through closes. */
	if (q->notify && q->notify_desc == index)
		notify_clear(q);
	for (unsigned k = 0; k < MQ_ARMS; k++) {
		if (d->arms[k].port) {
			ferry_sys_handle_close(d->arms[k].port);
			d->arms[k].port = 0;
			q->narmed--;
		}
	}
}
