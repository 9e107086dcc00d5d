/* SPDX-License-Identifier: MIT */
/* mq_unlink: MQ_UNLINK to posixsrv (the owner or root may remove a name). */
#include <string.h>
#include "mq.h"

long
__ferry_sys_mq_unlink(long a, long b, long c, long d, long e, long f)
{
	struct mq_name_req req;
	struct mq_open_rep rep;

	(void)b, (void)c, (void)d, (void)e, (void)f;
	memset(&req, 0, sizeof req);
	return __ferry_mq_name_call(MQ_UNLINK, (const char *)a, &req, &rep, NULL);
}
