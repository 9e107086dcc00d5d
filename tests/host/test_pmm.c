/* SPDX-License-Identifier: MIT */
/*
 * Host tests of kernel/mm/pmm.c over fake physical memory: a malloc'd
 * buffer that phys_to_virt() points into (see mm_hooks.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <ferry/errors.h>
#include <mm/pmm.h>
#include "mm_hooks.h"
#include "test.h"

#define MIB (1024ul * 1024)

/* Fake RAM covering physical [1 MiB, 1 MiB + bytes). */
static void
setup(size_t bytes)
{
	mm_bug_reset();
	fake_phys(MIB, bytes);
}

static int
cmp_paddr(const void *a, const void *b)
{
	paddr_t x = *(const paddr_t *)a, y = *(const paddr_t *)b;

	return (x > y) - (x < y);
}

TEST(HOST_PMM_001, "one region: table taken from it, the rest allocatable")
{
	struct pmm_region r = {MIB, 4 * MIB};

	setup(4 * MIB);
	pmm_init(&r, 1);
	/* 1024 frames need a 4 KiB table: one page goes to metadata. */
	EXPECT_EQ(pmm_total_pages(), 1023);
	EXPECT_EQ(pmm_free_pages(), 1023);
}

TEST(HOST_PMM_002, "allocating every page yields distinct aligned in-range frames, then ENOMEM")
{
	struct pmm_region r = {MIB, 2 * MIB};
	size_t n, i;
	paddr_t *got, pa;

	setup(2 * MIB);
	pmm_init(&r, 1);
	n = pmm_total_pages();
	got = calloc(n, sizeof(*got));
	ASSERT_NOT_NULL(got);
	for (i = 0; i < n; i++) {
		ASSERT_EQ(pmm_alloc(&got[i]), 0);
		EXPECT_EQ(got[i] & PAGE_MASK, 0);
		EXPECT_TRUE(got[i] >= MIB && got[i] < 3 * MIB);
		EXPECT_EQ(pmm_refcount(got[i]), 1);
		/* Writing the whole frame must stay inside fake RAM (ASan). */
		memset(phys_to_virt(got[i]), 0xcc, PAGE_SIZE);
	}
	EXPECT_EQ(pmm_free_pages(), 0);
	EXPECT_STATUS(pmm_alloc(&pa), -FERRY_ENOMEM);
	EXPECT_STATUS(pmm_alloc_zeroed(&pa), -FERRY_ENOMEM);
	qsort(got, n, sizeof(*got), cmp_paddr);
	for (i = 1; i < n; i++)
		EXPECT_NE(got[i], got[i - 1]);
	free(got);
}

TEST(HOST_PMM_003, "freed frames are reused, counts track")
{
	struct pmm_region r = {MIB, MIB};
	paddr_t a, b, c;

	setup(MIB);
	pmm_init(&r, 1);
	size_t free0 = pmm_free_pages();

	ASSERT_EQ(pmm_alloc(&a), 0);
	ASSERT_EQ(pmm_alloc(&b), 0);
	EXPECT_NE(a, b);
	EXPECT_EQ(pmm_free_pages(), free0 - 2);
	EXPECT_EQ(pmm_unref(a), 0);
	EXPECT_EQ(pmm_refcount(a), 0);
	EXPECT_EQ(pmm_free_pages(), free0 - 1);
	ASSERT_EQ(pmm_alloc(&c), 0);
	EXPECT_EQ(c, a); /* LIFO: the hot frame comes back first */
	EXPECT_EQ(pmm_unref(b), 0);
	EXPECT_EQ(pmm_unref(c), 0);
	EXPECT_EQ(pmm_free_pages(), free0);
	EXPECT_EQ(pmm_total_pages(), free0);
}

TEST(HOST_PMM_004, "reference counts for copy-on-write sharing")
{
	struct pmm_region r = {MIB, MIB};
	paddr_t a;

	setup(MIB);
	pmm_init(&r, 1);
	size_t free0 = pmm_free_pages();

	ASSERT_EQ(pmm_alloc(&a), 0);
	pmm_ref(a);
	pmm_ref(a);
	EXPECT_EQ(pmm_refcount(a), 3);
	EXPECT_EQ(pmm_unref(a), 2);
	EXPECT_EQ(pmm_unref(a), 1);
	EXPECT_EQ(pmm_free_pages(), free0 - 1);
	EXPECT_EQ(pmm_unref(a), 0);
	EXPECT_EQ(pmm_free_pages(), free0);
}

TEST(HOST_PMM_005, "zeroed allocation really zeroes a dirty frame")
{
	struct pmm_region r = {MIB, MIB};
	paddr_t a, b;
	unsigned char zero[PAGE_SIZE] = {0};

	setup(MIB);
	pmm_init(&r, 1);
	ASSERT_EQ(pmm_alloc(&a), 0);
	memset(phys_to_virt(a), 0x5a, PAGE_SIZE);
	EXPECT_EQ(pmm_unref(a), 0);
	ASSERT_EQ(pmm_alloc_zeroed(&b), 0);
	EXPECT_EQ(b, a);
	EXPECT_MEM_EQ(phys_to_virt(b), zero, PAGE_SIZE);
}

TEST(HOST_PMM_006, "regions are rounded inward to whole pages")
{
	/* [1 MiB + 1, 1 MiB + 64 KiB - 1): pages 1..14 only. And a sliver. */
	struct pmm_region r[] = {
	        {MIB + 1, 64 * 1024 - 2},
	        {MIB + 128 * 1024 + 100, 3000}, /* less than a page once rounded */
	};
	paddr_t pa;
	int n = 0;

	setup(256 * 1024);
	pmm_init(r, 2);
	/* 14 whole pages, one of them holds the table. */
	EXPECT_EQ(pmm_total_pages(), 13);
	while (pmm_alloc(&pa) == 0) {
		EXPECT_TRUE(pa + PAGE_SIZE <= MIB + 60 * 1024);
		EXPECT_TRUE(pa >= MIB + 2 * PAGE_SIZE); /* first page is the table */
		n++;
	}
	EXPECT_EQ(n, 13);
}

TEST(HOST_PMM_007, "several regions with holes; table goes in the largest")
{
	struct pmm_region r[] = {
	        {MIB, 64 * 1024},                /* 16 pages */
	        {MIB + 512 * 1024, 1024 * 1024}, /* 256 pages: the largest */
	        {MIB + 256 * 1024, 32 * 1024},   /* 8 pages, out of order */
	};
	paddr_t pa;
	size_t n = 0, in_hole = 0, in_first_page_of_largest = 0;

	setup(2 * MIB);
	pmm_init(r, 3);
	/* Span = 1.5 MiB = 384 frames -> 1536 bytes of table -> 1 page. */
	EXPECT_EQ(pmm_total_pages(), 16 + 256 + 8 - 1);
	while (pmm_alloc(&pa) == 0) {
		if ((pa >= MIB + 64 * 1024 && pa < MIB + 256 * 1024) ||
		    (pa >= MIB + 288 * 1024 && pa < MIB + 512 * 1024))
			in_hole++;
		if (pa == MIB + 512 * 1024)
			in_first_page_of_largest++;
		n++;
	}
	EXPECT_EQ(n, 16 + 256 + 8 - 1);
	EXPECT_EQ(in_hole, 0);
	EXPECT_EQ(in_first_page_of_largest, 0);
	/* Holes are not managed: refcount 0, and ref/unref are bugs. */
	EXPECT_EQ(pmm_refcount(MIB + 128 * 1024), 0);
	mm_bug_allowed = 1;
	pmm_ref(MIB + 128 * 1024);
	EXPECT_EQ(mm_bug_calls, 1);
	EXPECT_EQ(pmm_unref(MIB + 128 * 1024), 0);
	EXPECT_EQ(mm_bug_calls, 2);
	EXPECT_EQ(pmm_unref(MIB + 512 * 1024), 0); /* the table's own frame */
	EXPECT_EQ(mm_bug_calls, 3);
	EXPECT_EQ(pmm_unref(64 * MIB), 0); /* beyond all RAM */
	EXPECT_EQ(mm_bug_calls, 4);
}

TEST(HOST_PMM_008, "overlapping regions count each frame once")
{
	struct pmm_region r[] = {
	        {MIB, 128 * 1024},
	        {MIB + 64 * 1024, 128 * 1024},
	        {MIB, 64 * 1024},
	};
	paddr_t pa, *got;
	size_t n = 0;

	setup(256 * 1024);
	pmm_init(r, 3);
	/* Union is 192 KiB = 48 pages, minus one table page. */
	EXPECT_EQ(pmm_total_pages(), 47);
	got = calloc(64, sizeof(*got));
	ASSERT_NOT_NULL(got);
	while (n < 64 && pmm_alloc(&pa) == 0)
		got[n++] = pa;
	EXPECT_EQ(n, 47);
	qsort(got, n, sizeof(*got), cmp_paddr);
	for (size_t i = 1; i < n; i++)
		EXPECT_NE(got[i], got[i - 1]);
	free(got);
}

TEST(HOST_PMM_009, "frame zero is never handed out")
{
	struct pmm_region r = {0, 64 * 1024};
	paddr_t pa;

	mm_bug_reset();
	fake_phys(0, 64 * 1024);
	pmm_init(&r, 1);
	/* 16 frames, frame 0 withheld, one page of table. */
	EXPECT_EQ(pmm_total_pages(), 14);
	while (pmm_alloc(&pa) == 0)
		EXPECT_NE(pa, 0);
}

TEST(HOST_PMM_010, "double free and ref of a free frame are reported and ignored")
{
	struct pmm_region r = {MIB, MIB};
	paddr_t a;

	setup(MIB);
	pmm_init(&r, 1);
	size_t free0 = pmm_free_pages();

	ASSERT_EQ(pmm_alloc(&a), 0);
	EXPECT_EQ(pmm_unref(a), 0);
	mm_bug_allowed = 1;
	EXPECT_EQ(pmm_unref(a), 0);
	EXPECT_EQ(mm_bug_calls, 1);
	pmm_ref(a);
	EXPECT_EQ(mm_bug_calls, 2);
	pmm_ref(a + 8); /* not a frame address */
	EXPECT_EQ(mm_bug_calls, 3);
	EXPECT_EQ(pmm_free_pages(), free0); /* nothing listed twice */
}

TEST(HOST_PMM_011, "no usable memory: every allocation fails cleanly")
{
	struct pmm_region r = {MIB + 10, 100};
	paddr_t pa;

	setup(PAGE_SIZE);
	pmm_init(&r, 1);
	EXPECT_EQ(pmm_total_pages(), 0);
	EXPECT_STATUS(pmm_alloc(&pa), -FERRY_ENOMEM);
	pmm_init(NULL, 0);
	EXPECT_STATUS(pmm_alloc(&pa), -FERRY_ENOMEM);
}

TEST(HOST_PMM_012, "a table that fits nowhere is reported")
{
	/* Two one-page regions 1 GiB apart: the table needs 256 pages. */
	struct pmm_region r[] = {{MIB, PAGE_SIZE}, {MIB + 1024 * MIB, PAGE_SIZE}};
	paddr_t pa;

	setup(PAGE_SIZE);
	mm_bug_allowed = 1;
	pmm_init(r, 2);
	EXPECT_EQ(mm_bug_calls, 1);
	EXPECT_STATUS(pmm_alloc(&pa), -FERRY_ENOMEM);
}
