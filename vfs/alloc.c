// SPDX-License-Identifier: MIT
/*
 * vfs's heap.  Small blocks (up to 2 KiB) come from power-of-two size
 * classes carved out of 64 KiB chunks of anonymous memory and are reused
 * through per-class free lists; larger ones are mappings of their own,
 * returned to the kernel when freed (file data of big files).  Every
 * block has a 16-byte header with its size class.
 */
#include <ulib.h>
#include "vfs.h"

#define HDR       16
#define MIN_SHIFT 4
#define MAX_SHIFT 11
#define CHUNK     (64u << 10)
#define BIG_MAGIC 0xb16b10cull

struct hdr {
	uint64_t size;  /* big: mapping length; small: class shift */
	uint64_t magic; /* BIG_MAGIC for big blocks */
};

static void *free_list[MAX_SHIFT + 1];
static char *chunk_cur, *chunk_end;

void *
vfs_alloc(size_t size)
{
	if (size > (1u << MAX_SHIFT) - HDR) {
		if (size > (1ull << 40))
			return NULL;
		size_t len = (size + HDR + 4095) & ~(size_t)4095;
		struct hdr *h = umap_anon(len);
		if (!h)
			return NULL;
		h->size = len;
		h->magic = BIG_MAGIC;
		return (char *)h + HDR;
	}
	unsigned shift = MIN_SHIFT;
	while ((1u << shift) < size + HDR)
		shift++;
	struct hdr *h = free_list[shift];
	if (h) {
		free_list[shift] = *(void **)((char *)h + HDR);
	} else {
		if ((size_t)(chunk_end - chunk_cur) < (1u << shift)) {
			chunk_cur = umap_anon(CHUNK);
			if (!chunk_cur)
				return NULL;
			chunk_end = chunk_cur + CHUNK;
		}
		h = (struct hdr *)chunk_cur;
		chunk_cur += 1u << shift;
	}
	h->size = shift;
	h->magic = 0;
	return (char *)h + HDR;
}

void *
vfs_zalloc(size_t size)
{
	void *p = vfs_alloc(size);
	if (p)
		memset(p, 0, size);
	return p;
}

void
vfs_free(void *p)
{
	if (!p)
		return;
	struct hdr *h = (struct hdr *)((char *)p - HDR);
	if (h->magic == BIG_MAGIC) {
		uunmap(h, h->size);
		return;
	}
	*(void **)p = free_list[h->size];
	free_list[h->size] = h;
}

void *
vfs_realloc(void *p, size_t old, size_t size)
{
	if (p) {
		struct hdr *h = (struct hdr *)((char *)p - HDR);
		size_t room = h->magic == BIG_MAGIC ? h->size - HDR : (1u << h->size) - HDR;
		if (size <= room)
			return p;
	}
	void *n = vfs_alloc(size);
	if (!n)
		return NULL;
	if (p) {
		memcpy(n, p, old < size ? old : size);
		vfs_free(p);
	}
	return n;
}
