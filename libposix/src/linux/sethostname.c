/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <string.h>
#include <ferry/proto/posix.h>
#include "libposix.h"

/* sethostname(name, len): the node name lives in posixsrv. */
long
__ferry_sys_sethostname(long name, long len, long c, long d, long e, long f)
{
	struct posix_sethostname_req req;

	(void)c, (void)d, (void)e, (void)f;
	if (len < 0 || len > POSIX_HOST_NAME_MAX)
		return -EINVAL;
	if (len && !name)
		return -EFAULT;
	if (!__ferry_proc.posixsrv)
		return -ENOSYS;
	memset(&req, 0, sizeof req);
	req.len = (uint32_t)len;
	memcpy(req.name, (const void *)name, (size_t)len);
	return __ferry_rpc(__ferry_proc.posixsrv, POSIX_SETHOSTNAME, &req, sizeof req, 0, 0, 0, 0);
}
