/* SPDX-License-Identifier: MIT */
#include <ferry/syscall.h>
#include "libposix.h"

/*
 * set_tid_address(addr): the kernel zeroes *addr and wakes one futex
 * waiter there when the calling thread exits (musl's main thread passes
 * &__thread_list_lock).  Returns the caller's thread id.
 */
long
__ferry_sys_set_tid_address(long addr, long b, long c, long d, long e, long f)
{
	(void)b, (void)c, (void)d, (void)e, (void)f;
	return __ferry_status(ferry_sys_thread_set_tid_address((uint32_t *)addr));
}
