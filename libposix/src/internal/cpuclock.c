/* SPDX-License-Identifier: MIT */
/*
 * CPU-time clocks, in Linux's encoding (musl's too):
 * CLOCK_PROCESS_CPUTIME_ID and CLOCK_THREAD_CPUTIME_ID name the caller's
 * process and thread; a negative id names another one:
 * clock_getcpuclockid(pid) gives (-pid-1)*8 + 2, pthread_getcpuclockid
 * (-tid-1)*8 + 6.  Bits 0-1 are the kind (2: run time, user + system; 0
 * and 1, Linux's PROF and VIRT, Ferry has not: EINVAL), bit 2 "a thread",
 * the other bits ~id.  The caller's own clocks are one kernel_info call
 * (FERRY_INFO_TASK_CPU_NS, FERRY_INFO_THREAD_CPU_NS: exact, the kernel
 * charges the TSC at each switch); a thread id must be one of the
 * caller's threads; another process's clock is procmgr's PROC_CPUCLOCK.
 * A process's clock counts all its images since fork, as Linux's: to our
 * own task's time we add the earlier images', asked from procmgr once per
 * image and process (a fork child has its own pid, an exec fresh memory).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <time.h>
#include <ferry/syscall.h>
#include "pm.h"

#define CPUCLOCK_SCHED     2
#define CPUCLOCK_PERTHREAD 4

static int earlier_pid; /* whose earlier_ns this is (0: not asked yet) */
static uint64_t earlier_ns;

/* The CPU time of our images before the last exec, in *ns. */
static long
earlier(uint64_t *ns)
{
	struct proc_pid_req req = {0, 0};
	struct proc_cpuclock_rep rep = {0};
	int pid = (int)__ferry_sys_getpid(0, 0, 0, 0, 0, 0);
	long rc;

	if (earlier_pid != pid) {
		rc = __ferry_pm(PROC_CPUCLOCK, &req, sizeof req, &rep, sizeof rep, 0, 0);
		if (rc < 0 && rc != -ENOSYS) /* ENOSYS: no procmgr, one image */
			return rc;
		earlier_ns = rep.earlier_ns;
		earlier_pid = pid;
	}
	*ns = earlier_ns;
	return 0;
}

long
__ferry_cpuclock(long clk, struct ferry_cpuclock *c)
{
	c->thread = clk == CLOCK_THREAD_CPUTIME_ID;
	c->id = 0;
	if (clk == CLOCK_PROCESS_CPUTIME_ID || clk == CLOCK_THREAD_CPUTIME_ID)
		return 1;
	if (clk >= 0)
		return 0;
	if ((int)clk != clk || (clk & 3) != CPUCLOCK_SCHED)
		return -EINVAL;
	c->thread = (clk & CPUCLOCK_PERTHREAD) != 0;
	c->id = ~(int)(clk >> 3);
	if (!c->thread && c->id == __ferry_sys_getpid(0, 0, 0, 0, 0, 0))
		c->id = 0;
	return 1;
}

long
__ferry_cpuclock_read(const struct ferry_cpuclock *c, uint64_t *ns)
{
	struct proc_pid_req req = {c->id, 0};
	struct proc_cpuclock_rep rep;
	long rc;

	if (c->thread) {
		rc = ferry_sys_kernel_info_thread(FERRY_INFO_THREAD_CPU_NS, 0, (uint32_t)c->id, ns);
		return rc ? -EINVAL : 0;
	}
	if (c->id == 0) {
		uint64_t base;
		rc = __ferry_status(ferry_sys_kernel_info_task(FERRY_INFO_TASK_CPU_NS, 0, ns));
		if (rc == 0 && (rc = earlier(&base)) == 0)
			*ns += base;
		return rc;
	}
	rc = __ferry_pm(PROC_CPUCLOCK, &req, sizeof req, &rep, sizeof rep, 0, 0);
	if (rc < 0)
		return rc == -ESRCH ? rc : -EINVAL;
	*ns = rep.ns;
	return 0;
}
