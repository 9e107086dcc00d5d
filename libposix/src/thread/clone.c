/* SPDX-License-Identifier: MIT */
#include <sys/syscall.h>
#include "libposix.h"

/*
 * The C side of __clone (arch/x86_64/clone.s).  Not implemented until the
 * threads work: it goes through the seam as SYS_clone, which is not in the
 * dispatch table, so it returns -ENOSYS and shows up in FERRY_TRACE.
 */
LP_HIDDEN int
__ferry_clone(int (*func)(void *), void *stack, int flags, void *arg, ...)
{
	(void)func, (void)arg;
	return (int)__ferry_syscall(SYS_clone, flags, (long)stack, 0, 0, 0, 0);
}
