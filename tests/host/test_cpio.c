/* SPDX-License-Identifier: MIT */
/*
 * Host tests of lib/cpio: archives are written in memory by a small newc
 * writer, read back, and then damaged in each way the reader must catch.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ferry/errors.h>
#include <lib/cpio.h>
#include "test.h"

struct ar {
	unsigned char buf[8192];
	size_t len;
};

static void
pad4(struct ar *a)
{
	while (a->len & 3)
		a->buf[a->len++] = 0;
}

/* Append a member; namesize 0 means strlen(name) + 1. */
static void
add_raw(struct ar *a, const char *name, uint32_t namesize, uint32_t mode, const void *data,
        size_t size)
{
	char hdr[CPIO_HEADER_SIZE + 1];
	size_t nlen = strlen(name);

	if (namesize == 0)
		namesize = (uint32_t)nlen + 1;
	snprintf(hdr, sizeof(hdr), "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", 7u,
	         mode, 1000u, 100u, 1u, 1700000000u, (unsigned)size, 8u, 1u, 4u, 64u, namesize, 0u);
	memcpy(a->buf + a->len, hdr, CPIO_HEADER_SIZE);
	a->len += CPIO_HEADER_SIZE;
	memcpy(a->buf + a->len, name, nlen + 1 < namesize ? nlen + 1 : namesize);
	a->len += namesize;
	pad4(a);
	memcpy(a->buf + a->len, data, size);
	a->len += size;
	pad4(a);
}

static void
add(struct ar *a, const char *name, uint32_t mode, const char *data)
{
	add_raw(a, name, 0, mode, data, strlen(data));
}

static void
trailer(struct ar *a)
{
	add_raw(a, "TRAILER!!!", 0, 0, "", 0);
}

/* A small tree: ".", "./bin", "./bin/sh", "/etc/motd", "init". */
static void
sample(struct ar *a)
{
	memset(a, 0, sizeof(*a));
	add(a, ".", CPIO_S_IFDIR | 0755, "");
	add(a, "./bin", CPIO_S_IFDIR | 0755, "");
	add(a, "./bin/sh", CPIO_S_IFREG | 0755, "#!shell");
	add(a, "/etc/motd", CPIO_S_IFREG | 0644, "welcome aboard\n");
	add(a, "init", CPIO_S_IFREG | 0700, "abc");
	trailer(a);
}

TEST(HOST_CPIO_001, "walks every member and stops at the trailer")
{
	static struct ar a;
	struct cpio_entry e;
	size_t cur = 0;
	const char *names[] = {".", "bin", "bin/sh", "etc/motd", "init"};

	sample(&a);
	for (unsigned i = 0; i < 5; i++) {
		ASSERT_EQ(cpio_next(a.buf, a.len, &cur, &e), 1);
		EXPECT_STR_EQ(e.name, names[i]);
		EXPECT_EQ(e.name_len, strlen(names[i]));
	}
	EXPECT_EQ(cpio_next(a.buf, a.len, &cur, &e), 0);
	EXPECT_EQ(cpio_next(a.buf, a.len, &cur, &e), 0); /* stays at the trailer */
}

TEST(HOST_CPIO_002, "decodes every header field and points at the data")
{
	static struct ar a;
	struct cpio_entry e;
	size_t cur = 0;

	sample(&a);
	for (int i = 0; i < 3; i++)
		ASSERT_EQ(cpio_next(a.buf, a.len, &cur, &e), 1);
	EXPECT_STR_EQ(e.name, "bin/sh");
	EXPECT_EQ(e.mode, CPIO_S_IFREG | 0755);
	EXPECT_EQ(e.ino, 7);
	EXPECT_EQ(e.uid, 1000);
	EXPECT_EQ(e.gid, 100);
	EXPECT_EQ(e.nlink, 1);
	EXPECT_EQ(e.mtime, 1700000000u);
	EXPECT_EQ(e.dev_major, 8);
	EXPECT_EQ(e.dev_minor, 1);
	EXPECT_EQ(e.rdev_major, 4);
	EXPECT_EQ(e.rdev_minor, 64);
	EXPECT_EQ(e.size, 7);
	ASSERT_NOT_NULL(e.data);
	EXPECT_MEM_EQ(e.data, "#!shell", 7);
	EXPECT_EQ(((uintptr_t)e.data - (uintptr_t)a.buf) % 4, 0);
	/* Empty members have no data pointer. */
	cur = 0;
	ASSERT_EQ(cpio_next(a.buf, a.len, &cur, &e), 1);
	EXPECT_EQ(e.size, 0);
	EXPECT_NULL(e.data);
}

TEST(HOST_CPIO_003, "find by path with or without leading slash or ./")
{
	static struct ar a;
	struct cpio_entry e;

	sample(&a);
	ASSERT_EQ(cpio_find(a.buf, a.len, "/etc/motd", &e), 0);
	EXPECT_MEM_EQ(e.data, "welcome aboard\n", 15);
	EXPECT_EQ(cpio_find(a.buf, a.len, "etc/motd", &e), 0);
	EXPECT_EQ(cpio_find(a.buf, a.len, "./bin/sh", &e), 0);
	EXPECT_EQ(cpio_find(a.buf, a.len, "/init", &e), 0);
	EXPECT_EQ(e.size, 3);
	EXPECT_STATUS(cpio_find(a.buf, a.len, "/bin/ls", &e), -FERRY_ENOENT);
	EXPECT_STATUS(cpio_find(a.buf, a.len, "bin/s", &e), -FERRY_ENOENT);
	EXPECT_STATUS(cpio_find(a.buf, a.len, "TRAILER!!!", &e), -FERRY_ENOENT);
}

TEST(HOST_CPIO_004, "bad magic is EINVAL")
{
	static struct ar a;
	struct cpio_entry e;
	size_t cur = 0;

	sample(&a);
	a.buf[5] = '7'; /* 070707 is the old portable format */
	EXPECT_STATUS(cpio_next(a.buf, a.len, &cur, &e), -FERRY_EINVAL);
	sample(&a);
	a.buf[0] = 'x';
	EXPECT_STATUS(cpio_next(a.buf, a.len, &cur, &e), -FERRY_EINVAL);
	EXPECT_STATUS(cpio_find(a.buf, a.len, "init", &e), -FERRY_EINVAL);
	sample(&a);
	a.buf[5] = '2'; /* the CRC variant is accepted */
	EXPECT_EQ(cpio_next(a.buf, a.len, &cur, &e), 1);
}

TEST(HOST_CPIO_005, "non-hex digits in any field are EINVAL")
{
	static struct ar a;
	struct cpio_entry e;

	for (int field = 0; field < 13; field++) {
		const char bad[] = {'g', ' ', '-', 'x', 0};

		for (int b = 0; bad[b]; b++) {
			size_t cur = 0;

			sample(&a);
			a.buf[6 + field * 8 + (field % 8)] = (unsigned char)bad[b];
			EXPECT_STATUS(cpio_next(a.buf, a.len, &cur, &e), -FERRY_EINVAL);
		}
	}
	{
		/* Lower-case hex is fine. */
		size_t cur = 0;

		sample(&a);
		memcpy(a.buf + 6, "0000000a", 8);
		ASSERT_EQ(cpio_next(a.buf, a.len, &cur, &e), 1);
		EXPECT_EQ(e.ino, 10);
	}
}

TEST(HOST_CPIO_006, "names without a NUL at namesize, or empty, are EINVAL")
{
	static struct ar a;
	struct cpio_entry e;
	size_t cur;

	/* namesize one short: the byte at namesize-1 is 'h', not NUL. */
	memset(&a, 0, sizeof(a));
	add_raw(&a, "bin/sh", 6, CPIO_S_IFREG, "x", 1);
	trailer(&a);
	cur = 0;
	EXPECT_STATUS(cpio_next(a.buf, a.len, &cur, &e), -FERRY_EINVAL);

	/* NUL too early: namesize claims more than the string. */
	memset(&a, 0, sizeof(a));
	add_raw(&a, "ab", 6, CPIO_S_IFREG, "x", 1);
	trailer(&a);
	cur = 0;
	EXPECT_STATUS(cpio_next(a.buf, a.len, &cur, &e), -FERRY_EINVAL);

	/* namesize 0 in the header. */
	memset(&a, 0, sizeof(a));
	add(&a, "x", CPIO_S_IFREG, "");
	memcpy(a.buf + 6 + 11 * 8, "00000000", 8);
	cur = 0;
	EXPECT_STATUS(cpio_next(a.buf, a.len, &cur, &e), -FERRY_EINVAL);
}

TEST(HOST_CPIO_007, "sizes past the end of the archive are EINVAL")
{
	static struct ar a;
	struct cpio_entry e;
	size_t cur;

	sample(&a);
	/* File size of the first member: huge. */
	memcpy(a.buf + 6 + 6 * 8, "FFFFFFFF", 8);
	cur = 0;
	EXPECT_STATUS(cpio_next(a.buf, a.len, &cur, &e), -FERRY_EINVAL);
	sample(&a);
	memcpy(a.buf + 6 + 11 * 8, "FFFFFFFF", 8);
	cur = 0;
	EXPECT_STATUS(cpio_next(a.buf, a.len, &cur, &e), -FERRY_EINVAL);

	/* Data cut short. */
	memset(&a, 0, sizeof(a));
	add(&a, "file", CPIO_S_IFREG, "0123456789");
	cur = 0;
	EXPECT_STATUS(cpio_next(a.buf, a.len - 4, &cur, &e), -FERRY_EINVAL);
	/* Exactly the data, no final padding: accepted. */
	cur = 0;
	EXPECT_EQ(cpio_next(a.buf, a.len - 2, &cur, &e), 1);
	EXPECT_LE(cur, a.len - 2);
}

TEST(HOST_CPIO_008, "truncated headers and missing trailer are EINVAL")
{
	static struct ar a;
	struct cpio_entry e;
	size_t cur = 0;
	int r;

	sample(&a);
	for (size_t n = 0; n < CPIO_HEADER_SIZE; n += 7) {
		cur = 0;
		EXPECT_STATUS(cpio_next(a.buf, n, &cur, &e), -FERRY_EINVAL);
	}
	/* Cut inside the trailer: every member reads, then EINVAL. */
	cur = 0;
	while ((r = cpio_next(a.buf, a.len - 20, &cur, &e)) == 1)
		;
	EXPECT_STATUS(r, -FERRY_EINVAL);
	/* A cursor beyond the end is EINVAL, not a wild read. */
	cur = a.len + 100;
	EXPECT_STATUS(cpio_next(a.buf, a.len, &cur, &e), -FERRY_EINVAL);
	cur = SIZE_MAX;
	EXPECT_STATUS(cpio_next(a.buf, a.len, &cur, &e), -FERRY_EINVAL);
}

TEST(HOST_CPIO_009, "fuzz: corrupted archives never read out of bounds")
{
	static struct ar a;
	uint64_t s = 12345;

	for (int iter = 0; iter < 20000; iter++) {
		struct cpio_entry e;
		size_t cur = 0, len;
		unsigned char *copy;
		int r, steps = 0;

		sample(&a);
		for (int f = 0; f < 4; f++) {
			s = s * 6364136223846793005ull + 1442695040888963407ull;
			a.buf[(s >> 33) % a.len] = (unsigned char)(s >> 17);
		}
		s = s * 6364136223846793005ull + 1442695040888963407ull;
		len = (s >> 40) % 8 == 0 ? (s >> 20) % a.len : a.len;
		/* An exact-size heap copy lets ASan see any overrun. */
		copy = malloc(len ? len : 1);
		ASSERT_NOT_NULL(copy);
		memcpy(copy, a.buf, len);
		while ((r = cpio_next(copy, len, &cur, &e)) == 1 && steps++ < 100) {
			if (e.data)
				EXPECT_TRUE((const unsigned char *)e.data + e.size <= copy + len);
			EXPECT_TRUE(e.name >= (const char *)copy &&
			            e.name + e.name_len < (const char *)copy + len);
		}
		EXPECT_TRUE(r == 1 || r == 0 || r == -FERRY_EINVAL);
		free(copy);
		if (test_failed())
			return;
	}
}
