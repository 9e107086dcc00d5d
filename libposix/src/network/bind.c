/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include "../internal/sock.h"

/*
 * bind(fd, addr, len): a path makes an S_IFSOCK node in vfs (EADDRINUSE
 * if the name exists) and binds its (dev, ino); an abstract name binds
 * the text.  The node is removed again if posixsrv refuses.
 */
long
__ferry_sys_bind(long fd, long addr, long len, long d, long e, long f)
{
	struct sock_addr_req a;
	char made[sizeof a.name + 128];
	handle_t port;
	long rc;

	(void)d, (void)e, (void)f;
	if ((rc = __ferry_sock_fd(fd, &port)))
		return rc;
	if ((rc = __ferry_sock_addr(port, (const void *)addr, (socklen_t)len, 1, &a, 0, made,
	                            sizeof made)))
		return rc;
	rc = __ferry_sock_rpc(port, SOCK_BIND, &a, sizeof a, 0, 0);
	if (rc < 0 && made[0])
		(void)__ferry_sys_unlinkat(AT_FDCWD, (long)made, 0, 0, 0, 0);
	return rc;
}
