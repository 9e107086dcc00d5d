/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <ferry/syscall.h>
#include "libposix.h"

#define ARCH_SET_FS 0x1002

/*
 * arch_prctl(code, addr).  ARCH_SET_FS (musl's __set_thread_area) sets the
 * thread pointer through the kernel; no other operation is offered.
 */
long
__ferry_sys_arch_prctl(long code, long addr, long c, long d, long e, long f)
{
	(void)c, (void)d, (void)e, (void)f;
	if (code != ARCH_SET_FS)
		return -EINVAL;
	return __ferry_status(ferry_sys_thread_set_fs((uintptr_t)addr));
}
