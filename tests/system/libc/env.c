/* SPDX-License-Identifier: MIT */
/*
 * LIBC-030..032: the environment.  The runner starts this program with
 * FERRY_TEST_ENV=ferry-env-ok in its environment.
 */
#include <stdlib.h>
#include <string.h>
#include "libc_test.h"

int
main(void)
{
	const char *v = getenv("FERRY_TEST_ENV");

	if (!v)
		printf("  FERRY_TEST_ENV is not set\n");
	CHECK("LIBC-030", "getenv sees the runner's variable", v && strcmp(v, "ferry-env-ok") == 0);
	CHECK("LIBC-031", "setenv then getenv",
	      setenv("LIBC_TEST_VAR", "x=y", 1) == 0 && getenv("LIBC_TEST_VAR") &&
	              strcmp(getenv("LIBC_TEST_VAR"), "x=y") == 0);
	CHECK("LIBC-032", "unsetenv removes it",
	      unsetenv("LIBC_TEST_VAR") == 0 && getenv("LIBC_TEST_VAR") == 0);
	return libc_test_failures;
}
