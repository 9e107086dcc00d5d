/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include "../internal/sock.h"

/*
 * getsockopt(fd, level, name, val, len): from SOCK_INFO: SO_TYPE,
 * SO_DOMAIN, SO_PROTOCOL, SO_ACCEPTCONN, SO_ERROR (always 0),
 * SO_SNDBUF/SO_RCVBUF (the receive buffer), SO_PEERCRED (the credentials
 * the peer stated at connect/listen/socketpair).  Others ENOPROTOOPT.
 */
long
__ferry_sys_getsockopt(long fd, long level, long name, long val, long lenp, long f)
{
	struct sock_info_req req = {{0, 0}};
	struct sock_info_rep rep;
	struct ucred cred;
	handle_t port;
	int v;
	const void *src = &v;
	socklen_t n = sizeof v, *len = (socklen_t *)lenp;
	long rc;

	(void)f;
	if ((rc = __ferry_sock_fd(fd, &port)))
		return rc;
	if ((rc = __ferry_sock_rpc(port, SOCK_INFO, &req, sizeof req, &rep, sizeof rep)))
		return rc;
	if (level != SOL_SOCKET)
		return -ENOPROTOOPT;
	if (!val || !len)
		return -EFAULT;
	switch (name) {
	case SO_TYPE:
		v = (int)rep.type;
		break;
	case SO_DOMAIN:
		v = AF_UNIX;
		break;
	case SO_PROTOCOL:
	case SO_ERROR:
	case SO_REUSEADDR:
	case SO_KEEPALIVE:
	case SO_PASSCRED:
		v = 0;
		break;
	case SO_ACCEPTCONN:
		v = (rep.state & SOCK_I_LISTENING) != 0;
		break;
	case SO_SNDBUF:
	case SO_RCVBUF:
		v = (int)rep.rcvbuf;
		break;
	case SO_PEERCRED:
		if (!rep.peer.pid && !(rep.state & SOCK_I_CONNECTED))
			return -ENOTCONN;
		cred.pid = rep.peer.pid;
		cred.uid = rep.peer.uid;
		cred.gid = rep.peer.gid;
		src = &cred;
		n = sizeof cred;
		break;
	default:
		return -ENOPROTOOPT;
	}
	if (*len < n)
		n = *len;
	memcpy((void *)val, src, n);
	*len = n;
	return 0;
}
