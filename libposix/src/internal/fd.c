/* SPDX-License-Identifier: MIT */
/*
 * The per-process descriptor table: fd -> port capability (+ close-on-exec).
 * Entries are filled at startup (init.c) and by open, dup, pipe and socket.
 * Each open fd owns its handle; two fds naming one description hold two
 * handles to the same port.  Not yet locked: threads come later.
 */
#include <errno.h>
#include <ferry/syscall.h>
#include "libposix.h"

LP_HIDDEN struct ferry_fd __ferry_fds[FERRY_FD_MAX];

struct ferry_fd *
__ferry_fd_get(long fd)
{
	if (fd < 0 || fd >= FERRY_FD_MAX || __ferry_fds[fd].kind == FERRY_FD_NONE)
		return 0;
	return &__ferry_fds[fd];
}

static void
fill(struct ferry_fd *f, handle_t port, unsigned flags)
{
	f->kind = FERRY_FD_PORT;
	f->cloexec = (flags & FERRY_FDF_CLOEXEC) ? 1 : 0;
	f->mode = 0;
	f->port = port;
}

long
__ferry_fd_alloc(long min, handle_t port, unsigned flags)
{
	long fd;

	if (min < 0 || min >= FERRY_FD_MAX)
		return -EINVAL;
	for (fd = min; fd < FERRY_FD_MAX; fd++) {
		if (__ferry_fds[fd].kind == FERRY_FD_NONE) {
			fill(&__ferry_fds[fd], port, flags);
			return fd;
		}
	}
	return -EMFILE;
}

long
__ferry_fd_install(long fd, handle_t port, unsigned flags)
{
	if (fd < 0 || fd >= FERRY_FD_MAX)
		return -EBADF;
	if (__ferry_fds[fd].kind != FERRY_FD_NONE)
		(void)__ferry_fd_close(fd);
	fill(&__ferry_fds[fd], port, flags);
	return fd;
}

/*
 * Frees the slot and drops our send right to the object's port (the server
 * then gets no-senders when it was the last one).  The handle's own close
 * status is not reported: POSIX says the fd is gone either way.
 */
long
__ferry_fd_close(long fd)
{
	struct ferry_fd *f = __ferry_fd_get(fd);

	if (!f)
		return -EBADF;
	if (f->port) {
		__ferry_xfer_forget(f->port);
		(void)ferry_sys_handle_close(f->port);
	}
	f->kind = FERRY_FD_NONE;
	f->cloexec = 0;
	f->mode = 0;
	f->port = 0;
	return 0;
}
