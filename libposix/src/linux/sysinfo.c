/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <ferry/syscall.h>
#include "libposix.h"

/*
 * sysinfo(info): uptime from the monotonic clock, memory from the
 * kernel's page counters (the same figures as /proc/meminfo).  Load
 * averages are 0 (no scheduler accounting yet, as /proc/loadavg); no
 * swap, no shared or buffer memory.
 */
long
__ferry_sys_sysinfo(long infop, long b, long c, long d, long e, long f)
{
	struct sysinfo *si = (struct sysinfo *)infop;
	uint64_t ns = 0, total = 0, freep = 0;

	(void)b, (void)c, (void)d, (void)e, (void)f;
	if (!si)
		return -EFAULT;
	(void)ferry_sys_clock_get(FERRY_CLOCK_MONOTONIC, &ns);
	(void)ferry_sys_kernel_info(FERRY_INFO_TOTAL_PAGES, &total);
	(void)ferry_sys_kernel_info(FERRY_INFO_FREE_PAGES, &freep);
	memset(si, 0, sizeof *si);
	si->uptime = (long)(ns / 1000000000u);
	si->totalram = total;
	si->freeram = freep;
	si->procs = 1;
	si->mem_unit = 4096;
	return 0;
}
