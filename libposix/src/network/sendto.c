/* SPDX-License-Identifier: MIT */
#include <sys/uio.h>
#include "../internal/sock.h"

/* sendto(fd, buf, len, flags, addr, alen): SOCK_SEND (send() is sendto without addr). */
long
__ferry_sys_sendto(long fd, long buf, long len, long flags, long addr, long alen)
{
	struct iovec iov = {(void *)buf, (size_t)len};
	return __ferry_sock_send(fd, &iov, 1, (int)flags, (const void *)addr, (socklen_t)alen, 0,
	                         0);
}
