/* SPDX-License-Identifier: MIT */
#include "../internal/sock.h"

/* getpeername(fd, addr, len): the peer's name (internal/sock.c). */
long
__ferry_sys_getpeername(long fd, long addr, long len, long d, long e, long f)
{
	(void)d, (void)e, (void)f;
	return __ferry_sock_name(fd, (void *)addr, (socklen_t *)len, 1);
}
