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
	struct ferry_msg m;
	unsigned fdf = (type & SOCK_CLOEXEC) ? FERRY_FDF_CLOEXEC : 0;
	int32_t status;
	long rc, a, b;

	(void)e, (void)f;
	if (domain != AF_UNIX)
		return -EAFNOSUPPORT;
	if (!sv)
		return -EFAULT;
	if (!__ferry_proc.posixsrv)
		return -ENOSYS;
	__ferry_sock_cred(&req.cred);
	memset(&m, 0, sizeof m);
	m.op = SOCK_PAIR;
	m.len = sizeof req;
	memcpy(m.data, &req, sizeof req);
	rc = ferry_sys_msg_call(__ferry_proc.posixsrv, &m, FERRY_TIME_INFINITE);
	if (rc)
		return __ferry_status(rc);
	memcpy(&status, m.data, sizeof status);
	if (status)
		return __ferry_status(status);
	if (m.nhandles != 2)
		return -EIO;
	a = __ferry_fd_alloc(0, m.handles[0], fdf);
	if (a < 0) {
		ferry_sys_handle_close(m.handles[0]);
		ferry_sys_handle_close(m.handles[1]);
		return a;
	}
	b = __ferry_fd_alloc(0, m.handles[1], fdf);
	if (b < 0) {
		__ferry_fd_close(a);
		ferry_sys_handle_close(m.handles[1]);
		return b;
	}
	__ferry_fd_get(a)->mode = S_IFSOCK;
	__ferry_fd_get(b)->mode = S_IFSOCK;
	{
		struct sock_create_rep cr;
		memcpy(&cr, m.data, sizeof cr);
		__ferry_fdpub_set(a, FERRY_FDPUB_SOCKET, cr.id);
		__ferry_fdpub_set(b, FERRY_FDPUB_SOCKET, cr.id);
	}
	((int *)sv)[0] = (int)a;
	((int *)sv)[1] = (int)b;
	return 0;
}
