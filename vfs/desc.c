// SPDX-License-Identifier: MIT
/*
 * Open file descriptions: each is a struct desc with its own port, bound
 * to vfs's queue with the desc's address as key, so a request names its
 * description with no lookup.  The send handle goes to the client; when
 * the last one is closed the kernel posts no-senders with the key and the
 * description ends (vfs_notify).  Also the transfer areas clients attach
 * to descriptions (FILE_XFER_ATTACH): one mapping per memory object (by
 * koid), shared by the descriptions it is attached to; a description's
 * slot held by an area whose client is gone is reused.
 *
 * Ownership and references: a desc holds a reference to its node and one
 * to each attached area; an area is unmapped when its last desc goes.
 */
#include <ulib.h>
#include "vfs.h"

struct xfer_area {
	uint64_t koid;
	handle_t mo; /* kept to see whether any client still holds the object */
	uint8_t *base;
	uint64_t size;
	uint32_t refs;
	struct xfer_area *next;
};

static uint64_t queue;
static struct desc *descs;
static struct xfer_area *areas;
static uint32_t id_seed = 0x9e3779b9u;

void
vfs_set_queue(uint64_t q)
{
	queue = q;
}

uint64_t
vfs_queue(void)
{
	return queue;
}

int
desc_open(struct node *n, uint32_t flags, uint32_t *port, struct desc **out)
{
	struct desc *d = vfs_zalloc(sizeof(*d));
	struct ferry_handle_info info;
	handle_t h;
	int rc;

	if (!d)
		return -FERRY_ENOMEM;
	if ((rc = (int)ferry_sys_port_create((handle_t)queue, (port_key_t)(uintptr_t)d, &h))) {
		vfs_free(d);
		return rc;
	}
	if ((rc = (int)ferry_sys_handle_info(h, &info)) == 0)
		d->koid = info.koid;
	d->node = n;
	d->flags = flags;
	node_ref(n);
	d->next = descs;
	descs = d;
	*port = h;
	if (out)
		*out = d;
	return 0;
}

static void
area_put(struct xfer_area *a)
{
	if (--a->refs)
		return;
	for (struct xfer_area **pp = &areas; *pp; pp = &(*pp)->next) {
		if (*pp == a) {
			*pp = a->next;
			break;
		}
	}
	ferry_sys_vm_unmap(0, (uintptr_t)a->base, a->size);
	ferry_sys_handle_close(a->mo);
	vfs_free(a);
}

void
desc_close(struct desc *d)
{
	for (struct desc **pp = &descs; *pp; pp = &(*pp)->next) {
		if (*pp == d) {
			*pp = d->next;
			break;
		}
	}
	for (unsigned i = 0; i < DESC_XFER_MAX; i++)
		if (d->xfer[i].area)
			area_put(d->xfer[i].area);
	lock_desc_closed(d);
	node_unref(d->node);
	vfs_free(d);
}

struct desc *
desc_by_koid(uint64_t koid)
{
	for (struct desc *d = descs; d; d = d->next)
		if (d->koid == koid)
			return d;
	return NULL;
}

int
desc_xfer(struct desc *d, uint32_t id, uint64_t off, uint64_t len, void **out)
{
	for (unsigned i = 0; id && i < DESC_XFER_MAX; i++) {
		struct xfer_area *a = d->xfer[i].area;
		if (d->xfer[i].id != id || !a)
			continue;
		if (off > a->size || len > a->size - off)
			return -FERRY_EINVAL;
		*out = a->base + off;
		return 0;
	}
	return -FERRY_EINVAL;
}

int
desc_xfer_attach(struct desc *d, handle_t mo, uint64_t size, uint32_t *id)
{
	struct ferry_handle_info info;
	struct xfer_area *a;
	unsigned slot = DESC_XFER_MAX;
	int rc;

	if (size == 0 || size > FILE_XFER_MAX || (size & 4095)) {
		rc = -FERRY_EINVAL;
		goto out_close;
	}
	if ((rc = (int)ferry_sys_handle_info(mo, &info)))
		goto out_close;
	if (info.type != FERRY_OBJ_MEMOBJ) {
		rc = -FERRY_EWRONGTYPE;
		goto out_close;
	}
	for (unsigned i = 0; i < DESC_XFER_MAX; i++) {
		if (d->xfer[i].area && d->xfer[i].area->koid == info.koid) {
			/* Already attached here: same id (a client that forgot it). */
			if (d->xfer[i].area->size != size) {
				rc = -FERRY_EINVAL;
				goto out_close;
			}
			*id = d->xfer[i].id;
			rc = 0;
			goto out_close;
		}
		if (!d->xfer[i].area && slot == DESC_XFER_MAX)
			slot = i;
	}
	/* All taken: the slot of an area no client holds any more (only our
	 * handle and mapping are left) is free again.  vfs keeps no pointer
	 * into an area between calls, so it can go at once. */
	for (unsigned i = 0; slot == DESC_XFER_MAX && i < DESC_XFER_MAX; i++) {
		struct ferry_handle_info ai;
		if (ferry_sys_handle_info(d->xfer[i].area->mo, &ai) == 0 && ai.refs <= 2) {
			area_put(d->xfer[i].area);
			d->xfer[i].area = NULL;
			d->xfer[i].id = 0;
			slot = i;
		}
	}
	if (slot == DESC_XFER_MAX) {
		rc = -FERRY_ENOSPC;
		goto out_close;
	}
	for (a = areas; a; a = a->next)
		if (a->koid == info.koid && a->size == size)
			break;
	if (!a) {
		struct ferry_map_req req = {0, size, FERRY_PROT_READ | FERRY_PROT_WRITE, 0};
		uintptr_t addr;
		if ((rc = (int)ferry_sys_vm_map(0, mo, 0, &req, &addr)))
			goto out_close;
		if (!(a = vfs_zalloc(sizeof(*a)))) {
			ferry_sys_vm_unmap(0, addr, size);
			rc = -FERRY_ENOMEM;
			goto out_close;
		}
		a->koid = info.koid;
		a->mo = mo;
		mo = 0; /* the area's now */
		a->base = (uint8_t *)addr;
		a->size = size;
		a->next = areas;
		areas = a;
	}
	a->refs++;
	/* Ids are hard to guess, so a process sharing the description cannot
	 * easily name another's area; never 0, never with VFS_NAMES_AT. */
	id_seed = id_seed * 1103515245u + 12345u + (uint32_t)urdtsc();
	d->xfer[slot].id = (id_seed | 1) & ~VFS_NAMES_AT;
	d->xfer[slot].area = a;
	*id = d->xfer[slot].id;
	rc = 0;
out_close:
	if (mo)
		ferry_sys_handle_close(mo);
	return rc;
}
