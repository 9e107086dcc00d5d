/* SPDX-License-Identifier: MIT */
#include "libposix.h"

/*
 * brk(addr).  A Ferry process has no program break: the call always
 * reports a break of 0 that cannot move, which is how Linux answers a
 * failed brk (the unchanged break).  musl's malloc then takes all its
 * memory from mmap, and sbrk(n) fails with ENOMEM.
 */
long
__ferry_sys_brk(long addr, long b, long c, long d, long e, long f)
{
	(void)addr, (void)b, (void)c, (void)d, (void)e, (void)f;
	return 0;
}
