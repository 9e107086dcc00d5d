/* SPDX-License-Identifier: MIT */
/*
 * The per-process descriptor table: fd -> port capability (+ close-on-exec).
 * Entries are filled at startup (init.c) and by open, dup, pipe and socket.
 * Each open fd owns its handle; two fds naming one description hold two
 * handles to the same port.  Changes to the table are made under
 * fd_lock (never held across a call to a server); lookups are not locked:
 * using a descriptor while another thread closes it is a race in the
 * program, as on Linux.
 */
#include <errno.h>
#include <string.h>
#include <ferry/startup.h>
#include <ferry/syscall.h>
#include "lock.h"
#include "libposix.h"

LP_HIDDEN struct ferry_fd __ferry_fds[FERRY_FD_MAX];
LP_HIDDEN unsigned __ferry_nofile = FERRY_FD_MAX;
static volatile int fd_lock[1];

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
	__ferry_fdpub_set(f - __ferry_fds, FERRY_FDPUB_ANON, 0); /* until the caller names it */
}

long
__ferry_fd_alloc(long min, handle_t port, unsigned flags)
{
	long fd, lim = __ferry_nofile;

	if (min < 0 || min >= FERRY_FD_MAX)
		return -EINVAL;
	/* RLIMIT_NOFILE: no new descriptor at or above it (F_DUPFD: EINVAL). */
	if (min >= lim)
		return min ? -EINVAL : -EMFILE;
	LOCK(fd_lock);
	for (fd = min; fd < lim; fd++) {
		if (__ferry_fds[fd].kind == FERRY_FD_NONE) {
			fill(&__ferry_fds[fd], port, flags);
			UNLOCK(fd_lock);
			return fd;
		}
	}
	UNLOCK(fd_lock);
	return -EMFILE;
}

/*
 * fork from a threaded process: the table lock is taken just before the
 * clone (__ferry_sys_fork) so that no other thread holds it at that
 * moment; the parent then releases it and the child, whose only thread is
 * the forking one, starts with it free.  The file-mapping table's lock
 * (mapfile.c) goes along; the child empties the locked-memory table
 * (mlocked.c).
 */
void
__ferry_fd_atfork_prepare(void)
{
	LOCK(fd_lock);
	__ferry_mapfile_atfork_prepare();
}

void
__ferry_fd_atfork_parent(void)
{
	__ferry_mapfile_atfork_parent();
	UNLOCK(fd_lock);
}

void
__ferry_fd_atfork_child(void)
{
	__ferry_mapfile_atfork_child();
	__ferry_mlocked_atfork_child();
	fd_lock[0] = 0;
}

/* Empties f and returns the handle it owned (0 if none).  Caller holds fd_lock. */
static handle_t
clear(struct ferry_fd *f)
{
	handle_t port = f->port;

	f->kind = FERRY_FD_NONE;
	f->cloexec = 0;
	f->mode = 0;
	f->port = 0;
	__ferry_fdpub_set(f - __ferry_fds, FERRY_FDPUB_CLOSED, 0);
	return port;
}

/* Drops the send right an fd owned (the server sees no-senders if it was the last),
 * and the process's record locks on its file (POSIX: closing any descriptor). */
static void
release(handle_t port)
{
	if (port) {
		__ferry_lock_closing(port);
		__ferry_xfer_forget(port);
		(void)ferry_sys_handle_close(port);
	}
}

long
__ferry_fd_install(long fd, handle_t port, unsigned flags)
{
	handle_t old = 0;

	if (fd < 0 || fd >= (long)__ferry_nofile)
		return -EBADF;
	LOCK(fd_lock);
	if (__ferry_fds[fd].kind != FERRY_FD_NONE)
		old = clear(&__ferry_fds[fd]);
	fill(&__ferry_fds[fd], port, flags);
	UNLOCK(fd_lock);
	release(old);
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
	struct ferry_fd *f;
	handle_t port;

	LOCK(fd_lock);
	if (!(f = __ferry_fd_get(fd))) {
		UNLOCK(fd_lock);
		return -EBADF;
	}
	port = clear(f);
	UNLOCK(fd_lock);
	release(port);
	return 0;
}

long
__ferry_fd_pair(uint32_t op, const void *req, unsigned reqlen, unsigned flags, unsigned mode,
                int kind, int *out)
{
	struct ferry_msg m;
	int32_t st[2];
	long rc, a, b;

	if (!__ferry_proc.posixsrv)
		return -ENOSYS;
	memset(&m, 0, sizeof m);
	m.op = op;
	m.len = (uint16_t)reqlen;
	memcpy(m.data, req, reqlen);
	rc = ferry_sys_msg_call(__ferry_proc.posixsrv, &m, FERRY_TIME_INFINITE);
	if (rc)
		return __ferry_status(rc);
	memcpy(st, m.data, sizeof st); /* status, id */
	if (st[0])
		return __ferry_status(st[0]);
	if (m.nhandles != 2)
		return -EIO;
	if ((a = __ferry_fd_alloc(0, m.handles[0], flags)) < 0) {
		ferry_sys_handle_close(m.handles[0]);
		ferry_sys_handle_close(m.handles[1]);
		return a;
	}
	if ((b = __ferry_fd_alloc(0, m.handles[1], flags)) < 0) {
		__ferry_fd_close(a);
		ferry_sys_handle_close(m.handles[1]);
		return b;
	}
	__ferry_fd_get(a)->mode = mode;
	__ferry_fd_get(b)->mode = mode;
	__ferry_fdpub_set(a, kind, (uint32_t)st[1]);
	__ferry_fdpub_set(b, kind, (uint32_t)st[1]);
	out[0] = (int)a;
	out[1] = (int)b;
	return 0;
}
