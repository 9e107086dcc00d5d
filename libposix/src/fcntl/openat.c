/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <ferry/proto/vfs.h>
#include <ferry/syscall.h>
#include <ferry/proto/tty.h>
#include "pm.h"

/*
 * Opens a device or FIFO at the server vfs redirected us to: op on its
 * port (consumed) with the node's object number and identity.
 */
static long
open_forwarded(handle_t srv, const struct vfs_redirect_rep *rd, uint32_t flags, handle_t *h,
               uint32_t *tty)
{
	struct vfs_fwd_open_req fr = {rd->obj, flags, rd->id};
	uint32_t op = rd->op, rdev = 0;
	long rc;

	if (op == TTY_OPEN && fr.obj == TTY_CTTY) {
		/* /dev/tty: the session's terminal, which procmgr knows (ENXIO:
		 * none).  Without procmgr the terminal server's answer stands. */
		struct proc_ctty_rep cr;
		rc = __ferry_ctty(PROC_CTTY_GET, 0, 0, &cr);
		if (rc >= 0 && !cr.rdev)
			rc = -ENXIO;
		if (rc < 0 && rc != -ENOSYS) {
			(void)ferry_sys_handle_close(srv);
			return rc;
		}
		if (rc >= 0 && cr.rdev >> 8 == 136) {
			op = TTY_OPEN_PTS;
			fr.obj = cr.rdev & 0xff;
		} else if (rc >= 0) {
			fr.obj = TTY_CONSOLE;
		}
		flags |= O_NOCTTY; /* it is already the caller's */
	}
	rc = __ferry_rpc(srv, op, &fr, sizeof fr, 0, 0, 0, h);
	(void)ferry_sys_handle_close(srv);
	if (rc == -ENOSYS || rc == -ENODEV)
		rc = -ENXIO; /* the server does not serve this node */
	if (rc >= 0 && (op == TTY_OPEN || op == TTY_OPEN_PTS)) {
		rdev = op == TTY_OPEN_PTS ? (136u << 8) | (fr.obj & 0xff) : (5u << 8) | 1;
		*tty = rdev;
		if (!(flags & O_NOCTTY))
			__ferry_ctty_opened(*h, rdev);
	}
	return rc;
}

/*
 * openat(dirfd, path, flags, mode): VFS_OPEN; the reply's port becomes the
 * new fd.  The umask is applied here, O_CLOEXEC stays with the fd, and
 * O_LARGEFILE (always on for 64-bit) is not passed on.  Devices and FIFOs
 * served elsewhere come back as a redirect and are opened there; a
 * /proc/self/fd/N link to a pipe or socket (/dev/fd, /dev/std* lead there)
 * comes back as FERRY_VFS_DUPFD and is a dup of N.
 */
long
__ferry_sys_openat(long dirfd, long pathp, long flags, long mode, long e, long f)
{
	const char *path = (const char *)pathp;
	struct vfs_open_req req;
	union {
		struct vfs_open_rep o;
		struct vfs_redirect_rep rd;
	} rep;
	handle_t port, h;
	long rc, fd, dupof = -1;
	uint32_t tty = 0;

	(void)e, (void)f;
	if ((rc = __ferry_at(dirfd, path, &port)) < 0)
		return rc;
	memset(&req, 0, sizeof req);
	req.flags = (uint32_t)flags & ~(uint32_t)(O_LARGEFILE | O_CLOEXEC | O_NOCTTY);
	req.mode = (flags & O_CREAT) ? (uint32_t)mode & 07777 & ~__ferry_umask : 0;
	rc = __ferry_vfs_call(port, VFS_OPEN, &req, sizeof req, req.names, sizeof req.names, path,
	                      &rep, sizeof rep, &h, 0);
	if (rc == VFS_REDIRECT) {
		rep.o.mode = rep.rd.mode;
		rc = open_forwarded(h, &rep.rd, (uint32_t)flags & ~(uint32_t)O_CLOEXEC, &h, &tty);
	} else if (rc == FERRY_VFS_DUPFD) {
		/* /proc/self/fd/N of a pipe or socket: N's description again. */
		struct ferry_fd *src = __ferry_fd_get(rep.rd.obj);
		dupof = rep.rd.obj;
		rep.o.mode = src ? src->mode : 0;
		rc = 0;
	}
	if (rc < 0)
		return rc;
	if (!h)
		return -EIO;
	fd = __ferry_fd_alloc(0, h, (flags & O_CLOEXEC) ? FERRY_FDF_CLOEXEC : 0);
	if (fd < 0) {
		(void)ferry_sys_handle_close(h);
		return fd;
	}
	__ferry_fds[fd].mode = rep.o.mode & S_IFMT;
	if (dupof >= 0)
		__ferry_fdpub_copy(dupof, fd);
	else if (tty)
		__ferry_fdpub_set(fd, FERRY_FDPUB_DEV,
		                  tty); /* the terminal, whichever name led to it */
	else
		__ferry_fdpub_path(fd, dirfd == AT_FDCWD || path[0] == '/' ? -1 : dirfd, path);
	return fd;
}
