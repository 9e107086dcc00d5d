/* SPDX-License-Identifier: MIT */
/*
 * Physical page allocator (see include/mm/pmm.h).
 *
 * Freed frames form a singly linked LIFO list threaded through the frames
 * themselves: the first eight bytes of a free frame, reached through the
 * direct map, hold the physical address of the next one.  Frames that
 * were never handed out are not on the list: they are marked FRAME_FRESH
 * in the frame table and handed out in ascending order by a cursor, so
 * boot does not touch every page of RAM (under emulation that alone took
 * 1.6 s for 512 MiB).  Allocation and freeing are O(1) amortised and need
 * no memory beyond the frames.  Frame 0 is never in the pool, so 0
 * terminates the list.
 *
 * The frame table holds one uint32_t per frame between the lowest and the
 * highest managed frame: the reference count of an allocated frame, 0 for
 * a free one, FRAME_UNMANAGED for holes, the table's own frames and
 * anything the boot loader did not report as free.  The table costs 0.1%
 * of the spanned memory; a bitmap would save that but would make
 * copy-on-write counts live elsewhere.
 *
 * The kernel runs on one CPU with interrupts disabled, so none of this
 * state needs a lock.
 */
#include <stdbool.h>
#include <ferry/errors.h>
#include <lib/string.h>
#include <mm/pmm.h>

__attribute__((weak)) uintptr_t physmap_base = PHYSMAP_BASE_DEFAULT;

#define FRAME_UNMANAGED UINT32_MAX
#define FRAME_FRESH     (UINT32_MAX - 1) /* free and never handed out: not on the list */
#define FREE_END        ((paddr_t)0)

static uint32_t *frame_table; /* count per frame, from first_pfn */
static uint64_t first_pfn;
static uint64_t nframes;
static paddr_t free_head = FREE_END;
static size_t nfree;
static size_t ntotal;
static uint64_t fresh_cursor; /* no FRAME_FRESH slot below this index */
static paddr_t table_limit = UINT64_MAX;

void
pmm_set_table_limit(paddr_t limit)
{
	table_limit = limit;
}

/* Round [base, base + len) inward to pages; false if no whole page remains. */
static bool
round_region(const struct pmm_region *r, paddr_t *lo, paddr_t *hi)
{
	paddr_t end = r->len > UINT64_MAX - r->base ? UINT64_MAX : r->base + r->len;
	paddr_t b = r->base > UINT64_MAX - PAGE_MASK ? UINT64_MAX & ~PAGE_MASK
	                                             : (r->base + PAGE_MASK) & ~PAGE_MASK;
	paddr_t e = end & ~PAGE_MASK;

	if (b < PAGE_SIZE)
		b = PAGE_SIZE; /* keep frame 0 out: it is the list terminator */
	if (b >= e)
		return false;
	*lo = b;
	*hi = e;
	return true;
}

/* The table slot of pa, or NULL if pa is not a frame address we span. */
static uint32_t *
frame_slot(paddr_t pa)
{
	uint64_t pfn = pa >> PAGE_SHIFT;

	if ((pa & PAGE_MASK) || pfn < first_pfn || pfn - first_pfn >= nframes)
		return NULL;
	return &frame_table[pfn - first_pfn];
}

static void
push_free(paddr_t pa)
{
	*(paddr_t *)phys_to_virt(pa) = free_head;
	free_head = pa;
	nfree++;
}

void
pmm_init(const struct pmm_region *regions, size_t n)
{
	paddr_t lo, hi, best_lo = 0, best_hi = 0, table_lo, table_hi;
	uint64_t min_pfn = UINT64_MAX, max_pfn = 0, table_bytes;

	frame_table = NULL;
	first_pfn = nframes = 0;
	fresh_cursor = 0;
	free_head = FREE_END;
	nfree = ntotal = 0;

	for (size_t i = 0; i < n; i++) {
		if (!round_region(&regions[i], &lo, &hi))
			continue;
		if (lo >> PAGE_SHIFT < min_pfn)
			min_pfn = lo >> PAGE_SHIFT;
		if (hi >> PAGE_SHIFT > max_pfn)
			max_pfn = hi >> PAGE_SHIFT;
	}
	if (max_pfn == 0)
		return; /* no usable memory: every allocation will fail */

	table_bytes = ((max_pfn - min_pfn) * sizeof(uint32_t) + PAGE_MASK) & ~PAGE_MASK;
	/* The largest region whose start can hold the table below the limit. */
	for (size_t i = 0; i < n; i++) {
		if (!round_region(&regions[i], &lo, &hi) || lo + table_bytes > table_limit)
			continue;
		if (hi - lo > best_hi - best_lo) {
			best_lo = lo;
			best_hi = hi;
		}
	}
	if (table_bytes >= best_hi - best_lo) {
		mm_bug("pmm: no region can hold the frame table", NULL);
		return;
	}
	table_lo = best_lo;
	table_hi = best_lo + table_bytes;
	frame_table = phys_to_virt(table_lo);
	first_pfn = min_pfn;
	nframes = max_pfn - min_pfn;
	for (uint64_t i = 0; i < nframes; i++)
		frame_table[i] = FRAME_UNMANAGED;

	/*
	 * Mark each frame of each region fresh (the cursor hands out low
	 * addresses first).  A frame already marked came from an
	 * overlapping region and is skipped, so it is never listed twice.
	 */
	for (size_t i = 0; i < n; i++) {
		if (!round_region(&regions[i], &lo, &hi))
			continue;
		for (paddr_t pa = hi; pa > lo;) {
			uint32_t *slot;

			pa -= PAGE_SIZE;
			if (pa >= table_lo && pa < table_hi)
				continue;
			slot = frame_slot(pa);
			if (*slot != FRAME_UNMANAGED)
				continue;
			*slot = FRAME_FRESH;
			nfree++;
		}
	}
	ntotal = nfree;
}

int
pmm_alloc(paddr_t *out)
{
	paddr_t pa = free_head;

	if (pa != FREE_END) {
		free_head = *(paddr_t *)phys_to_virt(pa);
	} else {
		while (fresh_cursor < nframes && frame_table[fresh_cursor] != FRAME_FRESH)
			fresh_cursor++;
		if (fresh_cursor == nframes)
			return -FERRY_ENOMEM;
		pa = (first_pfn + fresh_cursor++) << PAGE_SHIFT;
	}
	nfree--;
	*frame_slot(pa) = 1;
	*out = pa;
	return 0;
}

int
pmm_alloc_zeroed(paddr_t *out)
{
	int err = pmm_alloc(out);

	if (err)
		return err;
	memset(phys_to_virt(*out), 0, PAGE_SIZE);
	return 0;
}

void
pmm_ref(paddr_t pa)
{
	uint32_t *slot = frame_slot(pa);

	if (slot == NULL || *slot == FRAME_UNMANAGED) {
		mm_bug("pmm_ref: not a managed frame", (const void *)(uintptr_t)pa);
		return;
	}
	if (*slot == 0 || *slot == FRAME_FRESH) {
		mm_bug("pmm_ref: frame is free", (const void *)(uintptr_t)pa);
		return;
	}
	if (*slot >= INT32_MAX) { /* pmm_unref() reports counts as int */
		mm_bug("pmm_ref: reference count overflow", (const void *)(uintptr_t)pa);
		return;
	}
	(*slot)++;
}

int
pmm_unref(paddr_t pa)
{
	uint32_t *slot = frame_slot(pa);

	if (slot == NULL || *slot == FRAME_UNMANAGED) {
		mm_bug("pmm_unref: not a managed frame", (const void *)(uintptr_t)pa);
		return 0;
	}
	if (*slot == 0 || *slot == FRAME_FRESH) {
		mm_bug("pmm_unref: frame is already free", (const void *)(uintptr_t)pa);
		return 0;
	}
	if (--*slot == 0)
		push_free(pa);
	return (int)*slot;
}

uint32_t
pmm_refcount(paddr_t pa)
{
	uint32_t *slot = frame_slot(pa);

	return slot == NULL || *slot == FRAME_UNMANAGED || *slot == FRAME_FRESH ? 0 : *slot;
}

size_t
pmm_free_pages(void)
{
	return nfree;
}

size_t
pmm_total_pages(void)
{
	return ntotal;
}
