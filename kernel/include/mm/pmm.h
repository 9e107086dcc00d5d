/* SPDX-License-Identifier: MIT */
/*
 * Physical page allocator: hands out 4 KiB frames and keeps a reference
 * count per frame so copy-on-write sharing can tell when the last mapping
 * of a frame goes away.
 *
 * Ownership and references: pmm_alloc() returns a frame with count 1 owned
 * by the caller; pmm_ref() adds an owner, pmm_unref() drops one and frees
 * the frame when none remain.  A frame's contents are the owners' business.
 *
 * Single CPU, interrupts disabled in the kernel: no locking.
 */
#ifndef MM_PMM_H
#define MM_PMM_H

#include <mm/physmap.h>

/* A run of free RAM as reported by the boot loader. */
struct pmm_region {
	paddr_t base;
	uint64_t len;
};

/*
 * Take ownership of the free RAM in regions[0..n).  Regions are rounded
 * inward to whole pages; overlapping regions are counted once; frame 0 is
 * never handed out, so a zero paddr_t can mean "none".  The per-frame
 * table is placed at the start of the largest region and removed from the
 * pool.  Call once, before any other pmm function (host tests may call it
 * again to start over).  Calls mm_bug() if no region can hold the table.
 */
/*
 * The frame table must lie below limit (the kernel: what its boot page
 * tables map, since pmm_init writes it before the full physmap exists).
 * Call before pmm_init; the default is no limit.
 */
void pmm_set_table_limit(paddr_t limit);
void pmm_init(const struct pmm_region *free_regions, size_t n);

/* One frame with count 1, contents undefined.  0 or -FERRY_ENOMEM.  O(1). */
int pmm_alloc(paddr_t *out) __attribute__((warn_unused_result));

/* As pmm_alloc(), with the frame filled with zeroes. */
int pmm_alloc_zeroed(paddr_t *out) __attribute__((warn_unused_result));

/* Add a reference to an allocated frame (mm_bug() if it is free or unmanaged). */
void pmm_ref(paddr_t pa);

/*
 * Drop a reference; the frame returns to the pool when the count reaches 0.
 * Returns the new count.  mm_bug() (and returns 0) if the frame is free or
 * not managed by the pmm.
 */
int pmm_unref(paddr_t pa);

/* Current count: 0 for a free frame or one the pmm does not manage. */
uint32_t pmm_refcount(paddr_t pa);

/* Frames free now, and frames in the pool (free or allocated). */
size_t pmm_free_pages(void);
size_t pmm_total_pages(void);

#endif
