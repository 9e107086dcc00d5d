/* SPDX-License-Identifier: MIT */
/*
 * A tiny unit-test framework for host tests.
 *
 *	TEST(HOST_ELF_003, "32-bit class is rejected") { EXPECT_EQ(x, 3); }
 *
 * registers a test whose stable ID is printed with dashes (HOST-ELF-003).
 * EXPECT_* record a failure with file, line and the values and carry on;
 * ASSERT_* also return from the test.  test_main.c runs every test, or
 * only the one named on the command line, printing "PASS <ID> <what>" or
 * "FAIL <ID>: <reason>" per test and "N passed, N failed" at the end.
 */
#ifndef FERRY_HOST_TEST_H
#define FERRY_HOST_TEST_H

#include <stddef.h>

struct test_case {
	const char *id; /* C identifier form: HOST_ELF_003 */
	const char *desc;
	void (*fn)(void);
	struct test_case *next;
};

void test_register(struct test_case *t);

/* Record a failure of the running test (printf-style reason). */
void test_fail(const char *file, int line, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* Nonzero once the running test has failed. */
int test_failed(void);

#define TEST(id, desc)                                                                             \
	static void test_fn_##id(void);                                                            \
	static struct test_case test_case_##id = {#id, desc, test_fn_##id, NULL};                  \
	__attribute__((constructor)) static void test_reg_##id(void)                               \
	{                                                                                          \
		test_register(&test_case_##id);                                                    \
	}                                                                                          \
	static void test_fn_##id(void)

/* Integer comparison; both sides are shown in decimal and hex. */
#define TEST_CMP_(a, op, b, fatal)                                                                 \
	do {                                                                                       \
		long long test_a_ = (long long)(a), test_b_ = (long long)(b);                      \
		if (!(test_a_ op test_b_)) {                                                       \
			test_fail(__FILE__, __LINE__, "%s %s %s: %lld (%#llx) vs %lld (%#llx)",    \
			          #a, #op, #b, test_a_, (unsigned long long)test_a_, test_b_,      \
			          (unsigned long long)test_b_);                                    \
			if (fatal)                                                                 \
				return;                                                            \
		}                                                                                  \
	} while (0)

#define TEST_PTR_(a, op, b, fatal)                                                                 \
	do {                                                                                       \
		const void *test_a_ = (const void *)(a), *test_b_ = (const void *)(b);             \
		if (!(test_a_ op test_b_)) {                                                       \
			test_fail(__FILE__, __LINE__, "%s %s %s: %p vs %p", #a, #op, #b, test_a_,  \
			          test_b_);                                                        \
			if (fatal)                                                                 \
				return;                                                            \
		}                                                                                  \
	} while (0)

#define TEST_BOOL_(x, want, fatal)                                                                 \
	do {                                                                                       \
		if (!(x) != !(want)) {                                                             \
			test_fail(__FILE__, __LINE__, "expected %s to be %s", #x,                  \
			          (want) ? "true" : "false");                                      \
			if (fatal)                                                                 \
				return;                                                            \
		}                                                                                  \
	} while (0)

#define EXPECT_EQ(a, b) TEST_CMP_(a, ==, b, 0)
#define EXPECT_NE(a, b) TEST_CMP_(a, !=, b, 0)
#define EXPECT_LT(a, b) TEST_CMP_(a, <, b, 0)
#define EXPECT_LE(a, b) TEST_CMP_(a, <=, b, 0)
#define EXPECT_GT(a, b) TEST_CMP_(a, >, b, 0)
#define EXPECT_GE(a, b) TEST_CMP_(a, >=, b, 0)
#define ASSERT_EQ(a, b) TEST_CMP_(a, ==, b, 1)
#define ASSERT_NE(a, b) TEST_CMP_(a, !=, b, 1)

#define EXPECT_PTR_EQ(a, b) TEST_PTR_(a, ==, b, 0)
#define EXPECT_PTR_NE(a, b) TEST_PTR_(a, !=, b, 0)
#define EXPECT_NULL(p)      TEST_PTR_(p, ==, NULL, 0)
#define EXPECT_NOT_NULL(p)  TEST_PTR_(p, !=, NULL, 0)
#define ASSERT_NULL(p)      TEST_PTR_(p, ==, NULL, 1)
#define ASSERT_NOT_NULL(p)  TEST_PTR_(p, !=, NULL, 1)

#define EXPECT_TRUE(x)  TEST_BOOL_(x, 1, 0)
#define EXPECT_FALSE(x) TEST_BOOL_(x, 0, 0)
#define ASSERT_TRUE(x)  TEST_BOOL_(x, 1, 1)

/* Status comparison that names the errors (FERRY_ENOEXEC) in the report. */
#define EXPECT_STATUS(a, b)                                                                        \
	do {                                                                                       \
		int test_a_ = (a), test_b_ = (b);                                                  \
		if (test_a_ != test_b_)                                                            \
			test_fail(__FILE__, __LINE__, "%s == %s: %d (%s) vs %d (%s)", #a, #b,      \
			          test_a_, test_status_name(test_a_), test_b_,                     \
			          test_status_name(test_b_));                                      \
	} while (0)

const char *test_status_name(int status);

#define EXPECT_STR_EQ(a, b)                                                                        \
	do {                                                                                       \
		const char *test_a_ = (a), *test_b_ = (b);                                         \
		if (!test_streq(test_a_, test_b_))                                                 \
			test_fail(__FILE__, __LINE__, "%s == %s: \"%s\" vs \"%s\"", #a, #b,        \
			          test_a_ ? test_a_ : "(null)", test_b_ ? test_b_ : "(null)");     \
	} while (0)

#define EXPECT_MEM_EQ(a, b, n)                                                                     \
	do {                                                                                       \
		size_t test_at_ = test_memdiff((a), (b), (n));                                     \
		if (test_at_ != (size_t)-1)                                                        \
			test_fail(__FILE__, __LINE__, "%s == %s (%zu bytes): differ at %zu", #a,   \
			          #b, (size_t)(n), test_at_);                                      \
	} while (0)

int test_streq(const char *a, const char *b);
/* Index of the first differing byte, or (size_t)-1. */
size_t test_memdiff(const void *a, const void *b, size_t n);

#endif
