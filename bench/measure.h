/* SPDX-License-Identifier: MIT */
/*
 * What the musl benchmark programs (posix.c, mq.c, threads.c) share: the
 * time-stamp counter (under ./ferry bench's -icount, one tick per guest
 * instruction), the median of a run of samples, and the line ./ferry
 * bench reads.
 */
#ifndef BENCH_MEASURE_H
#define BENCH_MEASURE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static inline uint64_t
rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline int
sample_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Sorts s[0..n) and returns its middle sample. */
static inline uint64_t
median(uint64_t *s, int n)
{
	qsort(s, (size_t)n, sizeof(*s), sample_cmp);
	return s[n / 2];
}

/* "BENCH <metric> <value> <unit>", flushed at once. */
static inline void
report(const char *metric, uint64_t value, const char *unit)
{
	printf("BENCH %s %llu %s\n", metric, (unsigned long long)value, unit);
	fflush(stdout);
}

#endif
