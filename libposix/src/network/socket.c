/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <ferry/syscall.h>
#include "../internal/sock.h"

/*
 * socket(domain, type, protocol): posixsrv SOCK_CREATE (AF_UNIX only);
 * SOCK_NONBLOCK is the description's flag, SOCK_CLOEXEC the fd's.
 */
long
__ferry_sys_socket(long domain, long type, long protocol, long d, long e, long f)
{
	struct sock_create_req req = {
	        (uint32_t)domain, (uint32_t)type, (uint32_t)protocol, {0, 0, 0}, 0};
	struct sock_create_rep rep;
	handle_t h;
	long rc, fd;

	(void)d, (void)e, (void)f;
	if (domain != AF_UNIX)
		return -EAFNOSUPPORT;
	if (!__ferry_proc.posixsrv)
		return -ENOSYS;
	__ferry_sock_cred(&req.cred);
	rc = __ferry_rpc(__ferry_proc.posixsrv, SOCK_CREATE, &req, sizeof req, &rep, sizeof rep, 0,
	                 &h);
	if (rc < 0)
		return rc;
	if (!h)
		return -EIO;
	fd = __ferry_fd_alloc(0, h, (type & SOCK_CLOEXEC) ? FERRY_FDF_CLOEXEC : 0);
	if (fd < 0) {
		ferry_sys_handle_close(h);
		return fd;
	}
	__ferry_fd_get(fd)->mode = S_IFSOCK;
	__ferry_fdpub_set(fd, FERRY_FDPUB_SOCKET, rep.id);
	return fd;
}
