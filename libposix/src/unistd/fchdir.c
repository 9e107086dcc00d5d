/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <sys/stat.h>
#include <ferry/proto/file.h>
#include <ferry/syscall.h>
#include "libposix.h"

/* fchdir(fd): a copy of the fd's port (a directory) becomes the working directory. */
long
__ferry_sys_fchdir(long fd, long b, long c, long d, long e, long f)
{
	struct ferry_fd *ent = __ferry_fd_get(fd);
	struct file_stat_req req = {{0, 0}};
	struct file_stat_rep rep;
	handle_t h;
	long rc;

	(void)b, (void)c, (void)d, (void)e, (void)f;
	if (!ent || ent->kind != FERRY_FD_PORT)
		return -EBADF;
	if ((rc = __ferry_rpc(ent->port, FILE_STAT, &req, sizeof req, &rep, sizeof rep, 0, 0)) < 0)
		return rc;
	if (!S_ISDIR(rep.st.mode))
		return -ENOTDIR;
	if ((rc = ferry_sys_handle_dup(ent->port, FERRY_RIGHT_SAME, &h)) < 0)
		return __ferry_status(rc);
	return __ferry_set_cwd(h);
}
