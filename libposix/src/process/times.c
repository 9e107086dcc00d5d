/* SPDX-License-Identifier: MIT */
/*
 * times and getrusage.  The kernel does not account CPU time per task
 * yet, so the CPU figures are zero; times' value is clock ticks (100 Hz,
 * sysconf(_SC_CLK_TCK)) since boot, as Linux's is since an arbitrary point.
 */
#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/times.h>
#include <ferry/syscall.h>
#include "pm.h"

long
__ferry_sys_times(long buf, long b, long c, long d, long e, long f)
{
	uint64_t ns = 0;

	(void)b, (void)c, (void)d, (void)e, (void)f;
	if (buf)
		memset((void *)buf, 0, sizeof(struct tms));
	(void)ferry_sys_clock_get(FERRY_CLOCK_MONOTONIC, &ns);
	return (long)(ns / 10000000u);
}

long
__ferry_sys_getrusage(long who, long buf, long c, long d, long e, long f)
{
	(void)c, (void)d, (void)e, (void)f;
	if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN && who != RUSAGE_THREAD)
		return -EINVAL;
	if (!buf)
		return -EFAULT;
	memset((void *)buf, 0, sizeof(struct rusage));
	return 0;
}
