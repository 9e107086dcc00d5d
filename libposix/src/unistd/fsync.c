/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <ferry/proto/file.h>
#include "libposix.h"

/* fsync(fd) and fdatasync(fd): FILE_SYNC (tmpfs: nothing to do). */
long
__ferry_sys_fsync(long fd, long b, long c, long d, long e, long f)
{
	struct ferry_fd *ent = __ferry_fd_get(fd);
	struct file_dup_req req = {{0, 0}};

	(void)b, (void)c, (void)d, (void)e, (void)f;
	if (!ent)
		return -EBADF;
	if (ent->kind != FERRY_FD_PORT)
		return -EINVAL;
	return __ferry_rpc(ent->port, FILE_SYNC, &req, sizeof req, 0, 0, 0, 0);
}
