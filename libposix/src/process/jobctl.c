/* SPDX-License-Identifier: MIT */
/*
 * Terminal job control on the client side (docs/proto/tty.md, "Job
 * control").  Reads and writes carry the caller's process group, cached
 * here (one procmgr call per process; forgotten by setpgid/setsid; a
 * child inherits it with the rest of memory).  A terminal that finds the
 * caller in the background answers TTY_BACKGROUND and the caller acts as
 * Linux's kernel does: raise SIGTTIN (read) or SIGTTOU (write with
 * TOSTOP) in its group and try again once continued, or EIO for a read
 * that ignores or blocks SIGTTIN (such a write goes on unchecked) and
 * for a group that is orphaned (nobody would continue it).
 */
#include <errno.h>
#include <signal.h>
#include <ferry/syscall.h>
#include "pm.h"

static int32_t cached; /* 0: not asked yet, -1: procmgr could not say */

int32_t
__ferry_pgrp_cached(void)
{
	if (!cached) {
		struct proc_pid_req req = {0, 0};
		struct proc_id_rep rep;
		long rc = __ferry_pm(PROC_GETPGID, &req, sizeof req, &rep, sizeof rep, 0, 0);
		cached = rc < 0 || rep.id <= 0 ? -1 : rep.id;
	}
	return cached > 0 ? cached : 0;
}

void
__ferry_pgrp_forget(void)
{
	cached = 0;
}

long
__ferry_tty_background(int write)
{
	int sig = write ? SIGTTOU : SIGTTIN;
	void (*h)(int);

	__ferry_sig_adopt(); /* SIG_IGN and the mask survive exec */
	h = __ferry_sigact[sig].handler;

	struct proc_ctty_rep cr;

	if (h == SIG_IGN || (__ferry_sigmask >> (sig - 1) & 1))
		return write ? 1 : -EIO;
	/* An orphaned group would stop with nobody to continue it: EIO. */
	if (__ferry_ctty(PROC_CTTY_GET, 0, 0, &cr) >= 0 && (cr.flags & PROC_CTTY_ORPHANED))
		return -EIO;
	(void)__ferry_sys_kill(0, sig, 0, 0, 0, 0);
	if (h != SIG_DFL)
		return -EINTR; /* the handler ran on the way out of kill */
	/* Default action: procmgr stops the group; wait for it, then retry. */
	(void)ferry_sys_thread_sleep(1000000);
	return 0;
}
