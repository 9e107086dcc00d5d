/* SPDX-License-Identifier: MIT */
/* LIBC-020..025: musl's malloc on mmap (libposix has no brk). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "libc_test.h"

#define BIG (4u << 20)

static int
all_bytes(const unsigned char *p, size_t n, unsigned char v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

int
main(void)
{
	char *small[64];
	int ok = 1;

	for (int i = 0; i < 64; i++) {
		small[i] = malloc((size_t)i * 7 + 1);
		if (!small[i] || ((uintptr_t)small[i] & 15))
			ok = 0;
		else
			memset(small[i], i, (size_t)i * 7 + 1);
	}
	for (int i = 0; ok && i < 64; i++)
		ok = all_bytes((unsigned char *)small[i], (size_t)i * 7 + 1, (unsigned char)i);
	CHECK("LIBC-020", "64 small blocks, 16-byte aligned, distinct", ok);
	for (int i = 0; i < 64; i++)
		free(small[i]);

	unsigned char *big = malloc(BIG);
	ok = big != 0;
	if (ok) {
		memset(big, 0xa5, BIG);
		ok = all_bytes(big, BIG, 0xa5);
	}
	CHECK("LIBC-021", "4 MiB block is usable", ok);

	unsigned char *grown = realloc(big, 2 * BIG);
	ok = grown && all_bytes(grown, BIG, 0xa5);
	CHECK("LIBC-022", "realloc to 8 MiB keeps the contents", ok);
	unsigned char *shrunk = grown ? realloc(grown, 100) : 0;
	CHECK("LIBC-023", "realloc down to 100 bytes keeps the prefix",
	      shrunk && all_bytes(shrunk, 100, 0xa5));
	free(shrunk ? shrunk : grown);

	unsigned char *dirty = malloc(1000);
	if (dirty)
		memset(dirty, 0xff, 1000);
	free(dirty);
	unsigned char *z = calloc(1000, 1), *zbig = calloc(BIG / 16, 16);
	CHECK("LIBC-024", "calloc returns zeroed memory (reused and fresh)",
	      z && zbig && all_bytes(z, 1000, 0) && all_bytes(zbig, BIG, 0));
	free(z);
	free(zbig);

	/* volatile: the compiler may otherwise assume the allocation succeeds */
	void *volatile huge = calloc(SIZE_MAX / 2, 4);
	CHECK("LIBC-025", "calloc overflow fails", huge == 0);
	free(huge);
	return libc_test_failures;
}
