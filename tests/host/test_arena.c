/* SPDX-License-Identifier: MIT */
/*
 * Host tests of kernel/mm/arena.c: the arena over a plain buffer standing
 * in for a kernel stack block, with a simulated stack pointer.
 */
#include <stdint.h>
#include <string.h>
#include <mm/arena.h>
#include "test.h"

#define BLOCK 16384

static unsigned char block[BLOCK] __attribute__((aligned(4096)));

static uintptr_t
lo(void)
{
	return (uintptr_t)block;
}

static uintptr_t
hi(void)
{
	return (uintptr_t)block + BLOCK;
}

TEST(HOST_ARENA_001, "allocations are 16-byte aligned, ascending and disjoint")
{
	struct arena a;
	unsigned char *p[20];

	arena_init(&a, lo(), hi());
	for (int i = 0; i < 20; i++) {
		p[i] = arena_alloc(&a, (size_t)i * 7 + 1, hi());
		ASSERT_NOT_NULL(p[i]);
		EXPECT_EQ((uintptr_t)p[i] % ARENA_ALIGN, 0);
		memset(p[i], i, (size_t)i * 7 + 1);
		if (i)
			EXPECT_TRUE(p[i] >= p[i - 1] + (size_t)(i - 1) * 7 + 1);
	}
	for (int i = 0; i < 20; i++)
		EXPECT_EQ(p[i][(size_t)i * 7], i);
}

TEST(HOST_ARENA_002, "never within ARENA_STACK_GAP of the stack pointer")
{
	struct arena a;
	uintptr_t sp = lo() + 4096;
	void *p;

	arena_init(&a, lo(), hi());
	/* Exactly fills up to sp - GAP. */
	p = arena_alloc(&a, 4096 - ARENA_STACK_GAP, sp);
	ASSERT_NOT_NULL(p);
	EXPECT_EQ(a.top, sp - ARENA_STACK_GAP);
	EXPECT_NULL(arena_alloc(&a, 1, sp));
	/* With the stack unwound (sp higher) there is room again. */
	EXPECT_NOT_NULL(arena_alloc(&a, 16, sp + 16));
	EXPECT_NULL(arena_alloc(&a, 16, sp + 16));
	/* A stack already below the arena top fails cleanly. */
	EXPECT_NULL(arena_alloc(&a, 16, lo() + 100));
	EXPECT_NULL(arena_alloc(&a, 16, 0));
	/* Rounding counts: 4096 - GAP - 15 bytes round up past the limit. */
	arena_reset(&a);
	EXPECT_NULL(arena_alloc(&a, 4096 - ARENA_STACK_GAP + 1, sp));
}

TEST(HOST_ARENA_003, "never past the limit of the block")
{
	struct arena a;
	uintptr_t far_sp = UINTPTR_MAX; /* stack not a constraint */

	arena_init(&a, lo(), lo() + 1024);
	EXPECT_NOT_NULL(arena_alloc(&a, 1024, far_sp));
	EXPECT_NULL(arena_alloc(&a, 1, far_sp));
	arena_reset(&a);
	EXPECT_NULL(arena_alloc(&a, 1025, far_sp));
	EXPECT_NOT_NULL(arena_alloc(&a, 1000, far_sp));
	EXPECT_NULL(arena_alloc(&a, 32, far_sp));
	EXPECT_NOT_NULL(arena_alloc(&a, 16, far_sp));
}

TEST(HOST_ARENA_004, "huge and zero sizes fail without wrapping")
{
	struct arena a;

	arena_init(&a, lo(), hi());
	EXPECT_NULL(arena_alloc(&a, 0, hi()));
	EXPECT_NULL(arena_alloc(&a, SIZE_MAX, hi()));
	EXPECT_NULL(arena_alloc(&a, SIZE_MAX - 14, hi()));
	EXPECT_NULL(arena_alloc(&a, SIZE_MAX - 15, UINTPTR_MAX));
	EXPECT_NULL(arena_alloc(&a, (size_t)1 << 63, UINTPTR_MAX));
	EXPECT_NULL(arena_alloc(&a, UINTPTR_MAX - lo(), UINTPTR_MAX));
	EXPECT_EQ(arena_used(&a), 0);
	EXPECT_EQ(a.high_water, 0);
}

TEST(HOST_ARENA_005, "reset frees everything; high water remembers the peak")
{
	struct arena a;
	void *first, *again;

	arena_init(&a, lo(), hi());
	first = arena_alloc(&a, 100, hi());
	ASSERT_NOT_NULL(first);
	EXPECT_NOT_NULL(arena_alloc(&a, 200, hi()));
	EXPECT_EQ(arena_used(&a), 112 + 208);
	EXPECT_EQ(a.high_water, 320);
	arena_reset(&a);
	EXPECT_EQ(arena_used(&a), 0);
	EXPECT_EQ(a.high_water, 320);
	again = arena_alloc(&a, 10, hi());
	EXPECT_PTR_EQ(again, first);
	EXPECT_EQ(a.high_water, 320);
	EXPECT_NOT_NULL(arena_alloc(&a, 1000, hi()));
	EXPECT_EQ(a.high_water, 16 + 1008);
}

TEST(HOST_ARENA_006, "an unaligned base is rounded up; a tiny block is empty")
{
	struct arena a;
	void *p;

	arena_init(&a, lo() + 3, hi());
	EXPECT_EQ(a.base, lo() + 16);
	p = arena_alloc(&a, 1, hi());
	EXPECT_EQ((uintptr_t)p, lo() + 16);

	arena_init(&a, lo() + 3, lo() + 10);
	EXPECT_EQ(arena_used(&a), 0);
	EXPECT_NULL(arena_alloc(&a, 1, UINTPTR_MAX));

	arena_init(&a, UINTPTR_MAX - 3, UINTPTR_MAX); /* rounding would wrap */
	EXPECT_NULL(arena_alloc(&a, 1, UINTPTR_MAX));
}

TEST(HOST_ARENA_007, "the live stack is never overwritten while filling")
{
	struct arena a;
	uintptr_t sp = lo() + BLOCK / 2;
	size_t total = 0;
	unsigned char *p;

	/* Pretend the upper half is live stack full of 0xAB. */
	memset(block + BLOCK / 2 - ARENA_STACK_GAP, 0xab, BLOCK / 2 + ARENA_STACK_GAP);
	arena_init(&a, lo(), hi());
	while ((p = arena_alloc(&a, 48, sp)) != NULL) {
		memset(p, 0, 48);
		total += 48;
	}
	EXPECT_TRUE(a.top <= sp - ARENA_STACK_GAP);
	for (size_t i = BLOCK / 2 - ARENA_STACK_GAP; i < BLOCK; i++)
		if (block[i] != 0xab) {
			EXPECT_EQ(block[i], 0xab);
			break;
		}
	EXPECT_GT(total, 0);
}
