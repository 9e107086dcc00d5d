/* SPDX-License-Identifier: MIT */
#include <ferry/syscall.h>
#include "libposix.h"

/*
 * exit(code) and exit_group(code).  With one thread per process both end
 * the task; when threads arrive, exit becomes thread_exit (musl issues it
 * only from a thread that is not the last one).  Only the low 8 bits of
 * the code are an exit status, as on Linux.
 */
long
__ferry_sys_exit(long code, long b, long c, long d, long e, long f)
{
	(void)b, (void)c, (void)d, (void)e, (void)f;
	ferry_sys_task_exit((int)(code & 0xff));
}
