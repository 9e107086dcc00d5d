/* SPDX-License-Identifier: MIT */
/*
 * mq_timedreceive (and mq_receive): MQ_RECEIVE; a buffer of at most
 * MQ_INLINE_MAX bytes takes the message from the reply, a larger one
 * through the transfer area.  The message leaves the queue only if we
 * took the reply, so an interrupted call loses nothing.
 */
#include <errno.h>
#include <string.h>
#include "mq.h"

long
__ferry_sys_mq_timedreceive(long fd, long msg, long len, long prio, long at, long f)
{
	struct mq_receive_req req;
	struct mq_receive_rep rep;
	handle_t port;
	uint32_t id;
	void *area = NULL;
	long rc, size;

	(void)f;
	if ((rc = __ferry_mq_fd(fd, &port)) < 0)
		return rc;
	memset(&req, 0, sizeof req);
	req.len = (unsigned long)len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
	req.deadline = __ferry_mq_deadline((const struct timespec *)at, &req.flags);
	if ((unsigned long)len > MQ_INLINE_MAX) {
		size = __ferry_xfer(port, &id, &area);
		if (size == -ENOSYS)
			return -EBADF;
		if (size > 0) {
			if (req.len > size)
				req.len = (uint32_t)size;
			req.xfer = id;
		} else {
			area = NULL; /* inline: enough for queues of small messages */
			req.len = MQ_INLINE_MAX;
		}
	}
	rc = __ferry_mq_rpc(port, MQ_RECEIVE, &req, sizeof req, &rep, sizeof rep);
	if (rc < 0)
		return rc;
	if (rep.len > req.len || (!area && rep.len > MQ_INLINE_MAX))
		return -EIO;
	memcpy((void *)msg, area ? area : rep.data, rep.len);
	if (prio)
		*(unsigned *)prio = rep.prio;
	return rep.len;
}
