/* SPDX-License-Identifier: MIT */
#include "libposix.h"

/*
 * exit(code): ends the calling thread only (musl's pthread_exit issues it
 * from a thread that is not the last one; exit() uses exit_group).  When
 * the last thread of a task ends this way the task ends with status 0.
 */
long
__ferry_sys_exit(long code, long b, long c, long d, long e, long f)
{
	(void)b, (void)c, (void)d, (void)e, (void)f;
	__ferry_thread_exit((int)code);
}
