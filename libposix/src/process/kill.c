/* SPDX-License-Identifier: MIT */
#include "pm.h"

/* kill(pid, sig): procmgr decides; signals it hands back for us run now. */
long
__ferry_sys_kill(long pid, long sig, long c, long d, long e, long f)
{
	struct proc_kill_req req = {(int32_t)pid, (int32_t)sig};
	struct proc_sig_rep rep;
	long rc;

	(void)c, (void)d, (void)e, (void)f;
	rc = __ferry_pm(PROC_KILL, &req, sizeof req, &rep, sizeof rep, 0, 0);
	if (rc == 0 && rep.deliver) {
		__ferry_sig_run(rep.deliver);
		__ferry_sig_settle();
	}
	return rc;
}

/* The thread layer's hook for tkill/tgkill (thread/tkill.c): one thread
 * per process as far as signals go, so a signal to a thread is a signal
 * to its process. */
long
__ferry_thread_signal(long tid, long sig)
{
	(void)tid;
	return __ferry_sys_kill(__ferry_sys_getpid(0, 0, 0, 0, 0, 0), sig, 0, 0, 0, 0);
}
