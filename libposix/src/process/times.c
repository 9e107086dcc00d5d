/* SPDX-License-Identifier: MIT */
/*
 * times and getrusage: CPU time from procmgr (PROC_TIMES), which sums the
 * kernel's per-task counts (1 ms ticks) over the process's images and
 * keeps its waited-for children's.  times' value is clock ticks (100 Hz,
 * sysconf(_SC_CLK_TCK)) since boot, as Linux's is since an arbitrary
 * point.  Without procmgr every figure is zero.  RUSAGE_THREAD is the
 * calling thread's exact run time (kernel_info FERRY_INFO_THREAD_CPU_NS)
 * split into user and system in the process's proportion.  Only the times
 * of struct rusage are filled; the rest is zero.
 */
#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/times.h>
#include <ferry/syscall.h>
#include "pm.h"

#define NS_PER_CLK 10000000u /* 100 Hz */

static void
cpu_times(struct proc_times_rep *r)
{
	struct proc_none_req none = {0};

	if (__ferry_pm(PROC_TIMES, &none, sizeof none, r, sizeof *r, 0, 0) < 0)
		memset(r, 0, sizeof *r);
}

static struct timeval
tv_of(uint64_t ns)
{
	struct timeval tv = {(time_t)(ns / 1000000000u), (suseconds_t)(ns % 1000000000u / 1000u)};
	return tv;
}

void
__ferry_rusage_fill(struct rusage *u, uint64_t utime_ns, uint64_t stime_ns)
{
	memset(u, 0, sizeof *u);
	u->ru_utime = tv_of(utime_ns);
	u->ru_stime = tv_of(stime_ns);
}

/* The calling thread's time, split as the process's (p) is. */
static void
thread_times(struct rusage *u, const struct proc_times_rep *p)
{
	uint64_t run = 0, pu = p->utime_ns / 1000000, ps = p->stime_ns / 1000000, user;

	(void)ferry_sys_kernel_info_thread(FERRY_INFO_THREAD_CPU_NS, 0, 0, &run);
	/* run * pu / (pu + ps), in whole ms of the process's time: no overflow. */
	user = pu + ps ? run / (pu + ps) * pu + run % (pu + ps) * pu / (pu + ps) : run;
	__ferry_rusage_fill(u, user, run - user);
}

long
__ferry_sys_times(long buf, long b, long c, long d, long e, long f)
{
	uint64_t ns = 0;

	(void)b, (void)c, (void)d, (void)e, (void)f;
	if (buf) {
		struct tms *t = (struct tms *)buf;
		struct proc_times_rep r;
		cpu_times(&r);
		t->tms_utime = (clock_t)(r.utime_ns / NS_PER_CLK);
		t->tms_stime = (clock_t)(r.stime_ns / NS_PER_CLK);
		t->tms_cutime = (clock_t)(r.cutime_ns / NS_PER_CLK);
		t->tms_cstime = (clock_t)(r.cstime_ns / NS_PER_CLK);
	}
	(void)ferry_sys_clock_get(FERRY_CLOCK_MONOTONIC, &ns);
	return (long)(ns / NS_PER_CLK);
}

long
__ferry_sys_getrusage(long who, long buf, long c, long d, long e, long f)
{
	struct rusage *ru = (struct rusage *)buf;
	struct proc_times_rep r;

	(void)c, (void)d, (void)e, (void)f;
	if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN && who != RUSAGE_THREAD)
		return -EINVAL;
	if (!buf)
		return -EFAULT;
	cpu_times(&r);
	if (who == RUSAGE_CHILDREN)
		__ferry_rusage_fill(ru, r.cutime_ns, r.cstime_ns);
	else if (who == RUSAGE_THREAD)
		thread_times(ru, &r);
	else
		__ferry_rusage_fill(ru, r.utime_ns, r.stime_ns);
	return 0;
}
