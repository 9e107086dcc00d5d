/* SPDX-License-Identifier: MIT */
#include "../internal/sock.h"

/* shutdown(fd, how): SOCK_SHUTDOWN. */
long
__ferry_sys_shutdown(long fd, long how, long c, long d, long e, long f)
{
	struct sock_shutdown_req req = {(uint32_t)how, 0};
	handle_t port;
	long rc;

	(void)c, (void)d, (void)e, (void)f;
	if ((rc = __ferry_sock_fd(fd, &port)))
		return rc;
	return __ferry_sock_rpc(port, SOCK_SHUTDOWN, &req, sizeof req, 0, 0);
}
