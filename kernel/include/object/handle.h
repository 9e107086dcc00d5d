/* SPDX-License-Identifier: MIT */
/*
 * Per-task handle tables.  A handle value encodes (generation, index):
 * bits 0-14 hold index+1, bits 15-30 the slot's generation, bit 31 is 0.
 * Closing a slot bumps its generation, so stale values are detected.
 * Tables grow in page-sized chunks up to HANDLE_MAX entries; every chunk is
 * charged to the owning task's quota.
 */
#ifndef KERNEL_OBJECT_HANDLE_H
#define KERNEL_OBJECT_HANDLE_H

#include <stdint.h>
#include <ferry/types.h>
#include <object/kobject.h>

#define HANDLE_INDEX_BITS 15
#define HANDLE_GEN_BITS   16
#define HANDLE_MAX        ((1u << HANDLE_INDEX_BITS) - 1)
#define HANDLE_CHUNK      256
#define HANDLE_CHUNKS     ((HANDLE_MAX + HANDLE_CHUNK - 1) / HANDLE_CHUNK)
_Static_assert(HANDLE_INDEX_BITS + HANDLE_GEN_BITS == 31, "handle values stay positive");

struct handle_entry {
	struct kobject *obj; /* NULL: free */
	uint32_t rights;
	uint16_t gen;
	uint16_t next_free; /* free-list link (index+1), 0 = end */
};
_Static_assert(sizeof(struct handle_entry) * HANDLE_CHUNK == 4096, "chunk is one page");

struct handle_table {
	struct handle_entry *chunks[HANDLE_CHUNKS];
	uint32_t nchunks;
	uint32_t count;     /* live handles */
	uint32_t free_head; /* index+1 of the first free slot, 0 = none */
	uint32_t limit;     /* maximum live handles */
};

struct task;

void handle_table_init(struct handle_table *ht, uint32_t limit);
/* Closes every handle (posting no-senders as needed) and frees the chunks. */
void handle_table_destroy(struct task *t);

/* Installs obj (consuming one reference) with rights; 0 or -FERRY_EMFILE/-FERRY_EQUOTA. */
int handle_install(struct task *t, struct kobject *obj, uint32_t rights, handle_t *out);
/* Installs a handle that arrived in a message (already counted as a live handle). */
int handle_install_moved(struct task *t, struct kobject *obj, uint32_t rights, handle_t *out);
/* Finds h; checks type (FERRY_OBJ_NONE = any) and that all of `need` rights are held.
 * Does not take a reference. -FERRY_EBADH, -FERRY_EWRONGTYPE, -FERRY_EACCES. */
int handle_lookup(struct task *t, handle_t h, uint32_t type, uint32_t need, struct kobject **obj,
                  uint32_t *rights);
/* Removes h from the table, handing its reference to the caller (*obj). */
int handle_take(struct task *t, handle_t h, struct kobject **obj, uint32_t *rights);
int handle_close(struct task *t, handle_t h);

/*
 * The object behind h if it has the type and all of `need` rights, else
 * NULL; no reference taken.  The inline form of handle_lookup for the IPC
 * fast path (which falls back to the full lookup for the error code).
 */
static inline struct kobject *
handle_get(struct handle_table *ht, handle_t h, uint32_t type, uint32_t need)
{
	uint32_t idx = (h & HANDLE_MAX) - 1;
	if ((h >> 31) || (h & HANDLE_MAX) == 0 || idx / HANDLE_CHUNK >= ht->nchunks)
		return NULL;
	struct handle_entry *e = &ht->chunks[idx / HANDLE_CHUNK][idx % HANDLE_CHUNK];
	if (!e->obj || e->gen != (uint16_t)(h >> HANDLE_INDEX_BITS) || e->obj->type != type ||
	    (e->rights & need) != need)
		return NULL;
	return e->obj;
}

/* Rights-aware reference bookkeeping hooks (send-count for ports). */
void handle_obj_acquired(struct kobject *obj, uint32_t rights);
void handle_obj_released(struct kobject *obj, uint32_t rights);

#endif
