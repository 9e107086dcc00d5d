/* SPDX-License-Identifier: MIT */
#include "../internal/sock.h"

/* listen(fd, backlog): SOCK_LISTEN; our credentials become the clients' SO_PEERCRED. */
long
__ferry_sys_listen(long fd, long backlog, long c, long d, long e, long f)
{
	struct sock_listen_req req = {(int32_t)backlog, {0, 0, 0}};
	handle_t port;
	long rc;

	(void)c, (void)d, (void)e, (void)f;
	if ((rc = __ferry_sock_fd(fd, &port)))
		return rc;
	__ferry_sock_cred(&req.cred);
	return __ferry_sock_rpc(port, SOCK_LISTEN, &req, sizeof req, 0, 0);
}
