/* SPDX-License-Identifier: MIT */
/*
 * The controlling terminal on the client side (docs/procmgr.md
 * "Controlling terminal"): procmgr keeps which terminal a session has,
 * named by the terminal's device number, which we read from the
 * terminal's server (FILE_STAT).  Used by open (acquiring on an open
 * without O_NOCTTY, /dev/tty), ioctl (TIOCSCTTY, TIOCNOTTY, TIOCGSID) and
 * job control (EIO for an orphaned group).
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <ferry/proto/file.h>
#include "pm.h"

long
__ferry_ctty(uint32_t cmd, uint32_t rdev, int32_t arg, struct proc_ctty_rep *rep)
{
	struct proc_ctty_req req = {cmd, rdev, arg, 0};

	memset(rep, 0, sizeof *rep);
	return __ferry_pm(PROC_CTTY, &req, sizeof req, rep, sizeof rep[0], 0, 0);
}

long
__ferry_tty_rdev(handle_t port, uint32_t *rdev)
{
	struct file_stat_req req = {{0, 0}};
	struct file_stat_rep rep;
	long rc = __ferry_rpc(port, FILE_STAT, &req, sizeof req, &rep, sizeof rep, 0, 0);

	if (rc < 0)
		return rc == -EBADF ? rc : -ENOTTY;
	if ((rep.st.mode & 0170000) != 0020000 || !PROC_CTTY_RDEV_VALID(rep.st.rdev))
		return -ENOTTY;
	*rdev = (uint32_t)rep.st.rdev;
	return 0;
}

/* A session that just took the terminal on port makes its group the
 * foreground one, as Linux does on acquisition. */
static void
take_foreground(handle_t port)
{
	struct file_ioctl_req rq;
	struct file_ioctl_rep rp;
	int32_t pg = __ferry_pgrp_cached();

	if (pg <= 0)
		return;
	memset(&rq, 0, sizeof rq);
	rq.cmd = TIOCSPGRP;
	rq.len = sizeof pg;
	memcpy(rq.data, &pg, sizeof pg);
	(void)__ferry_rpc(port, FILE_IOCTL, &rq, sizeof rq, &rp, sizeof rp, 0, 0);
}

void
__ferry_ctty_opened(handle_t port, uint32_t rdev)
{
	struct proc_ctty_rep rep;

	if (__ferry_ctty(PROC_CTTY_OPENED, rdev, 0, &rep) >= 0 && (rep.flags & PROC_CTTY_ACQUIRED))
		take_foreground(port);
}

long
__ferry_ctty_ioctl(handle_t port, long req, long arg, int *out)
{
	struct proc_ctty_rep rep;
	uint32_t rdev;
	long rc;

	if ((rc = __ferry_tty_rdev(port, &rdev)) < 0)
		return rc;
	switch (req) {
	case TIOCSCTTY:
		rc = __ferry_ctty(PROC_CTTY_SET, rdev, (int32_t)arg, &rep);
		if (rc >= 0 && (rep.flags & PROC_CTTY_ACQUIRED))
			take_foreground(port);
		return rc == -ENOSYS ? 0 : rc;
	case TIOCNOTTY:
		return __ferry_ctty(PROC_CTTY_DROP, rdev, 0, &rep);
	case TIOCGSID:
		if ((rc = __ferry_ctty(PROC_CTTY_SID, rdev, 0, &rep)) < 0)
			return rc;
		*out = rep.sid;
		return 0;
	}
	return -ENOTTY;
}
