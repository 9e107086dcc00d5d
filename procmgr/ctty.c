// SPDX-License-Identifier: MIT
/*
 * Controlling terminals and hangups (docs/procmgr.md "Controlling
 * terminal"): which terminal a session has, its acquisition (an open
 * without O_NOCTTY, TIOCSCTTY) and loss (TIOCNOTTY, the leader's exit, a
 * hangup), and the signals POSIX's _exit sends to a process group the
 * exit orphans.  A terminal is named by its device number; the terminal
 * server tells us its foreground group and its hangups (PROC_CTL_TTY),
 * since procmgr never calls it.  The terminal is kept on the session
 * leader's entry: a session whose leader is gone has none, as on Linux.
 * Entry points: ctty_op, ctty_event, ctty_exit_note, ctty_exit_signal,
 * pgrp_orphaned.
 */
#include "procmgr.h"

/* The live leader of session sid, or NULL. */
static struct proc *
session_leader(int sid)
{
	struct proc *l = proc_by_pid(sid);
	return l && l->state == PROC_LIVE && l->sid == sid ? l : NULL;
}

/* The live session leader whose terminal is rdev, or NULL. */
static struct proc *
ctty_owner(uint32_t rdev)
{
	for (int i = 0; i < NPROC; i++) {
		struct proc *p = &proctab[i];
		if (p->state == PROC_LIVE && p->pid == p->sid && p->ctty == rdev)
			return p;
	}
	return NULL;
}

/*
 * Whether group pgid is orphaned (POSIX): no live member has a live
 * parent in another group of the same session.  An empty group counts as
 * orphaned.
 */
bool
pgrp_orphaned(int pgid)
{
	for (int i = 0; i < NPROC; i++) {
		const struct proc *m = &proctab[i];
		if (m->state != PROC_LIVE || m->pgid != pgid)
			continue;
		const struct proc *q = proc_by_pid(m->ppid);
		if (q && q->state == PROC_LIVE && q->pgid != pgid && q->sid == m->sid)
			return false;
	}
	return true;
}

static bool
pgrp_has_stopped(int pgid)
{
	for (int i = 0; i < NPROC; i++)
		if (proctab[i].state == PROC_LIVE && proctab[i].pgid == pgid && proctab[i].stopped)
			return true;
	return false;
}

/* SIGHUP then SIGCONT to every member of pgid (nobody there: nothing to do). */
static void
hup_cont(int pgid)
{
	(void)sig_kill(NULL, -pgid, SIGHUP);
	(void)sig_kill(NULL, -pgid, SIGCONT);
}

/* The session led by l loses its terminal. */
static void
disassociate(struct proc *l)
{
	l->ctty = 0;
	l->ctty_pgrp = 0;
}

uint32_t
ctty_of(const struct proc *p, int *fg)
{
	const struct proc *l = session_leader(p->sid);
	*fg = l && l->ctty ? l->ctty_pgrp : 0;
	return l ? l->ctty : 0;
}

/*
 * PROC_CTTY by p (the request's checks and errors are in
 * include/ferry/proto/proc.h).  rep->sid and rep->rdev describe p's
 * session afterwards.
 */
int
ctty_op(struct proc *p, const struct proc_ctty_req *r, struct proc_ctty_rep *rep)
{
	struct proc *l = session_leader(p->sid);
	struct proc *o;

	if (r->cmd != PROC_CTTY_GET && !PROC_CTTY_RDEV_VALID(r->rdev))
		return -FERRY_EINVAL;
	rep->sid = p->sid;
	switch (r->cmd) {
	case PROC_CTTY_GET:
		if (pgrp_orphaned(p->pgid))
			rep->flags |= PROC_CTTY_ORPHANED;
		break;
	case PROC_CTTY_OPENED:
		if (l == p && !p->ctty && !ctty_owner(r->rdev)) {
			p->ctty = r->rdev;
			p->ctty_pgrp = 0;
			rep->flags |= PROC_CTTY_ACQUIRED;
		}
		break;
	case PROC_CTTY_SET:
		if (l != p)
			return -FERRY_EPERM;
		if (p->ctty == r->rdev)
			break;
		if (p->ctty)
			return -FERRY_EPERM;
		if ((o = ctty_owner(r->rdev))) {
			/* Stealing (arg 1) is for root, as CAP_SYS_ADMIN on Linux. */
			if (r->arg != 1 || !cred_privileged(p))
				return -FERRY_EPERM;
			disassociate(o);
		}
		p->ctty = r->rdev;
		p->ctty_pgrp = 0;
		rep->flags |= PROC_CTTY_ACQUIRED;
		break;
	case PROC_CTTY_DROP:
		if (!l || l->ctty != r->rdev)
			return -FERRY_ENOTTY;
		if (l == p) {
			int fg = p->ctty_pgrp;
			disassociate(p);
			if (fg > 0)
				hup_cont(fg);
		}
		break;
	case PROC_CTTY_SID:
		if (!(o = ctty_owner(r->rdev)))
			return -FERRY_ENOTTY;
		rep->sid = o->sid;
		rep->rdev = o->ctty;
		return 0;
	default:
		return -FERRY_EINVAL;
	}
	l = session_leader(p->sid);
	rep->rdev = l ? l->ctty : 0;
	return 0;
}

/* PROC_CTL_TTY from the terminal server (include/ferry/proto/proc.h). */
int
ctty_event(const struct proc_ctl_tty_req *r)
{
	if (!PROC_CTTY_RDEV_VALID(r->rdev) || r->pgrp < 0)
		return -FERRY_EINVAL;
	struct proc *o = ctty_owner(r->rdev);
	switch (r->what) {
	case PROC_TTY_FG:
		if (o)
			o->ctty_pgrp = r->pgrp;
		return 0;
	case PROC_TTY_HANGUP:
		if (o) {
			disassociate(o);
			(void)sig_send(NULL, o, SIGHUP, false);
			(void)sig_send(NULL, o, SIGCONT, false);
		}
		if (r->pgrp > 0)
			(void)sig_kill(NULL, -r->pgrp, SIGHUP);
		return 0;
	}
	return -FERRY_EINVAL;
}

/* Group pgid lost the member or parent that kept it from being orphaned. */
static void
orphan_check(int pgid)
{
	if (pgrp_orphaned(pgid) && pgrp_has_stopped(pgid))
		hup_cont(pgid);
}

/*
 * p is exiting (still live, its children not given away).  A session
 * leader's session loses its terminal, whose foreground group gets
 * SIGHUP; the groups p's exit may orphan are noted: its own when its
 * parent kept it joined, its children's when p did.  POSIX _exit.
 */
void
ctty_exit_note(struct proc *p, struct ctty_exit *ce)
{
	ce->fg = 0;
	ce->n = 0;
	if (p->pid == p->sid && p->ctty) {
		ce->fg = p->ctty_pgrp;
		disassociate(p);
	}
	const struct proc *parent = proc_by_pid(p->ppid);
	if (parent && parent->state == PROC_LIVE && parent->pgid != p->pgid &&
	    parent->sid == p->sid)
		ce->pgid[ce->n++] = p->pgid;
	for (int i = 0; i < NPROC && ce->n < CTTY_EXIT_GROUPS; i++) {
		const struct proc *c = &proctab[i];
		bool seen = false;
		if (c->state != PROC_LIVE || c->ppid != p->pid || c->pgid == p->pgid ||
		    c->sid != p->sid)
			continue;
		for (int j = 0; j < ce->n && !seen; j++)
			seen = ce->pgid[j] == c->pgid;
		if (!seen)
			ce->pgid[ce->n++] = c->pgid;
	}
}

/* The exit noted in ce is complete: its signals go out (SIGHUP then
 * SIGCONT to each noted group now orphaned with a stopped member). */
void
ctty_exit_signal(const struct ctty_exit *ce)
{
	if (ce->fg > 0)
		(void)sig_kill(NULL, -ce->fg, SIGHUP);
	for (int i = 0; i < ce->n; i++)
		orphan_check(ce->pgid[i]);
}
