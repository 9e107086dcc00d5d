/* SPDX-License-Identifier: MIT */
/*
 * The common header of every kernel object that a handle can name.
 *
 * Ownership and references: each handle holds one reference; kernel
 * structures that point at an object (a port's queue, a thread's task, a
 * queued message's transferred handles) hold one each.  The last
 * kobj_unref() calls the type's destroy function.
 */
#ifndef KERNEL_OBJECT_KOBJECT_H
#define KERNEL_OBJECT_KOBJECT_H

#include <stdint.h>
#include <ferry/types.h>

struct task;

struct kobject {
	uint32_t type; /* enum ferry_obj_type */
	uint32_t refcount;
	uint64_t koid;
	struct task *owner; /* task whose quota paid for the object (may be NULL) */
	uint32_t charge;    /* bytes charged to owner's quota */
};

void kobj_init(struct kobject *o, uint32_t type);
static inline void
kobj_ref(struct kobject *o)
{
	o->refcount++;
}
void kobj_destroy(struct kobject *o);
/* Drops a reference; the last one destroys the object. */
static inline void
kobj_unref(struct kobject *o)
{
	if (--o->refcount == 0)
		kobj_destroy(o);
}

/* Per-type destructors, called on the last reference. */
void port_destroy_obj(struct kobject *o);
void queue_destroy_obj(struct kobject *o);
void memobj_destroy_obj(struct kobject *o);
void task_destroy_obj(struct kobject *o);
void thread_destroy_obj(struct kobject *o);
void irqcap_destroy_obj(struct kobject *o);

#endif
