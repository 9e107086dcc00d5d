/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <sys/file.h>
#include <ferry/proto/file.h>
#include "libposix.h"

/*
 * flock(fd, op): a lock of the open file description, served by vfs
 * (FILE_LOCK_FLOCK/FLOCKW, see reclock.c).  Shared by dup and fork,
 * released when the description's last descriptor closes.  Other servers'
 * objects: EINVAL.
 */
long
__ferry_sys_flock(long fd, long op, long c, long d, long e, long f)
{
	struct ferry_fd *ent = __ferry_fd_get(fd);
	struct file_lock_req req = {0};
	struct file_lock_rep rep;
	long rc;

	(void)c, (void)d, (void)e, (void)f;
	if (!ent)
		return -EBADF;
	switch (op & ~LOCK_NB) {
	case LOCK_SH:
		req.type = FILE_LOCK_RD;
		break;
	case LOCK_EX:
		req.type = FILE_LOCK_WR;
		break;
	case LOCK_UN:
		req.type = FILE_LOCK_UN;
		break;
	default:
		return -EINVAL;
	}
	if (ent->kind != FERRY_FD_PORT)
		return -EINVAL;
	req.cmd = (op & LOCK_NB) || req.type == FILE_LOCK_UN ? FILE_LOCK_FLOCK : FILE_LOCK_FLOCKW;
	if (req.cmd == FILE_LOCK_FLOCKW)
		req.cookie = __ferry_lock_cookie();
	rc = __ferry_lock_call(ent->port, &req, &rep, 0, 0);
	if (rc == -EINTR && req.cmd == FILE_LOCK_FLOCKW) {
		req.cmd = FILE_LOCK_CANCEL;
		(void)__ferry_lock_call(ent->port, &req, &rep, 0, 0);
	}
	return rc;
}
