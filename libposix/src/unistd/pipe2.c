/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <ferry/syscall.h>
#include <ferry/proto/pipe.h>
#include "libposix.h"

/*
 * pipe2(fds, flags): posixsrv's PIPE_CREATE returns the two ends (ports);
 * each becomes a descriptor.  O_NONBLOCK is the ends' status flag (kept by
 * posixsrv), O_CLOEXEC the descriptors' flag (kept here).
 */
long
__ferry_sys_pipe2(long fds, long flags, long c, long d, long e, long f)
{
	struct pipe_create_req req = {(uint32_t)(flags & O_NONBLOCK), 0};

	(void)c, (void)d, (void)e, (void)f;
	if (flags & ~(long)(O_NONBLOCK | O_CLOEXEC))
		return -EINVAL;
	if (!fds)
		return -EFAULT;
	return __ferry_fd_pair(PIPE_CREATE, &req, sizeof req,
	                       (flags & O_CLOEXEC) ? FERRY_FDF_CLOEXEC : 0, 0, FERRY_FDPUB_PIPE,
	                       (int *)fds);
}
