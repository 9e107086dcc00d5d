// SPDX-License-Identifier: MIT
/*
 * Message transfer: send, call, receive, reply, and the clean-up when a
 * thread or task dies in the middle of one.  Entry points: ipc_send,
 * ipc_call, ipc_recv, ipc_reply, ipc_wake_receiver, ipc_kmsg_abort,
 * ipc_thread_cleanup, ipc_task_cleanup, ipc_post_exception.
 *
 * A message sent or called to a queue with a receiver already waiting is
 * staged directly in that receiver's thread (no queue entry); a call then
 * switches straight to the receiver (handoff).  Otherwise it is queued.
 * Handles travel as object references; a moved handle keeps counting as a
 * live handle while in transit, so no-senders is not raised in between.
 *
 * Reply tokens: (caller thread slot << 32) | sequence.  A reply is accepted
 * only from the task that received the call and only while the caller
 * still waits with that token, so tokens cannot be forged or replayed.
 */
#include <lib/string.h>
#include <ferry/errors.h>
#include <core/task.h>
#include <mm/slab.h>
#include <object/payload.h>
#include <object/port.h>
#include <lib/klog.h>

extern struct kmem_cache kmsg_cache;
uint32_t ipc_token_seq; /* shared with fastpath.c */

void ipc_thread_cleanup(struct thread *t);
void ipc_wake_receiver(struct queue *q);

int thread_block_handoff(struct waitq *wq, enum thread_block why, uint64_t deadline,
                         struct thread *t, int status);

static void
objs_release(struct kobject **objs, uint32_t *rights, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (!objs[i])
			continue;
		handle_obj_released(objs[i], rights[i]);
		kobj_unref(objs[i]);
		objs[i] = NULL;
	}
}

/*
 * Takes the handles named in m out of the current task (or copies them
 * with FERRY_MSGF_HANDLES_COPY).  All are checked before any is taken, so
 * on error the task's table is unchanged.
 */
static int
objs_gather(const struct ferry_msg *m, struct kobject **objs, uint32_t *rights, bool call)
{
	struct task *t = current->task;
	bool copy = m->flags & FERRY_MSGF_HANDLES_COPY;
	uint32_t need = FERRY_RIGHT_TRANSFER | (copy ? FERRY_RIGHT_DUP : 0);
	struct kobject *payload = NULL; /* memory hook: page payload (object/payload.c) */
	uint32_t payload_rights = 0;
	if (m->nhandles > FERRY_MSG_HANDLES_MAX || m->len > FERRY_MSG_INLINE_MAX ||
	    (m->flags & ~(FERRY_MSGF_HANDLES_COPY | FERRY_MSGF_PAYLOAD)) ||
	    ((m->flags & FERRY_MSGF_PAYLOAD) && m->nhandles > PAYLOAD_SLOT))
		return -FERRY_EINVAL;
	if (m->nhandles == 0 && !(m->flags & FERRY_MSGF_PAYLOAD)) {
		/* The common case: nothing but inline data. */
		objs[0] = objs[1] = objs[2] = objs[3] = NULL;
		return 0;
	}
	for (unsigned i = 0; i < m->nhandles; i++) {
		struct kobject *o;
		int rc = handle_lookup(t, m->handles[i], FERRY_OBJ_NONE, need, &o, NULL);
		if (rc)
			return rc;
		for (unsigned j = 0; j < i; j++)
			if (m->handles[j] == m->handles[i])
				return -FERRY_EINVAL;
	}
	if (m->flags & FERRY_MSGF_PAYLOAD) {
		int rc = payload_gather(m, call, &payload, &payload_rights);
		if (rc)
			return rc;
	}
	for (unsigned i = 0; i < m->nhandles; i++) {
		if (copy) {
			handle_lookup(t, m->handles[i], FERRY_OBJ_NONE, 0, &objs[i], &rights[i]);
			kobj_ref(objs[i]);
			handle_obj_acquired(objs[i], rights[i]);
		} else {
			int rc = handle_take(t, m->handles[i], &objs[i], &rights[i]);
			assert(rc == 0);
		}
	}
	for (unsigned i = m->nhandles; i < FERRY_MSG_HANDLES_MAX; i++)
		objs[i] = NULL;
	if (payload) {
		objs[PAYLOAD_SLOT] = payload;
		rights[PAYLOAD_SLOT] = payload_rights;
	}
	return 0;
}

/* Installs arrived handles into the current task, writing their values into m. */
static void
objs_deliver(struct ferry_msg *m, struct kobject **objs, uint32_t *rights)
{
	_Static_assert(FERRY_MSG_HANDLES_MAX == 4, "the fast case below clears four slots");
	if (m->nhandles == 0 && !(m->flags & FERRY_MSGF_PAYLOAD)) {
		/* Only inline data: objs[] is all NULL (see objs_gather). */
		m->handles[0] = m->handles[1] = m->handles[2] = m->handles[3] = 0;
		return;
	}
	for (unsigned i = 0; i < FERRY_MSG_HANDLES_MAX; i++) {
		m->handles[i] = FERRY_HANDLE_INVALID;
		if (!objs[i])
			continue;
		if (rights[i] & PAYLOAD_MARK) { /* memory hook: a page payload, not a handle */
			payload_deliver(m, objs[i], rights[i]);
			objs[i] = NULL;
			continue;
		}
		if (handle_install_moved(current->task, objs[i], rights[i], &m->handles[i])) {
			/* Table full: the handle is dropped, the slot reads 0. */
			handle_obj_released(objs[i], rights[i]);
			kobj_unref(objs[i]);
		}
		objs[i] = NULL;
	}
}

/* Installs the handles of the message staged in self (ipc_msg). */
void
ipc_deliver_staged(struct thread *self)
{
	self->ipc_has_msg = false;
	objs_deliver(&self->ipc_msg, self->ipc_objs, self->ipc_rights);
}

/*
 * Puts a message into a receiver's staging buffer.  Only the header and
 * the used part of the payload are copied; the object array only when the
 * message carries objects (otherwise the receiver's is already all NULL:
 * objs_deliver and objs_release leave it so).
 */
static void
stage(struct thread *r, const struct ferry_msg *m, struct kobject **objs, uint32_t *rights,
      port_key_t key, uint64_t token)
{
	struct ferry_msg *d = &r->ipc_msg;
	d->op = m->op;
	d->len = m->len;
	d->nhandles = m->nhandles;
	d->flags = m->flags;
	d->key = key;
	d->token = token;
	memcpy(d->data, m->data, m->len);
	if (m->nhandles || (m->flags & FERRY_MSGF_PAYLOAD)) {
		memcpy(r->ipc_objs, objs, sizeof(r->ipc_objs));
		memcpy(r->ipc_rights, rights, sizeof(r->ipc_rights));
	}
	r->ipc_has_msg = true;
}

static void
link_call(struct thread *caller, struct task *server)
{
	caller->call_server = server;
	list_push_back(&server->pending_calls, &caller->call_link);
}

/* Waits until q can take a message.  Returns the receiver to hand to, if any. */
static int
wait_room(struct port *p, uint32_t flags, uint64_t deadline, struct thread **receiver)
{
	for (;;) {
		struct queue *q = p->q;
		if (!q || q->dead)
			return -FERRY_EPEER;
		*receiver = q->count == 0 ? waitq_first(&q->receivers) : NULL;
		if (*receiver && (*receiver)->ipc_has_msg)
			*receiver = NULL; /* already has one staged */
		if (*receiver || q->count < q->capacity)
			return 0;
		if (flags & FERRY_IPC_NONBLOCK)
			return -FERRY_EAGAIN;
		int rc = thread_block(&q->senders, THREAD_BLOCK_SEND, deadline);
		if (rc)
			return rc;
	}
}

static struct kmsg *
enqueue(struct queue *q, const struct ferry_msg *m, struct kobject **objs, uint32_t *rights,
        port_key_t key)
{
	struct kmsg *km = kmem_cache_alloc(&kmsg_cache);
	if (!km)
		return NULL;
	km->m = *m;
	km->m.key = key;
	memcpy(km->objs, objs, sizeof(km->objs));
	memcpy(km->rights, rights, sizeof(km->rights));
	list_init(&km->link);
	list_push_back(&q->msgs, &km->link);
	q->count++;
	ipc_wake_receiver(q);
	return km;
}

/* Wakes one receiver blocked on q (without staging) so it dequeues. */
void
ipc_wake_receiver(struct queue *q)
{
	struct thread *r = waitq_first(&q->receivers);
	if (r && !r->ipc_has_msg)
		thread_wake(r, 0);
}

int
ipc_send(struct port *p, const struct ferry_msg *m, uint32_t flags)
{
	struct kobject *objs[FERRY_MSG_HANDLES_MAX];
	uint32_t rights[FERRY_MSG_HANDLES_MAX];
	struct thread *r;
	int rc = wait_room(p, flags, UINT64_MAX, &r);
	if (rc)
		return rc;
	if ((rc = objs_gather(m, objs, rights, false)))
		return rc;
	if (r) {
		stage(r, m, objs, rights, p->key, 0);
		thread_wake(r, 0);
		return 0;
	}
	if (!enqueue(p->q, m, objs, rights, p->key)) {
		objs_release(objs, rights, FERRY_MSG_HANDLES_MAX);
		return -FERRY_ENOMEM;
	}
	return 0;
}

int
ipc_call(struct port *p, const struct ferry_msg *m, uint64_t deadline)
{
	struct kobject *objs[FERRY_MSG_HANDLES_MAX];
	uint32_t rights[FERRY_MSG_HANDLES_MAX];
	struct thread *r, *self = current;
	int rc = wait_room(p, 0, deadline, &r);
	if (rc)
		return rc;
	if ((rc = objs_gather(m, objs, rights, true)))
		return rc;
	uint64_t token = ((uint64_t)self->slot << 32) | ++ipc_token_seq;
	self->call_token = token;
	self->ipc_has_msg = false;
	if (r) {
		stage(r, m, objs, rights, p->key, token);
		link_call(self, r->task);
		rc = thread_block_handoff(NULL, THREAD_BLOCK_CALL, deadline, r, 0);
	} else {
		struct kmsg *km = enqueue(p->q, m, objs, rights, p->key);
		if (!km) {
			objs_release(objs, rights, FERRY_MSG_HANDLES_MAX);
			self->call_token = 0;
			return -FERRY_ENOMEM;
		}
		km->caller = self;
		km->token = token;
		self->call_kmsg = km;
		rc = thread_block(NULL, THREAD_BLOCK_CALL, deadline);
	}
	if (rc == 0 && !self->ipc_has_msg)
		rc = -FERRY_EPEER;
	if (rc) {
		ipc_thread_cleanup(self);
		return rc;
	}
	/* The reply stays in self->ipc_msg; the caller copies it out from there. */
	self->ipc_has_msg = false;
	objs_deliver(&self->ipc_msg, self->ipc_objs, self->ipc_rights);
	return 0;
}

/* Builds a notification message from a pending slot. */
static void
take_notice(struct queue *q, struct ferry_msg *out)
{
	struct notify_slot *s = container_of(list_pop_front(&q->notifs), struct notify_slot, link);
	memset(out, 0, sizeof(*out));
	out->op = s->op;
	out->key = s->key;
	out->len = sizeof(uint64_t);
	memcpy(out->data, &s->count, sizeof(uint64_t));
	s->count = 0;
	if (s->op == FERRY_NOTIFY_NO_SENDERS)
		port_notice_delivered(s);
}

int
ipc_recv(struct queue *q, struct ferry_msg *out, uint64_t deadline)
{
	struct thread *self = current;
	for (;;) {
		if (self->ipc_has_msg) {
			/* Staged by a sender; out may be self->ipc_msg itself (no copy). */
			if (out != &self->ipc_msg)
				*out = self->ipc_msg;
			self->ipc_has_msg = false;
			objs_deliver(out, self->ipc_objs, self->ipc_rights);
			return 0;
		}
		if (q->count) {
			struct kmsg *km = container_of(list_pop_front(&q->msgs), struct kmsg, link);
			q->count--;
			struct thread *w = waitq_first(&q->senders);
			if (w)
				thread_wake(w, 0);
			*out = km->m;
			out->token = 0;
			if (km->caller) {
				out->token = km->token;
				km->caller->call_kmsg = NULL;
				link_call(km->caller, self->task);
			}
			objs_deliver(out, km->objs, km->rights);
			kmem_cache_free(&kmsg_cache, km);
			return 0;
		}
		/* Notifications after queued messages, so a no-senders notice
		 * never overtakes the messages sent before the close. */
		if (!list_empty(&q->notifs)) {
			take_notice(q, out);
			return 0;
		}
		if (q->dead)
			return -FERRY_EPEER;
		if (deadline == 0)
			return -FERRY_EAGAIN;
		int rc = thread_block(&q->receivers, THREAD_BLOCK_RECV, deadline);
		if (rc && !self->ipc_has_msg)
			return rc;
	}
}

/*
 * Accepts a reply from the current task for the call named by m->token and
 * stages it in the caller, which is returned (not yet woken) in *woken.
 * -FERRY_EPEER when the caller is gone or gave up; -FERRY_EINVAL and the
 * handle errors for a bad message (the caller then stays blocked).
 */
int
ipc_reply(const struct ferry_msg *m, struct thread **woken)
{
	struct thread *c = thread_by_slot((uint32_t)(m->token >> 32));
	if (!m->token || !c || c->call_token != m->token || c->call_server != current->task ||
	    c->state != THREAD_STATE_BLOCKED)
		return -FERRY_EPEER;
	struct kobject *objs[FERRY_MSG_HANDLES_MAX];
	uint32_t rights[FERRY_MSG_HANDLES_MAX];
	int rc = objs_gather(m, objs, rights, false);
	if (rc)
		return rc;
	payload_call_end(m->token, true); /* memory hook: lent pages leave the server */
	stage(c, m, objs, rights, 0, 0);
	list_remove(&c->call_link);
	c->call_server = NULL;
	c->call_token = 0;
	*woken = c;
	return 0;
}

/* Drops a queued message that will never be received. */
void
ipc_kmsg_abort(struct kmsg *km, int status)
{
	objs_release(km->objs, km->rights, FERRY_MSG_HANDLES_MAX);
	if (km->caller) {
		km->caller->call_kmsg = NULL;
		if (km->caller->state == THREAD_STATE_BLOCKED &&
		    km->caller->block == THREAD_BLOCK_CALL)
			thread_wake(km->caller, status);
	}
	kmem_cache_free(&kmsg_cache, km);
}

/* Forgets any call or staged message of t (exit, timeout, interruption). */
void
ipc_thread_cleanup(struct thread *t)
{
	if (t->call_token) /* memory hook: the caller gave up; take lent pages back */
		payload_call_end(t->call_token, false);
	if (list_linked(&t->call_link))
		list_remove(&t->call_link);
	t->call_server = NULL;
	t->call_token = 0;
	if (t->call_kmsg) {
		t->call_kmsg->caller = NULL; /* stays queued as a one-way message */
		t->call_kmsg = NULL;
	}
	if (t->ipc_has_msg) {
		objs_release(t->ipc_objs, t->ipc_rights, FERRY_MSG_HANDLES_MAX);
		t->ipc_has_msg = false;
	}
}

/* t is dying: callers waiting on calls it received get -FERRY_EPEER. */
void
ipc_task_cleanup(struct task *t)
{
	struct list *n;
	while ((n = list_pop_front(&t->pending_calls))) {
		struct thread *c = container_of(n, struct thread, call_link);
		c->call_server = NULL;
		c->call_token = 0;
		if (c->state == THREAD_STATE_BLOCKED)
			thread_wake(c, -FERRY_EPEER);
	}
}

/* Tells t's exception port (if any) about a fault; never blocks. */
void
ipc_post_exception(struct task *t, const struct ferry_exception_info *info)
{
	struct port *p = t->exc_port;
	if (!p || !p->q || p->q->dead || p->q->count >= p->q->capacity)
		return;
	struct ferry_msg m;
	memset(&m, 0, sizeof(m));
	m.op = FERRY_NOTIFY_EXCEPTION;
	m.len = sizeof(*info);
	memcpy(m.data, info, sizeof(*info));
	struct kobject *objs[FERRY_MSG_HANDLES_MAX] = {0};
	uint32_t rights[FERRY_MSG_HANDLES_MAX] = {0};
	struct thread *r = waitq_first(&p->q->receivers);
	if (r && !r->ipc_has_msg) {
		stage(r, &m, objs, rights, p->key, 0);
		thread_wake(r, 0);
	} else {
		enqueue(p->q, &m, objs, rights, p->key);
	}
}
