/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <ferry/proto/file.h>
#include "libposix.h"

/* lseek(fd, off, whence): FILE_SEEK; the kernel log is not seekable. */
long
__ferry_sys_lseek(long fd, long off, long whence, long d, long e, long f)
{
	struct ferry_fd *ent = __ferry_fd_get(fd);
	struct file_seek_req req = {off, (uint32_t)whence, 0};
	struct file_seek_rep rep;
	long rc;

	(void)d, (void)e, (void)f;
	if (!ent)
		return -EBADF;
	if (ent->kind != FERRY_FD_PORT)
		return -ESPIPE;
	if (whence < 0 || whence > 2)
		return -EINVAL;
	rc = __ferry_rpc(ent->port, FILE_SEEK, &req, sizeof req, &rep, sizeof rep, 0, 0);
	return rc < 0 ? rc : rep.offset;
}
