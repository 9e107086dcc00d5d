/* SPDX-License-Identifier: MIT */
#include <ferry/syscall.h>
#include "libposix.h"

/* sched_yield(): thread_yield (to the other ready threads of the same priority). */
long
__ferry_sys_sched_yield(long a, long b, long c, long d, long e, long f)
{
	(void)a, (void)b, (void)c, (void)d, (void)e, (void)f;
	return __ferry_status(ferry_sys_thread_yield());
}
