/* SPDX-License-Identifier: MIT */
/*
 * Record locks and flock through vfs's FILE_LOCK (docs/proto/file.md,
 * "Locks").  Record locks belong to the process: its lock owner is a port
 * vfs makes on the first record-lock call (FILE_LOCK_OWNER) and that this
 * process alone holds, so vfs drops its locks when the process ends.  A
 * fork child closes the inherited copy (locks are not inherited) and gets
 * its own when it needs one; exec passes it to the new image
 * (AT_FERRY_LOCKS), since record locks survive exec.  Closing any descriptor of a file drops the
 * process's locks on it (__ferry_lock_closing, called by the fd table).
 * A call blocked in F_SETLKW or flock that a signal interrupts is
 * cancelled in vfs by its cookie before EINTR is returned, so the lock is
 * never granted to nobody.  Servers other than vfs answer ENOSYS: locks
 * on pipes, sockets, terminals and /proc files fail with EINVAL ("does not
 * support locking").  Open-file-description locks (F_OFD_*) are record
 * locks owned by the description itself: no owner port travels, they are
 * shared by dup and fork and go when the description's last handle does.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <ferry/proto/file.h>
#include <ferry/syscall.h>
#include "libposix.h"

static handle_t owner;       /* our lock owner port, 0 until the first record-lock call */
static unsigned cookie_seed; /* names each blocking call (atomic) */

long
__ferry_lock_call(handle_t port, struct file_lock_req *req, struct file_lock_rep *rep, handle_t hin,
                  handle_t *hout)
{
	struct ferry_msg m;
	int32_t status;
	long rc;

	memset(&m, 0, sizeof m);
	m.op = FILE_LOCK;
	m.len = sizeof *req;
	memcpy(m.data, req, sizeof *req);
	if (hin) {
		/* A copy travels: the owner port stays ours. */
		m.flags = FERRY_MSGF_HANDLES_COPY;
		m.nhandles = 1;
		m.handles[0] = hin;
	}
	rc = ferry_sys_msg_call(port, &m, FERRY_TIME_INFINITE);
	if (rc < 0)
		return __ferry_status(rc);
	for (unsigned i = 0; i < m.nhandles && i < FERRY_MSG_HANDLES_MAX; i++) {
		if (i == 0 && hout && !*hout)
			*hout = m.handles[0];
		else
			(void)ferry_sys_handle_close(m.handles[i]);
	}
	if (m.len < sizeof status)
		return -EIO;
	memcpy(&status, m.data, sizeof status);
	memset(rep, 0, sizeof *rep);
	memcpy(rep, m.data, m.len < sizeof *rep ? m.len : sizeof *rep);
	if (status == -FERRY_ENOSYS)
		return -EINVAL;
	return __ferry_status(status < 0 ? status : 0);
}

/* Our owner port, made through port (a description of the file) if we have none. */
static long
get_owner(handle_t port, handle_t *out)
{
	struct file_lock_req req = {.cmd = FILE_LOCK_OWNER};
	struct file_lock_rep rep;
	handle_t h = __atomic_load_n(&owner, __ATOMIC_ACQUIRE), none = 0;
	long rc;

	if (h) {
		*out = h;
		return 0;
	}
	req.pid = (uint32_t)__ferry_sys_getpid(0, 0, 0, 0, 0, 0);
	h = 0;
	if ((rc = __ferry_lock_call(port, &req, &rep, 0, &h)) < 0)
		return rc;
	if (!h)
		return -EIO;
	/* Another thread may have made one meanwhile: keep the first. */
	if (!__atomic_compare_exchange_n(&owner, &none, h, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		(void)ferry_sys_handle_close(h);
		h = none;
	}
	*out = h;
	return 0;
}

handle_t
__ferry_lock_owner(void)
{
	return __atomic_load_n(&owner, __ATOMIC_ACQUIRE);
}

void
__ferry_lock_owner_set(handle_t h)
{
	__atomic_store_n(&owner, h, __ATOMIC_RELEASE);
}

unsigned
__ferry_lock_cookie(void)
{
	return __atomic_add_fetch(&cookie_seed, 1, __ATOMIC_RELAXED);
}

/* F_GETLK, F_SETLK, F_SETLKW on port with the caller's struct flock. */
long
__ferry_lock_fcntl(handle_t port, long cmd, struct flock *fl)
{
	struct file_lock_req req;
	struct file_lock_rep rep;
	handle_t h;
	long rc;

	int ofd = cmd == FERRY_F_OFD_GETLK || cmd == FERRY_F_OFD_SETLK || cmd == FERRY_F_OFD_SETLKW;

	if (!fl)
		return -EFAULT;
	h = 0;
	if (ofd && fl->l_pid != 0)
		return -EINVAL; /* Linux: l_pid must be 0 for description locks */
	if (!ofd && (rc = get_owner(port, &h)) < 0)
		return rc;
	memset(&req, 0, sizeof req);
	if (ofd)
		req.cmd = cmd == FERRY_F_OFD_GETLK   ? FILE_LOCK_OFD_GET
		          : cmd == FERRY_F_OFD_SETLK ? FILE_LOCK_OFD_SET
		                                     : FILE_LOCK_OFD_SETW;
	else
		req.cmd = cmd == F_GETLK   ? FILE_LOCK_GET
		          : cmd == F_SETLK ? FILE_LOCK_SET
		                           : FILE_LOCK_SETW;
	/* Linux's F_RDLCK/F_WRLCK/F_UNLCK are the protocol's values; others: vfs says EINVAL. */
	req.type = (uint16_t)(fl->l_type < 0 || fl->l_type > 0xffff ? 0xffff : fl->l_type);
	req.whence = (uint16_t)(fl->l_whence < 0 || fl->l_whence > 0xffff ? 0xffff : fl->l_whence);
	req.start = fl->l_start;
	req.len = fl->l_len;
	int wait = req.cmd == FILE_LOCK_SETW || req.cmd == FILE_LOCK_OFD_SETW;
	if (wait)
		req.cookie = __ferry_lock_cookie();
	rc = __ferry_lock_call(port, &req, &rep, h, 0);
	if (rc == -EINTR && wait) {
		req.cmd = FILE_LOCK_CANCEL; /* without an owner: the description's wait */
		(void)__ferry_lock_call(port, &req, &rep, h, 0);
	}
	if (rc < 0 || (req.cmd != FILE_LOCK_GET && req.cmd != FILE_LOCK_OFD_GET))
		return rc;
	fl->l_type = (short)rep.type;
	if (rep.type != FILE_LOCK_UN) {
		fl->l_whence = SEEK_SET;
		fl->l_start = rep.start;
		fl->l_len = rep.len;
		fl->l_pid = (pid_t)rep.pid;
	}
	return 0;
}

void
__ferry_lock_closing(handle_t port)
{
	struct file_lock_req req = {.cmd = FILE_LOCK_CLOSE};
	struct file_lock_rep rep;
	handle_t h = __atomic_load_n(&owner, __ATOMIC_ACQUIRE);

	/* Only a process that ever locked pays for this call. */
	if (h && port)
		(void)__ferry_lock_call(port, &req, &rep, h, 0);
}

void
__ferry_lock_fork_child(void)
{
	if (owner)
		(void)ferry_sys_handle_close(owner);
	owner = 0;
}
