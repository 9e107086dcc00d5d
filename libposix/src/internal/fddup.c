/* SPDX-License-Identifier: MIT */
/*
 * __ferry_fd_dup: the common part of dup, dup2, dup3 and F_DUPFD: a new
 * handle to the same port (the same open file description).
 */
#include <errno.h>
#include <ferry/syscall.h>
#include "libposix.h"

long
__ferry_fd_dup(long oldfd, long newfd, long min, unsigned flags)
{
	struct ferry_fd *old = __ferry_fd_get(oldfd);
	handle_t h = 0;
	long rc, fd;
	uint8_t kind;
	uint32_t mode;

	if (!old)
		return -EBADF;
	kind = old->kind;
	mode = old->mode;
	if (old->port) {
		rc = ferry_sys_handle_dup(old->port, FERRY_RIGHT_SAME, &h);
		if (rc < 0)
			return rc == -FERRY_EMFILE || rc == -FERRY_EQUOTA ? -EMFILE
			                                                  : __ferry_status(rc);
	}
	fd = newfd >= 0 ? __ferry_fd_install(newfd, h, flags) : __ferry_fd_alloc(min, h, flags);
	if (fd < 0) {
		if (h)
			(void)ferry_sys_handle_close(h);
		return fd;
	}
	__ferry_fds[fd].kind = kind;
	__ferry_fds[fd].mode = mode;
	__ferry_fdpub_copy(oldfd, fd);
	return fd;
}
