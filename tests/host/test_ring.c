// SPDX-License-Identifier: MIT
/*
 * HOST-RING-*: posixsrv's byte ring (posixsrv/ring.c), the buffer behind
 * pipes and terminal queues.
 */
#include <string.h>
#include "ring.h"
#include "test.h"

TEST(HOST_RING_001, "put and get keep order and report what fitted")
{
	uint8_t buf[16], out[16];
	struct ring r;
	ring_init(&r, buf, 16);
	EXPECT_EQ(ring_put(&r, "abcdefghij", 10), 10);
	EXPECT_EQ(ring_used(&r), 10);
	EXPECT_EQ(ring_space(&r), 6);
	EXPECT_EQ(ring_put(&r, "0123456789", 10), 6);
	EXPECT_EQ(ring_get(&r, out, 16), 16);
	EXPECT_EQ(memcmp(out, "abcdefghij012345", 16), 0);
	EXPECT_EQ(ring_get(&r, out, 4), 0);
}

TEST(HOST_RING_002, "data wraps around the end of the buffer intact")
{
	uint8_t buf[8], out[8];
	struct ring r;
	ring_init(&r, buf, 8);
	for (int round = 0; round < 50; round++) {
		char in[5];
		for (int i = 0; i < 5; i++)
			in[i] = (char)(round * 5 + i);
		EXPECT_EQ(ring_put(&r, in, 5), 5);
		EXPECT_EQ(ring_get(&r, out, 5), 5);
		EXPECT_EQ(memcmp(in, out, 5), 0);
	}
}

TEST(HOST_RING_003, "positions survive 32-bit wrap-around")
{
	uint8_t buf[8], out[8];
	struct ring r;
	ring_init(&r, buf, 8);
	r.head = r.tail = 0xfffffffcu;
	EXPECT_EQ(ring_put(&r, "wxyz1234", 8), 8);
	EXPECT_EQ(ring_used(&r), 8);
	EXPECT_EQ(ring_at(&r, 4), '1');
	EXPECT_EQ(ring_peek(&r, 2, out, 3), 3);
	EXPECT_EQ(memcmp(out, "yz1", 3), 0);
	EXPECT_EQ(ring_get(&r, out, 8), 8);
	EXPECT_EQ(memcmp(out, "wxyz1234", 8), 0);
}

TEST(HOST_RING_004, "peek does not consume; get with NULL discards; unput removes the last byte")
{
	uint8_t buf[8], out[8];
	struct ring r;
	ring_init(&r, buf, 8);
	ring_put(&r, "abc", 3);
	EXPECT_EQ(ring_peek(&r, 0, out, 8), 3);
	EXPECT_EQ(ring_used(&r), 3);
	EXPECT_EQ(ring_peek(&r, 3, out, 8), 0);
	EXPECT_EQ(ring_unput(&r), 1);
	EXPECT_EQ(ring_get(&r, NULL, 1), 1);
	EXPECT_EQ(ring_get(&r, out, 8), 1);
	EXPECT_EQ(out[0], 'b');
	EXPECT_EQ(ring_unput(&r), 0);
}
