/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include "../internal/sock.h"

/* getsockname(fd, addr, len): SOCK_NAME, the own name (long names through the transfer area). */
long
__ferry_sys_getsockname(long fd, long addr, long len, long d, long e, long f)
{
	struct sock_name_req req = {0, 0, 0};
	struct sock_name_rep rep;
	handle_t port;
	uint32_t id;
	void *area = 0;
	long rc;

	(void)d, (void)e, (void)f;
	if ((rc = __ferry_sock_fd(fd, &port)))
		return rc;
	if (!addr || !len)
		return -EFAULT;
	if (__ferry_xfer(port, &id, &area) > 0)
		req.xfer = id;
	else
		area = 0;
	if ((rc = __ferry_sock_rpc(port, SOCK_NAME, &req, sizeof req, &rep, sizeof rep)))
		return rc;
	__ferry_sock_name_out(area ? (const uint8_t *)area : rep.name,
	                      area || rep.len <= SOCK_NAME_INLINE ? rep.len : SOCK_NAME_INLINE,
	                      (void *)addr, (socklen_t *)len);
	return 0;
}
