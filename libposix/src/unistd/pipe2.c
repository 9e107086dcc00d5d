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
	struct ferry_msg m;
	struct pipe_create_req req = {0, 0};
	unsigned fdf = (flags & O_CLOEXEC) ? FERRY_FDF_CLOEXEC : 0;
	long rc, r, w;
	int32_t status;

	(void)c, (void)d, (void)e, (void)f;
	if (flags & ~(long)(O_NONBLOCK | O_CLOEXEC))
		return -EINVAL;
	if (!fds)
		return -EFAULT;
	if (!__ferry_proc.posixsrv)
		return -ENOSYS;
	req.flags = (uint32_t)(flags & O_NONBLOCK);
	memset(&m, 0, sizeof m);
	m.op = PIPE_CREATE;
	m.len = sizeof req;
	memcpy(m.data, &req, sizeof req);
	rc = ferry_sys_msg_call(__ferry_proc.posixsrv, &m, FERRY_TIME_INFINITE);
	if (rc)
		return __ferry_status(rc);
	memcpy(&status, m.data, sizeof status);
	if (status)
		return __ferry_status(status);
	if (m.nhandles != 2)
		return -EIO;
	r = __ferry_fd_alloc(0, m.handles[0], fdf);
	if (r < 0) {
		ferry_sys_handle_close(m.handles[0]);
		ferry_sys_handle_close(m.handles[1]);
		return r;
	}
	w = __ferry_fd_alloc(0, m.handles[1], fdf);
	if (w < 0) {
		__ferry_fd_close(r);
		ferry_sys_handle_close(m.handles[1]);
		return w;
	}
	{
		struct pipe_create_rep cr;
		memcpy(&cr, m.data, sizeof cr);
		__ferry_fdpub_set(r, FERRY_FDPUB_PIPE, cr.id);
		__ferry_fdpub_set(w, FERRY_FDPUB_PIPE, cr.id);
	}
	((int *)fds)[0] = (int)r;
	((int *)fds)[1] = (int)w;
	return 0;
}
