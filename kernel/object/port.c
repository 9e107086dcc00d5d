// SPDX-License-Identifier: MIT
/*
 * Ports, queues and notifications: creation, binding, the no-senders
 * notice, destruction and the death of a queue.  Entry points:
 * queue_create, port_create, port_destroy, port_handle_ref/unref,
 * queue_recv_ref/unref, notify_post, notify_cancel.
 *
 * Ownership and references: a port holds a reference to its queue while
 * bound; the queue's port list holds a reference to each bound port, so a
 * port whose handles are all gone still lives until its no-senders notice
 * is delivered.  A port is detached (both references dropped) when it is
 * destroyed, when its queue dies, or when it has no handles left and no
 * notice pending.
 */
#include <lib/string.h>
#include <ferry/errors.h>
#include <core/task.h>
#include <mm/slab.h>
#include <object/port.h>
#include <lib/klog.h>

static struct kmem_cache port_cache, queue_cache;
struct kmem_cache kmsg_cache;

void
port_cache_init(void)
{
	kmem_cache_init(&port_cache, "port", sizeof(struct port));
	kmem_cache_init(&queue_cache, "queue", sizeof(struct queue));
	kmem_cache_init(&kmsg_cache, "kmsg", sizeof(struct kmsg));
}

static int64_t
queue_charge(uint32_t capacity)
{
	return (int64_t)sizeof(struct queue) + (int64_t)capacity * (int64_t)sizeof(struct kmsg);
}

/*
 * Creates a queue holding at most capacity messages; the whole capacity is
 * charged to owner up front.  -FERRY_EINVAL, -FERRY_EQUOTA, -FERRY_ENOMEM.
 */
int
queue_create(struct task *owner, uint32_t capacity, struct queue **out)
{
	if (capacity == 0 || capacity > QUEUE_CAPACITY_MAX)
		return -FERRY_EINVAL;
	int64_t charge = queue_charge(capacity);
	int rc = quota_charge(&owner->quota, charge);
	if (rc)
		return rc;
	struct queue *q = kmem_cache_alloc(&queue_cache);
	if (!q) {
		quota_release(&owner->quota, charge);
		return -FERRY_ENOMEM;
	}
	kobj_init(&q->obj, FERRY_OBJ_QUEUE);
	q->obj.owner = owner;
	q->obj.charge = (uint32_t)charge;
	kobj_ref(&owner->obj);
	q->capacity = capacity;
	list_init(&q->msgs);
	list_init(&q->notifs);
	list_init(&q->ports);
	waitq_init(&q->receivers);
	waitq_init(&q->senders);
	list_init(&q->timer_link);
	list_init(&q->timer_slot.link);
	q->timer_slot.op = FERRY_NOTIFY_TIMER;
	q->timer_slot.q = q;
	*out = q;
	return 0;
}

int
port_create(struct task *owner, struct queue *q, port_key_t key, struct port **out)
{
	if (q->dead)
		return -FERRY_EPEER;
	int rc = quota_charge(&owner->quota, sizeof(struct port));
	if (rc)
		return rc;
	struct port *p = kmem_cache_alloc(&port_cache);
	if (!p) {
		quota_release(&owner->quota, sizeof(struct port));
		return -FERRY_ENOMEM;
	}
	kobj_init(&p->obj, FERRY_OBJ_PORT);
	p->obj.owner = owner;
	p->obj.charge = sizeof(struct port);
	kobj_ref(&owner->obj);
	p->key = key;
	p->q = q;
	kobj_ref(&q->obj);
	list_init(&p->no_senders.link);
	p->no_senders.op = FERRY_NOTIFY_NO_SENDERS;
	p->no_senders.key = key;
	p->no_senders.q = q;
	list_push_back(&q->ports, &p->qlink);
	kobj_ref(&p->obj); /* the queue's reference */
	*out = p;
	return 0;
}

/* Unbinds p from its queue: later sends fail with -FERRY_EPEER. */
static void
port_detach(struct port *p)
{
	struct queue *q = p->q;
	if (!q)
		return;
	notify_cancel(&p->no_senders);
	p->no_senders.q = NULL;
	list_remove(&p->qlink);
	p->q = NULL;
	/* Wake senders waiting for room so they notice; they re-check p->q. */
	waitq_wake_all(&q->senders, 0);
	kobj_unref(&q->obj);
	kobj_unref(&p->obj); /* the queue's reference; may free p */
}

void
port_destroy(struct port *p)
{
	port_detach(p);
}

void
port_destroy_obj(struct kobject *o)
{
	struct port *p = container_of(o, struct port, obj);
	assert(!p->q);
	struct task *owner = o->owner;
	quota_release(&owner->quota, o->charge);
	kmem_cache_free(&port_cache, p);
	kobj_unref(&owner->obj);
}

void
port_handle_ref(struct port *p, uint32_t rights)
{
	p->handles++;
	if (rights & FERRY_RIGHT_SEND)
		p->send_refs++;
}

void
port_handle_unref(struct port *p, uint32_t rights)
{
	assert(p->handles > 0);
	p->handles--;
	if ((rights & FERRY_RIGHT_SEND) && --p->send_refs == 0 && p->q)
		notify_post(&p->no_senders);
	if (p->handles == 0 && p->q && !list_linked(&p->no_senders.link))
		port_detach(p);
}

/* Called by receive after a no-senders notice went out. */
void
port_notice_delivered(struct notify_slot *s)
{
	struct port *p = container_of(s, struct port, no_senders);
	if (p->handles == 0 && p->q)
		port_detach(p);
}

void
queue_recv_ref(struct queue *q)
{
	q->recv_handles++;
}

void ipc_kmsg_abort(struct kmsg *km, int status);

/*
 * The last receive handle is gone: nobody can take messages any more.  Every
 * bound port is detached, queued messages are dropped (their callers get
 * -FERRY_EPEER), and blocked senders and receivers wake with -FERRY_EPEER.
 */
void
queue_recv_unref(struct queue *q)
{
	assert(q->recv_handles > 0);
	if (--q->recv_handles)
		return;
	q->dead = true;
	kobj_ref(&q->obj); /* keep q alive while detaching everything */
	queue_timer_cancel(q);
	while (!list_empty(&q->ports))
		port_detach(container_of(q->ports.next, struct port, qlink));
	while (!list_empty(&q->notifs)) {
		struct notify_slot *s =
		        container_of(list_pop_front(&q->notifs), struct notify_slot, link);
		s->count = 0;
	}
	struct list *n;
	while ((n = list_pop_front(&q->msgs))) {
		q->count--;
		ipc_kmsg_abort(container_of(n, struct kmsg, link), -FERRY_EPEER);
	}
	waitq_wake_all(&q->senders, -FERRY_EPEER);
	waitq_wake_all(&q->receivers, -FERRY_EPEER);
	kobj_unref(&q->obj);
}

void
queue_destroy_obj(struct kobject *o)
{
	struct queue *q = container_of(o, struct queue, obj);
	assert(list_empty(&q->ports) && list_empty(&q->msgs));
	while (!list_empty(&q->notifs))
		list_pop_front(&q->notifs);
	struct task *owner = o->owner;
	quota_release(&owner->quota, o->charge);
	kmem_cache_free(&queue_cache, q);
	kobj_unref(&owner->obj);
}

/* ---- notifications ---- */

void ipc_wake_receiver(struct queue *q);

void
notify_post(struct notify_slot *s)
{
	struct queue *q = s->q;
	if (!q || q->dead)
		return;
	s->count++;
	if (!list_linked(&s->link)) {
		list_push_back(&q->notifs, &s->link);
		ipc_wake_receiver(q);
	}
}

void
notify_cancel(struct notify_slot *s)
{
	if (list_linked(&s->link))
		list_remove(&s->link);
	s->count = 0;
}
