/* SPDX-License-Identifier: MIT */
/*
 * Host tests of lib/string: the routines are built with the fl_ prefix
 * (LIB_STRING_TEST_NAMES) and checked against simple reference loops at
 * many alignments and lengths, including overlapping memmove both ways.
 */
#ifndef LIB_STRING_TEST_NAMES
#define LIB_STRING_TEST_NAMES
#endif
#include <stdint.h>
#include <lib/string.h>
#include "test.h"

#define BUF 256

static void
fill_pattern(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 7 + seed * 13 + 1);
}

TEST(HOST_STR_001, "memcpy copies every length at every alignment")
{
	unsigned char src[BUF], dst[BUF], want[BUF];

	for (size_t so = 0; so < 8; so++)
		for (size_t d_o = 0; d_o < 8; d_o++)
			for (size_t n = 0; n < 80; n++) {
				fill_pattern(src, BUF, 1);
				fill_pattern(dst, BUF, 2);
				fill_pattern(want, BUF, 2);
				for (size_t i = 0; i < n; i++)
					want[d_o + i] = src[so + i];
				EXPECT_PTR_EQ(fl_memcpy(dst + d_o, src + so, n), dst + d_o);
				EXPECT_MEM_EQ(dst, want, BUF);
				if (test_failed())
					return;
			}
}

TEST(HOST_STR_002, "memmove handles overlap in both directions")
{
	unsigned char buf[BUF], want[BUF], tmp[BUF];

	for (size_t from = 0; from < 40; from++)
		for (size_t to = 0; to < 40; to++)
			for (size_t n = 0; n < 70; n++) {
				fill_pattern(buf, BUF, 3);
				fill_pattern(want, BUF, 3);
				for (size_t i = 0; i < n; i++)
					tmp[i] = want[from + i];
				for (size_t i = 0; i < n; i++)
					want[to + i] = tmp[i];
				EXPECT_PTR_EQ(fl_memmove(buf + to, buf + from, n), buf + to);
				EXPECT_MEM_EQ(buf, want, BUF);
				if (test_failed())
					return;
			}
}

TEST(HOST_STR_003, "memset fills exactly n bytes with the low byte of c")
{
	unsigned char buf[BUF];

	for (size_t off = 0; off < 8; off++)
		for (size_t n = 0; n < 70; n++) {
			fill_pattern(buf, BUF, 4);
			EXPECT_PTR_EQ(fl_memset(buf + off, 0x1a5, n), buf + off);
			for (size_t i = 0; i < BUF; i++) {
				unsigned char want = (unsigned char)(i * 7 + 4 * 13 + 1);

				if (i >= off && i < off + n)
					want = 0xa5;
				EXPECT_EQ(buf[i], want);
			}
			if (test_failed())
				return;
		}
}

TEST(HOST_STR_004, "memcmp orders by the first differing unsigned byte")
{
	unsigned char a[64], b[64];

	fill_pattern(a, sizeof(a), 5);
	fill_pattern(b, sizeof(b), 5);
	EXPECT_EQ(fl_memcmp(a, b, sizeof(a)), 0);
	EXPECT_EQ(fl_memcmp(a, b, 0), 0);
	for (size_t at = 0; at < sizeof(a); at++) {
		unsigned char keep = a[at];

		a[at] = 0x10;
		b[at] = 0x20;
		EXPECT_LT(fl_memcmp(a, b, sizeof(a)), 0);
		EXPECT_GT(fl_memcmp(b, a, sizeof(a)), 0);
		EXPECT_EQ(fl_memcmp(a, b, at), 0);
		a[at] = b[at] = keep;
	}
	a[3] = 0x80;
	b[3] = 0x7f;
	EXPECT_GT(fl_memcmp(a, b, 4), 0); /* unsigned, not signed char */
}

TEST(HOST_STR_005, "strlen and strnlen")
{
	EXPECT_EQ(fl_strlen(""), 0);
	EXPECT_EQ(fl_strlen("ferry"), 5);
	EXPECT_EQ(fl_strnlen("ferry", 3), 3);
	EXPECT_EQ(fl_strnlen("ferry", 5), 5);
	EXPECT_EQ(fl_strnlen("ferry", 100), 5);
	EXPECT_EQ(fl_strnlen("ferry", 0), 0);
	/* strnlen must not read past max: this array has no terminator. */
	static const char raw[4] = {'a', 'b', 'c', 'd'};
	EXPECT_EQ(fl_strnlen(raw, sizeof(raw)), 4);
}

TEST(HOST_STR_006, "strcmp and strncmp signs and bounds")
{
	EXPECT_EQ(fl_strcmp("abc", "abc"), 0);
	EXPECT_LT(fl_strcmp("abc", "abd"), 0);
	EXPECT_GT(fl_strcmp("abd", "abc"), 0);
	EXPECT_LT(fl_strcmp("ab", "abc"), 0);
	EXPECT_GT(fl_strcmp("abc", "ab"), 0);
	EXPECT_GT(fl_strcmp("\x80", "\x7f"), 0);
	EXPECT_EQ(fl_strncmp("abcdef", "abcxyz", 3), 0);
	EXPECT_LT(fl_strncmp("abcdef", "abcxyz", 4), 0);
	EXPECT_EQ(fl_strncmp("abc", "abc", 100), 0);
	EXPECT_EQ(fl_strncmp("x", "y", 0), 0);
	EXPECT_GT(fl_strncmp("abc", "ab", 3), 0);
}

TEST(HOST_STR_007, "strlcpy truncates, terminates and returns strlen(src)")
{
	char buf[8];

	fl_memset(buf, 'X', sizeof(buf));
	EXPECT_EQ(fl_strlcpy(buf, "hello", sizeof(buf)), 5);
	EXPECT_STR_EQ(buf, "hello");
	EXPECT_EQ(fl_strlcpy(buf, "a longer string", sizeof(buf)), 15);
	EXPECT_STR_EQ(buf, "a longe");
	fl_memset(buf, 'X', sizeof(buf));
	EXPECT_EQ(fl_strlcpy(buf, "abc", 0), 3);
	EXPECT_EQ(buf[0], 'X');
	EXPECT_EQ(fl_strlcpy(buf, "abc", 1), 3);
	EXPECT_EQ(buf[0], 0);
	EXPECT_EQ(fl_strlcpy(buf, "", sizeof(buf)), 0);
	EXPECT_STR_EQ(buf, "");
}

TEST(HOST_STR_008, "strchr finds characters and the terminator")
{
	const char *s = "path/to/file";

	EXPECT_PTR_EQ(fl_strchr(s, '/'), s + 4);
	EXPECT_PTR_EQ(fl_strchr(s, 'e'), s + 11);
	EXPECT_PTR_EQ(fl_strchr(s, 0), s + 12);
	EXPECT_NULL(fl_strchr(s, 'z'));
	EXPECT_PTR_EQ(fl_strchr(s, 'p' + 256), s); /* c is converted to char */
}

TEST(HOST_STR_009, "memmove and memcpy of large unaligned blocks")
{
	static unsigned char a[4099], b[4099];

	fill_pattern(a, sizeof(a), 9);
	fl_memcpy(b + 1, a, sizeof(a) - 1);
	EXPECT_MEM_EQ(b + 1, a, sizeof(a) - 1);
	fl_memmove(a + 3, a, 4000);
	fill_pattern(b, sizeof(b), 9);
	EXPECT_MEM_EQ(a + 3, b, 4000);
	fill_pattern(a, sizeof(a), 9);
	fl_memmove(a, a + 5, 4000);
	EXPECT_MEM_EQ(a, b + 5, 4000);
}
