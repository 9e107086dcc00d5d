// SPDX-License-Identifier: MIT
/*
 * The process table: slots, pids, process ports and the life cycle
 * (embryo -> live -> zombie -> free), reparenting to pid 1.
 * Entry points: proc_new, proc_gone, proc_terminate, proc_free, lookups.
 *
 * Ownership and references: a slot owns a MANAGE handle to the process's
 * current task and a MANAGE-only handle to its port (not a send right, so
 * it never holds the no-senders notice back).  The process owns the only
 * send handle; exec gives the new task its own before the old one dies.
 */
#include "procmgr.h"

struct proc proctab[NPROC];
static int next_pid = 1;

port_key_t
proc_key(const struct proc *p)
{
	return ((uint64_t)p->gen << 32) | (uint64_t)(p - proctab + 1);
}

struct proc *
proc_by_key(port_key_t key)
{
	uint64_t slot = (key & 0xffffffffu);
	if (slot == 0 || slot > NPROC)
		return NULL;
	struct proc *p = &proctab[slot - 1];
	if (p->state == PROC_FREE || p->gen != (uint32_t)(key >> 32))
		return NULL;
	return p;
}

struct proc *
proc_by_pid(int pid)
{
	if (pid <= 0)
		return NULL;
	for (int i = 0; i < NPROC; i++)
		if (proctab[i].state != PROC_FREE && proctab[i].pid == pid)
			return &proctab[i];
	return NULL;
}

/* A pid is in use while a process, a group or a session carries it. */
static bool
pid_in_use(int pid)
{
	for (int i = 0; i < NPROC; i++) {
		const struct proc *p = &proctab[i];
		if (p->state != PROC_FREE && (p->pid == pid || p->pgid == pid || p->sid == pid))
			return true;
	}
	return false;
}

static int
pid_alloc(void)
{
	for (int tries = 0; tries < PID_MAX; tries++) {
		int pid = next_pid++;
		if (next_pid >= PID_MAX)
			next_pid = 2;
		if (!pid_in_use(pid))
			return pid;
	}
	return -FERRY_EAGAIN;
}

int
proc_count_uid(uint32_t uid)
{
	int n = 0;
	for (int i = 0; i < NPROC; i++)
		if (proctab[i].state != PROC_FREE && proctab[i].state != PROC_ZOMBIE &&
		    proctab[i].state != PROC_SERVER && proctab[i].uid == uid)
			n++;
	return n;
}

void
proc_set_name(struct proc *p, const char *path)
{
	const char *n = path;
	for (const char *s = path; *s; s++)
		if (*s == '/')
			n = s + 1;
	size_t i = 0;
	for (; n[i] && i < sizeof(p->name) - 1; i++)
		p->name[i] = n[i];
	p->name[i] = 0;
}

void
proc_set_image(struct proc *p, const char *path, const char *const *argv, unsigned argc)
{
	proc_set_name(p, path);
	usnprintf(p->exe, sizeof(p->exe), "%s%s", path[0] == '/' ? "" : "/", path);
	size_t n = 0;
	for (unsigned i = 0; i < argc && n < sizeof(p->cmdline); i++) {
		size_t l = strnlen(argv[i], sizeof(p->cmdline) - n - 1);
		memcpy(p->cmdline + n, argv[i], l);
		n += l;
		p->cmdline[n++] = 0;
	}
	p->cmdlen = (uint16_t)n;
}

/*
 * Takes a free slot and a pid, creates the process port on procmgr's queue
 * and returns a send handle to it in *send (the caller gives it away).
 * -FERRY_EAGAIN (table or pids exhausted), or the kernel's error.
 */
int
proc_new(enum proc_state st, struct proc **out, handle_t *send)
{
	struct proc *p = NULL;
	for (int i = 0; i < NPROC; i++) {
		if (proctab[i].state == PROC_FREE) {
			p = &proctab[i];
			break;
		}
	}
	if (!p)
		return -FERRY_EAGAIN;
	int pid = pid_alloc();
	if (pid < 0)
		return pid;
	uint32_t gen = p->gen + 1;
	memset(p, 0, sizeof(*p));
	p->gen = gen & 0x7fffffff ? gen & 0x7fffffff : 1; /* keys never carry PFS_KEY_BIT */
	p->pid = pid;
	handle_t full;
	int rc = (int)ferry_sys_port_create(procmgr_queue, proc_key(p), &full);
	if (rc)
		return rc;
	/* Ours can destroy the port but does not send (its copies, without
	 * SEND, name the process to vfs: load.c); the process's can only send
	 * (it must not be able to destroy its own identity). */
	if ((rc = (int)ferry_sys_handle_dup(
	             full, FERRY_RIGHT_MANAGE | FERRY_RIGHT_DUP | FERRY_RIGHT_TRANSFER, &p->port)))
		goto out;
	if ((rc = (int)ferry_sys_handle_dup(
	             full, FERRY_RIGHT_SEND | FERRY_RIGHT_DUP | FERRY_RIGHT_TRANSFER, send))) {
		ferry_sys_handle_close(p->port);
		p->port = 0;
		goto out;
	}
	p->state = st;
	p->start_ns = unow_ns();
	*out = p;
out:
	ferry_sys_handle_close(full);
	return rc;
}

int
proc_new_server(const char *name, const char *path, handle_t task, int *pid)
{
	int n = 0;
	for (int i = 0; i < NPROC; i++)
		n += proctab[i].state == PROC_SERVER;
	if (n >= PROC_SERVERS_MAX)
		return -FERRY_ENOSPC;
	struct proc *p = NULL;
	for (int i = 0; i < NPROC && !p; i++)
		if (proctab[i].state == PROC_FREE)
			p = &proctab[i];
	if (!p)
		return -FERRY_EAGAIN;
	int rc = pid_alloc();
	if (rc < 0)
		return rc;
	uint32_t gen = p->gen;
	memset(p, 0, sizeof(*p));
	p->gen = gen;
	p->pid = p->pgid = p->sid = rc;
	p->orphan0 = true; /* nobody waits for it */
	p->state = PROC_SERVER;
	p->task = task; /* for its CPU time only: servers take no signals */
	p->start_ns = unow_ns();
	cred_init_rlimits(p);
	const char *argv[] = {name};
	proc_set_image(p, *path ? path : name, argv, 1);
	proc_set_name(p, name);
	*pid = p->pid;
	return 0;
}

void
stage_drop(struct stage *s)
{
	if (!s)
		return;
	for (unsigned i = 0; i < s->n; i++)
		if (s->e[i].h)
			ferry_sys_handle_close(s->e[i].h);
	s->n = 0;
}

void
proc_free(struct proc *p)
{
	cred_unpublish(p);
	if (p->task)
		ferry_sys_handle_close(p->task);
	if (p->port) {
		ferry_sys_port_destroy(p->port);
		ferry_sys_handle_close(p->port);
	}
	if (p->stage) {
		stage_drop(p->stage);
		uunmap(p->stage, sizeof(*p->stage));
	}
	fdpub_drop(p);
	sig_drop(p);
	uint32_t gen = p->gen;
	memset(p, 0, sizeof(*p));
	p->gen = gen;
}

/* Children of p go to pid 1 (or, without a live init, nobody: reaped at death). */
static void
reparent_children(struct proc *p)
{
	struct proc *init = proc_by_pid(1);
	if (init && init->state != PROC_LIVE)
		init = NULL;
	for (int i = 0; i < NPROC; i++) {
		struct proc *c = &proctab[i];
		if (c->state == PROC_FREE || c->ppid != p->pid || c == p)
			continue;
		if (c->state == PROC_EMBRYO) {
			/* Its fork can no longer be committed: no task, no status. */
			if (c->died_early) {
				proc_free(c);
				continue;
			}
			c->embryo_orphan = true;
		}
		if (init) {
			c->ppid = 1;
			if (c->state == PROC_ZOMBIE)
				wait_child_changed(c);
		} else if (c->state == PROC_ZOMBIE) {
			proc_free(c);
		} else {
			c->ppid = 0;
			c->orphan0 = true;
		}
	}
}

/* p died with Linux wait status ws: zombie, parent told, children given away. */
static void
proc_zombify(struct proc *p, int32_t ws)
{
	struct ctty_exit ce;
	/* What p's exit hangs up is noted now and signalled once p is a zombie
	 * told to its parent: a signal sent earlier could let a waiter reap p
	 * while it is still being taken apart. */
	ctty_exit_note(p, &ce);
	p->state = PROC_ZOMBIE;
	cred_unpublish(p); /* a dead process's identity names no one */
	p->wstatus = ws;
	p->stopped = false;
	timer_drop(p, false);
	stage_drop(p->stage);
	fdpub_drop(p); /* its descriptors are closed */
	wait_drop(p->pid);
	sig_drop(p);
	reparent_children(p);
	if (p->ppid == 0 && p->orphan0) {
		proc_free(p);
		goto out;
	}
	struct proc *parent = proc_by_pid(p->ppid);
	if (parent && parent->state == PROC_LIVE) {
		/* SIGCHLD ignored explicitly: the child is reaped at once (POSIX XSI). */
		if (parent->sig_ignored & SIGBIT(SIGCHLD)) {
			proc_free(p);
			wait_child_changed(NULL);
			goto out;
		}
		sig_send(NULL, parent, SIGCHLD, false);
		if (parent->nocldwait) { /* SA_NOCLDWAIT: SIGCHLD, but no zombie */
			proc_free(p);
			wait_child_changed(NULL);
			goto out;
		}
	}
	wait_child_changed(p);
out:
	ctty_exit_signal(&ce);
}

int
sig_from_exit_code(int code, bool *core)
{
	*core = false;
	if (code >= -64 && code <= -1)
		return -code;
	/* A fault without a handler ends the task with -(128 + vector). */
	*core = true;
	return proc_fault_signal((unsigned)(-code - 128));
}

void
proc_gone(struct proc *p)
{
	if (p->state == PROC_EMBRYO) {
		/* The parent has not committed the task yet: it will (and then
		 * we read the status), or it dies and reparenting frees us. */
		p->died_early = true;
		struct proc *parent = proc_by_pid(p->ppid);
		if (p->embryo_orphan || !parent || parent->state != PROC_LIVE)
			proc_free(p);
		return;
	}
	if (p->state != PROC_LIVE)
		return;
	int code = 0;
	if (ferry_sys_task_wait(p->task, &code, 0) != 0) {
		/* Alive but it dropped its identity: that is the end of it. */
		ferry_sys_task_kill(p->task, -SIGKILL);
		code = -SIGKILL;
	}
	int32_t ws;
	if (code >= 0) {
		ws = (code & 0xff) << 8;
	} else {
		bool core;
		int sig = sig_from_exit_code(code, &core);
		ws = sig | (core ? 0x80 : 0);
	}
	proc_zombify(p, ws);
}

void
proc_terminate(struct proc *p, int sig)
{
	if (p->state != PROC_LIVE)
		return;
	ferry_sys_task_kill(p->task, -sig);
	/* The no-senders notice that follows finds a zombie and is ignored. */
	proc_zombify(p, sig);
}
