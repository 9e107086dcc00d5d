/* SPDX-License-Identifier: MIT */
/*
 * Memory objects: page-granular containers of memory that can be mapped.
 * Anonymous objects are demand-zero; physical objects name device memory.
 * Pages are kept in a three-level radix tree (64 x 512 x 512 pages) indexed
 * by page number.  Private (copy-on-write) mappings and fork use anonymous
 * "shadow" objects whose pages may be shared, by page reference count,
 * with other shadows (see mm/vmspace.c).
 */
#ifndef KERNEL_MM_MEMOBJ_H
#define KERNEL_MM_MEMOBJ_H

#include <stdint.h>
#include <object/kobject.h>
#include <mm/physmap.h>

#define MEMOBJ_ANON     0
#define MEMOBJ_PHYS     1
#define MEMOBJ_MAX_SIZE (64ull << 30)

struct memobj {
	struct kobject obj;
	uint32_t kind;
	uint64_t size;       /* bytes, page multiple */
	uint64_t end;        /* bytes, page multiple, <= size: pages past it fault as
	                      * FERRY_FAULT_PAST_END (memobj_set_end; size at first) */
	paddr_t phys_base;   /* MEMOBJ_PHYS */
	uint64_t *radix[64]; /* each: a page of 512 pointers to leaf pages of 512 paddrs */
	uint64_t npages_present;
	uint32_t nradix;      /* radix (mid and leaf) pages allocated */
	struct task *charged; /* task whose quota pays for the pages (holds a reference) */
};

int memobj_create_anon(struct task *owner, uint64_t size, struct memobj **out);
int memobj_create_phys(struct task *owner, paddr_t base, uint64_t size, struct memobj **out);
/* The page at byte offset off, allocating a zeroed one if absent (anon). */
int memobj_get_page(struct memobj *mo, uint64_t off, paddr_t *out);
/* Sets mo->end to end rounded up to a page; -FERRY_EINVAL past mo->size. */
int memobj_set_end(struct memobj *mo, uint64_t end);
/* The page at off if present, else 0. */
paddr_t memobj_peek_page(struct memobj *mo, uint64_t off);

/*
 * Puts page pa at off of an anonymous object, consuming one reference to pa
 * that the caller holds.  A page already there is released.  Charged to
 * mo->charged when the slot was empty.  0, -FERRY_EQUOTA or -FERRY_ENOMEM
 * (then the caller keeps its reference).
 */
int memobj_set_page(struct memobj *mo, uint64_t off, paddr_t pa);
/* Releases the pages in [off, off+len) of an anonymous object. */
void memobj_drop_range(struct memobj *mo, uint64_t off, uint64_t len);
/*
 * A new anonymous object of len bytes, owned by and charged to owner, that
 * shares (by page reference) the pages of src in [off, off+len).  The
 * caller makes the pages copy-on-write.  -FERRY_EQUOTA, -FERRY_ENOMEM.
 */
int memobj_clone_range(struct task *owner, struct memobj *src, uint64_t off, uint64_t len,
                       struct memobj **out);
/* Moves every charge of mo (object and pages) to task to; -FERRY_EQUOTA leaves it as it was. */
int memobj_recharge(struct memobj *mo, struct task *to);

#endif
