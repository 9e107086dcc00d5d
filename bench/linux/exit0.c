// SPDX-License-Identifier: MIT
/* The program linux_fork_exec_wait executes: a static C program that exits 0. */
int
main(void)
{
	return 0;
}
