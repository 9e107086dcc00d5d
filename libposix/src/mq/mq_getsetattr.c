/* SPDX-License-Identifier: MIT */
/*
 * mq_getsetattr (mq_getattr, mq_setattr): MQ_GETSETATTR; only O_NONBLOCK
 * of mq_flags can change (other bits: EINVAL, as on Linux).
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <string.h>
#include "mq.h"

long
__ferry_sys_mq_getsetattr(long fd, long newp, long oldp, long d, long e, long f)
{
	const struct mq_attr *nw = (const struct mq_attr *)newp;
	struct mq_attr *old = (struct mq_attr *)oldp;
	struct mq_attr_req req;
	struct mq_attr_rep rep;
	handle_t port;
	long rc;

	(void)d, (void)e, (void)f;
	if ((rc = __ferry_mq_fd(fd, &port)) < 0)
		return rc;
	memset(&req, 0, sizeof req);
	if (nw) {
		if (nw->mq_flags & ~(long)O_NONBLOCK)
			return -EINVAL;
		req.set = 1;
		req.flags = nw->mq_flags & O_NONBLOCK ? MQ_O_NONBLOCK : 0;
	}
	rc = __ferry_mq_rpc(port, MQ_GETSETATTR, &req, sizeof req, &rep, sizeof rep);
	if (rc < 0)
		return rc;
	if (old) {
		memset(old, 0, sizeof *old);
		old->mq_flags = rep.flags & MQ_O_NONBLOCK ? O_NONBLOCK : 0;
		old->mq_maxmsg = rep.maxmsg;
		old->mq_msgsize = rep.msgsize;
		old->mq_curmsgs = rep.curmsgs;
	}
	return 0;
}
