/* SPDX-License-Identifier: MIT */
/*
 * Physical addresses and the direct map.  All of physical memory is mapped
 * at physmap_base in the kernel half, so the kernel reaches any frame by
 * adding that base.  Also declares mm_bug(), the one report hook every
 * allocator calls when it catches a bug in its caller (double free,
 * foreign pointer, negative quota).
 *
 * Host unit tests point physmap_base at a malloc'd buffer that plays the
 * role of physical memory.
 */
#ifndef MM_PHYSMAP_H
#define MM_PHYSMAP_H

#include <stddef.h>
#include <stdint.h>

typedef uint64_t paddr_t;

#define PAGE_SIZE  4096ul
#define PAGE_SHIFT 12
#define PAGE_MASK  (PAGE_SIZE - 1)

/* The kernel's direct-map base. */
#define PHYSMAP_BASE_DEFAULT 0xffff800000000000ul

/*
 * Virtual address of physical address 0 in the direct map.  Defined (weak)
 * in mm/pmm.c with PHYSMAP_BASE_DEFAULT; the kernel may define its own.
 */
extern uintptr_t physmap_base;

static inline void *
phys_to_virt(paddr_t pa)
{
	return (void *)(physmap_base + (uintptr_t)pa);
}

/* Only for addresses inside the direct map. */
static inline paddr_t
virt_to_phys(const void *va)
{
	return (paddr_t)((uintptr_t)va - physmap_base);
}

/*
 * Called by the allocators on a bug in their caller: what names the check
 * that failed, p the offending pointer or value.  The kernel's definition
 * panics; the host tests' definition records the call and returns, so every
 * caller of mm_bug() must leave its structures consistent when it returns
 * (typically by ignoring the bad request).
 */
void mm_bug(const char *what, const void *p);

#endif
