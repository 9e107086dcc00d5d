/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include "../internal/sock.h"

/*
 * sendmsg(fd, msg, flags): SOCK_SEND with the msghdr's name and iovec;
 * SCM_RIGHTS descriptors (at most FERRY_MSG_HANDLES_MAX: ETOOMANYREFS)
 * travel as duplicated handles; SCM_CREDENTIALS is ignored.
 */
long
__ferry_sys_sendmsg(long fd, long msg, long flags, long d, long e, long f)
{
	const struct msghdr *mh = (const struct msghdr *)msg;
	int fds[FERRY_MSG_HANDLES_MAX];
	unsigned nfds = 0;
	struct cmsghdr *c;

	(void)d, (void)e, (void)f;
	if (!mh)
		return -EFAULT;
	if (mh->msg_iovlen < 0 || mh->msg_iovlen > 1024)
		return -EMSGSIZE;
	for (c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR((struct msghdr *)mh, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		if (nfds + n > FERRY_MSG_HANDLES_MAX)
			return -ETOOMANYREFS;
		memcpy(fds + nfds, CMSG_DATA(c), n * sizeof(int));
		nfds += (unsigned)n;
	}
	return __ferry_sock_send(fd, mh->msg_iov, mh->msg_iovlen, (int)flags, mh->msg_name,
	                         mh->msg_namelen, fds, nfds);
}
