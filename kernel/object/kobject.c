// SPDX-License-Identifier: MIT
/*
 * Kernel object identity and reference counting, and the table of
 * per-type destructors.
 */
#include <object/kobject.h>
#include <lib/klog.h>

static uint64_t next_koid = 1;

void
kobj_init(struct kobject *o, uint32_t type)
{
	o->type = type;
	o->refcount = 1;
	o->koid = next_koid++;
}

static void (*const destroy[FERRY_OBJ_COUNT])(struct kobject *) = {
        [FERRY_OBJ_PORT] = port_destroy_obj,     [FERRY_OBJ_QUEUE] = queue_destroy_obj,
        [FERRY_OBJ_MEMOBJ] = memobj_destroy_obj, [FERRY_OBJ_TASK] = task_destroy_obj,
        [FERRY_OBJ_THREAD] = thread_destroy_obj, [FERRY_OBJ_IRQ] = irqcap_destroy_obj,
};

void
kobj_destroy(struct kobject *o)
{
	assert(o->type < FERRY_OBJ_COUNT && destroy[o->type]);
	destroy[o->type](o);
}
