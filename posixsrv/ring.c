// SPDX-License-Identifier: MIT
/*
 * The byte ring (ring.h).  Copies are split at the wrap point; nothing
 * here allocates or fails.
 */
#include "ring.h"

void
ring_init(struct ring *r, void *buf, uint32_t size)
{
	r->buf = buf;
	r->size = size;
	r->head = r->tail = 0;
}

uint32_t
ring_put(struct ring *r, const void *src, uint32_t n)
{
	uint32_t space = ring_space(r);
	if (n > space)
		n = space;
	uint32_t at = r->tail & (r->size - 1);
	uint32_t first = r->size - at < n ? r->size - at : n;
	__builtin_memcpy(r->buf + at, src, first);
	__builtin_memcpy(r->buf, (const uint8_t *)src + first, n - first);
	r->tail += n;
	return n;
}

uint32_t
ring_peek(const struct ring *r, uint32_t off, void *dst, uint32_t n)
{
	uint32_t used = ring_used(r);
	if (off >= used)
		return 0;
	if (n > used - off)
		n = used - off;
	uint32_t at = (r->head + off) & (r->size - 1);
	uint32_t first = r->size - at < n ? r->size - at : n;
	__builtin_memcpy(dst, r->buf + at, first);
	__builtin_memcpy((uint8_t *)dst + first, r->buf, n - first);
	return n;
}

uint32_t
ring_get(struct ring *r, void *dst, uint32_t n)
{
	if (dst)
		n = ring_peek(r, 0, dst, n);
	else if (n > ring_used(r))
		n = ring_used(r);
	r->head += n;
	return n;
}

int
ring_unput(struct ring *r)
{
	if (r->tail == r->head)
		return 0;
	r->tail--;
	return 1;
}
