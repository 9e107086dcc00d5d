// SPDX-License-Identifier: MIT
/*
 * Interrupts as messages, I/O ports and physical memory for user-space
 * drivers.  A bound line is masked when it fires and a notification is
 * posted from the binding's preallocated slot (coalescing); the driver
 * handles the device and calls irq_ack, which unmasks the line.
 * Entry points: irqcap_create, irq_dispatch, sys_irq_bind, sys_irq_ack,
 * sys_ioport_grant, sys_memobj_phys.
 */
#include <lib/string.h>
#include <arch.h>
#include <ferry/errors.h>
#include <ferry/syscall.h>
#include <core/task.h>
#include <mm/memobj.h>
#include <mm/slab.h>
#include <mm/vmspace.h>
#include <object/irq.h>
#include <object/port.h>
#include <lib/klog.h>
#include "../arch/x86_64/cpu.h"

#define IRQ_LINES 16

bool phys_is_ram(paddr_t pa, uint64_t size);

struct irq_binding {
	struct notify_slot slot;
	struct queue *q; /* holds a reference */
};

static struct irq_binding bindings[IRQ_LINES];
static struct irqcap the_cap;

struct irqcap *
irqcap_create(void)
{
	kobj_init(&the_cap.obj, FERRY_OBJ_IRQ);
	kobj_ref(&the_cap.obj); /* static object: never destroyed */
	return &the_cap;
}

void
irqcap_destroy_obj(struct kobject *o)
{
	(void)o;
}

void
irq_dispatch(unsigned line)
{
	arch_irq_mask(line);
	pic_eoi(line);
	struct irq_binding *b = &bindings[line];
	if (b->q)
		notify_post(&b->slot);
}

static int
get_cap(handle_t h)
{
	struct kobject *o;
	return handle_lookup(current->task, h, FERRY_OBJ_IRQ, FERRY_RIGHT_MANAGE, &o, NULL);
}

/* Lines the kernel keeps for itself: the timer and the PIC cascade. */
static bool
line_ok(uint64_t line)
{
	return line < IRQ_LINES && line != 0 && line != 2;
}

long
sys_irq_bind(struct trap_frame *tf)
{
	int rc = get_cap((handle_t)tf->rdi);
	if (rc)
		return rc;
	if (!line_ok(tf->rsi))
		return -FERRY_EINVAL;
	struct kobject *o;
	if ((rc = handle_lookup(current->task, (handle_t)tf->rdx, FERRY_OBJ_QUEUE, FERRY_RIGHT_RECV,
	                        &o, NULL)))
		return rc;
	struct irq_binding *b = &bindings[tf->rsi];
	if (b->q) {
		notify_cancel(&b->slot);
		kobj_unref(&b->q->obj);
	}
	kobj_ref(o);
	b->q = (struct queue *)o;
	list_init(&b->slot.link);
	b->slot.q = b->q;
	b->slot.op = FERRY_NOTIFY_IRQ;
	b->slot.key = tf->r10;
	b->slot.count = 0;
	arch_irq_unmask((unsigned)tf->rsi);
	return 0;
}

long
sys_irq_ack(struct trap_frame *tf)
{
	int rc = get_cap((handle_t)tf->rdi);
	if (rc)
		return rc;
	if (!line_ok(tf->rsi) || !bindings[tf->rsi].q)
		return -FERRY_EINVAL;
	arch_irq_unmask((unsigned)tf->rsi);
	return 0;
}

void
iobitmap_free(struct task *t)
{
	arch_kstack_free((uintptr_t)t->iobitmap + 8192, 2);
	t->iobitmap = NULL;
}

long
sys_ioport_grant(struct trap_frame *tf)
{
	int rc = get_cap((handle_t)tf->rdi);
	if (rc)
		return rc;
	struct kobject *o;
	struct task *t = current->task;
	if (tf->rsi) {
		if ((rc = handle_lookup(current->task, (handle_t)tf->rsi, FERRY_OBJ_TASK,
		                        FERRY_RIGHT_MANAGE, &o, NULL)))
			return rc;
		t = (struct task *)o;
	}
	uint64_t base = tf->rdx, count = tf->r10;
	if (count == 0 || base > 0xffff || base + count > 0x10000)
		return -FERRY_EINVAL;
	if (!t->iobitmap) {
		/* Two pages, virtually contiguous, from the kernel-stack region. */
		uintptr_t top = arch_kstack_alloc(2);
		if (!top)
			return -FERRY_ENOMEM;
		t->iobitmap = (uint8_t *)(top - 8192);
		memset(t->iobitmap, 0xff, 8192);
	}
	arch_ioport_allow(t->iobitmap, (uint16_t)base, (uint16_t)count);
	if (t == current->task)
		tss_set_iobitmap(t->iobitmap); /* in force now, not at the next switch */
	return 0;
}

long
sys_memobj_phys(struct trap_frame *tf)
{
	int rc = get_cap((handle_t)tf->rdi);
	if (rc)
		return rc;
	uint64_t pa = tf->rsi, size = tf->rdx;
	if ((pa & (PAGE_SIZE - 1)) || (size & (PAGE_SIZE - 1)) || !size || pa + size < pa ||
	    pa + size > (1ull << 46))
		return -FERRY_EINVAL;
	/* RAM that the kernel manages is not for drivers to map. */
	if (phys_is_ram(pa, size))
		return -FERRY_EACCES;
	struct memobj *mo;
	if ((rc = memobj_create_phys(current->task, pa, size, &mo)))
		return rc;
	handle_t h = 0;
	if ((rc = copy_to_user(uptr(tf->r10), &h, sizeof(h))) ||
	    (rc = handle_install(current->task, &mo->obj,
	                         FERRY_RIGHT_MAP | FERRY_RIGHT_READ | FERRY_RIGHT_WRITE |
	                                 FERRY_RIGHT_DUP | FERRY_RIGHT_TRANSFER,
	                         &h))) {
		kobj_unref(&mo->obj);
		return rc;
	}
	return copy_to_user(uptr(tf->r10), &h, sizeof(h));
}
