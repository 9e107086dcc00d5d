/* SPDX-License-Identifier: MIT */
/*
 * A byte ring: the buffer behind a pipe and a terminal's queues.  Pure
 * code (no system calls), host-tested in tests/host/test_ring.c.
 * Positions run freely and wrap modulo 2^32; size is a power of two.
 */
#ifndef POSIXSRV_RING_H
#define POSIXSRV_RING_H

#include <stdint.h>
#include <stddef.h>

struct ring {
	uint8_t *buf;
	uint32_t size; /* power of two */
	uint32_t head; /* next byte to read */
	uint32_t tail; /* next byte to write */
};

void ring_init(struct ring *r, void *buf, uint32_t size);
static inline uint32_t
ring_used(const struct ring *r)
{
	return r->tail - r->head;
}
static inline uint32_t
ring_space(const struct ring *r)
{
	return r->size - (r->tail - r->head);
}
/* Appends up to n bytes; returns how many fitted. */
uint32_t ring_put(struct ring *r, const void *src, uint32_t n);
/* Copies up to n bytes from offset off past the head without consuming them. */
uint32_t ring_peek(const struct ring *r, uint32_t off, void *dst, uint32_t n);
/* Consumes up to n bytes (dst may be NULL); returns how many. */
uint32_t ring_get(struct ring *r, void *dst, uint32_t n);
/* Byte at offset off past the head (off < ring_used). */
static inline uint8_t
ring_at(const struct ring *r, uint32_t off)
{
	return r->buf[(r->head + off) & (r->size - 1)];
}
/* Removes the last byte written, if any; returns 1 if one was removed. */
int ring_unput(struct ring *r);

#endif
