/* SPDX-License-Identifier: MIT */
/*
 * Memory objects: page-granular containers of memory that can be mapped.
 * Anonymous objects are demand-zero; physical objects name device memory.
 * Pages are kept in a three-level radix tree (64 x 512 x 512 pages) indexed by page number.
 */
#ifndef KERNEL_MM_MEMOBJ_H
#define KERNEL_MM_MEMOBJ_H

#include <stdint.h>
#include <object/kobject.h>
#include <mm/physmap.h>

#define MEMOBJ_ANON 0
#define MEMOBJ_PHYS 1
#define MEMOBJ_MAX_SIZE (64ull << 30)

struct memobj {
	struct kobject obj;
	uint32_t kind;
	uint64_t size;     /* bytes, page multiple */
	paddr_t phys_base; /* MEMOBJ_PHYS */
	uint64_t *radix[64]; /* each: a page of 512 pointers to leaf pages of 512 paddrs */
	uint64_t npages_present;
	struct task *charged; /* task whose quota pays for the pages */
};

int memobj_create_anon(struct task *owner, uint64_t size, struct memobj **out);
int memobj_create_phys(struct task *owner, paddr_t base, uint64_t size, struct memobj **out);
/* The page at byte offset off, allocating a zeroed one if absent (anon). */
int memobj_get_page(struct memobj *mo, uint64_t off, paddr_t *out);
/* The page at off if present, else 0. */
paddr_t memobj_peek_page(struct memobj *mo, uint64_t off);

#endif
