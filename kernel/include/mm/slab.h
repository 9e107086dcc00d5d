/* SPDX-License-Identifier: MIT */
/*
 * The kernel heap: slab-style object caches and kmalloc().
 *
 * A cache hands out objects of one size.  Its memory comes in slabs of one
 * page each, taken from the pmm; the slab header sits at the start of the
 * page, so the slab (and its cache) of any object is found by masking the
 * object's address.  Objects are 16-byte aligned and returned zeroed.
 * kmalloc() serves sizes 1..2048 from power-of-two caches of 16..2048
 * bytes.
 *
 * Ownership: the caller owns an object from alloc until free.  Frees are
 * checked cheaply (slab magic, object alignment, an allocated-bit per
 * object), and a bad free is reported through mm_bug() and then ignored.
 * Memory is not charged to any quota here: callers charge the task that
 * caused the object (see mm/quota.h).
 *
 * Single CPU, interrupts disabled in the kernel: no locking.
 */
#ifndef MM_SLAB_H
#define MM_SLAB_H

#include <mm/physmap.h>

#define KMEM_MAX_OBJSIZE 2048
#define KMEM_ALIGN       16

/* Circular doubly linked list node. */
struct kmem_link {
	struct kmem_link *next, *prev;
};

/*
 * A cache.  Defined here so caches can be static objects; its fields are
 * private to mm/slab.c.  Invariant: partial holds every slab with at least
 * one free object, partly used slabs before empty ones; full slabs are on
 * no list.
 */
struct kmem_cache {
	uint32_t magic;    /* KMEM_CACHE_MAGIC once initialised */
	uint16_t objsize;  /* as requested */
	uint16_t stride;   /* objsize rounded up to KMEM_ALIGN */
	uint16_t first;    /* page offset of object 0 */
	uint16_t capacity; /* objects per slab */
	const char *name;
	struct kmem_link partial;
	size_t in_use; /* objects allocated */
	size_t slabs;  /* slabs owned (pages taken from the pmm) */
	size_t empty;  /* slabs with no object allocated, kept for reuse */
};

struct kmem_stats {
	size_t objsize, in_use, slabs;
	const char *name;
};

/*
 * Prepare c for objects of objsize bytes (1..KMEM_MAX_OBJSIZE; otherwise
 * mm_bug() and the cache stays unusable).  name must outlive the cache.
 */
void kmem_cache_init(struct kmem_cache *c, const char *name, size_t objsize);

/* A zeroed object, or NULL when the pmm is out of pages.  O(1). */
void *kmem_cache_alloc(struct kmem_cache *c) __attribute__((warn_unused_result));

/*
 * Return obj to c.  obj must come from kmem_cache_alloc(c) and not be freed
 * yet; otherwise mm_bug() is called and nothing is freed.  NULL is ignored.
 * O(1).  A slab that becomes empty is kept if it is the cache's only empty
 * slab and returned to the pmm otherwise.
 */
void kmem_cache_free(struct kmem_cache *c, void *obj);

/* size bytes zeroed, from the smallest fitting class; NULL if size is 0, above 2048, or OOM. */
void *kmalloc(size_t size) __attribute__((warn_unused_result));

/* Free memory from kmalloc(); NULL is ignored; bad pointers go to mm_bug(). */
void kfree(void *p);

void kmem_cache_stats(const struct kmem_cache *c, struct kmem_stats *out);

/* The cache kmalloc() uses for size (for statistics and tests), or NULL. */
struct kmem_cache *kmalloc_cache(size_t size);

#endif
