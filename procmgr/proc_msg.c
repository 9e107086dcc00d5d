// SPDX-License-Identifier: MIT
/*
 * Unmarshalling for protocol "proc": who is calling (the port's key names
 * the process; the control port is key 0), argument ranges, handles and
 * payloads; then the logic in fork.c, wait.c, exec.c, signal.c, pgrp.c,
 * cred.c.  Sizes and handle counts were checked by lib/srv already.
 * Also the notifications: a process port's no-senders is a death.
 */
#include "procmgr.h"
#include <ferry/startup.h>

/* The calling process, or NULL (control port, stale key). */
static struct proc *
caller(const struct srv_call *c)
{
	struct proc *p = proc_by_key(c->key);
	return p && p->state == PROC_LIVE ? p : NULL;
}

#define NEED_PROC(p, c)                                                                            \
	struct proc *p = caller(c);                                                                \
	if (!p) {                                                                                  \
		PM_REFUSE("op %#x through key %#lx: not a live process", c->req->op,               \
		          (unsigned long)c->key);                                                  \
		return -FERRY_EACCES;                                                              \
	}
#define NEED_CONTROL(c)                                                                            \
	if ((c)->key != PROC_KEY_CONTROL) {                                                        \
		PM_REFUSE("op %#x needs the control port", (c)->req->op);                          \
		return -FERRY_EACCES;                                                              \
	}

static void
close_req_handles(const struct srv_call *c)
{
	for (unsigned i = 0; i < c->req->nhandles && i < FERRY_MSG_HANDLES_MAX; i++)
		if (c->req->handles[i])
			ferry_sys_handle_close(c->req->handles[i]);
}

void
procmgr_notify(void *state, const struct ferry_msg *m)
{
	(void)state;
	if (m->op == FERRY_NOTIFY_TIMER && m->key == PROC_KEY_TIMER) {
		timer_fire();
		return;
	}
	if (m->op != FERRY_NOTIFY_NO_SENDERS || m->key == PROC_KEY_CONTROL)
		return;
	if (m->key & PFS_KEY_BIT) {
		procfs_gone(m->key);
		return;
	}
	struct proc *p = proc_by_key(m->key);
	if (p)
		proc_gone(p);
}

int
on_proc_getids(void *state, struct srv_call *c)
{
	(void)state;
	NEED_PROC(p, c);
	struct proc_ids_rep *r = SRV_REP(c, struct proc_ids_rep);
	r->pid = p->pid;
	r->ppid = p->ppid;
	r->pgid = p->pgid;
	r->sid = p->sid;
	r->uid = p->uid, r->euid = p->euid, r->suid = p->suid;
	r->gid = p->gid, r->egid = p->egid, r->sgid = p->sgid;
	return 0;
}

int
on_proc_fork(void *state, struct srv_call *c)
{
	(void)state;
	NEED_PROC(p, c);
	struct proc *child;
	handle_t send;
	int rc = proc_fork(p, &child, &send);
	if (rc)
		return rc;
	SRV_REP(c, struct proc_fork_rep)->pid = child->pid;
	c->rep.handles[0] = send;
	c->rep.nhandles = 1;
	/* handles[1]: the child's descriptor table (fdpub.c), when there is one. */
	handle_t pub;
	if (!fdpub_fork(p, child, &pub)) {
		c->rep.handles[1] = pub;
		c->rep.nhandles = 2;
	}
	return 0;
}

int
on_proc_fork_commit(void *state, struct srv_call *c)
{
	(void)state;
	struct proc *p = caller(c);
	if (!p) {
		close_req_handles(c);
		return -FERRY_EACCES;
	}
	return proc_fork_commit(p, SRV_REQ(c, struct proc_pid_req)->pid, c->req->handles[0]);
}

int
on_proc_wait(void *state, struct srv_call *c)
{
	(void)state;
	NEED_PROC(p, c);
	return wait_start(p->pid, SRV_REQ(c, struct proc_wait_req), c->token,
	                  SRV_REP(c, struct proc_wait_rep));
}

int
on_proc_ctl_wait(void *state, struct srv_call *c)
{
	(void)state;
	NEED_CONTROL(c);
	return wait_start(0, SRV_REQ(c, struct proc_wait_req), c->token,
	                  SRV_REP(c, struct proc_wait_rep));
}

/* kill(pid) or kill(-pid) names a server: refused (EPERM), servers take no signals. */
static bool
is_server(int pid)
{
	struct proc *t = proc_by_pid(pid < 0 && pid != -1 ? -pid : pid);
	return t && t->state == PROC_SERVER;
}

int
on_proc_kill(void *state, struct srv_call *c)
{
	(void)state;
	NEED_PROC(p, c);
	const struct proc_kill_req *r = SRV_REQ(c, struct proc_kill_req);
	if (is_server(r->pid))
		return -FERRY_EPERM;
	struct sigthr *t = sig_thread(p, r->tid);
	if (!t)
		return -FERRY_EAGAIN;
	struct proc_sig_rep *rep = c->token ? SRV_REP(c, struct proc_sig_rep) : NULL;
	int rc = sig_kill_req(p, t, r, rep);
	return rep ? sig_hold_reply(p, r->tid, c->token, rc, rep) : rc;
}

int
on_proc_ctl_kill(void *state, struct srv_call *c)
{
	(void)state;
	NEED_CONTROL(c);
	const struct proc_ctl_kill_req *r = SRV_REQ(c, struct proc_ctl_kill_req);
	return is_server(r->pid) ? -FERRY_EPERM : sig_kill(NULL, r->pid, r->sig);
}

int
on_proc_ctl_sigqueue(void *state, struct srv_call *c)
{
	(void)state;
	NEED_CONTROL(c);
	const struct proc_ctl_sigqueue_req *r = SRV_REQ(c, struct proc_ctl_sigqueue_req);
	if (r->sig < 1 || r->sig >= PROC_NSIG || r->code >= 0)
		return -FERRY_EINVAL;
	struct proc *t = r->pid > 0 ? proc_by_pid(r->pid) : NULL;
	if (!t || t->state == PROC_FREE)
		return -FERRY_ESRCH;
	if (is_server(r->pid))
		return -FERRY_EPERM;
	struct proc *from = r->from_pid > 0 ? proc_by_pid(r->from_pid) : NULL;
	struct proc_siginfo si = {.sig = r->sig,
	                          .code = r->code,
	                          .pid = r->from_pid,
	                          .uid = from && from->state != PROC_FREE ? from->uid : 0,
	                          .value = r->value};
	return sig_send_info(NULL, t, r->sig, false, &si, 0, true);
}

int
on_proc_setpgid(void *state, struct srv_call *c)
{
	(void)state;
	NEED_PROC(p, c);
	const struct proc_setpgid_req *r = SRV_REQ(c, struct proc_setpgid_req);
	return pgrp_setpgid(p, r->pid, r->pgid);
}

static int
lookup_pid(struct proc *p, int pid, struct proc **t)
{
	*t = pid == 0 ? p : proc_by_pid(pid);
	if (pid < 0)
		return -FERRY_EINVAL;
	return *t ? 0 : -FERRY_ESRCH;
}

int
on_proc_getpgid(void *state, struct srv_call *c)
{
	(void)state;
	NEED_PROC(p, c);
	struct proc *t;
	int rc = lookup_pid(p, SRV_REQ(c, struct proc_pid_req)->pid, &t);
	if (rc)
		return rc;
	SRV_REP(c, struct proc_id_rep)->id = t->pgid;
	return 0;
}

int
on_proc_getsid(void *state, struct srv_call *c)
{
	(void)state;
	NEED_PROC(p, c);
	struct proc *t;
	int rc = lookup_pid(p, SRV_REQ(c, struct proc_pid_req)->pid, &t);
	if (rc)
		return rc;
	SRV_REP(c, struct proc_id_rep)->id = t->sid;
	return 0;
}

int
on_proc_setsid(void *state, struct srv_call *c)
{
	(void)state;
	NEED_PROC(p, c);
	int rc = pgrp_setsid(p);
	if (rc < 0)
		return rc;
	SRV_REP(c, struct proc_id_rep)->id = rc;
	return 0;
}

int
on_proc_ctty(void *state, struct srv_call *c)
{
	(void)state;
	NEED_PROC(p, c);
	return ctty_op(p, SRV_REQ(c, struct proc_ctty_req), SRV_REP(c, struct proc_ctty_rep));
}

/* One-way from the terminal server: a foreground group or a hangup. */
int
on_proc_ctl_tty(void *state, struct srv_call *c)
{
	(void)state;
	NEED_CONTROL(c);
	return ctty_event(SRV_REQ(c, struct proc_ctl_tty_req));
}

/* One id of a set*id call: allowed for root, or if it is one of real/effective/saved. */
static bool
id_ok(const struct proc *p, const uint32_t cur[3], uint32_t want)
{
	return want == 0xffffffffu || cred_privileged(p) || want == cur[0] || want == cur[1] ||
	       want == cur[2];
}

int
on_proc_setcred(void *state, struct srv_call *c)
{
	(void)state;
	NEED_PROC(p, c);
	const struct proc_setcred_req *r = SRV_REQ(c, struct proc_setcred_req);
	if (r->which > PROC_CRED_GID)
		return -FERRY_EINVAL;
	uint32_t *ids[3] = {&p->uid, &p->euid, &p->suid};
	if (r->which == PROC_CRED_GID)
		ids[0] = &p->gid, ids[1] = &p->egid, ids[2] = &p->sgid;
	uint32_t cur[3] = {*ids[0], *ids[1], *ids[2]};
	for (int i = 0; i < 3; i++)
		if (!id_ok(p, cur, r->ids[i]))
			return -FERRY_EPERM;
	for (int i = 0; i < 3; i++)
		if (r->ids[i] != 0xffffffffu)
			*ids[i] = r->ids[i];
	cred_publish(p);
	return 0;
}

int
on_proc_groups(void *state, struct srv_call *c)
{
	(void)state;
	NEED_PROC(p, c);
	const struct proc_groups_req *r = SRV_REQ(c, struct proc_groups_req);
	struct proc_groups_rep *rep = SRV_REP(c, struct proc_groups_rep);
	if (r->set > 1)
		return -FERRY_EINVAL;
	if (r->set) {
		if (!cred_privileged(p))
			return -FERRY_EPERM;
		if (r->n > PROC_NGROUPS)
			return -FERRY_EINVAL;
		p->ngroups = r->n;
		memset(p->groups, 0, sizeof(p->groups));
		memcpy(p->groups, r->groups, r->n * sizeof(r->groups[0]));
		cred_publish(p);
	}
	rep->n = p->ngroups;
	memcpy(rep->groups, p->groups, sizeof(rep->groups));
	return 0;
}

int
on_proc_rlimit(void *state, struct srv_call *c)
{
	(void)state;
	NEED_PROC(p, c);
	const struct proc_rlimit_req *r = SRV_REQ(c, struct proc_rlimit_req);
	struct proc *t;
	int rc = lookup_pid(p, r->pid, &t);
	if (rc)
		return rc;
	if (r->resource >= PROC_RLIM_NLIMITS)
		return -FERRY_EINVAL;
	struct proc_rlimit_rep *rep = SRV_REP(c, struct proc_rlimit_rep);
	rep->cur = t->rlim[r->resource][0];
	rep->max = t->rlim[r->resource][1];
	if (!r->set)
		return 0;
	if (t != p && !cred_privileged(p) && p->uid != t->uid)
		return -FERRY_EPERM;
	if (r->cur > r->max)
		return -FERRY_EINVAL;
	if (r->max > t->rlim[r->resource][1] && !cred_privileged(p))
		return -FERRY_EPERM;
	if (r->resource == PROC_RLIMIT_NOFILE && r->max > PROC_RLIMIT_NOFILE_MAX)
		return -FERRY_EPERM;
	t->rlim[r->resource][0] = r->cur;
	t->rlim[r->resource][1] = r->max;
	return 0;
}

int
on_proc_sigstate(void *state, struct srv_call *c)
{
	(void)state;
	NEED_PROC(p, c);
	const struct proc_sigstate_req *r = SRV_REQ(c, struct proc_sigstate_req);
	struct sigthr *t = sig_thread(p, r->tid);
	if (!t)
		return -FERRY_EAGAIN; /* no room for another thread's state */
	/* A call its thread left while queued (a signal broke it) comes without
	 * a token: its state applies, but nothing is handed out in a reply
	 * nobody reads. */
	return sig_state(p, t, r, c->token ? SRV_REP(c, struct proc_sig_rep) : NULL);
}

int
on_proc_sigwait(void *state, struct srv_call *c)
{
	(void)state;
	NEED_PROC(p, c);
	const struct proc_sigwait_req *r = SRV_REQ(c, struct proc_sigwait_req);
	if (!c->token)
		return -FERRY_EINTR; /* its caller left while it was queued */
	struct sigthr *t = sig_thread(p, r->tid);
	if (!t)
		return -FERRY_EAGAIN;
	return sig_wait(p, t, r, c->token);
}

int
on_proc_exec_handle(void *state, struct srv_call *c)
{
	(void)state;
	const struct proc_exec_handle_req *r = SRV_REQ(c, struct proc_exec_handle_req);
	handle_t h = c->req->handles[0];
	bool fd_ok = r->slot >= 0 && r->slot < 65536;
	bool aux_ok = r->slot < 0 && -r->slot >= AT_FERRY_VFS_ROOT && -r->slot < AT_FERRY_END &&
	              -r->slot != AT_FERRY_SELF_TASK && -r->slot != AT_FERRY_FDTAB;
	if (!fd_ok && !aux_ok) {
		ferry_sys_handle_close(h);
		return -FERRY_EINVAL;
	}
	if (c->key == PROC_KEY_CONTROL) {
		struct stage *s = &ctl_stage;
		return stage_add(&s, r->slot, r->flags, h);
	}
	struct proc *p = caller(c);
	if (!p) {
		ferry_sys_handle_close(h);
		return -FERRY_EACCES;
	}
	return stage_add(&p->stage, r->slot, r->flags, h);
}

/* The lent argument block of an exec or spawn request. */
static int
blob_of(const struct srv_call *c, const void **blob, size_t *len)
{
	const struct proc_exec_req *r = SRV_REQ(c, struct proc_exec_req);
	if (!(c->req->flags & FERRY_MSGF_PAYLOAD) || !r->pl.addr)
		return -FERRY_EFAULT;
	*blob = (const void *)r->pl.addr;
	*len = r->pl.len;
	return 0;
}

static bool
same_port(handle_t a, handle_t b)
{
	struct ferry_handle_info ia, ib;
	return ferry_sys_handle_info(a, &ia) == 0 && ferry_sys_handle_info(b, &ib) == 0 &&
	       ia.koid == ib.koid;
}

int
on_proc_exec(void *state, struct srv_call *c)
{
	(void)state;
	handle_t self = c->req->handles[0];
	struct proc *p = caller(c);
	const void *blob;
	size_t len;
	int rc;
	if (!p) {
		rc = -FERRY_EACCES;
		goto fail;
	}
	if (!same_port(self, p->port)) {
		PM_REFUSE("pid %d: exec without its own process port", p->pid);
		rc = -FERRY_EINVAL;
		goto fail;
	}
	if ((rc = blob_of(c, &blob, &len)))
		goto fail;
	return proc_exec(p, SRV_REQ(c, struct proc_exec_req), blob, len, self);
fail:
	ferry_sys_handle_close(self);
	if (p)
		stage_drop(p->stage);
	return rc;
}

int
on_proc_spawn(void *state, struct srv_call *c)
{
	(void)state;
	NEED_CONTROL(c);
	const void *blob;
	size_t len;
	int rc = blob_of(c, &blob, &len);
	if (rc)
		return rc;
	int pid = 0;
	if ((rc = proc_spawn(SRV_REQ(c, struct proc_exec_req), blob, len, &pid)))
		return rc;
	SRV_REP(c, struct proc_spawn_rep)->pid = pid;
	return 0;
}

int
on_proc_ctl_pgrp(void *state, struct srv_call *c)
{
	(void)state;
	NEED_CONTROL(c);
	struct proc_pgrp_rep *r = SRV_REP(c, struct proc_pgrp_rep);
	int sid = 0, n = 0;
	if (!pgrp_exists(SRV_REQ(c, struct proc_pid_req)->pid, &sid, &n))
		return -FERRY_ESRCH;
	r->sid = sid;
	r->nmembers = n;
	return 0;
}

/* Mounting /proc (docs/procmgr.md "/proc"): the handle is vfs's root. */
int
on_proc_ctl_procfs(void *state, struct srv_call *c)
{
	(void)state;
	if (c->key != PROC_KEY_CONTROL) {
		close_req_handles(c);
		PM_REFUSE("op %#x needs the control port", c->req->op);
		return -FERRY_EACCES;
	}
	/* exec finds programs through the same root (load.c), mounted or not. */
	if (!load_vfs_root)
		ferry_sys_handle_dup(c->req->handles[0], FERRY_RIGHT_SAME, &load_vfs_root);
	/* vfs learns the callers' credentials from here on (cred.c).  A vfs
	 * that has a table already (-EBUSY) keeps it. */
	int rc = cred_give_vfs(c->req->handles[0]);
	if (rc && rc != -FERRY_EBUSY)
		uprintf("procmgr: vfs has no credential table: %s\n", ferry_strerror(rc));
	return procfs_mount(c->req->handles[0]);
}

/* The credential table, read-only, for a server that checks its callers. */
int
on_proc_ctl_creds(void *state, struct srv_call *c)
{
	(void)state;
	if (c->key != PROC_KEY_CONTROL) {
		PM_REFUSE("op %#x needs the control port", c->req->op);
		return -FERRY_EACCES;
	}
	int rc = cred_table_ro(&c->rep.handles[0]);
	if (rc == 0)
		c->rep.nhandles = 1;
	return rc;
}

int
on_proc_times(void *state, struct srv_call *c)
{
	(void)state;
	NEED_PROC(p, c);
	struct proc_times_rep *r = SRV_REP(c, struct proc_times_rep);
	uint64_t t[2];
	cpu_of(p, t);
	r->utime_ns = t[0];
	r->stime_ns = t[1];
	r->cutime_ns = p->ccpu_ns[0];
	r->cstime_ns = p->ccpu_ns[1];
	return 0;
}

/* A server listed as a process (docs/procmgr.md "/proc"). */
int
on_proc_ctl_server(void *state, struct srv_call *c)
{
	(void)state;
	NEED_CONTROL(c);
	const struct proc_server_req *r = SRV_REQ(c, struct proc_server_req);
	handle_t task = c->req->nhandles ? c->req->handles[0] : 0;
	struct ferry_handle_info hi;
	if (task && (ferry_sys_handle_info(task, &hi) || hi.type != FERRY_OBJ_TASK)) {
		ferry_sys_handle_close(task);
		return -FERRY_EWRONGTYPE;
	}
	char name[sizeof(r->name) + 1], path[sizeof(r->path) + 1];
	memcpy(name, r->name, sizeof(r->name));
	name[sizeof(r->name)] = 0;
	memcpy(path, r->path, sizeof(r->path));
	path[sizeof(r->path)] = 0;
	int pid, rc = -FERRY_EINVAL;
	if (name[0] && (!path[0] || path[0] == '/'))
		rc = proc_new_server(name, path, task, &pid);
	if (rc == 0)
		SRV_REP(c, struct proc_spawn_rep)->pid = pid;
	else if (task)
		ferry_sys_handle_close(task);
	return rc;
}

int
on_proc_timer_create(void *state, struct srv_call *c)
{
	(void)state;
	NEED_PROC(p, c);
	struct proc_timer_rep *rep = SRV_REP(c, struct proc_timer_rep);
	return timer_create_(p, SRV_REQ(c, struct proc_timer_req), &rep->id);
}

int
on_proc_timer_set(void *state, struct srv_call *c)
{
	(void)state;
	NEED_PROC(p, c);
	return timer_set(p, SRV_REQ(c, struct proc_timer_req), SRV_REP(c, struct proc_timer_rep));
}

int
on_proc_timer_get(void *state, struct srv_call *c)
{
	(void)state;
	NEED_PROC(p, c);
	return timer_get(p, SRV_REQ(c, struct proc_timer_req)->id,
	                 SRV_REP(c, struct proc_timer_rep));
}

int
on_proc_cpuclock(void *state, struct srv_call *c)
{
	(void)state;
	NEED_PROC(p, c);
	int32_t pid = SRV_REQ(c, struct proc_pid_req)->pid;
	struct proc_cpuclock_rep *r = SRV_REP(c, struct proc_cpuclock_rep);
	struct proc *q = pid == 0 ? p : pid > 0 ? proc_by_pid(pid) : NULL;
	if (!q || q->state != PROC_LIVE || cpu_clock(q, PROC_CLOCK_PROCESS_CPU, 0, &r->ns))
		return -FERRY_ESRCH;
	r->earlier_ns = q->cpu_ns[0] + q->cpu_ns[1];
	return 0;
}

int
on_proc_timer_delete(void *state, struct srv_call *c)
{
	(void)state;
	NEED_PROC(p, c);
	return timer_delete(p, SRV_REQ(c, struct proc_timer_req)->id);
}
