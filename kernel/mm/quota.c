/* SPDX-License-Identifier: MIT */
/*
 * Kernel-memory quota accounting (see include/mm/quota.h).  A charge is
 * all or nothing: the check "bytes fit in what is left" cannot overflow
 * because 0 <= used <= limit always holds.
 */
#include <ferry/errors.h>
#include <mm/physmap.h>
#include <mm/quota.h>

void
quota_init(struct quota *q, int64_t limit)
{
	if (limit < 0) {
		mm_bug("quota_init: negative limit", (const void *)(intptr_t)limit);
		limit = 0;
	}
	q->limit = limit;
	q->used = 0;
}

int
quota_charge(struct quota *q, int64_t bytes)
{
	if (bytes < 0) {
		mm_bug("quota_charge: negative amount", (const void *)(intptr_t)bytes);
		return -FERRY_EINVAL;
	}
	if (bytes > q->limit - q->used)
		return -FERRY_EQUOTA;
	q->used += bytes;
	return 0;
}

void
quota_release(struct quota *q, int64_t bytes)
{
	if (bytes < 0) {
		mm_bug("quota_release: negative amount", (const void *)(intptr_t)bytes);
		return;
	}
	if (bytes > q->used) {
		mm_bug("quota_release: more than was charged", (const void *)(intptr_t)bytes);
		q->used = 0;
		return;
	}
	q->used -= bytes;
}

int64_t
quota_left(const struct quota *q)
{
	return q->limit - q->used;
}
