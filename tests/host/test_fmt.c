/* SPDX-License-Identifier: MIT */
/*
 * Host tests of lib/fmt: conversions, flags, width and precision checked
 * against fixed strings and against the host's snprintf; truncation and
 * the would-be length; the callback interface.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <lib/fmt.h>
#include "test.h"

/* Format with both implementations and compare text and return value. */
#define SAME(...)                                                                                  \
	do {                                                                                       \
		char got_[256], want_[256];                                                        \
		int gn_ = fmt_snprintf(got_, sizeof(got_), __VA_ARGS__);                           \
		int wn_ = snprintf(want_, sizeof(want_), __VA_ARGS__);                             \
		EXPECT_STR_EQ(got_, want_);                                                        \
		EXPECT_EQ(gn_, wn_);                                                               \
	} while (0)

#define IS(want, ...)                                                                              \
	do {                                                                                       \
		char got_[256];                                                                    \
		int gn_ = fmt_snprintf(got_, sizeof(got_), __VA_ARGS__);                           \
		EXPECT_STR_EQ(got_, want);                                                         \
		EXPECT_EQ(gn_, (int)strlen(want));                                                 \
	} while (0)

TEST(HOST_FMT_001, "decimal conversions with all length modifiers")
{
	SAME("%d %i %u", 42, -42, 42u);
	SAME("%d %d", INT_MAX, INT_MIN);
	SAME("%u", UINT_MAX);
	SAME("%ld %lu", LONG_MIN, ULONG_MAX);
	SAME("%lld %llu", LLONG_MIN, ULLONG_MAX);
	SAME("%zu %zd", (size_t)SIZE_MAX, (ptrdiff_t)-5);
	SAME("%hd %hu", (short)-1234, (unsigned short)65535);
	SAME("%hhd %hhu", (signed char)-128, (unsigned char)255);
	SAME("%hhd", 300); /* converted to signed char */
	SAME("%jd %td", (intmax_t)INT64_MIN, (ptrdiff_t)-7);
	SAME("%d", 0);
}

TEST(HOST_FMT_002, "hex, octal and pointer conversions")
{
	SAME("%x %X", 0xdeadbeefu, 0xdeadbeefu);
	SAME("%lx %llX", 0x123456789abcdefful, 0xfedcba9876543210ull);
	SAME("%#x %#X %#x", 255u, 255u, 0u);
	SAME("%o %#o %#o", 8u, 8u, 0u);
	SAME("%hhx", 0x1ff);
	IS("0x0", "%p", (void *)0);
	IS("0xffff800000001000", "%p", (void *)0xffff800000001000ul);
	IS("  0x10", "%6p", (void *)16);
}

TEST(HOST_FMT_003, "flags, width and precision on integers")
{
	SAME("[%5d] [%-5d] [%05d]", 42, 42, 42);
	SAME("[%5d] [%-5d] [%05d]", -42, -42, -42);
	SAME("[%+d] [% d] [%+d]", 5, 5, -5);
	SAME("[%.3d] [%.0d] [%.0u] [%5.3d]", 7, 0, 0u, -7);
	SAME("[%#010x] [%#-10x]", 0xabcu, 0xabcu);
	SAME("[%*d] [%-*d] [%*d]", 6, 1, 6, 1, -6, 1);
	SAME("[%.*d]", 4, 3);
	SAME("[%.*d]", -1, 3); /* negative precision: as if omitted */
	SAME("[%020llu]", ULLONG_MAX);
}

/* Through a volatile so the compiler cannot see the NULL at the call. */
static const char *volatile null_str = NULL;

TEST(HOST_FMT_004, "strings, characters and percent")
{
	const char raw[3] = {'a', 'b', 'c'}; /* no terminator */

	SAME("%s|%10s|%-10s|", "ferry", "ferry", "ferry");
	SAME("%.3s|%.0s|%5.2s|", "ferry", "ferry", "ferry");
	SAME("%.*s", 3, "ferry");
	IS("abc", "%.3s", raw); /* must not read past the precision */
	IS("(null)", "%s", null_str);
	SAME("%c%c%c", 'a', 0x100 + 'b', 'c');
	SAME("[%3c] [%-3c]", 'x', 'y');
	SAME("100%% sure %%");
	IS("", "%s", "");
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
TEST(HOST_FMT_005, "unknown conversions and a dangling percent are copied")
{
	IS("a%qb", "a%qb");
	IS("x%", "x%");
	IS("x%-5", "x%-5");
	IS("%y 7", "%y %d", 7);
}

TEST(HOST_FMT_009, "flag combinations C says to ignore")
{
	SAME("[%08.3d]", 12);        /* precision disables '0' */
	SAME("[%-08d]", 12);         /* '-' overrides '0' */
	SAME("[%+u] [% x]", 5u, 5u); /* sign flags apply to signed conversions only */
}
#pragma GCC diagnostic pop

TEST(HOST_FMT_006, "truncation keeps the would-be length and terminates")
{
	char buf[8];

	memset(buf, 'X', sizeof(buf));
	EXPECT_EQ(fmt_snprintf(buf, sizeof(buf), "%s-%d", "abcdef", 12345), 12);
	EXPECT_STR_EQ(buf, "abcdef-");
	memset(buf, 'X', sizeof(buf));
	EXPECT_EQ(fmt_snprintf(buf, 1, "hello"), 5);
	EXPECT_EQ(buf[0], 0);
	EXPECT_EQ(buf[1], 'X');
	memset(buf, 'X', sizeof(buf));
	EXPECT_EQ(fmt_snprintf(buf, 0, "hello"), 5);
	EXPECT_EQ(buf[0], 'X');
	EXPECT_EQ(fmt_snprintf(NULL, 0, "%d", 123456), 6);
	EXPECT_EQ(fmt_snprintf(buf, sizeof(buf), "%s", "1234567"), 7);
	EXPECT_STR_EQ(buf, "1234567");
}

struct collect {
	char text[512];
	size_t len;
	int calls;
};

static void
collect_out(void *ctx, const char *s, size_t n)
{
	struct collect *c = ctx;

	if (c->len + n < sizeof(c->text)) {
		memcpy(c->text + c->len, s, n);
		c->len += n;
		c->text[c->len] = 0;
	}
	c->calls++;
}

TEST(HOST_FMT_007, "callback output: same text, no limit, pieces in order")
{
	struct collect c = {.len = 0};
	int n;

	n = fmt_callback(collect_out, &c, "pid %d: %s at %#lx%-40s|", 17, "fault", 0x1000ul, "");
	EXPECT_EQ(n, (int)c.len);
	EXPECT_STR_EQ(c.text, "pid 17: fault at 0x1000                                        |");
	EXPECT_GT(c.calls, 1);

	memset(&c, 0, sizeof(c));
	n = fmt_callback(collect_out, &c, "%300d", 1);
	EXPECT_EQ(n, 300);
	EXPECT_EQ(c.len, 300);
	EXPECT_EQ(c.text[299], '1');
}

static int
vwrap(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

TEST(HOST_FMT_008, "va_list entry point consumes arguments in order")
{
	char buf[64];

	EXPECT_EQ(vwrap(buf, sizeof(buf), "%d %s %c %llx %zu", -1, "two", '3', 0x4ull, (size_t)5),
	          12);
	EXPECT_STR_EQ(buf, "-1 two 3 4 5");
}
