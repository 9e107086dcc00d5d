/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <ferry/syscall.h>
#include "../internal/sock.h"

/*
 * accept4(fd, addr, len, flags): SOCK_ACCEPT hands over the connection's
 * socket port; SOCK_NONBLOCK is its status flag, SOCK_CLOEXEC the fd's.
 * The peer's name (usually unnamed) comes from SOCK_NAME.
 */
long
__ferry_sys_accept4(long fd, long addr, long len, long flags, long e, long f)
{
	struct sock_accept_req req = {0, (uint32_t)(flags & SOCK_NONBLOCK)};
	struct sock_accept_rep rep;
	struct sock_name_req nreq = {1, 0, 0};
	struct sock_name_rep nrep;
	handle_t port, h;
	long rc, nfd;

	(void)e, (void)f;
	if (flags & ~(long)(SOCK_NONBLOCK | SOCK_CLOEXEC))
		return -EINVAL;
	if ((rc = __ferry_sock_fd(fd, &port)))
		return rc;
	if (addr && !len)
		return -EFAULT;
	rc = __ferry_rpc(port, SOCK_ACCEPT, &req, sizeof req, &rep, sizeof rep, 0, &h);
	if (rc < 0)
		return rc == -ENOSYS ? -ENOTSOCK : rc;
	if (!h)
		return -EIO;
	nfd = __ferry_fd_alloc(0, h, (flags & SOCK_CLOEXEC) ? FERRY_FDF_CLOEXEC : 0);
	if (nfd < 0) {
		ferry_sys_handle_close(h);
		return nfd;
	}
	__ferry_fd_get(nfd)->mode = S_IFSOCK;
	__ferry_fdpub_set(nfd, FERRY_FDPUB_SOCKET, rep.id);
	if (addr) {
		if (__ferry_sock_rpc(h, SOCK_NAME, &nreq, sizeof nreq, &nrep, sizeof nrep) < 0)
			nrep.len = 0;
		__ferry_sock_name_out(nrep.name,
		                      nrep.len < SOCK_NAME_INLINE ? nrep.len : SOCK_NAME_INLINE,
		                      (void *)addr, (socklen_t *)len);
	}
	return nfd;
}
