// SPDX-License-Identifier: MIT
/*
 * Process groups and sessions: setpgid, setsid, getpgid, getsid with
 * POSIX's rules, and the question the terminal server asks (which session
 * a group belongs to).  Entry points: pgrp_setpgid, pgrp_setsid,
 * pgrp_exists.
 */
#include "procmgr.h"

bool
pgrp_exists(int pgid, int *sid, int *n)
{
	*n = 0;
	for (int i = 0; i < NPROC; i++) {
		const struct proc *p = &proctab[i];
		if ((p->state == PROC_LIVE || p->state == PROC_EMBRYO) && p->pgid == pgid) {
			*sid = p->sid;
			(*n)++;
		}
	}
	return *n > 0;
}

/*
 * setpgid(pid, pgid) by caller.  -FERRY_ESRCH: pid is neither the caller
 * nor its child; -FERRY_EACCES: the child has exec'd; -FERRY_EPERM: session leader, other session, or a group
 * that does not exist in the caller's session; -FERRY_EINVAL: pgid < 0.
 */
int
pgrp_setpgid(struct proc *caller, int pid, int pgid)
{
	if (pgid < 0)
		return -FERRY_EINVAL;
	struct proc *t = pid == 0 ? caller : proc_by_pid(pid);
	if (!t || t->state == PROC_ZOMBIE || (t != caller && t->ppid != caller->pid))
		return -FERRY_ESRCH;
	if (t != caller && t->execd)
		return -FERRY_EACCES;
	if (t->sid != caller->sid || t->pid == t->sid)
		return -FERRY_EPERM;
	if (pgid == 0)
		pgid = t->pid;
	if (pgid != t->pid) {
		int sid, n;
		if (!pgrp_exists(pgid, &sid, &n) || sid != caller->sid)
			return -FERRY_EPERM;
	}
	t->pgid = pgid;
	return 0;
}

/* setsid: -FERRY_EPERM when the caller already leads a group. */
int
pgrp_setsid(struct proc *caller)
{
	int sid, n;
	if (caller->pgid == caller->pid || pgrp_exists(caller->pid, &sid, &n))
		return -FERRY_EPERM;
	caller->sid = caller->pgid = caller->pid;
	caller->ctty = 0; /* a new session starts without a terminal */
	caller->ctty_pgrp = 0;
	return caller->sid;
}
