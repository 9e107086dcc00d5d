/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <ferry/syscall.h>
#include "../internal/sock.h"

/* socketpair(domain, type, protocol, sv): posixsrv SOCK_PAIR, two connected sockets. */
long
__ferry_sys_socketpair(long domain, long type, long protocol, long sv, long e, long f)
{
	struct sock_create_req req = {
	        (uint32_t)domain, (uint32_t)type, (uint32_t)protocol, {0, 0, 0}, 0};

	(void)e, (void)f;
	if (domain != AF_UNIX)
		return -EAFNOSUPPORT;
	if (!sv)
		return -EFAULT;
	__ferry_sock_cred(&req.cred);
	return __ferry_fd_pair(SOCK_PAIR, &req, sizeof req,
	                       (type & SOCK_CLOEXEC) ? FERRY_FDF_CLOEXEC : 0, S_IFSOCK,
	                       FERRY_FDPUB_SOCKET, (int *)sv);
}
