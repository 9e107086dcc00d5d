/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <signal.h>
#include <time.h>
#include "pm.h"

/* The clock of each of our POSIX timers (for TIMER_ABSTIME), by id. */
LP_HIDDEN unsigned char __ferry_timer_clock[PROC_TIMERS_MAX];

/* The kernel's struct sigevent, as musl passes it. */
struct ksigevent {
	union sigval sigev_value;
	int sigev_signo;
	int sigev_notify;
	int sigev_tid;
};

/*
 * timer_create(clock, sevp, id): a POSIX timer in procmgr
 * (PROC_TIMER_CREATE).  SIGEV_SIGNAL (default SIGALRM) and SIGEV_NONE;
 * SIGEV_THREAD_ID (musl's SIGEV_THREAD) is not supported: EINVAL.
 */
long
__ferry_sys_timer_create(long clk, long sevp, long idp, long d, long e, long f)
{
	const struct ksigevent *sev = (const struct ksigevent *)sevp;
	struct proc_timer_req req = {0, SIGALRM, 0, 0};
	struct proc_timer_rep rep;
	long rc;

	(void)d, (void)e, (void)f;
	if (clk != CLOCK_REALTIME && clk != CLOCK_MONOTONIC && clk != CLOCK_BOOTTIME)
		return -EINVAL;
	if (sev) {
		if (sev->sigev_notify == SIGEV_NONE)
			req.sig = 0;
		else if (sev->sigev_notify == SIGEV_SIGNAL && sev->sigev_signo > 0 &&
		         sev->sigev_signo < FERRY_NSIG)
			req.sig = sev->sigev_signo;
		else
			return -EINVAL;
	}
	rc = __ferry_pm(PROC_TIMER_CREATE, &req, sizeof req, &rep, sizeof rep, 0, 0);
	if (rc < 0)
		return rc;
	if (rep.id >= 0 && rep.id < PROC_TIMERS_MAX)
		__ferry_timer_clock[rep.id] = (unsigned char)clk;
	*(int *)idp = rep.id;
	return 0;
}
