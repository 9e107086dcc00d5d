/* SPDX-License-Identifier: MIT */
/*
 * fork(): procmgr makes the child's entry and port first (PROC_FORK), the
 * kernel clones us (copy-on-write memory, duplicated handle table: the
 * child's descriptors name the same descriptions, so offsets are shared),
 * then we hand procmgr the child's task (PROC_FORK_COMMIT).  Each side
 * keeps its own process port and closes the other's.  docs/procmgr.md.
 * musl's fork() around this call runs the pthread_atfork handlers and
 * holds its own locks (malloc's among them); docs/threads.md "fork from a
 * threaded process".
 */
#include <errno.h>
#include <string.h>
#include <ferry/syscall.h>
#include "pm.h"

/*
 * PROC_FORK: the child's pid, a send handle to its port, and (handles[1])
 * the object the child publishes its descriptors in (internal/fdpub.c).
 */
static long
fork_call(struct proc_fork_rep *rep, handle_t *childport, handle_t *pub)
{
	struct ferry_msg m;
	long rc;

	*childport = *pub = 0;
	if (!__ferry_proc.procmgr)
		return -ENOSYS;
	memset(&m, 0, sizeof m);
	m.op = PROC_FORK;
	m.len = sizeof(struct proc_none_req);
	if ((rc = ferry_sys_msg_call(__ferry_proc.procmgr, &m, FERRY_TIME_INFINITE)) < 0)
		return __ferry_status(rc);
	for (unsigned i = 0; i < m.nhandles && i < FERRY_MSG_HANDLES_MAX; i++) {
		if (i == 0)
			*childport = m.handles[0];
		else if (i == 1)
			*pub = m.handles[1];
		else
			(void)ferry_sys_handle_close(m.handles[i]);
	}
	memset(rep, 0, sizeof *rep);
	memcpy(rep, m.data, m.len < sizeof *rep ? m.len : sizeof *rep);
	if (m.len < sizeof rep->status || rep->status < 0) {
		if (*childport)
			(void)ferry_sys_handle_close(*childport);
		if (*pub)
			(void)ferry_sys_handle_close(*pub);
		*childport = *pub = 0;
		return m.len < sizeof rep->status ? -EIO : __ferry_status(rep->status);
	}
	return 0;
}

/* The child's own published table replaces the parent's (shared) one, or,
 * without one, the child stops writing to the parent's. */
static void
child_fdpub(handle_t pub)
{
	struct ferry_map_req r = {(uintptr_t)__ferry_fdpub, FERRY_FDPUB_SIZE,
	                          FERRY_PROT_READ | FERRY_PROT_WRITE | FERRY_MAP_FIXED, 0};

	if (!__ferry_fdpub)
		return;
	if (!pub || ferry_sys_vm_map(0, pub, 0, &r, 0) < 0)
		__ferry_fdpub = 0;
}

long
__ferry_sys_fork(long a, long b, long c, long d, long e, long f)
{
	struct proc_fork_rep rep;
	struct proc_pid_req commit;
	handle_t childport, pub, task = 0, me = __ferry_proc.procmgr;
	long rc;

	(void)a, (void)b, (void)c, (void)d, (void)e, (void)f;
	if ((rc = fork_call(&rep, &childport, &pub)) < 0)
		return rc;
	if (!childport) {
		if (pub)
			(void)ferry_sys_handle_close(pub);
		return -EIO;
	}
	/*
	 * No other thread may be changing the fd table while it is copied.
	 * Taken here, inside musl's fork, rather than by pthread_atfork
	 * handlers: the application's prepare and child handlers run outside
	 * it and may open and close descriptors.
	 */
	__ferry_fd_atfork_prepare();
	rc = ferry_sys_task_clone(0, &task);
	if (rc == FERRY_CLONE_CHILD) {
		__ferry_fd_atfork_child();
		child_fdpub(pub);
		if (pub)
			(void)ferry_sys_handle_close(pub);
		(void)ferry_sys_handle_close(me);
		__ferry_proc.procmgr = childport;
		__ferry_pid = rep.pid;
		/* The parent's task handle is not ours to keep. */
		if (__ferry_proc.self_task) {
			(void)ferry_sys_handle_close(__ferry_proc.self_task);
			__ferry_proc.self_task = 0;
		}
		__ferry_xfer_reset();
		__ferry_lock_fork_child(); /* record locks are not inherited */
		/* procmgr learns our thread and mask at musl's restore of the mask. */
		__ferry_sig_known = 0;
		return 0;
	}
	__ferry_fd_atfork_parent();
	if (pub)
		(void)ferry_sys_handle_close(pub);
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
