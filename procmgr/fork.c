// SPDX-License-Identifier: MIT
/*
 * fork, in two steps around the kernel's task_clone (done by the parent
 * in libposix, docs/procmgr.md "fork"):
 *   PROC_FORK         a child entry (embryo) with its own pid and port;
 *                     the parent receives the port's send handle, so the
 *                     clone duplicates it into the child's table
 *   task_clone        (kernel) the child runs; it keeps the new port and
 *                     closes its copy of the parent's, the parent the reverse
 *   PROC_FORK_COMMIT  the parent hands over the child's task handle
 * Entry points: proc_fork, proc_fork_commit.
 */
#include "procmgr.h"

/*
 * Creates parent's child-to-be: inherits ids, credentials, limits
 * and signal state.  -FERRY_EAGAIN when RLIMIT_NPROC (6) or the table
 * says no.
 */
int
proc_fork(struct proc *parent, struct proc **child, handle_t *send)
{
	uint64_t nproc = parent->rlim[6][0];
	if (nproc != PROC_RLIM_INFINITY && (uint64_t)proc_count_uid(parent->uid) >= nproc)
		return -FERRY_EAGAIN;
	struct proc *c;
	int rc = proc_new(PROC_EMBRYO, &c, send);
	if (rc)
		return rc;
	c->ppid = parent->pid;
	c->pgid = parent->pgid;
	c->sid = parent->sid;
	c->uid = parent->uid, c->euid = parent->euid, c->suid = parent->suid;
	c->gid = parent->gid, c->egid = parent->egid, c->sgid = parent->sgid;
	c->ngroups = parent->ngroups;
	memcpy(c->groups, parent->groups, sizeof(c->groups));
	memcpy(c->rlim, parent->rlim, sizeof(c->rlim));
	c->sig_ignored = parent->sig_ignored;
	c->sig_handled = parent->sig_handled;
	c->sig_nodefer = parent->sig_nodefer;
	c->thr0.blocked = parent->thr0.blocked; /* libposix gives the forking thread's at once */
	c->nocldstop = parent->nocldstop;
	c->nocldwait = parent->nocldwait;
	memcpy(c->name, parent->name, sizeof(c->name));
	memcpy(c->exe, parent->exe, sizeof(c->exe));
	memcpy(c->cmdline, parent->cmdline, sizeof(c->cmdline));
	c->cmdlen = parent->cmdlen;
	cred_publish(c);
	*child = c;
	return 0;
}

/*
 * Attaches task (consumed) to the embryo pid, a child of parent.
 * -FERRY_ESRCH (no such embryo of this parent), -FERRY_EWRONGTYPE (not a
 * task handle: the fork is cancelled and the embryo freed).
 */
int
proc_fork_commit(struct proc *parent, int pid, handle_t task)
{
	struct proc *c = proc_by_pid(pid);
	struct ferry_handle_info hi;
	int rc = -FERRY_ESRCH;
	if (!c || c->state != PROC_EMBRYO || c->ppid != parent->pid)
		goto out;
	if ((rc = (int)ferry_sys_handle_info(task, &hi)))
		goto out;
	if (hi.type != FERRY_OBJ_TASK || !(hi.rights & FERRY_RIGHT_MANAGE)) {
		/* Any other handle cancels the fork (libposix sends the child's
		 * port back when task_clone failed). */
		proc_free(c);
		rc = -FERRY_EWRONGTYPE;
		goto out;
	}
	c->task = task;
	c->state = PROC_LIVE;
	if (c->died_early)
		proc_gone(c);
	return 0;
out:
	ferry_sys_handle_close(task);
	return rc;
}
