/* SPDX-License-Identifier: MIT */
/*
 * Reporting for the thread programs: each check prints one line,
 * "PASS <id> <description>" or "FAIL <id>: <reason>", written with one
 * write() so that lines of several threads never interleave, and the
 * program's exit status is the number of failures.
 */
#ifndef THREAD_TEST_H
#define THREAD_TEST_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int thread_test_failures;

__attribute__((format(printf, 1, 2))) static void
say(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof line - 1)
		n = sizeof line - 1;
	(void)!write(1, line, (size_t)n);
}

#define CHECK(id, desc, cond)                                                                      \
	do {                                                                                       \
		if (cond) {                                                                        \
			say("PASS %s %s\n", id, desc);                                             \
		} else {                                                                           \
			say("FAIL %s: %s (%s, %s:%d)\n", id, desc, #cond, __FILE__, __LINE__);     \
			thread_test_failures++;                                                    \
		}                                                                                  \
	} while (0)

/* A soft check inside a test: remembers the failure, prints the reason. */
#define EXPECT(ok, cond)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			say("  check failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__);            \
			ok = 0;                                                                    \
		}                                                                                  \
	} while (0)

static inline long long
now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* An absolute CLOCK_REALTIME time ms milliseconds from now. */
static inline struct timespec
deadline_ms(long ms)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

#endif
