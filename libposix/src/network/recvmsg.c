/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include "../internal/sock.h"

/*
 * recvmsg(fd, msg, flags): SOCK_RECV; descriptors that came with the data
 * become new fds in one SCM_RIGHTS message (MSG_CMSG_CLOEXEC honoured);
 * those that do not fit the control buffer are closed and MSG_CTRUNC set.
 */
long
__ferry_sys_recvmsg(long fd, long msg, long flags, long d, long e, long f)
{
	struct msghdr *mh = (struct msghdr *)msg;
	int fds[FERRY_MSG_HANDLES_MAX];
	unsigned room = 0, nfds;
	int mflags = 0;
	long rc;

	(void)d, (void)e, (void)f;
	if (!mh)
		return -EFAULT;
	if (mh->msg_iovlen < 0 || mh->msg_iovlen > 1024)
		return -EMSGSIZE;
	if (mh->msg_control && mh->msg_controllen >= CMSG_LEN(sizeof(int)))
		room = (unsigned)((mh->msg_controllen - CMSG_LEN(0)) / sizeof(int));
	if (room > FERRY_MSG_HANDLES_MAX)
		room = FERRY_MSG_HANDLES_MAX;
	nfds = room;
	rc = __ferry_sock_recv(fd, mh->msg_iov, mh->msg_iovlen, (int)flags, mh->msg_name,
	                       mh->msg_name ? &mh->msg_namelen : 0, fds, &nfds, &mflags);
	if (rc < 0)
		return rc;
	if (nfds) {
		struct cmsghdr *c = CMSG_FIRSTHDR(mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(nfds * sizeof(int));
		memcpy(CMSG_DATA(c), fds, nfds * sizeof(int));
		mh->msg_controllen = CMSG_SPACE(nfds * sizeof(int));
	} else {
		mh->msg_controllen = 0;
	}
	mh->msg_flags = mflags;
	return rc;
}
