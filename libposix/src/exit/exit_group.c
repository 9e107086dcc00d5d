/* SPDX-License-Identifier: MIT */
#include <ferry/syscall.h>
#include "libposix.h"

/*
 * exit_group(code): ends the task, every thread of it.  Only the low 8
 * bits of the code are an exit status, as on Linux.
 */
long
__ferry_sys_exit_group(long code, long b, long c, long d, long e, long f)
{
	(void)b, (void)c, (void)d, (void)e, (void)f;
	ferry_sys_task_exit((int)(code & 0xff));
}
