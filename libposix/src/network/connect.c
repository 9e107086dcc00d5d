/* SPDX-License-Identifier: MIT */
#include "../internal/sock.h"

/*
 * connect(fd, addr, len): the path is walked by vfs (it must be a socket
 * node: ECONNREFUSED otherwise), posixsrv connects to the socket bound to
 * that node (SOCK_CONNECT).  Never blocks: a full backlog is EAGAIN.
 */
long
__ferry_sys_connect(long fd, long addr, long len, long d, long e, long f)
{
	struct sock_addr_req a;
	handle_t port;
	long rc;

	(void)d, (void)e, (void)f;
	if ((rc = __ferry_sock_fd(fd, &port)))
		return rc;
	if ((rc = __ferry_sock_addr(port, (const void *)addr, (socklen_t)len, 0, &a, 0, 0, 0)))
		return rc;
	__ferry_sock_cred(&a.cred);
	return __ferry_sock_rpc(port, SOCK_CONNECT, &a, sizeof a, 0, 0);
}
