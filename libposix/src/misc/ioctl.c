/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <ferry/proto/file.h>
#include "pm.h"

long __ferry_sys_getpgrp(long a, long b, long c, long d, long e, long f);

/*
 * ioctl(fd, req, arg), passed through to the object's server as
 * FILE_IOCTL.  Linux requests do not all encode their argument's size, so
 * the known ones are listed with direction and size; others use the size
 * in the request number (_IOC) when there is one and go without an
 * argument otherwise.  Objects that do not know a request answer ENOTTY.
 */
#define IN  1
#define OUT 2
static const struct {
	unsigned long req;
	unsigned char dir, size;
} known[] = {
        {TCGETS, OUT, sizeof(struct termios)},
        {TCSETS, IN, sizeof(struct termios)},
        {TCSETSW, IN, sizeof(struct termios)},
        {TCSETSF, IN, sizeof(struct termios)},
        {TIOCGWINSZ, OUT, sizeof(struct winsize)},
        {TIOCSWINSZ, IN, sizeof(struct winsize)},
        {TIOCGPGRP, OUT, sizeof(int)},
        {TIOCSPGRP, IN, sizeof(int)},
        {TIOCGSID, OUT, sizeof(int)},
        {TIOCSCTTY, IN, 0},
        {TIOCNOTTY, IN, 0},
        {FIONREAD, OUT, sizeof(int)},
        {FIONBIO, IN, sizeof(int)},
        {TCFLSH, IN, 0},
        {TCXONC, IN, 0},
        {TCSBRK, IN, 0},
        {TIOCGPTN, OUT, sizeof(unsigned)},
        {TIOCSPTLCK, IN, sizeof(int)},
};

long
__ferry_sys_ioctl(long fd, long req, long arg, long d, long e, long f)
{
	struct ferry_fd *ent = __ferry_fd_get(fd);
	struct file_ioctl_req rq;
	struct file_ioctl_rep rp;
	unsigned dir = 0, size = 0, i, found = 0;
	long rc;

	(void)d, (void)e, (void)f;
	if (!ent)
		return -EBADF;
	if (ent->kind != FERRY_FD_PORT)
		return -ENOTTY;
	if (req == TIOCSCTTY || req == TIOCNOTTY || req == TIOCGSID) {
		/* The session's terminal is procmgr's (internal/ctty.c). */
		int sid = 0;
		if (req == TIOCGSID && !arg)
			return -EFAULT;
		rc = __ferry_ctty_ioctl(ent->port, req, arg, &sid);
		if (rc >= 0 && req == TIOCGSID)
			*(int *)arg = sid;
		return rc;
	}
	for (i = 0; i < sizeof known / sizeof known[0] && !found; i++)
		if (known[i].req == (unsigned long)req)
			dir = known[i].dir, size = known[i].size, found = 1;
	if (!found && (req >> 16 & 0x3fff)) {
		/* _IOC layout: dir in bits 30-31 (1 write, 2 read), size in 16-29. */
		dir = (req >> 30 & 1 ? IN : 0) | (req >> 30 & 2 ? OUT : 0);
		size = (unsigned)(req >> 16 & 0x3fff);
	}
	if (size > FILE_INLINE_MAX)
		return -ENOTTY;
	memset(&rq, 0, sizeof rq);
	rq.cmd = (uint32_t)req;
	if (dir & IN) {
		if (size) {
			if (!arg)
				return -EFAULT;
			memcpy(rq.data, (const void *)arg, size);
			rq.len = size;
		} else {
			/* Requests taking an integer by value (TCFLSH, TCSBRK ...). */
			memcpy(rq.data, &arg, sizeof(int));
			rq.len = sizeof(int);
		}
	}
	rc = __ferry_rpc(ent->port, FILE_IOCTL, &rq, sizeof rq, &rp, sizeof rp, 0, 0);
	if (rc < 0)
		return rc;
	if ((unsigned long)req == TIOCGPGRP && rp.len >= sizeof(int) && !*(int *)rp.data) {
		/*
		 * A terminal with no foreground group yet: the caller's group
		 * takes it, as a session leader acquires its controlling
		 * terminal on Linux.  Descriptors here are inherited rather than
		 * opened, so the open that would do it on Linux never happens;
		 * without this a job-control shell waits for the terminal forever.
		 */
		long pg = __ferry_sys_getpgrp(0, 0, 0, 0, 0, 0);
		if (pg > 0) {
			struct file_ioctl_req sp;
			memset(&sp, 0, sizeof sp);
			sp.cmd = TIOCSPGRP;
			sp.len = sizeof(int);
			memcpy(sp.data, &pg, sizeof(int));
			struct file_ioctl_rep srp;
			if (__ferry_rpc(ent->port, FILE_IOCTL, &sp, sizeof sp, &srp, sizeof srp, 0,
			                0) >= 0)
				memcpy(rp.data, &pg, sizeof(int));
		}
	}
	if ((dir & OUT) && size) {
		if (!arg)
			return -EFAULT;
		memcpy((void *)arg, rp.data, rp.len < size ? rp.len : size);
	}
	return 0;
}
