/* SPDX-License-Identifier: MIT */
/*
 * Reporting for the libc system tests: each check prints one line,
 * "PASS <id> <description>" or "FAIL <id>: <reason>", and the program's
 * exit status is the number of failures (unless the test says otherwise).
 */
#ifndef LIBC_TEST_H
#define LIBC_TEST_H

#include <stdio.h>

static int libc_test_failures;

#define CHECK(id, desc, cond)                                                                      \
	do {                                                                                       \
		if (cond) {                                                                        \
			printf("PASS %s %s\n", id, desc);                                          \
		} else {                                                                           \
			printf("FAIL %s: %s (%s, %s:%d)\n", id, desc, #cond, __FILE__, __LINE__);  \
			libc_test_failures++;                                                      \
		}                                                                                  \
	} while (0)

#endif
