/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <sys/socket.h>
#include "../internal/sock.h"

/*
 * setsockopt(fd, level, name, val, len): SOL_SOCKET options that change
 * nothing on a local socket (buffer sizes, SO_REUSEADDR, SO_PASSCRED,
 * SO_KEEPALIVE, SO_LINGER, timeouts) are accepted once SOCK_INFO says fd
 * is a socket; anything else ENOPROTOOPT.
 */
long
__ferry_sys_setsockopt(long fd, long level, long name, long val, long len, long f)
{
	struct sock_info_req req = {{0, 0}};
	struct sock_info_rep rep;
	handle_t port;
	long rc;

	(void)f;
	if ((rc = __ferry_sock_fd(fd, &port)))
		return rc;
	if ((rc = __ferry_sock_rpc(port, SOCK_INFO, &req, sizeof req, &rep, sizeof rep)))
		return rc;
	if (level != SOL_SOCKET)
		return -ENOPROTOOPT;
	if (!val && len)
		return -EFAULT;
	if ((unsigned long)len < sizeof(int))
		return -EINVAL;
	switch (name) {
	case SO_REUSEADDR:
	case SO_SNDBUF:
	case SO_RCVBUF:
	case SO_SNDBUFFORCE:
	case SO_RCVBUFFORCE:
	case SO_PASSCRED:
	case SO_KEEPALIVE:
	case SO_LINGER:
	case SO_RCVTIMEO:
	case SO_SNDTIMEO:
		return 0;
	}
	return -ENOPROTOOPT;
}
