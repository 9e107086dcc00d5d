/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include "pm.h"

/* waitid(idtype, id, info, options, rusage) on PROC_WAIT. */
long
__ferry_sys_waitid(long idtype, long id, long info, long options, long ru, long f)
{
	struct proc_wait_req req;
	struct proc_wait_rep rep;
	siginfo_t *si = (siginfo_t *)info;
	long rc;

	(void)f;
	switch (idtype) {
	case P_ALL:
		req.pid = -1;
		break;
	case P_PID:
		if (id <= 0)
			return -EINVAL;
		req.pid = (int32_t)id;
		break;
	case P_PGID:
		if (id < 0)
			return -EINVAL;
		req.pid = id ? -(int32_t)id : 0;
		break;
	default:
		return -EINVAL;
	}
	if (!(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	req.options = (uint32_t)options;
	rc = __ferry_pm(PROC_WAIT, &req, sizeof req, &rep, sizeof rep, 0, 0);
	if (rc < 0)
		return rc == -ENOSYS ? -ECHILD : rc;
	if (si) {
		memset(si, 0, sizeof *si);
		if (rep.pid) {
			si->si_signo = SIGCHLD;
			si->si_code = rep.code;
			si->si_pid = rep.pid;
			si->si_uid = rep.uid;
			si->si_status = rep.value;
		}
	}
	if (ru)
		__ferry_rusage_fill((struct rusage *)ru, rep.utime_ns, rep.stime_ns);
	return 0;
}
