/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#include "pm.h"

/*
 * wait4(pid, status, options, rusage): PROC_WAIT blocks in procmgr until a
 * child matching pid changes.  The rusage has the child's CPU times (its
 * own and its waited-for children's, from procmgr); the rest is zero.
 */
long
__ferry_sys_wait4(long pid, long status, long options, long ru, long e, long f)
{
	/* wait4 always reports exits; WUNTRACED/WCONTINUED add stops and continues. */
	struct proc_wait_req req = {(int32_t)pid, (uint32_t)options | PROC_WEXITED};
	struct proc_wait_rep rep;
	long rc;

	(void)e, (void)f;
	if (options &
	    ~(long)(PROC_WNOHANG | PROC_WUNTRACED | PROC_WCONTINUED | 0x40000000 | 0x80000000))
		return -EINVAL;
	rc = __ferry_pm(PROC_WAIT, &req, sizeof req, &rep, sizeof rep, 0, 0);
	if (rc < 0)
		return rc == -ENOSYS ? -ECHILD : rc;
	if (status && rep.pid)
		*(int *)status = rep.wstatus;
	if (ru)
		__ferry_rusage_fill((struct rusage *)ru, rep.utime_ns, rep.stime_ns);
	return rep.pid;
}
