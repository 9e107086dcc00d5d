// SPDX-License-Identifier: MIT
/* The smallest musl program: exits 0 (the child of fork_exec_wait). */
int
main(void)
{
	return 0;
}
