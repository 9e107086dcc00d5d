/* SPDX-License-Identifier: MIT */
/*
 * The checks of the musl test programs that print their own PASS/FAIL
 * lines (pxlib, fslock, the proc suites): CHECK(cond) inside a test, then
 * end(ID, what) after it, or TEST(fn, ID, what) to run fn as one test
 * when its ID starts with `filter`; then print the totals in `passed`
 * and `failed`.
 */
#ifndef TESTS_SYSTEM_PXCHECK_H
#define TESTS_SYSTEM_PXCHECK_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int passed, failed, cur_failed;
static const char *filter __attribute__((unused)) = "";

#define CHECK(c)                                                                                   \
	do {                                                                                       \
		if (!(c)) {                                                                        \
			printf("  check failed: %s (line %d, errno %d)\n", #c, __LINE__, errno);   \
			cur_failed = 1;                                                            \
		}                                                                                  \
	} while (0)

/* Reports the test that just ran: FAIL if a CHECK failed since the last end. */
static __attribute__((unused)) void
end(const char *id, const char *what)
{
	if (cur_failed) {
		printf("FAIL %s: %s\n", id, what);
		failed++;
	} else {
		printf("PASS %s %s\n", id, what);
		passed++;
	}
	cur_failed = 0;
	fflush(stdout);
}

#define TEST(fn, id, desc)                                                                         \
	do {                                                                                       \
		if (strncmp(id, filter, strlen(filter)))                                           \
			break;                                                                     \
		cur_failed = 0;                                                                    \
		fn();                                                                              \
		end(id, desc);                                                                     \
	} while (0)

#endif
