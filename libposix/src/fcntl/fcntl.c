/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <ferry/proto/file.h>
#include "libposix.h"

/*
 * fcntl(fd, cmd, arg).  Descriptor flags and duplication are ours; status
 * flags belong to the description and live in its server (FILE_FCNTL).
 * Record locks, the process's and the open file description's (F_OFD_*),
 * are served by vfs (reclock.c).
 */
long
__ferry_sys_fcntl(long fd, long cmd, long arg, long d, long e, long f)
{
	struct ferry_fd *ent = __ferry_fd_get(fd);
	struct file_fcntl_req req;
	struct file_fcntl_rep rep;
	long rc;

	(void)d, (void)e, (void)f;
	if (!ent)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg < 0 || arg >= FERRY_FD_MAX)
			return -EINVAL;
		return __ferry_fd_dup(fd, -1, arg, cmd == F_DUPFD_CLOEXEC ? FERRY_FDF_CLOEXEC : 0);
	case F_GETFD:
		return ent->cloexec ? FD_CLOEXEC : 0;
	case F_SETFD:
		ent->cloexec = (arg & FD_CLOEXEC) ? 1 : 0;
		return 0;
	case F_GETFL:
	case F_SETFL:
		if (ent->kind != FERRY_FD_PORT)
			return cmd == F_GETFL ? O_WRONLY : 0;
		req.cmd = cmd == F_GETFL ? FILE_FCNTL_GETFL : FILE_FCNTL_SETFL;
		req.arg = (uint32_t)arg;
		rc = __ferry_rpc(ent->port, FILE_FCNTL, &req, sizeof req, &rep, sizeof rep, 0, 0);
		return rc < 0 ? rc : (cmd == F_GETFL ? (long)rep.value : 0);
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case FERRY_F_OFD_GETLK:
	case FERRY_F_OFD_SETLK:
	case FERRY_F_OFD_SETLKW:
		if (ent->kind != FERRY_FD_PORT)
			return -EINVAL;
		return __ferry_lock_fcntl(ent->port, cmd, (struct flock *)arg);
	}
	return -EINVAL;
}
