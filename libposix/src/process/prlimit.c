/* SPDX-License-Identifier: MIT */
/*
 * prlimit64, getrlimit, setrlimit: limits live in procmgr (inherited,
 * RLIMIT_NPROC enforced by it at fork); RLIMIT_NOFILE is also enforced
 * here, by the descriptor table (__ferry_nofile).
 */
#include <errno.h>
#include <sys/resource.h>
#include "pm.h"

long
__ferry_sys_prlimit64(long pid, long res, long newp, long oldp, long e, long f)
{
	struct proc_rlimit_req req = {(int32_t)pid, (uint32_t)res, 0, 0, 0, 0};
	struct proc_rlimit_rep rep;
	const struct rlimit *nl = (const struct rlimit *)newp;
	struct rlimit *ol = (struct rlimit *)oldp;
	long rc;

	(void)e, (void)f;
	if (res < 0 || res >= RLIM_NLIMITS)
		return -EINVAL;
	if (nl) {
		req.set = 1;
		req.cur = nl->rlim_cur;
		req.max = nl->rlim_max;
	}
	rc = __ferry_pm(PROC_RLIMIT, &req, sizeof req, &rep, sizeof rep, 0, 0);
	if (rc == -ENOSYS) {
		rep.cur = rep.max = RLIM_INFINITY;
		rc = nl ? -EPERM : 0;
	}
	if (rc < 0)
		return rc;
	if (nl && res == RLIMIT_NOFILE && (pid == 0 || pid == __ferry_pid))
		__ferry_nofile =
		        nl->rlim_cur < FERRY_FD_MAX ? (unsigned)nl->rlim_cur : FERRY_FD_MAX;
	if (ol) {
		ol->rlim_cur = rep.cur;
		ol->rlim_max = rep.max;
	}
	return 0;
}

long
__ferry_sys_getrlimit(long res, long rl, long c, long d, long e, long f)
{
	(void)c, (void)d, (void)e, (void)f;
	return __ferry_sys_prlimit64(0, res, 0, rl, 0, 0);
}

long
__ferry_sys_setrlimit(long res, long rl, long c, long d, long e, long f)
{
	(void)c, (void)d, (void)e, (void)f;
	return __ferry_sys_prlimit64(0, res, rl, 0, 0, 0);
}
