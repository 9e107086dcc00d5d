// SPDX-License-Identifier: MIT
/*
 * Handle tables: install, look up (with type and rights checks), take and
 * close capabilities.  Entry points: handle_install, handle_lookup,
 * handle_take, handle_close, handle_table_destroy.
 *
 * Ownership and references: a live entry owns one reference to its object.
 * Ports additionally count the handles that carry FERRY_RIGHT_SEND
 * (handle_obj_acquired/released), which is how no-senders is detected.
 */
#include <lib/string.h>
#include <ferry/errors.h>
#include <core/task.h>
#include <mm/pmm.h>
#include <mm/physmap.h>
#include <object/handle.h>
#include <object/port.h>
#include <lib/klog.h>

void
handle_table_init(struct handle_table *ht, uint32_t limit)
{
	memset(ht, 0, sizeof(*ht));
	ht->limit = limit > HANDLE_MAX ? HANDLE_MAX : limit;
}

static struct handle_entry *
entry_at(struct handle_table *ht, uint32_t idx)
{
	return &ht->chunks[idx / HANDLE_CHUNK][idx % HANDLE_CHUNK];
}

static int
table_grow(struct task *t)
{
	struct handle_table *ht = &t->handles;
	if (ht->nchunks == HANDLE_CHUNKS)
		return -FERRY_EMFILE;
	int rc = quota_charge(&t->quota, PAGE_SIZE);
	if (rc)
		return rc;
	paddr_t pa;
	rc = pmm_alloc_zeroed(&pa);
	if (rc) {
		quota_release(&t->quota, PAGE_SIZE);
		return rc;
	}
	struct handle_entry *chunk = phys_to_virt(pa);
	uint32_t base = ht->nchunks * HANDLE_CHUNK;
	ht->chunks[ht->nchunks++] = chunk;
	/* Thread the new slots onto the free list, lowest index first. */
	for (int i = HANDLE_CHUNK - 1; i >= 0; i--) {
		uint32_t idx = base + (uint32_t)i;
		if (idx >= HANDLE_MAX)
			continue;
		chunk[i].next_free = (uint16_t)ht->free_head;
		ht->free_head = idx + 1;
	}
	return 0;
}

static handle_t
encode(uint32_t idx, uint16_t gen)
{
	return ((uint32_t)gen << HANDLE_INDEX_BITS) | (idx + 1);
}

static int install(struct task *t, struct kobject *obj, uint32_t rights, handle_t *out);

int
handle_install(struct task *t, struct kobject *obj, uint32_t rights, handle_t *out)
{
	int rc = install(t, obj, rights, out);
	if (rc == 0)
		handle_obj_acquired(obj, rights);
	return rc;
}

int
handle_install_moved(struct task *t, struct kobject *obj, uint32_t rights, handle_t *out)
{
	return install(t, obj, rights, out);
}

static int
install(struct task *t, struct kobject *obj, uint32_t rights, handle_t *out)
{
	struct handle_table *ht = &t->handles;
	if (ht->count >= ht->limit)
		return -FERRY_EMFILE;
	if (!ht->free_head) {
		int rc = table_grow(t);
		if (rc)
			return rc;
	}
	uint32_t idx = ht->free_head - 1;
	struct handle_entry *e = entry_at(ht, idx);
	ht->free_head = e->next_free;
	e->obj = obj;
	e->rights = rights;
	e->next_free = 0;
	ht->count++;
	*out = encode(idx, e->gen);
	return 0;
}

static struct handle_entry *
find(struct handle_table *ht, handle_t h)
{
	uint32_t idx = (h & HANDLE_MAX) - 1;
	uint16_t gen = (uint16_t)(h >> HANDLE_INDEX_BITS);
	if (h == 0 || (h >> 31) || (h & HANDLE_MAX) == 0 || idx / HANDLE_CHUNK >= ht->nchunks)
		return NULL;
	struct handle_entry *e = entry_at(ht, idx);
	if (!e->obj || e->gen != gen)
		return NULL;
	return e;
}

int
handle_lookup(struct task *t, handle_t h, uint32_t type, uint32_t need, struct kobject **obj,
              uint32_t *rights)
{
	struct handle_entry *e = find(&t->handles, h);
	if (!e) {
		user_error("bad handle %#x", h);
		return -FERRY_EBADH;
	}
	if (type != FERRY_OBJ_NONE && e->obj->type != type)
		return -FERRY_EWRONGTYPE;
	if ((e->rights & need) != need)
		return -FERRY_EACCES;
	*obj = e->obj;
	if (rights)
		*rights = e->rights;
	return 0;
}

int
handle_take(struct task *t, handle_t h, struct kobject **obj, uint32_t *rights)
{
	struct handle_table *ht = &t->handles;
	struct handle_entry *e = find(ht, h);
	if (!e)
		return -FERRY_EBADH;
	uint32_t idx = (h & HANDLE_MAX) - 1;
	*obj = e->obj;
	*rights = e->rights;
	e->obj = NULL;
	e->rights = 0;
	e->gen = (uint16_t)(e->gen + 1);
	e->next_free = (uint16_t)ht->free_head;
	ht->free_head = idx + 1;
	ht->count--;
	return 0;
}

/* Drops a reference that came out of a handle (through take), with send-count upkeep. */
static void
release(struct kobject *obj, uint32_t rights)
{
	handle_obj_released(obj, rights);
	kobj_unref(obj);
}

int
handle_close(struct task *t, handle_t h)
{
	struct kobject *obj;
	uint32_t rights;
	int rc = handle_take(t, h, &obj, &rights);
	if (rc)
		return rc;
	release(obj, rights);
	return 0;
}

void
handle_table_destroy(struct task *t)
{
	struct handle_table *ht = &t->handles;
	for (uint32_t c = 0; c < ht->nchunks; c++) {
		for (uint32_t i = 0; i < HANDLE_CHUNK; i++) {
			struct handle_entry *e = &ht->chunks[c][i];
			if (!e->obj)
				continue;
			struct kobject *obj = e->obj;
			uint32_t rights = e->rights;
			e->obj = NULL;
			ht->count--;
			release(obj, rights);
		}
		pmm_unref(virt_to_phys(ht->chunks[c]));
		quota_release(&t->quota, PAGE_SIZE);
		ht->chunks[c] = NULL;
	}
	ht->nchunks = 0;
	ht->free_head = 0;
}

void
handle_obj_acquired(struct kobject *obj, uint32_t rights)
{
	if (obj->type == FERRY_OBJ_PORT)
		port_handle_ref((struct port *)obj, rights);
	else if (obj->type == FERRY_OBJ_QUEUE && (rights & FERRY_RIGHT_RECV))
		queue_recv_ref((struct queue *)obj);
}

void
handle_obj_released(struct kobject *obj, uint32_t rights)
{
	if (obj->type == FERRY_OBJ_PORT)
		port_handle_unref((struct port *)obj, rights);
	else if (obj->type == FERRY_OBJ_QUEUE && (rights & FERRY_RIGHT_RECV))
		queue_recv_unref((struct queue *)obj);
}
