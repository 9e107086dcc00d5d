/* SPDX-License-Identifier: MIT */
#include "pm.h"

/* setpgid, getpgid, getpgrp, setsid, getsid: procmgr's groups and sessions. */
long
__ferry_sys_setpgid(long pid, long pgid, long c, long d, long e, long f)
{
	struct proc_setpgid_req req = {(int32_t)pid, (int32_t)pgid};

	(void)c, (void)d, (void)e, (void)f;
	__ferry_pgrp_forget(); /* ours may change: ask again when needed */
	return __ferry_pm(PROC_SETPGID, &req, sizeof req, 0, 0, 0, 0);
}

static long
get_id(uint32_t op, long pid)
{
	struct proc_pid_req req = {(int32_t)pid, 0};
	struct proc_id_rep rep;
	long rc = __ferry_pm(op, &req, sizeof req, &rep, sizeof rep, 0, 0);

	return rc < 0 ? rc : rep.id;
}

long
__ferry_sys_getpgid(long pid, long b, long c, long d, long e, long f)
{
	(void)b, (void)c, (void)d, (void)e, (void)f;
	return get_id(PROC_GETPGID, pid);
}

long
__ferry_sys_getpgrp(long a, long b, long c, long d, long e, long f)
{
	(void)a, (void)b, (void)c, (void)d, (void)e, (void)f;
	return get_id(PROC_GETPGID, 0);
}

long
__ferry_sys_getsid(long pid, long b, long c, long d, long e, long f)
{
	(void)b, (void)c, (void)d, (void)e, (void)f;
	return get_id(PROC_GETSID, pid);
}

long
__ferry_sys_setsid(long a, long b, long c, long d, long e, long f)
{
	struct proc_none_req req = {0};
	struct proc_id_rep rep;
	long rc;

	(void)a, (void)b, (void)c, (void)d, (void)e, (void)f;
	__ferry_pgrp_forget();
	rc = __ferry_pm(PROC_SETSID, &req, sizeof req, &rep, sizeof rep, 0, 0);
	return rc < 0 ? rc : rep.id;
}
