/* SPDX-License-Identifier: MIT */
/*
 * mq_timedsend (and mq_send): MQ_SEND, the message inline up to
 * MQ_INLINE_MAX bytes, else through the transfer area.  posixsrv waits
 * for room up to the deadline, so a signal breaks the call (EINTR, or a
 * restart with SA_RESTART: the message is queued only if we took the reply).
 * A notification signal our message sent to ourselves runs before we return.
 */
#include <errno.h>
#include <string.h>
#include "mq.h"
#include "pm.h"

long
__ferry_sys_mq_timedsend(long fd, long msg, long len, long prio, long at, long f)
{
	struct mq_send_req req;
	struct mq_send_rep rep;
	handle_t port;
	uint32_t id;
	void *area;
	long rc, size;

	(void)f;
	if ((rc = __ferry_mq_fd(fd, &port)) < 0)
		return rc;
	if ((unsigned long)prio > UINT32_MAX)
		return -EINVAL;
	if ((unsigned long)len > MQ_MSGSIZE_MAX)
		return -EMSGSIZE; /* above any queue's mq_msgsize */
	memset(&req, 0, sizeof req);
	req.len = (uint32_t)len;
	req.prio = (uint32_t)prio;
	req.deadline = __ferry_mq_deadline((const struct timespec *)at, &req.flags);
	rc = __ferry_sys_getpid(0, 0, 0, 0, 0, 0);
	req.pid = rc > 0 ? (int32_t)rc : 0;
	if (len <= MQ_INLINE_MAX) {
		memcpy(req.data, (const void *)msg, (size_t)len);
	} else {
		size = __ferry_xfer(port, &id, &area);
		if (size == -ENOSYS)
			return -EBADF;
		if (size < 0)
			return size;
		if (len > size)
			return -EMSGSIZE;
		memcpy(area, (const void *)msg, (size_t)len);
		req.xfer = id;
	}
	rc = __ferry_mq_rpc(port, MQ_SEND, &req, sizeof req, &rep, sizeof rep);
	/* We notified ourselves: procmgr has the signal queued before this
	 * call of ours; take it now, as Linux delivers it before returning. */
	if (rc == 0 && rep.notified > 0 && rep.notified == req.pid)
		(void)__ferry_sig_sync(0, 0);
	return rc;
}
