/* SPDX-License-Identifier: MIT */
/*
 * Kernel-memory quotas.  Every kernel object a task causes to exist (ports,
 * queued messages, handles, page tables, threads) is charged in bytes to
 * that task's quota before it is created and released when it is
 * destroyed, so no task can exhaust kernel memory: past its limit it gets
 * -FERRY_EQUOTA.
 *
 * Single CPU, interrupts disabled in the kernel: no locking.
 */
#ifndef MM_QUOTA_H
#define MM_QUOTA_H

#include <stdint.h>

struct quota {
	int64_t limit; /* bytes the holder may have charged at once */
	int64_t used;  /* bytes charged now; 0 <= used <= limit */
};

/* An empty quota allowing limit bytes (a negative limit is a bug: treated as 0). */
void quota_init(struct quota *q, int64_t limit);

/*
 * Charge bytes (>= 0).  Returns 0, or -FERRY_EQUOTA if that would pass the
 * limit, in which case nothing is charged.  A negative amount is a caller
 * bug: mm_bug() and -FERRY_EINVAL.
 */
int quota_charge(struct quota *q, int64_t bytes) __attribute__((warn_unused_result));

/*
 * Give back bytes charged earlier.  Releasing more than is charged (or a
 * negative amount) is a bug: mm_bug(); too much clamps used at 0, a
 * negative amount changes nothing.
 */
void quota_release(struct quota *q, int64_t bytes);

/* Bytes that may still be charged. */
int64_t quota_left(const struct quota *q);

#endif
