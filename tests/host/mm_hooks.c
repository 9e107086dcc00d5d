/* SPDX-License-Identifier: MIT */
/*
 * Host stand-ins for the kernel environment of mm/ (see mm_hooks.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include "mm_hooks.h"
#include "test.h"

int mm_bug_calls;
const char *mm_bug_last;
int mm_bug_allowed;

static void *fake_mem;

void
mm_bug(const char *what, const void *p)
{
	mm_bug_calls++;
	mm_bug_last = what;
	if (!mm_bug_allowed)
		test_fail(__FILE__, __LINE__, "unexpected mm_bug: %s (%p)", what, p);
}

void
mm_bug_reset(void)
{
	mm_bug_calls = 0;
	mm_bug_last = NULL;
	mm_bug_allowed = 0;
}

void *
fake_phys(paddr_t base, size_t bytes)
{
	free(fake_mem);
	fake_mem = aligned_alloc(PAGE_SIZE, (bytes + PAGE_MASK) & ~PAGE_MASK);
	if (fake_mem == NULL)
		abort();
	physmap_base = (uintptr_t)fake_mem - (uintptr_t)base;
	return fake_mem;
}
