// SPDX-License-Identifier: MIT
/*
 * wait4/waitpid/waitid: matching a waiter's children, reporting exits,
 * stops and continues, and the queue of blocked wait calls (replied to
 * later, when a child changes).  The waiter is a pid, or 0 for the control
 * port (the spawner waiting for what it spawned).
 * Entry points: wait_start, wait_child_changed, wait_drop.
 */
#include "procmgr.h"

struct waiter {
	bool used;
	int ppid;
	struct proc_wait_req req;
	uint64_t token;
};

static struct waiter waiters[NWAITERS];

static bool
matches(int ppid, int pid, const struct proc *c)
{
	if (c->state == PROC_FREE || c->state == PROC_EMBRYO || c->ppid != ppid)
		return false;
	if (ppid == 0 && c->orphan0)
		return false;
	if (pid == -1 || (ppid == 0 && pid == 0))
		return true;
	if (pid > 0)
		return c->pid == pid;
	if (pid == 0) {
		const struct proc *w = proc_by_pid(ppid);
		return w && c->pgid == w->pgid;
	}
	return c->pgid == -pid;
}

static uint32_t
want(uint32_t options)
{
	uint32_t w = options & (PROC_WEXITED | PROC_WUNTRACED | PROC_WCONTINUED);
	return w ? w : (options | PROC_WEXITED);
}

/* Takes what report() described off c: frees a zombie, clears a stop or continue report. */
static void
consume(struct proc *c, const struct proc_wait_rep *rep)
{
	if (rep->code <= 3) {
		cpu_reaped(c, rep->utime_ns, rep->stime_ns);
		proc_free(c);
	} else if (rep->code == 5)
		c->stopped_report = false;
	else
		c->continued_report = false;
}

/* Fills rep if c has something the options ask for; consumes it unless WNOWAIT. */
static bool
report(struct proc *c, uint32_t options, struct proc_wait_rep *rep)
{
	uint32_t w = want(options);
	memset(rep, 0, sizeof(*rep));
	rep->pid = c->pid;
	rep->uid = c->uid;
	if (c->state == PROC_ZOMBIE && (w & PROC_WEXITED)) {
		int32_t ws = c->wstatus;
		uint64_t t[2];
		cpu_of(c, t);
		rep->utime_ns = t[0] + c->ccpu_ns[0];
		rep->stime_ns = t[1] + c->ccpu_ns[1];
		rep->wstatus = ws;
		if ((ws & 0x7f) == 0) {
			rep->code = 1; /* CLD_EXITED */
			rep->value = (ws >> 8) & 0xff;
		} else {
			rep->code = (ws & 0x80) ? 3 : 2; /* CLD_DUMPED, CLD_KILLED */
			rep->value = ws & 0x7f;
		}
	} else if (c->state == PROC_LIVE && c->stopped_report && (w & PROC_WUNTRACED)) {
		rep->wstatus = 0x7f | (c->stop_sig << 8);
		rep->code = 5; /* CLD_STOPPED */
		rep->value = c->stop_sig;
	} else if (c->state == PROC_LIVE && c->continued_report && (w & PROC_WCONTINUED)) {
		rep->wstatus = 0xffff;
		rep->code = 6; /* CLD_CONTINUED */
		rep->value = SIGCONT;
	} else {
		return false;
	}
	if (!(options & PROC_WNOWAIT))
		consume(c, rep);
	return true;
}

/* 0 with rep filled, -FERRY_ECHILD when no child matches, 1 if it must block.
 * *who is the child reported (NULL: none). */
static int
try_wait(int ppid, const struct proc_wait_req *req, struct proc_wait_rep *rep, struct proc **who)
{
	*who = NULL;
	bool any = false;
	for (int i = 0; i < NPROC; i++) {
		struct proc *c = &proctab[i];
		if (!matches(ppid, req->pid, c))
			continue;
		any = true;
		if (report(c, req->options, rep)) {
			*who = c;
			return 0;
		}
	}
	if (!any)
		return -FERRY_ECHILD;
	if (req->options & PROC_WNOHANG) {
		memset(rep, 0, sizeof(*rep));
		return 0;
	}
	return 1;
}

bool
wait_has_children(int ppid)
{
	for (int i = 0; i < NPROC; i++)
		if (proctab[i].state != PROC_FREE && proctab[i].state != PROC_SERVER &&
		    proctab[i].ppid == ppid)
			return true;
	return false;
}

int
wait_start(int ppid, const struct proc_wait_req *req, uint64_t token, struct proc_wait_rep *rep)
{
	if (req->options & ~(PROC_WNOHANG | PROC_WUNTRACED | PROC_WEXITED | PROC_WCONTINUED |
	                     PROC_WNOWAIT | 0x40000000u /* __WALL */ | 0x80000000u /* __WCLONE */))
		return -FERRY_EINVAL;
	struct proc *who;
	int rc = try_wait(ppid, req, rep, &who);
	if (rc <= 0)
		return rc;
	if (!token)
		return -FERRY_EINVAL;
	for (int i = 0; i < NWAITERS; i++) {
		if (!waiters[i].used) {
			waiters[i] = (struct waiter){true, ppid, *req, token};
			return FERRY_REPLY_LATER;
		}
	}
	return -FERRY_EAGAIN;
}

void
wait_child_changed(struct proc *c)
{
	(void)c;
	/* Every blocked waiter re-evaluates: a reparented zombie, an auto-reaped
	 * child (ECHILD now) or a stop all count.  NWAITERS is small. */
	for (int i = 0; i < NWAITERS; i++) {
		struct waiter *w = &waiters[i];
		if (!w->used)
			continue;
		struct proc_wait_rep rep;
		struct proc_wait_req peek = w->req;
		struct proc *who;
		peek.options |= PROC_WNOWAIT;
		int rc = try_wait(w->ppid, &peek, &rep, &who);
		if (rc == 1)
			continue;
		w->used = false;
		/* Consumed only if the waiter is still there: a wait broken by a
		 * signal (EINTR) must not lose the child's status. */
		if (srv_reply(w->token, rc, &rep, sizeof(rep), NULL, 0) == 0 && who &&
		    !(w->req.options & PROC_WNOWAIT))
			consume(who, &rep);
	}
}

void
wait_drop(int ppid)
{
	for (int i = 0; i < NWAITERS; i++) {
		if (waiters[i].used && waiters[i].ppid == ppid) {
			waiters[i].used = false;
			srv_reply(waiters[i].token, -FERRY_EPEER, NULL, 0, NULL, 0);
		}
	}
}
