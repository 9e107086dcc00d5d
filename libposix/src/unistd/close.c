/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <ferry/syscall.h>
#include "libposix.h"

/*
 * close(fd): frees the slot and drops our send right to the object's port
 * (the server then gets no-senders when it was the last one).  The handle's
 * own close status is not reported: POSIX says the fd is gone either way.
 */
long
__ferry_sys_close(long fd, long b, long c, long d, long e, long f)
{
	struct ferry_fd *ent = __ferry_fd_get(fd);

	(void)b, (void)c, (void)d, (void)e, (void)f;
	if (!ent)
		return -EBADF;
	if (ent->port)
		(void)ferry_sys_handle_close(ent->port);
	ent->kind = FERRY_FD_NONE;
	ent->cloexec = 0;
	ent->port = 0;
	return 0;
}
