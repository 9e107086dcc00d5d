/* SPDX-License-Identifier: MIT */
/*
 * POSIX clock ids -> Ferry clocks.  The kernel keeps two clocks: monotonic
 * time since boot, and real time.  Ferry does not suspend, so BOOTTIME is
 * MONOTONIC; the coarse and raw variants read the same clocks.  CPU-time
 * clocks are cpuclock.c's.  TAI needs the leap-second offset: EINVAL, as
 * Linux answers for a clock it does not have.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <time.h>
#include <ferry/syscall.h>
#include "libposix.h"

long
__ferry_clock(long clk)
{
	switch (clk) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		return FERRY_CLOCK_REALTIME;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		return FERRY_CLOCK_MONOTONIC;
	}
	return -EINVAL;
}
