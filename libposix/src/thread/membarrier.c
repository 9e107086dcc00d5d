/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include "libposix.h"

#define MEMBARRIER_CMD_QUERY                      0
#define MEMBARRIER_CMD_GLOBAL                     1
#define MEMBARRIER_CMD_GLOBAL_EXPEDITED           2
#define MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED  4
#define MEMBARRIER_CMD_PRIVATE_EXPEDITED          8
#define MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED 16
#define SUPPORTED                                                                                  \
	(MEMBARRIER_CMD_GLOBAL | MEMBARRIER_CMD_GLOBAL_EXPEDITED |                                 \
	 MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED | MEMBARRIER_CMD_PRIVATE_EXPEDITED |             \
	 MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED)

/*
 * membarrier(cmd, flags).  Ferry runs on one CPU: another thread only runs
 * after a switch through the kernel, which orders all memory, so every
 * barrier is already there and the commands have nothing to do.  Offering
 * them spares musl its signal-based fallback (__synccall).
 */
long
__ferry_sys_membarrier(long cmd, long flags, long c, long d, long e, long f)
{
	(void)c, (void)d, (void)e, (void)f;
	if (flags)
		return -EINVAL;
	if (cmd == MEMBARRIER_CMD_QUERY)
		return SUPPORTED;
	if (cmd & ~SUPPORTED || (cmd & (cmd - 1)))
		return -EINVAL;
	return 0;
}
