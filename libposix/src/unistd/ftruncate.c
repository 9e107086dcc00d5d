/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <ferry/proto/file.h>
#include "libposix.h"

/* ftruncate(fd, len): FILE_TRUNCATE on the description (needs it open for writing). */
long
__ferry_sys_ftruncate(long fd, long len, long c, long d, long e, long f)
{
	struct ferry_fd *ent = __ferry_fd_get(fd);
	struct file_truncate_req req = {len};

	(void)c, (void)d, (void)e, (void)f;
	if (!ent)
		return -EBADF;
	if (len < 0)
		return -EINVAL;
	if (ent->kind != FERRY_FD_PORT)
		return -EINVAL;
	return __ferry_rpc(ent->port, FILE_TRUNCATE, &req, sizeof req, 0, 0, 0, 0);
}
