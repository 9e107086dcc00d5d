/* SPDX-License-Identifier: MIT */
/*
 * Runner for the host unit tests (see test.h): collects the tests the
 * TEST() constructors registered, sorts them by ID, and runs all of them
 * or the one named by argv[1] (given as HOST-ELF-003 or HOST_ELF_003).
 * Exits 0 only if every test that ran passed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ferry/errors.h>
#include "test.h"

static struct test_case *tests;
static size_t ntests;
static int cur_failed;
static char reasons[4096]; /* failure text of the running test */

void
test_register(struct test_case *t)
{
	t->next = tests;
	tests = t;
	ntests++;
}

int
test_failed(void)
{
	return cur_failed;
}

static void
print_id(const char *id)
{
	for (; *id; id++)
		putchar(*id == '_' ? '-' : *id);
}

void
test_fail(const char *file, int line, const char *fmt, ...)
{
	size_t used = strlen(reasons);
	va_list ap;
	int n;

	/* The first reason goes on the FAIL line, later ones below it. */
	if (cur_failed++ && used < sizeof(reasons) - 1)
		used += (size_t)snprintf(reasons + used, sizeof(reasons) - used, "\n    also ");
	if (used >= sizeof(reasons) - 1)
		return;
	n = snprintf(reasons + used, sizeof(reasons) - used, "%s:%d: ", file, line);
	if (n < 0 || (size_t)n >= sizeof(reasons) - used)
		return;
	used += (size_t)n;
	va_start(ap, fmt);
	vsnprintf(reasons + used, sizeof(reasons) - used, fmt, ap);
	va_end(ap);
}

const char *
test_status_name(int status)
{
	return ferry_errname(status);
}

int
test_streq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

size_t
test_memdiff(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return i;
	return (size_t)-1;
}

static int
by_id(const void *a, const void *b)
{
	const struct test_case *x = *(const struct test_case *const *)a;
	const struct test_case *y = *(const struct test_case *const *)b;

	return strcmp(x->id, y->id);
}

/* An ID matches in either spelling: dashes or underscores. */
static int
id_matches(const char *id, const char *want)
{
	for (; *id && *want; id++, want++) {
		char w = *want == '-' ? '_' : *want;

		if (*id != w)
			return 0;
	}
	return *id == 0 && *want == 0;
}

int
main(int argc, char **argv)
{
	struct test_case **list, *t;
	size_t i = 0, passed = 0, failed = 0, ran = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	list = calloc(ntests ? ntests : 1, sizeof(*list));
	if (list == NULL)
		return 2;
	for (t = tests; t; t = t->next)
		list[i++] = t;
	qsort(list, ntests, sizeof(*list), by_id);

	for (i = 0; i < ntests; i++) {
		t = list[i];
		if (argc > 1 && !id_matches(t->id, argv[1]))
			continue;
		ran++;
		cur_failed = 0;
		reasons[0] = 0;
		t->fn();
		if (cur_failed) {
			printf("FAIL ");
			print_id(t->id);
			printf(": %s\n", reasons);
			failed++;
		} else {
			printf("PASS ");
			print_id(t->id);
			printf(" %s\n", t->desc);
			passed++;
		}
	}
	free(list);
	if (argc > 1 && ran == 0) {
		printf("no test named %s\n", argv[1]);
		return 2;
	}
	printf("%zu passed, %zu failed\n", passed, failed);
	return failed ? 1 : 0;
}
