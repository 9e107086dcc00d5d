/* SPDX-License-Identifier: MIT */
/*
 * LIBC-060..061: exit runs atexit handlers in reverse order, flushes stdio
 * and ends the process with the given status.  The runner checks both PASS
 * lines (printed from the handlers, so after main) and exit status 7.
 */
#include <stdlib.h>
#include "libc_test.h"

static int second_ran;

static void
registered_first(void)
{
	CHECK("LIBC-060", "atexit handlers run in reverse order of registration", second_ran);
	/* Buffered output written here is flushed after the handlers. */
	printf("PASS LIBC-061 stdio flushed after atexit handlers (exit status must be 7)\n");
}

static void
registered_second(void)
{
	second_ran = 1;
}

int
main(void)
{
	if (atexit(registered_first) || atexit(registered_second)) {
		printf("FAIL LIBC-060: atexit failed\n");
		return 1;
	}
	exit(7);
}
