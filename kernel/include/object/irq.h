/* SPDX-License-Identifier: MIT */
/*
 * The I/O capability: the right to bind legacy interrupt lines to queues,
 * to use I/O ports and to map physical memory.  The first task gets the
 * only one at boot and hands it (or nothing) to its drivers.
 */
#ifndef KERNEL_OBJECT_IRQ_H
#define KERNEL_OBJECT_IRQ_H

#include <object/kobject.h>

struct irqcap {
	struct kobject obj;
};

struct irqcap *irqcap_create(void);

#endif
