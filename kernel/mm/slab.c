/* SPDX-License-Identifier: MIT */
/*
 * Slab object caches and kmalloc() (see include/mm/slab.h).
 *
 * Each slab is one page: a struct slab header, then capacity objects of
 * stride bytes.  Free objects of a slab form a singly linked list through
 * their first word; a bitmap in the header records which objects are
 * allocated, which is what lets kmem_cache_free() catch a double free
 * without trusting the (possibly overwritten) free list.  A cache keeps its
 * slabs that have room on one list, partly used ones at the front so new
 * objects fill them before touching empty slabs, which can then go back
 * to the pmm.
 *
 * The kernel runs on one CPU with interrupts disabled, so none of this
 * state needs a lock.
 */
#include <stdbool.h>
#include <stddef.h>
#include <ferry/errors.h>
#include <lib/string.h>
#include <mm/pmm.h>
#include <mm/slab.h>

#define KMEM_CACHE_MAGIC 0x6b636163u /* "kcac" */
#define SLAB_MAGIC       0x736c6162u /* "slab" */
#define SLAB_MAX_OBJS    (PAGE_SIZE / KMEM_ALIGN)
#define KEEP_EMPTY       1 /* empty slabs a cache keeps */

struct slab {
	uint32_t magic;
	uint16_t in_use;
	struct kmem_cache *cache;
	struct kmem_link link; /* on cache->partial unless full */
	void *free;            /* free objects of this slab */
	uint64_t used[SLAB_MAX_OBJS / 64];
};

#define SLAB_HEADER ((sizeof(struct slab) + KMEM_ALIGN - 1) & ~(size_t)(KMEM_ALIGN - 1))
_Static_assert(SLAB_HEADER + KMEM_MAX_OBJSIZE <= PAGE_SIZE, "one max-size object per slab");

/* kmalloc classes: 16 << i for i in [0, KMALLOC_CLASSES). */
#define KMALLOC_CLASSES 8
_Static_assert(16 << (KMALLOC_CLASSES - 1) == KMEM_MAX_OBJSIZE, "kmalloc classes");

static struct kmem_cache kmalloc_caches[KMALLOC_CLASSES];
static const char *const kmalloc_names[KMALLOC_CLASSES] = {
        "kmalloc-16",  "kmalloc-32",  "kmalloc-64",   "kmalloc-128",
        "kmalloc-256", "kmalloc-512", "kmalloc-1024", "kmalloc-2048",
};

static struct slab *
slab_of_link(struct kmem_link *l)
{
	return (struct slab *)((char *)l - offsetof(struct slab, link));
}

static struct slab *
slab_of_obj(const void *obj)
{
	return (struct slab *)((uintptr_t)obj & ~(uintptr_t)PAGE_MASK);
}

static void
link_remove(struct kmem_link *l)
{
	l->prev->next = l->next;
	l->next->prev = l->prev;
	l->next = l->prev = NULL;
}

static void
link_insert_after(struct kmem_link *pos, struct kmem_link *l)
{
	l->prev = pos;
	l->next = pos->next;
	pos->next->prev = l;
	pos->next = l;
}

void
kmem_cache_init(struct kmem_cache *c, const char *name, size_t objsize)
{
	memset(c, 0, sizeof(*c));
	c->name = name;
	c->partial.next = c->partial.prev = &c->partial;
	if (objsize == 0 || objsize > KMEM_MAX_OBJSIZE) {
		mm_bug("kmem_cache_init: bad object size", (const void *)(uintptr_t)objsize);
		return;
	}
	c->objsize = (uint16_t)objsize;
	c->stride = (uint16_t)((objsize + KMEM_ALIGN - 1) & ~(size_t)(KMEM_ALIGN - 1));
	c->first = (uint16_t)SLAB_HEADER;
	c->capacity = (uint16_t)((PAGE_SIZE - SLAB_HEADER) / c->stride);
	c->magic = KMEM_CACHE_MAGIC;
}

/* Take a page from the pmm and put it on c's partial list as an empty slab. */
static struct slab *
slab_create(struct kmem_cache *c)
{
	struct slab *s;
	paddr_t pa;
	char *obj;

	if (pmm_alloc(&pa) != 0)
		return NULL;
	s = phys_to_virt(pa);
	memset(s, 0, sizeof(*s));
	s->magic = SLAB_MAGIC;
	s->cache = c;
	/* Thread the free list in address order, last object first. */
	obj = (char *)s + c->first + (size_t)c->capacity * c->stride;
	for (unsigned i = 0; i < c->capacity; i++) {
		obj -= c->stride;
		*(void **)obj = s->free;
		s->free = obj;
	}
	link_insert_after(c->partial.prev, &s->link);
	c->slabs++;
	c->empty++;
	return s;
}

void *
kmem_cache_alloc(struct kmem_cache *c)
{
	struct slab *s;
	uintptr_t off;
	void *obj;
	unsigned idx;

	if (c->magic != KMEM_CACHE_MAGIC) {
		mm_bug("kmem_cache_alloc: cache not initialised", c);
		return NULL;
	}
	if (c->partial.next == &c->partial) {
		if (slab_create(c) == NULL)
			return NULL;
	}
	s = slab_of_link(c->partial.next);
	obj = s->free;
	/*
	 * A write after free can clobber the link; refuse a link that does
	 * not name a free object of this slab rather than hand out memory
	 * that is not ours.
	 */
	off = (uintptr_t)obj - (uintptr_t)s;
	idx = (unsigned)((off - c->first) / c->stride);
	if (slab_of_obj(obj) != s || off < c->first || (off - c->first) % c->stride != 0 ||
	    idx >= c->capacity || (s->used[idx / 64] & (1ull << (idx % 64)))) {
		mm_bug("kmem_cache_alloc: corrupted free list", s);
		return NULL;
	}
	s->free = *(void **)obj;
	if (s->in_use++ == 0)
		c->empty--;
	if (s->in_use == c->capacity)
		link_remove(&s->link);
	s->used[idx / 64] |= 1ull << (idx % 64);
	c->in_use++;
	memset(obj, 0, c->objsize);
	return obj;
}

void
kmem_cache_free(struct kmem_cache *c, void *obj)
{
	struct slab *s;
	uintptr_t off;
	unsigned idx;
	bool was_full;

	if (obj == NULL)
		return;
	s = slab_of_obj(obj);
	if (s->magic != SLAB_MAGIC) {
		mm_bug("kmem_cache_free: not a slab object", obj);
		return;
	}
	if (s->cache != c) {
		mm_bug("kmem_cache_free: object belongs to another cache", obj);
		return;
	}
	off = (uintptr_t)obj - (uintptr_t)s;
	if (off < c->first || (off - c->first) % c->stride != 0 ||
	    (off - c->first) / c->stride >= c->capacity) {
		mm_bug("kmem_cache_free: not the start of an object", obj);
		return;
	}
	idx = (unsigned)((off - c->first) / c->stride);
	if (!(s->used[idx / 64] & (1ull << (idx % 64)))) {
		mm_bug("kmem_cache_free: double free", obj);
		return;
	}

	s->used[idx / 64] &= ~(1ull << (idx % 64));
	*(void **)obj = s->free;
	s->free = obj;
	was_full = s->in_use == c->capacity;
	s->in_use--;
	c->in_use--;

	if (s->in_use == 0) {
		if (!was_full)
			link_remove(&s->link);
		if (c->empty >= KEEP_EMPTY) {
			s->magic = 0; /* later frees of stale pointers hit the magic check */
			c->slabs--;
			(void)pmm_unref(virt_to_phys(s));
			return;
		}
		c->empty++;
		link_insert_after(c->partial.prev, &s->link);
	} else if (was_full) {
		link_insert_after(&c->partial, &s->link);
	}
}

struct kmem_cache *
kmalloc_cache(size_t size)
{
	unsigned i = 0;

	if (size == 0 || size > KMEM_MAX_OBJSIZE)
		return NULL;
	while ((size_t)16 << i < size)
		i++;
	if (kmalloc_caches[i].magic != KMEM_CACHE_MAGIC)
		kmem_cache_init(&kmalloc_caches[i], kmalloc_names[i], (size_t)16 << i);
	return &kmalloc_caches[i];
}

void *
kmalloc(size_t size)
{
	struct kmem_cache *c = kmalloc_cache(size);

	return c ? kmem_cache_alloc(c) : NULL;
}

void
kfree(void *p)
{
	struct slab *s;

	if (p == NULL)
		return;
	s = slab_of_obj(p);
	if (s->magic != SLAB_MAGIC) {
		mm_bug("kfree: not a slab object", p);
		return;
	}
	kmem_cache_free(s->cache, p);
}

void
kmem_cache_stats(const struct kmem_cache *c, struct kmem_stats *out)
{
	out->objsize = c->objsize;
	out->in_use = c->in_use;
	out->slabs = c->slabs;
	out->name = c->name;
}
