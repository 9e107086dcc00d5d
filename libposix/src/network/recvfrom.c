/* SPDX-License-Identifier: MIT */
#include <sys/uio.h>
#include "../internal/sock.h"

/* recvfrom(fd, buf, len, flags, addr, alen): SOCK_RECV (recv() is recvfrom without addr). */
long
__ferry_sys_recvfrom(long fd, long buf, long len, long flags, long addr, long alen)
{
	struct iovec iov = {(void *)buf, (size_t)len};
	return __ferry_sock_recv(fd, &iov, 1, (int)flags, (void *)addr,
	                         addr ? (socklen_t *)alen : 0, 0, 0, 0);
}
