/* SPDX-License-Identifier: MIT */
/*
 * What the kernel's memory code expects from its environment, provided for
 * host tests: mm_bug() that records instead of panicking, and a fake
 * "physical memory" buffer that the direct map points into.
 */
#ifndef FERRY_HOST_MM_HOOKS_H
#define FERRY_HOST_MM_HOOKS_H

#include <stddef.h>
#include <mm/physmap.h>

/* mm_bug() calls since the last mm_bug_reset(), and the last message. */
extern int mm_bug_calls;
extern const char *mm_bug_last;

/*
 * While nonzero, mm_bug() calls are counted only; otherwise each one also
 * fails the running test.  mm_bug_reset() clears the count and forbids.
 */
extern int mm_bug_allowed;
void mm_bug_reset(void);

/*
 * Make [base, base + bytes) of physical memory real: allocate a page-
 * aligned buffer and point physmap_base so that phys_to_virt(base) is its
 * first byte.  Frees the previous fake memory.  Returns the buffer.
 */
void *fake_phys(paddr_t base, size_t bytes);

#endif
