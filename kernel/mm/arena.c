/* SPDX-License-Identifier: MIT */
/*
 * Transient per-thread arena (see include/mm/arena.h).  Allocation is a
 * bounds check and an addition.  Every comparison is written as "size fits
 * in the room left" rather than "top + size <= end" so that no sum can
 * wrap, whatever size a caller passes.
 */
#include <mm/arena.h>

void
arena_init(struct arena *a, uintptr_t base, uintptr_t limit)
{
	uintptr_t b = (base + ARENA_ALIGN - 1) & ~(uintptr_t)(ARENA_ALIGN - 1);

	/* A block too small to align into is empty rather than inverted. */
	if (b < base || b > limit)
		b = limit;
	a->base = a->top = b;
	a->limit = limit;
	a->high_water = 0;
}

void *
arena_alloc(struct arena *a, size_t size, uintptr_t sp)
{
	uintptr_t p = a->top;
	size_t rounded;

	if (size == 0 || size > SIZE_MAX - (ARENA_ALIGN - 1))
		return NULL;
	rounded = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (rounded > a->limit - p)
		return NULL;
	/* The stack may already have grown into the gap (deep call chain). */
	if (sp < p || sp - p < ARENA_STACK_GAP || rounded > sp - p - ARENA_STACK_GAP)
		return NULL;
	a->top = p + rounded;
	if (a->top - a->base > a->high_water)
		a->high_water = a->top - a->base;
	return (void *)p;
}

void
arena_reset(struct arena *a)
{
	a->top = a->base;
}

size_t
arena_used(const struct arena *a)
{
	return a->top - a->base;
}
