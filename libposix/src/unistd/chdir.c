/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <ferry/proto/vfs.h>
#include <ferry/syscall.h>
#include "libposix.h"

/* Makes port (consumed) the working directory. */
long
__ferry_set_cwd(handle_t port)
{
	handle_t old = __ferry_proc.cwd;

	port = __ferry_bind_cwd(port);
	old = __ferry_proc.cwd; /* binding may have bound the process's first ports */
	__ferry_proc.cwd = port;
	__ferry_fdpub_cwd_changed();
	if (old && old != __ferry_proc.vfs_root) {
		__ferry_xfer_forget(old);
		(void)ferry_sys_handle_close(old);
	}
	return 0;
}

/*
 * chdir(path): a new directory port from VFS_OPEN (O_PATH|O_DIRECTORY, so
 * only search permission matters) replaces the working directory's.
 */
long
__ferry_sys_chdir(long pathp, long b, long c, long d, long e, long f)
{
	const char *path = (const char *)pathp;
	struct vfs_open_req req;
	handle_t port, h;
	long rc;

	(void)b, (void)c, (void)d, (void)e, (void)f;
	if ((rc = __ferry_at(AT_FDCWD, path, &port)) < 0)
		return rc;
	memset(&req, 0, sizeof req);
	req.flags = O_PATH | O_DIRECTORY;
	rc = __ferry_vfs_call(port, VFS_OPEN, &req, sizeof req, req.names, sizeof req.names, path,
	                      0, 0, &h, 0);
	if (rc == VFS_REDIRECT || rc == FERRY_VFS_DUPFD) {
		(void)ferry_sys_handle_close(h);
		rc = -ENOTDIR;
	}
	if (rc < 0)
		return rc;
	if ((rc = __ferry_path_op(AT_FDCWD, path, VFS_ACCESS, AT_EACCESS, 1, 0, 0)) < 0) {
		(void)ferry_sys_handle_close(h);
		return rc;
	}
	return __ferry_set_cwd(h);
}
