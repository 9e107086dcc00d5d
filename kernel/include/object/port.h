/* SPDX-License-Identifier: MIT */
/*
 * Ports and queues.  A queue is a server's bounded receive queue (a port
 * set); a port is one object's address, bound to a queue with a key the
 * server chose.  Messages sent to a port land on its queue tagged with the
 * key.  Notifications come from slots preallocated in the objects that
 * raise them, so posting one never allocates and repeated posts coalesce.
 */
#ifndef KERNEL_OBJECT_PORT_H
#define KERNEL_OBJECT_PORT_H

#include <stdint.h>
#include <stdbool.h>
#include <ferry/msg.h>
#include <lib/list.h>
#include <object/kobject.h>
#include <core/thread.h>

#define QUEUE_CAPACITY_MAX 4096

struct queue;

struct notify_slot {
	struct list link; /* queue->notifs while pending */
	struct queue *q;  /* target (no reference: the owner unlinks before q dies) */
	uint32_t op;      /* FERRY_NOTIFY_* */
	port_key_t key;
	uint64_t count; /* coalesced events since last delivery */
};

/* A message waiting in a queue.  Handles travel as object references. */
struct kmsg {
	struct list link;
	struct ferry_msg m;
	struct kobject *objs[FERRY_MSG_HANDLES_MAX];
	uint32_t rights[FERRY_MSG_HANDLES_MAX];
	struct thread *caller; /* call: the thread blocked for the reply */
	uint64_t token;
};

struct queue {
	struct kobject obj;
	uint32_t capacity;      /* charged to the creator at creation */
	uint32_t count;         /* messages in msgs */
	struct list msgs;       /* struct kmsg, FIFO */
	struct list notifs;     /* pending notify_slots, FIFO */
	struct waitq receivers; /* threads in msg_recv */
	struct waitq senders;   /* threads waiting for room */
	struct list ports;      /* bound ports */
	uint32_t recv_handles;  /* handles with RECV; 0 means nobody can receive */
	bool dead;
	/* The queue's timer (object/timer.c): one preallocated slot. */
	struct notify_slot timer_slot;
	struct list timer_link; /* armed timers, sorted by deadline */
	uint64_t timer_deadline;
	uint64_t timer_period;
};

struct port {
	struct kobject obj;
	struct queue *q; /* NULL once destroyed; holds a reference */
	port_key_t key;
	uint32_t send_refs; /* handles with SEND (in tables or in transit) */
	uint32_t handles;   /* all handles (in tables or in transit) */
	struct list qlink;  /* q->ports */
	struct notify_slot no_senders;
};

int queue_create(struct task *owner, uint32_t capacity, struct queue **out);
int port_create(struct task *owner, struct queue *q, port_key_t key, struct port **out);
void port_destroy(struct port *p);
void port_handle_ref(struct port *p, uint32_t rights);
void port_handle_unref(struct port *p, uint32_t rights);
void port_notice_delivered(struct notify_slot *s);
void queue_recv_ref(struct queue *q);
void queue_recv_unref(struct queue *q);

/* Queue timers (object/timer.c). */
int queue_timer_set(struct queue *q, port_key_t key, uint64_t deadline, uint64_t period);
void queue_timer_cancel(struct queue *q);
void queue_timers_run(uint64_t now);

/* Posts (or coalesces) a notification slot on its queue. */
void notify_post(struct notify_slot *s);
void notify_cancel(struct notify_slot *s);

/* Message operations on behalf of the current thread.  `m` is a kernel
 * copy of the user message; handles are looked up in the current task. */
int ipc_send(struct port *p, const struct ferry_msg *m, uint32_t flags);
/* On success the reply is in current->ipc_msg (handles installed). */
int ipc_call(struct port *p, const struct ferry_msg *m, uint64_t deadline);
/* out may be &current->ipc_msg, which saves a copy on the handoff path. */
int ipc_recv(struct queue *q, struct ferry_msg *out, uint64_t deadline);
int ipc_reply(const struct ferry_msg *m, struct thread **woken);

#endif
