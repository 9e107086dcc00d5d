/* SPDX-License-Identifier: MIT */
/*
 * mq_notify: MQ_NOTIFY for SIGEV_SIGNAL and SIGEV_NONE, or the removal
 * of our registration.  SIGEV_THREAD never gets here: musl makes it from
 * a netlink socket first, which Ferry does not have (docs/gaps.md).
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include "mq.h"

long
__ferry_sys_mq_notify(long fd, long sevp, long c, long d, long e, long f)
{
	const struct sigevent *sev = (const struct sigevent *)sevp;
	struct mq_notify_req req;
	struct ferry_status_rep rep;
	handle_t port;
	long rc;

	(void)c, (void)d, (void)e, (void)f;
	if ((rc = __ferry_mq_fd(fd, &port)) < 0)
		return rc;
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
		return -ENOSYS;
	} else {
		return -EINVAL;
	}
	rc = __ferry_sys_getpid(0, 0, 0, 0, 0, 0);
	req.pid = rc > 0 ? (int32_t)rc : 0;
	return __ferry_mq_rpc(port, MQ_NOTIFY, &req, sizeof req, &rep, sizeof rep);
}
