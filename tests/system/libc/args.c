/* SPDX-License-Identifier: MIT */
/*
 * LIBC-040..041: argv from the initial stack.  The runner starts this
 * program as: args alpha "beta gamma" ""   (three arguments, the last empty).
 */
#include <string.h>
#include "libc_test.h"

int
main(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		printf("  argv[%d] = \"%s\"\n", i, argv[i]);
	CHECK("LIBC-040", "argc >= 1 and argv[argc] is NULL", argc >= 1 && argv[argc] == 0);
	CHECK("LIBC-041", "arguments arrive intact (alpha, \"beta gamma\", \"\")",
	      argc == 4 && strcmp(argv[1], "alpha") == 0 && strcmp(argv[2], "beta gamma") == 0 &&
	              argv[3][0] == 0);
	return libc_test_failures;
}
