/* SPDX-License-Identifier: MIT */
/*
 * The checks of the musl test programs that print their own PASS/FAIL
 * lines (pxlib, fslock): CHECK(cond) inside a test, end(ID, what) after
 * it, then print the totals in `passed` and `failed`.
 */
#ifndef TESTS_SYSTEM_PXCHECK_H
#define TESTS_SYSTEM_PXCHECK_H

#include <errno.h>
#include <stdio.h>

static int passed, failed, cur_failed;

#define CHECK(c)                                                                                   \
	do {                                                                                       \
		if (!(c)) {                                                                        \
			printf("  check failed: %s (line %d, errno %d)\n", #c, __LINE__, errno);   \
			cur_failed = 1;                                                            \
		}                                                                                  \
	} while (0)

/* Reports the test that just ran: FAIL if a CHECK failed since the last end. */
static void
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

#endif
