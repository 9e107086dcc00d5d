/* SPDX-License-Identifier: MIT */
/*
 * mq_notify: MQ_NOTIFY for SIGEV_SIGNAL and SIGEV_NONE, or the removal
 * of our registration.  SIGEV_THREAD comes from libc's mq_notify
 * (libposix/arch/x86_64/mq_notify.c, in place of musl's netlink one) with
 * sigev_signo holding a port handle, which is moved to posixsrv (and
 * closed here on an early error: it is always consumed).  Our token goes
 * first: posixsrv learns our pid from procmgr's table with it.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <ferry/syscall.h>
#include "mq.h"

long
__ferry_sys_mq_notify(long fd, long sevp, long c, long d, long e, long f)
{
	const struct sigevent *sev = (const struct sigevent *)sevp;
	struct mq_notify_req req;
	struct ferry_status_rep rep;
	struct ferry_handle_info info;
	handle_t port;
	long rc;

	(void)c, (void)d, (void)e, (void)f;
	handle_t hin = sev && sev->sigev_notify == SIGEV_THREAD ? (handle_t)sev->sigev_signo : 0;
	if ((rc = __ferry_mq_fd(fd, &port)) < 0) {
		if (hin)
			(void)ferry_sys_handle_close(hin);
		return rc;
	}
	memset(&req, 0, sizeof req);
	if (!sev) {
		req.how = MQ_NOTIFY_REMOVE;
	} else if (sev->sigev_notify == SIGEV_NONE) {
		req.how = MQ_NOTIFY_NONE;
	} else if (sev->sigev_notify == SIGEV_SIGNAL) {
		req.how = MQ_NOTIFY_SIGNAL;
		req.signo = sev->sigev_signo;
		req.value = (uint64_t)(uintptr_t)sev->sigev_value.sival_ptr;
	} else if (sev->sigev_notify == SIGEV_THREAD) {
		req.how = MQ_NOTIFY_THREAD;
	} else {
		return -EINVAL;
	}
	handle_t hs[2] = {0, hin};
	if ((rc = __ferry_proc_token(&hs[0])) < 0) {
		if (hin)
			(void)ferry_sys_handle_close(hin);
		return rc == -ENOSYS ? -EPERM : rc;
	}
	rc = __ferry_rpc_n(port, MQ_NOTIFY, &req, sizeof req, &rep, sizeof rep, hs, hin ? 2 : 1, 0);
	/* A call the kernel refused left the port with us (a moved one is
	 * gone from our table, so its stale value no longer names it). */
	for (int i = 0; i < 2; i++)
		if (rc < 0 && hs[i] && ferry_sys_handle_info(hs[i], &info) == 0)
			(void)ferry_sys_handle_close(hs[i]);
	return rc == -ENOSYS ? -EBADF : rc;
}
