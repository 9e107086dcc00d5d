/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <ferry/syscall.h>
#include "pm.h"

/*
 * One PROC_KILL: kill, a signal to one of our threads (target_tid), or
 * sigqueue (PROC_KILL_QUEUE with code and value).  procmgr decides; a
 * signal it hands back for the calling thread runs now.
 */
static long
send(struct proc_kill_req *req)
{
	struct proc_sig_rep rep;
	long rc;

	__ferry_sig_tell(); /* the reply must not hand out what we block */
	req->tid = __ferry_sig_tid();
	memset(&rep, 0, sizeof rep);
	rc = __ferry_sig_call(PROC_KILL, req, sizeof *req, &rep, sizeof rep);
	if (rc == 0 && rep.deliver)
		__ferry_sig_run(rep.deliver, &rep.info);
	__ferry_sig_settle(rc == 0 ? rep.pending : 0);
	return rc;
}

/* kill(pid, sig) */
long
__ferry_sys_kill(long pid, long sig, long c, long d, long e, long f)
{
	struct proc_kill_req req = {.pid = (int32_t)pid, .sig = (int32_t)sig};

	(void)c, (void)d, (void)e, (void)f;
	if ((int32_t)pid != pid || (int32_t)sig != sig)
		return pid != (int32_t)pid ? -ESRCH : -EINVAL;
	return send(&req);
}

/* The thread layer's hook for tkill/tgkill (thread/tkill.c): tid is a live
 * thread of ours, sig 1..64. */
long
__ferry_thread_signal(long tid, long sig)
{
	struct proc_kill_req req = {.pid = __ferry_sys_getpid(0, 0, 0, 0, 0, 0),
	                            .sig = (int32_t)sig,
	                            .target_tid = (int32_t)tid};
	return send(&req);
}

/* sigqueue's value and si_code from a caller's siginfo; EFAULT without one. */
static long
queue(long pid, long tid, long sig, const siginfo_t *si)
{
	struct proc_kill_req req = {.pid = (int32_t)pid,
	                            .sig = (int32_t)sig,
	                            .target_tid = (int32_t)tid,
	                            .flags = PROC_KILL_QUEUE};

	if (!si)
		return -EFAULT;
	if (sig < 0 || sig >= FERRY_NSIG)
		return -EINVAL;
	if (pid <= 0 || (int32_t)pid != pid)
		return -ESRCH;
	req.code = si->si_code;
	req.value = (uint64_t)(uintptr_t)si->si_value.sival_ptr;
	return send(&req);
}

/* rt_sigqueueinfo(pid, sig, info): sigqueue. */
long
__ferry_sys_rt_sigqueueinfo(long pid, long sig, long info, long d, long e, long f)
{
	(void)d, (void)e, (void)f;
	return queue(pid, 0, sig, (const siginfo_t *)info);
}

/* rt_tgsigqueueinfo(tgid, tid, sig, info): sigqueue to one of our threads. */
long
__ferry_sys_rt_tgsigqueueinfo(long tgid, long tid, long sig, long info, long e, long f)
{
	(void)e, (void)f;
	if (tid <= 0)
		return -EINVAL;
	if (tgid != __ferry_sys_getpid(0, 0, 0, 0, 0, 0) ||
	    ferry_sys_thread_tid((uint32_t)tid) != tid)
		return -ESRCH;
	return queue(tgid, tid, sig, (const siginfo_t *)info);
}
