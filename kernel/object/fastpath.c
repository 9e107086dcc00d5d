// SPDX-License-Identifier: MIT
/*
 * The IPC fast path: a call to a server thread already waiting in receive,
 * and a server's reply+receive to a caller that waits for it, when the
 * message carries only inline data and no timeout is involved.  Both copy
 * the user message straight into the other thread's staging buffer and
 * switch to it directly.  Anything else (handles, payloads, a full or busy
 * queue, timeouts, errors) goes to the general code (api/syscall.c and
 * ipc.c), with identical results: the fast path is an optimisation, never
 * a different semantics.  Entry points: sys_msg_call, sys_msg_reply_recv.
 *
 * The user buffer's 128-byte range is checked once on entry; the copies
 * below then use the fault-catching primitives of arch directly.
 */
#include <stddef.h>
#include <lib/string.h>
#include <arch.h>
#include <ferry/errors.h>
#include <core/task.h>
#include <mm/vmspace.h>
#include <object/port.h>
#include "../arch/x86_64/cpu.h"

extern uint32_t ipc_token_seq;
void ipc_thread_cleanup(struct thread *t);
void ipc_deliver_staged(struct thread *self);

/* ipc_deliver_staged, with the inline-data-only case done here. */
static inline __attribute__((always_inline)) void
deliver(struct thread *self)
{
	struct ferry_msg *m = &self->ipc_msg;
	if (m->nhandles == 0 && !(m->flags & FERRY_MSGF_PAYLOAD)) {
		self->ipc_has_msg = false;
		m->handles[0] = m->handles[1] = m->handles[2] = m->handles[3] = 0;
		return;
	}
	ipc_deliver_staged(self);
}

/* True if m (just copied from user space, len checked) is plain inline data. */
static inline __attribute__((always_inline)) bool
plain(const struct ferry_msg *m)
{
	return m->nhandles == 0 && m->flags == 0;
}

/*
 * Blocks current without a timeout on wq (may be NULL) and switches
 * straight to t, which was blocked in receive or in a call.  The inline
 * twin of thread_block_handoff + sched_switch_to for the fast path: t is
 * another thread and current is neither dead nor on a run queue.
 */
static inline __attribute__((always_inline)) void
block_and_run(struct waitq *wq, enum thread_block why, struct thread *t)
{
	struct thread *self = current;
	self->state = THREAD_STATE_BLOCKED;
	self->block = why;
	self->waitq = wq;
	self->wake_status = 0;
	self->deadline = UINT64_MAX;
	if (wq)
		list_push_back(&wq->threads, &self->run_link);
	if (t->waitq) {
		list_remove(&t->run_link);
		t->waitq = NULL;
	}
	if (timeout_armed(t))
		timeout_cancel(t);
	t->block = THREAD_BLOCK_NONE;
	t->wake_status = 0;
	t->state = THREAD_STATE_RUNNING;
	t->slice_end = self->slice_end; /* the rest of our slice (sched.c, switch_to) */
	sched_charge(self);
	current = t;
	need_resched = false;
	arch_switch(self, t);
	sched_after_switch();
}

/*
 * Copies the current thread's received message out (header + used data).
 * The caller checked that the whole 128-byte buffer lies in the user range
 * and len is at most FERRY_MSG_INLINE_MAX, so only a fault can fail it.
 */
static inline __attribute__((always_inline)) int
copy_out(uint64_t uaddr)
{
	const struct ferry_msg *m = &current->ipc_msg;
	return (int)copy_user_asm((void *)uaddr, m, offsetof(struct ferry_msg, data) + m->len);
}

long sys_msg_call_slow(struct trap_frame *tf);
long sys_msg_reply_recv_slow(struct trap_frame *tf);

/*
 * The msg_call system call.  Fast when a server thread waits in receive on
 * the port's queue: the message goes straight into its staging buffer and
 * we switch to it.  Anything else is the general path, sys_msg_call_slow,
 * which starts over from the user's arguments (nothing here has changed
 * state that it could see: r's staging buffer is scratch until
 * ipc_has_msg is set).
 */
long
sys_msg_call(struct trap_frame *tf)
{
	struct thread *self = current;
	uint64_t umsg = tf->rsi;
	if (tf->rdx != FERRY_TIME_INFINITE || self->dying ||
	    !user_range(umsg, sizeof(struct ferry_msg)))
		goto slow;
	struct port *p = (struct port *)handle_get(&self->task->handles, (handle_t)tf->rdi,
	                                           FERRY_OBJ_PORT, FERRY_RIGHT_SEND);
	if (!p)
		goto slow;
	struct queue *q = p->q;
	if (!q || q->dead || q->count)
		goto slow;
	struct thread *r = waitq_first(&q->receivers);
	if (!r || r->ipc_has_msg || r->prio < self->prio)
		goto slow;
	struct ferry_msg *m = &r->ipc_msg;
	if (copy_msg_in_asm(m, (const struct ferry_msg *)umsg) || !plain(m))
		goto slow;
	uint64_t token = ((uint64_t)self->slot << 32) | ++ipc_token_seq;
	m->key = p->key;
	m->token = token;
	r->ipc_has_msg = true;
	self->call_token = token;
	self->ipc_has_msg = false;
	self->call_server = r->task;
	list_push_back(&r->task->pending_calls, &self->call_link);

	block_and_run(NULL, THREAD_BLOCK_CALL, r);

	int rc = self->wake_status;
	if (rc == 0 && !self->ipc_has_msg)
		rc = -FERRY_EPEER;
	if (rc) {
		ipc_thread_cleanup(self);
		return rc;
	}
	deliver(self);
	return copy_out(umsg);
slow:
	return sys_msg_call_slow(tf);
}

/*
 * The msg_reply_recv system call.  Fast when the reply goes to a caller
 * that still waits for it and nothing is queued: the reply goes straight
 * into the caller's staging buffer, we block in receive and switch to the
 * caller.  Anything else is sys_msg_reply_recv_slow, from the start.
 */
long
sys_msg_reply_recv(struct trap_frame *tf)
{
	struct thread *self = current;
	uint64_t umsg = tf->rsi;
	if (tf->rdx != FERRY_TIME_INFINITE || self->dying || self->ipc_has_msg ||
	    !user_range(umsg, sizeof(struct ferry_msg)))
		goto slow;
	struct queue *q = (struct queue *)handle_get(&self->task->handles, (handle_t)tf->rdi,
	                                             FERRY_OBJ_QUEUE, FERRY_RIGHT_RECV);
	if (!q || q->count || !list_empty(&q->notifs) || q->dead)
		goto slow;
	uint64_t token;
	if (read_user_u64((const uint64_t *)(umsg + offsetof(struct ferry_msg, token)), &token) ||
	    !token)
		goto slow;
	struct thread *c = thread_by_slot((uint32_t)(token >> 32));
	if (!c || c->call_token != token || c->call_server != self->task ||
	    c->state != THREAD_STATE_BLOCKED || c->ipc_has_msg)
		goto slow;
	struct ferry_msg *m = &c->ipc_msg;
	if (copy_msg_in_asm(m, (const struct ferry_msg *)umsg) || !plain(m))
		goto slow;
	m->key = 0;
	m->token = 0;
	c->ipc_has_msg = true;
	list_remove(&c->call_link);
	c->call_server = NULL;
	c->call_token = 0;

	kobj_ref(&q->obj);
	block_and_run(&q->receivers, THREAD_BLOCK_RECV, c);

	int rc = self->wake_status;
	if (rc && !self->ipc_has_msg) {
		kobj_unref(&q->obj);
		return rc;
	}
	if (self->ipc_has_msg)
		deliver(self);
	else
		rc = ipc_recv(q, &self->ipc_msg, UINT64_MAX);
	kobj_unref(&q->obj);
	return rc ? rc : copy_out(umsg);
slow:
	return sys_msg_reply_recv_slow(tf);
}
