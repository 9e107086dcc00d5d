/* SPDX-License-Identifier: MIT */
/*
 * fork(): procmgr makes the child's entry and port first (PROC_FORK), the
 * kernel clones us (copy-on-write memory, duplicated handle table: the
 * child's descriptors name the same descriptions, so offsets are shared),
 * then we hand procmgr the child's task (PROC_FORK_COMMIT).  Each side
 * keeps its own process port and closes the other's.  docs/procmgr.md.
 */
#include <errno.h>
#include <ferry/syscall.h>
#include "pm.h"

long
__ferry_sys_fork(long a, long b, long c, long d, long e, long f)
{
	struct proc_none_req none = {0};
	struct proc_fork_rep rep;
	struct proc_pid_req commit;
	handle_t childport, task = 0, me = __ferry_proc.procmgr;
	long rc;

	(void)a, (void)b, (void)c, (void)d, (void)e, (void)f;
	rc = __ferry_pm(PROC_FORK, &none, sizeof none, &rep, sizeof rep, 0, &childport);
	if (rc < 0)
		return rc;
	if (!childport)
		return -EIO;
	rc = ferry_sys_task_clone(0, &task);
	if (rc == FERRY_CLONE_CHILD) {
		(void)ferry_sys_handle_close(me);
		__ferry_proc.procmgr = childport;
		__ferry_pid = rep.pid;
		/* The parent's task handle is not ours to keep. */
		if (__ferry_proc.self_task) {
			(void)ferry_sys_handle_close(__ferry_proc.self_task);
			__ferry_proc.self_task = 0;
		}
		__ferry_xfer_reset();
		/* procmgr learns our thread and mask at musl's restore of the mask. */
		__ferry_sig_known = 0;
		return 0;
	}
	commit.pid = rep.pid;
	commit.pad = 0;
	if (rc < 0) {
		/* Cancels the child entry: procmgr gets its port back, not a task. */
		(void)__ferry_pm(PROC_FORK_COMMIT, &commit, sizeof commit, 0, 0, childport, 0);
		return rc == -FERRY_EQUOTA || rc == -FERRY_ENOMEM ? -EAGAIN : __ferry_status(rc);
	}
	(void)ferry_sys_handle_close(childport);
	(void)__ferry_pm(PROC_FORK_COMMIT, &commit, sizeof commit, 0, 0, task, 0);
	return rep.pid;
}
