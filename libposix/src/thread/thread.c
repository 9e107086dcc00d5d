/* SPDX-License-Identifier: MIT */
/*
 * Thread ids.  musl keeps the id set_tid_address returns as the owner tag
 * in its locks, so it must be nonzero and unique among the process's
 * threads.  Until threads exist the process has one thread, id 1; with
 * threads, ids will be allocated per process here (and made visible to
 * procmgr for tgkill).
 */
#include "libposix.h"

#define FERRY_MAIN_TID 1

long
__ferry_tid(void)
{
	return FERRY_MAIN_TID;
}

/* set_tid_address(addr): the clear-on-exit address matters only to threads. */
long
__ferry_sys_set_tid_address(long addr, long b, long c, long d, long e, long f)
{
	(void)addr, (void)b, (void)c, (void)d, (void)e, (void)f;
	return __ferry_tid();
}

long
__ferry_sys_gettid(long a, long b, long c, long d, long e, long f)
{
	(void)a, (void)b, (void)c, (void)d, (void)e, (void)f;
	return __ferry_tid();
}
