/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <sched.h>
#include <stddef.h>
#include <time.h>
#include <ferry/syscall.h>
#include "libposix.h"

/*
 * Scheduling policies.  Ferry's kernel schedules every user thread at one
 * priority, round-robin with a fixed slice, which is Linux's SCHED_OTHER
 * seen from outside; it has no real-time or batch classes.  So every
 * thread reports SCHED_OTHER with priority 0, setting that is accepted,
 * and asking for another policy is EPERM, what Linux answers a process
 * without CAP_SYS_NICE (docs/syscalls.md).  The priority ranges are
 * Linux's, so that programs computing priorities from them get the same
 * numbers.  pid is a Linux thread id (__ferry_sched_target), a pid_t:
 * only its low 32 bits count, as in Linux's calls.
 */
#define POLICY_RESET_ON_FORK 0x40000000 /* SCHED_RESET_ON_FORK, or'ed into policy */
#define POLICY_BATCH         3
#define POLICY_IDLE          5
#define POLICY_DEADLINE      6

/* 1: a real-time policy, 0: another known one, -EINVAL: unknown. */
static int
policy_class(long policy)
{
	switch ((int)policy) {
	case SCHED_FIFO:
	case SCHED_RR:
		return 1;
	case SCHED_OTHER:
	case POLICY_BATCH:
	case POLICY_IDLE:
	case POLICY_DEADLINE:
		return 0;
	default:
		return -EINVAL;
	}
}

long
__ferry_sys_sched_get_priority_max(long policy, long b, long c, long d, long e, long f)
{
	(void)b, (void)c, (void)d, (void)e, (void)f;
	int cls = policy_class(policy);
	return cls < 0 ? cls : cls ? 99 : 0;
}

long
__ferry_sys_sched_get_priority_min(long policy, long b, long c, long d, long e, long f)
{
	(void)b, (void)c, (void)d, (void)e, (void)f;
	int cls = policy_class(policy);
	return cls < 0 ? cls : cls ? 1 : 0;
}

long
__ferry_sys_sched_getscheduler(long pid, long b, long c, long d, long e, long f)
{
	(void)b, (void)c, (void)d, (void)e, (void)f;
	pid = (int)pid;
	if (pid < 0)
		return -EINVAL;
	long rc = __ferry_sched_target(pid);
	return rc < 0 ? rc : SCHED_OTHER;
}

long
__ferry_sys_sched_getparam(long pid, long param, long c, long d, long e, long f)
{
	(void)c, (void)d, (void)e, (void)f;
	pid = (int)pid;
	if (pid < 0 || !param)
		return -EINVAL;
	long rc = __ferry_sched_target(pid);
	if (rc < 0)
		return rc;
	((struct sched_param *)param)->sched_priority = 0;
	return 0;
}

/* What setting policy (SCHED_OTHER for setparam) with *param would need. */
static long
sched_set(long pid, long policy, long param)
{
	pid = (int)pid;
	policy = (int)policy;
	if (pid < 0 || !param)
		return -EINVAL;
	int cls = policy_class(policy & ~POLICY_RESET_ON_FORK);
	if (cls < 0)
		return cls;
	int prio = ((const struct sched_param *)param)->sched_priority;
	if (cls ? prio < 1 || prio > 99 : prio != 0)
		return -EINVAL;
	long rc = __ferry_sched_target(pid);
	if (rc < 0)
		return rc;
	return (policy & ~POLICY_RESET_ON_FORK) == SCHED_OTHER ? 0 : -EPERM;
}

long
__ferry_sys_sched_setscheduler(long pid, long policy, long param, long d, long e, long f)
{
	(void)d, (void)e, (void)f;
	return sched_set(pid, policy, param);
}

long
__ferry_sys_sched_setparam(long pid, long param, long c, long d, long e, long f)
{
	(void)c, (void)d, (void)e, (void)f;
	return sched_set(pid, SCHED_OTHER, param);
}

long
__ferry_sys_sched_rr_get_interval(long pid, long ts, long c, long d, long e, long f)
{
	(void)c, (void)d, (void)e, (void)f;
	pid = (int)pid;
	if (pid < 0)
		return -EINVAL;
	long rc = __ferry_sched_target(pid);
	if (rc < 0)
		return rc;
	if (!ts)
		return -EFAULT;
	struct timespec *t = (struct timespec *)ts;
	t->tv_sec = (time_t)(FERRY_SCHED_SLICE_NS / 1000000000ull);
	t->tv_nsec = (long)(FERRY_SCHED_SLICE_NS % 1000000000ull);
	return 0;
}
