/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <time.h>
#include "pm.h"

/* The clock of each of our POSIX timers (for TIMER_ABSTIME), by id; a
 * thread's own CPU clock is recorded by its thread id. */
LP_HIDDEN clockid_t __ferry_timer_clock[PROC_TIMERS_MAX];

/* The kernel's struct sigevent, as musl passes it. */
struct ksigevent {
	union sigval sigev_value;
	int sigev_signo;
	int sigev_notify;
	int sigev_tid;
};

/* The clock clk as procmgr knows it, in req; the clock to record in *rec. */
static long
timer_clock(long clk, struct proc_timer_req *req, clockid_t *rec)
{
	struct ferry_cpuclock cc;
	long r = __ferry_cpuclock(clk, &cc);

	*rec = (clockid_t)clk;
	if (r < 0)
		return r;
	if (r == 0) {
		if (clk != CLOCK_REALTIME && clk != CLOCK_MONOTONIC && clk != CLOCK_BOOTTIME)
			return -EINVAL;
		req->clock = PROC_CLOCK_MONOTONIC;
		return 0;
	}
	if (!cc.thread) {
		if (cc.id != 0)
			return -EINVAL; /* another process's clock */
		req->clock = PROC_CLOCK_PROCESS_CPU;
		*rec = CLOCK_PROCESS_CPUTIME_ID;
		return 0;
	}
	req->clock = PROC_CLOCK_THREAD_CPU;
	req->clock_tid = cc.id ? cc.id : (int32_t)__ferry_tid();
	*rec = (clockid_t)((-req->clock_tid - 1) * 8 + 6);
	return 0;
}

/*
 * timer_create(clock, sevp, id): a POSIX timer in procmgr
 * (PROC_TIMER_CREATE) on CLOCK_REALTIME, MONOTONIC, BOOTTIME, the
 * process's CPU clock or one of its threads'.  SIGEV_SIGNAL (without sevp:
 * SIGALRM with the id as si_value), SIGEV_NONE, and SIGEV_THREAD_ID (a
 * thread of ours), on which musl builds SIGEV_THREAD.
 */
long
__ferry_sys_timer_create(long clk, long sevp, long idp, long d, long e, long f)
{
	const struct ksigevent *sev = (const struct ksigevent *)sevp;
	struct proc_timer_req req = {.sig = SIGALRM, .flags = PROC_TIMER_VALUE_ID};
	struct proc_timer_rep rep;
	clockid_t rec;
	long rc;

	(void)d, (void)e, (void)f;
	rc = timer_clock(clk, &req, &rec);
	if (rc < 0)
		return rc;
	if (sev) {
		req.flags = 0;
		req.value = (uint64_t)(uintptr_t)sev->sigev_value.sival_ptr;
		switch (sev->sigev_notify) {
		case SIGEV_NONE:
			req.sig = 0;
			break;
		case SIGEV_THREAD_ID:
			if (sev->sigev_tid <= 0)
				return -EINVAL;
			req.notify_tid = sev->sigev_tid;
			/* fallthrough */
		case SIGEV_SIGNAL:
			if (sev->sigev_signo <= 0 || sev->sigev_signo >= FERRY_NSIG)
				return -EINVAL;
			req.sig = sev->sigev_signo;
			break;
		default:
			return -EINVAL;
		}
	}
	rc = __ferry_pm(PROC_TIMER_CREATE, &req, sizeof req, &rep, sizeof rep, 0, 0);
	if (rc < 0)
		return rc;
	if (rep.id < 0 || rep.id >= PROC_TIMERS_MAX)
		return -EAGAIN;
	__ferry_timer_clock[rep.id] = rec;
	*(int *)idp = rep.id;
	return 0;
}
