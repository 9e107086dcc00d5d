/* SPDX-License-Identifier: MIT */
/*
 * The transient arena: per-thread scratch memory for one kernel entry.
 *
 * Each thread's kernel stack block holds the arena growing up from the
 * bottom while the stack grows down from the top (a guard page lies below
 * the block).  Objects that live only until the return to user mode (a
 * message being staged, formatted text, scratch arrays) are bump-allocated
 * here and released all at once by arena_reset().  An allocation never
 * comes within ARENA_STACK_GAP bytes of the live stack pointer, so the
 * arena fails cleanly instead of overlapping the stack.
 *
 * Ownership: memory from arena_alloc() belongs to the current kernel entry
 * and must not be kept past arena_reset().  The arena is per thread and
 * the kernel is single-CPU with interrupts disabled: no locking.
 */
#ifndef MM_ARENA_H
#define MM_ARENA_H

#include <stddef.h>
#include <stdint.h>

#define ARENA_STACK_GAP 1024 /* bytes kept free between arena top and the stack pointer */
#define ARENA_ALIGN     16

struct arena {
	uintptr_t base;    /* first usable byte (16-byte aligned) */
	uintptr_t top;     /* next free byte */
	uintptr_t limit;   /* end of the block */
	size_t high_water; /* most bytes ever in use at once */
};

/* Make [base, limit) an empty arena (base is rounded up to 16). */
void arena_init(struct arena *a, uintptr_t base, uintptr_t limit);

/*
 * size bytes, 16-byte aligned, not zeroed.  NULL if size is 0, if rounding
 * it overflows, if the end would pass limit, or if fewer than
 * ARENA_STACK_GAP bytes would remain below sp (the caller's current stack
 * pointer).  O(1).
 */
void *arena_alloc(struct arena *a, size_t size, uintptr_t sp) __attribute__((warn_unused_result));

/* Free everything (on return to user mode). */
void arena_reset(struct arena *a);

/* Bytes currently allocated. */
size_t arena_used(const struct arena *a);

#endif
