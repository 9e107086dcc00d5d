/* SPDX-License-Identifier: MIT */
/*
 * LIBC-001: the smallest musl program.  The runner checks that the line
 * below appears and that the exit status is 3 (main's return value).
 */
#include <stdio.h>

int
main(void)
{
	puts("PASS LIBC-001 hello from musl on Ferry (exit status must be 3)");
	return 3;
}
