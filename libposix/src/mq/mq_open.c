/* SPDX-License-Identifier: MIT */
/*
 * mq_open: MQ_OPEN to posixsrv; the description it answers with becomes
 * a close-on-exec descriptor, as Linux makes it.  Attributes count only
 * when the queue is created; values posixsrv cannot take (<= 0, too big)
 * travel as UINT32_MAX so that it refuses them then (EINVAL).
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <string.h>
#include <ferry/syscall.h>
#include "mq.h"

static uint32_t
attr_value(long v)
{
	return v <= 0 || v > (long)UINT32_MAX - 1 ? UINT32_MAX : (uint32_t)v;
}

long
__ferry_sys_mq_open(long a, long b, long c, long d, long e, long f)
{
	const char *name = (const char *)a;
	const struct mq_attr *attr = (const struct mq_attr *)d;
	struct mq_name_req req;
	struct mq_open_rep rep;
	handle_t h = 0;
	long rc;

	(void)e, (void)f;
	memset(&req, 0, sizeof req);
	/* Linux ignores the other open flags here. */
	req.flags = (uint32_t)b & (O_ACCMODE | O_CREAT | O_EXCL | O_NONBLOCK);
	if (b & O_CREAT) {
		req.mode = (uint32_t)c & 07777 & ~__ferry_umask;
		if (attr) {
			req.maxmsg = attr_value(attr->mq_maxmsg);
			req.msgsize = attr_value(attr->mq_msgsize);
		}
	}
	rc = __ferry_mq_name_call(MQ_OPEN, name, &req, &rep, &h);
	if (rc < 0)
		return rc;
	if (!h)
		return -EIO;
	rc = __ferry_fd_alloc(0, h, FERRY_FDF_CLOEXEC);
	if (rc < 0)
		(void)ferry_sys_handle_close(h);
	return rc;
}
