/* SPDX-License-Identifier: MIT */
/*
 * Host tests of kernel/mm/slab.c, over a pmm on fake physical memory.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <ferry/errors.h>
#include <mm/pmm.h>
#include <mm/slab.h>
#include "mm_hooks.h"
#include "test.h"

#define MIB (1024ul * 1024)

/*
 * The kmalloc caches are static and keep slabs across tests, so the pmm
 * is set up once for the whole file and never reset under them; tests
 * measure pmm usage relative to their start.
 */
static void
setup(void)
{
	static int done;
	struct pmm_region r = {MIB, 8 * MIB};

	mm_bug_reset();
	if (done)
		return;
	fake_phys(MIB, 8 * MIB);
	pmm_init(&r, 1);
	done = 1;
}

static int
all_zero(const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return 0;
	return 1;
}

TEST(HOST_SLAB_001, "objects are distinct, aligned, zeroed and writable")
{
	static struct kmem_cache c;
	enum { N = 1000 };
	unsigned char *obj[N];

	setup();
	kmem_cache_init(&c, "test-72", 72);
	for (int i = 0; i < N; i++) {
		obj[i] = kmem_cache_alloc(&c);
		ASSERT_NOT_NULL(obj[i]);
		EXPECT_EQ((uintptr_t)obj[i] % KMEM_ALIGN, 0);
		EXPECT_TRUE(all_zero(obj[i], 72));
		memset(obj[i], i & 0xff, 72);
	}
	/* No object overlaps another: each still holds its own pattern. */
	for (int i = 0; i < N; i++)
		for (int j = 0; j < 72; j++)
			if (obj[i][j] != (i & 0xff)) {
				EXPECT_EQ(obj[i][j], i & 0xff);
				return;
			}
	for (int i = 0; i < N; i++)
		kmem_cache_free(&c, obj[i]);
	EXPECT_EQ(c.in_use, 0);
}

TEST(HOST_SLAB_002, "freed objects come back zeroed")
{
	static struct kmem_cache c;
	unsigned char *a, *b;

	setup();
	kmem_cache_init(&c, "test-100", 100);
	a = kmem_cache_alloc(&c);
	ASSERT_NOT_NULL(a);
	memset(a, 0xee, 100);
	kmem_cache_free(&c, a);
	b = kmem_cache_alloc(&c);
	EXPECT_PTR_EQ(b, a);
	EXPECT_TRUE(all_zero(b, 100));
	kmem_cache_free(&c, b);
}

TEST(HOST_SLAB_003, "stats count objects and slabs; empty slabs go back to the pmm")
{
	static struct kmem_cache c;
	struct kmem_stats st;
	void *obj[600];
	size_t free0, per_slab;

	setup();
	free0 = pmm_free_pages();
	kmem_cache_init(&c, "test-256", 256);
	kmem_cache_stats(&c, &st);
	EXPECT_STR_EQ(st.name, "test-256");
	EXPECT_EQ(st.objsize, 256);
	EXPECT_EQ(st.in_use, 0);
	EXPECT_EQ(st.slabs, 0);
	per_slab = c.capacity;
	EXPECT_EQ(per_slab, 15); /* (4096 - header) / 256 */
	for (int i = 0; i < 600; i++)
		ASSERT_NOT_NULL(obj[i] = kmem_cache_alloc(&c));
	kmem_cache_stats(&c, &st);
	EXPECT_EQ(st.in_use, 600);
	EXPECT_EQ(st.slabs, (600 + per_slab - 1) / per_slab);
	EXPECT_EQ(pmm_free_pages(), free0 - st.slabs);
	for (int i = 0; i < 600; i++)
		kmem_cache_free(&c, obj[i]);
	kmem_cache_stats(&c, &st);
	EXPECT_EQ(st.in_use, 0);
	EXPECT_EQ(st.slabs, 1); /* one empty slab is kept */
	EXPECT_EQ(pmm_free_pages(), free0 - 1);
}

TEST(HOST_SLAB_004, "interleaved alloc and free keep the cache consistent")
{
	static struct kmem_cache c;
	enum { N = 3000 };
	static void *slot[N];
	uint64_t s = 1;
	size_t live = 0;

	setup();
	kmem_cache_init(&c, "test-48", 48);
	memset(slot, 0, sizeof(slot));
	for (int iter = 0; iter < 100000; iter++) {
		size_t i;

		s = s * 6364136223846793005ull + 1442695040888963407ull;
		i = (s >> 33) % N;
		if (slot[i]) {
			EXPECT_EQ(*(uint32_t *)slot[i], (uint32_t)i);
			kmem_cache_free(&c, slot[i]);
			slot[i] = NULL;
			live--;
		} else {
			slot[i] = kmem_cache_alloc(&c);
			ASSERT_NOT_NULL(slot[i]);
			EXPECT_TRUE(all_zero(slot[i], 48));
			*(uint32_t *)slot[i] = (uint32_t)i;
			live++;
		}
		ASSERT_EQ(c.in_use, live);
		if (test_failed())
			return;
	}
	for (size_t i = 0; i < N; i++)
		kmem_cache_free(&c, slot[i]); /* NULL entries are ignored */
	EXPECT_EQ(c.in_use, 0);
	EXPECT_EQ(c.slabs, 1);
}

TEST(HOST_SLAB_005, "kmalloc picks power-of-two classes 16..2048")
{
	static const size_t sizes[] = {1,   15,  16,   17,   32,   33,   100, 128,
	                               129, 500, 1000, 1024, 1025, 2047, 2048};
	static const size_t want[] = {16,  16,  16,   32,   32,   64,   128, 128,
	                              256, 512, 1024, 1024, 2048, 2048, 2048};

	setup();
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct kmem_cache *c = kmalloc_cache(sizes[i]);
		struct kmem_stats st;
		unsigned char *p;

		ASSERT_NOT_NULL(c);
		kmem_cache_stats(c, &st);
		EXPECT_EQ(st.objsize, want[i]);
		p = kmalloc(sizes[i]);
		ASSERT_NOT_NULL(p);
		EXPECT_TRUE(all_zero(p, sizes[i]));
		memset(p, 0x77, sizes[i]);
		kmem_cache_stats(c, &st);
		EXPECT_EQ(st.in_use, 1);
		kfree(p);
		kmem_cache_stats(c, &st);
		EXPECT_EQ(st.in_use, 0);
	}
	EXPECT_NULL(kmalloc(0));
	EXPECT_NULL(kmalloc(2049));
	EXPECT_NULL(kmalloc(SIZE_MAX));
	EXPECT_NULL(kmalloc_cache(0));
}

TEST(HOST_SLAB_006, "kfree(NULL) is a no-op")
{
	setup();
	kfree(NULL);
	EXPECT_EQ(mm_bug_calls, 0);
}

TEST(HOST_SLAB_007, "double free is detected and ignored")
{
	static struct kmem_cache c;
	void *a, *b, *x, *y;

	setup();
	kmem_cache_init(&c, "test-64", 64);
	a = kmem_cache_alloc(&c);
	b = kmem_cache_alloc(&c); /* keeps the slab non-empty */
	ASSERT_NOT_NULL(a);
	ASSERT_NOT_NULL(b);
	kmem_cache_free(&c, a);
	mm_bug_allowed = 1;
	kmem_cache_free(&c, a);
	EXPECT_EQ(mm_bug_calls, 1);
	EXPECT_STR_EQ(mm_bug_last, "kmem_cache_free: double free");
	mm_bug_allowed = 0;
	EXPECT_EQ(c.in_use, 1);
	/* The free list was not corrupted: two allocations, two objects. */
	x = kmem_cache_alloc(&c);
	y = kmem_cache_alloc(&c);
	EXPECT_PTR_NE(x, y);
	EXPECT_PTR_NE(x, b);
	EXPECT_PTR_NE(y, b);
	kmem_cache_free(&c, x);
	kmem_cache_free(&c, y);
	kmem_cache_free(&c, b);

	/* kfree double free, through the kmalloc caches. */
	a = kmalloc(40);
	b = kmalloc(40);
	ASSERT_NOT_NULL(a);
	kfree(a);
	mm_bug_allowed = 1;
	kfree(a);
	EXPECT_EQ(mm_bug_calls, 2);
	mm_bug_allowed = 0;
	kfree(b);
}

TEST(HOST_SLAB_008, "foreign, interior and wrong-cache pointers are detected")
{
	static struct kmem_cache c1, c2;
	static uint64_t not_slab[1024] __attribute__((aligned(4096)));
	char *a, *b;

	setup();
	kmem_cache_init(&c1, "one", 64);
	kmem_cache_init(&c2, "two", 64);
	a = kmem_cache_alloc(&c1);
	b = kmem_cache_alloc(&c2);
	ASSERT_NOT_NULL(a);
	ASSERT_NOT_NULL(b);
	mm_bug_allowed = 1;
	kmem_cache_free(&c1, a + 8); /* interior pointer */
	EXPECT_EQ(mm_bug_calls, 1);
	kmem_cache_free(&c1, b); /* belongs to c2 */
	EXPECT_EQ(mm_bug_calls, 2);
	kfree(&not_slab[16]); /* page without a slab header */
	EXPECT_EQ(mm_bug_calls, 3);
	kfree((char *)a - 16); /* inside the slab header */
	EXPECT_EQ(mm_bug_calls, 4);
	mm_bug_allowed = 0;
	EXPECT_EQ(c1.in_use, 1);
	EXPECT_EQ(c2.in_use, 1);
	kmem_cache_free(&c1, a);
	kmem_cache_free(&c2, b);
}

TEST(HOST_SLAB_009, "out of pages: alloc returns NULL and recovers after frees")
{
	static struct kmem_cache c;
	static void *obj[4096];
	size_t n = 0, avail;
	void *p;

	setup();
	avail = pmm_free_pages();
	kmem_cache_init(&c, "big", 2048);
	EXPECT_EQ(c.capacity, 1);
	while ((p = kmem_cache_alloc(&c)) != NULL)
		obj[n++] = p;
	EXPECT_EQ(n, avail);
	EXPECT_EQ(pmm_free_pages(), 0);
	kmem_cache_free(&c, obj[--n]);
	p = kmem_cache_alloc(&c);
	EXPECT_NOT_NULL(p);
	kmem_cache_free(&c, p);
	while (n)
		kmem_cache_free(&c, obj[--n]);
	EXPECT_EQ(pmm_free_pages(), avail - 1); /* one empty slab kept */
}

TEST(HOST_SLAB_010, "bad cache sizes and uninitialised caches are reported")
{
	static struct kmem_cache c, zero;

	setup();
	mm_bug_allowed = 1;
	kmem_cache_init(&c, "too-big", KMEM_MAX_OBJSIZE + 1);
	EXPECT_EQ(mm_bug_calls, 1);
	EXPECT_NULL(kmem_cache_alloc(&c));
	EXPECT_EQ(mm_bug_calls, 2);
	kmem_cache_init(&c, "zero", 0);
	EXPECT_EQ(mm_bug_calls, 3);
	EXPECT_NULL(kmem_cache_alloc(&zero));
	EXPECT_EQ(mm_bug_calls, 4);
}

TEST(HOST_SLAB_011, "capacity uses the whole page for every size")
{
	static struct kmem_cache c;

	setup();
	for (size_t size = 1; size <= KMEM_MAX_OBJSIZE; size += 37) {
		size_t stride;

		kmem_cache_init(&c, "cap", size);
		stride = (size + KMEM_ALIGN - 1) & ~(size_t)(KMEM_ALIGN - 1);
		EXPECT_EQ(c.stride, stride);
		EXPECT_TRUE(c.first + (size_t)c.capacity * stride <= PAGE_SIZE);
		EXPECT_TRUE(c.first + (size_t)(c.capacity + 1) * stride > PAGE_SIZE);
		EXPECT_GE(c.capacity, 1);
	}
}

TEST(HOST_SLAB_012, "a use-after-free that clobbers the free link is caught")
{
	static struct kmem_cache c;
	void *a, *b, *p;

	setup();
	kmem_cache_init(&c, "uaf", 64);
	a = kmem_cache_alloc(&c);
	b = kmem_cache_alloc(&c);
	ASSERT_NOT_NULL(a);
	kmem_cache_free(&c, a);
	*(uintptr_t *)a = 0xdeadbeef; /* write after free */
	p = kmem_cache_alloc(&c);     /* gets a back, reads the bad link */
	EXPECT_PTR_EQ(p, a);
	mm_bug_allowed = 1;
	EXPECT_NULL(kmem_cache_alloc(&c));
	EXPECT_EQ(mm_bug_calls, 1);
	mm_bug_allowed = 0;
	(void)b;
}
