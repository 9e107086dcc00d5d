/* SPDX-License-Identifier: MIT */
#include "../internal/sock.h"

/* getsockname(fd, addr, len): the socket's own name (internal/sock.c). */
long
__ferry_sys_getsockname(long fd, long addr, long len, long d, long e, long f)
{
	(void)d, (void)e, (void)f;
	return __ferry_sock_name(fd, (void *)addr, (socklen_t *)len, 0);
}
