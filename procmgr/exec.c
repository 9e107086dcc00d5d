// SPDX-License-Identifier: MIT
/*
 * exec and spawn: unpacking the caller's argument block, `#!` scripts,
 * set-user-ID files, and replacing a process's task.  A pid is not a
 * task: exec builds a complete new task (load.c), gives it the process's
 * port, and only then kills the old task, so a failed exec returns an
 * error to an intact caller.  Close-on-exec needs nothing here: libposix
 * stages only the descriptors that survive.
 * Entry points: stage_add, proc_exec, proc_spawn.
 */
#include "procmgr.h"

#define SHEBANG_DEPTH 4
#define S_ISUID       04000
#define S_ISGID       02000

struct stage ctl_stage;

/* Stages h (consumed) for slot.  -FERRY_ENOSPC when full, -FERRY_ENOMEM. */
int
stage_add(struct stage **sp, int32_t slot, uint32_t flags, handle_t h)
{
	if (!*sp && !(*sp = umap_anon(sizeof(struct stage)))) {
		ferry_sys_handle_close(h);
		return -FERRY_ENOMEM;
	}
	struct stage *s = *sp;
	for (unsigned i = 0; i < s->n; i++) {
		if (s->e[i].slot == slot) {
			ferry_sys_handle_close(s->e[i].h);
			s->e[i].h = h;
			s->e[i].flags = flags;
			return 0;
		}
	}
	if (s->n == PROC_EXEC_HANDLES_MAX) {
		ferry_sys_handle_close(h);
		return -FERRY_ENOSPC;
	}
	s->e[s->n].slot = slot;
	s->e[s->n].flags = flags;
	s->e[s->n].h = h;
	s->n++;
	return 0;
}

/* The argument vectors of one exec, pointing into the caller's block. */
static const char *argv_buf[PROC_EXEC_ARGC_MAX + 4];
static const char *envp_buf[PROC_EXEC_ARGC_MAX];

/* Splits blob into path, argv and envp.  -FERRY_EINVAL, -FERRY_E2BIG. */
static int
unpack(const struct proc_exec_req *req, const char *blob, size_t len, struct load_args *a)
{
	if (req->argc > PROC_EXEC_ARGC_MAX || req->envc > PROC_EXEC_ARGC_MAX)
		return -FERRY_E2BIG;
	if (!blob || len == 0)
		return -FERRY_EFAULT;
	if (len > PROC_EXEC_ARGS_MAX + 4096)
		len = PROC_EXEC_ARGS_MAX + 4096;
	size_t off = 0;
	unsigned total = 1 + req->argc + req->envc;
	for (unsigned i = 0; i < total; i++) {
		const char *s = blob + off;
		size_t n = strnlen(s, len - off);
		if (off + n >= len)
			return off >= PROC_EXEC_ARGS_MAX ? -FERRY_E2BIG : -FERRY_EINVAL;
		if (i == 0)
			a->path = s;
		else if (i <= req->argc)
			argv_buf[2 + i - 1] =
			        s; /* room in front for a #! interpreter and its argument */
		else
			envp_buf[i - 1 - req->argc] = s;
		off += n + 1;
	}
	a->argv = argv_buf + 2;
	a->argc = req->argc;
	a->envp = envp_buf;
	a->envc = req->envc;
	a->debuglog = req->debuglog;
	a->umask = req->umask & 0777;
	if (!*a->path)
		return -FERRY_ENOENT;
	if (req->cwdlen >= strlen(a->path))
		return -FERRY_EINVAL;
	a->given = a->path + req->cwdlen;
	return 0;
}

/*
 * Rewrites a for a `#!interp [arg]` script e: argv becomes interp, [arg],
 * path, argv[1..].  The interpreter line lives in a static buffer per depth.
 * Returns 1 if rewritten, 0 if not a script, or an error.
 */
static int
shebang(struct load_args *a, const struct exe *e, int depth)
{
	static char lines[SHEBANG_DEPTH][128];
	const char *d = (const char *)e->data;
	size_t size = e->size;
	if (size < 2 || d[0] != '#' || d[1] != '!')
		return 0;
	if (depth >= SHEBANG_DEPTH)
		return -FERRY_ELOOP;
	char *line = lines[depth];
	size_t n = 0;
	for (size_t i = 2; i < size && d[i] != '\n'; i++) {
		if (n == sizeof(lines[0]) - 1)
			return -FERRY_ENOEXEC;
		line[n++] = d[i];
	}
	line[n] = 0;
	char *p = line;
	while (*p == ' ' || *p == '\t')
		p++;
	char *interp = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	char *arg = NULL;
	if (*p) {
		*p++ = 0;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p) {
			arg = p;
			/* Linux passes the rest of the line as one argument, trailing blanks cut. */
			char *e = p + strlen(p);
			while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
				*--e = 0;
		}
	}
	if (!*interp)
		return -FERRY_ENOEXEC;
	/* argv[0] is replaced by the script path (as given to execve for
	 * the first script); room for two in front. */
	const char **v = (const char **)a->argv;
	const char *script = depth == 0 ? a->given : a->path;
	unsigned extra = arg ? 2 : 1;
	if (v - argv_buf < (long)extra)
		return -FERRY_E2BIG;
	if (a->argc == 0) {
		v[0] = script;
		a->argc = 1;
	} else {
		v[0] = script;
	}
	v -= extra;
	v[0] = interp;
	if (arg)
		v[1] = arg;
	a->argv = v;
	a->argc += extra;
	a->path = interp;
	return 1;
}

/*
 * Opens a->path with p's permissions, follows `#!` scripts and builds the
 * task (not started) from the ELF found.  creds gets the image's
 * credentials: a set-user-ID (set-group-ID) ELF runs with its owner
 * (group) as effective and saved id; scripts' own bits are ignored, as
 * on Linux.
 */
static int
build(struct load_args *a, const struct proc *p, struct proc *creds, handle_t *task,
      uintptr_t *entry, uintptr_t *sp)
{
	static char found[SHEBANG_DEPTH + 1][VFS_PATH_MAX];
	struct exe e;
	int rc;
	for (int depth = 0;; depth++) {
		if ((rc = exe_open(p, a->path, &e, found[depth])))
			return rc;
		a->path = found[depth];
		if ((rc = shebang(a, &e, depth)) != 1)
			break;
		exe_close(&e);
	}
	if (rc == 0) {
		if (e.mode & S_ISUID)
			creds->euid = creds->suid = e.uid;
		if (e.mode & S_ISGID)
			creds->egid = creds->sgid = e.gid;
		a->p = creds;
		rc = load_image(a, &e, task, entry, sp);
	}
	exe_close(&e);
	return rc;
}

/*
 * Replaces p's image: on success p runs the new program with the same pid
 * and the caller's task is gone.  selfport (consumed) is the process port,
 * given to the new task.  Errors leave the caller running.
 */
int
proc_exec(struct proc *p, const struct proc_exec_req *req, const void *blob, size_t bloblen,
          handle_t selfport)
{
	struct load_args a = {0};
	handle_t task;
	uintptr_t entry, sp;
	int rc = unpack(req, blob, bloblen, &a);
	if (rc)
		goto out;
	struct proc creds = *p;
	handle_t pub = 0;
	a.stage = p->stage;
	a.procport = selfport;
	a.old = p;
	a.fdpub = &pub;
	if ((rc = build(&a, p, &creds, &task, &entry, &sp)))
		goto out;
	bool kept = pub && pub == p->fdpub;
	fdpub_set(p, pub);
	handle_t old = p->task;
	cpu_bank(p, old);
	p->task = task;
	p->euid = creds.euid;
	p->suid = creds.suid;
	p->egid = creds.egid;
	p->sgid = creds.sgid;
	cred_publish(p);    /* before the new image runs: its first request sees the set-id ids */
	p->sig_handled = 0; /* handlers do not survive exec; ignored and blocked do */
	p->execd = true;
	timer_drop(p, true); /* POSIX timers go; the interval timers (alarm) stay */
	proc_set_image(p, a.path, a.argv, a.argc);
	/* As Linux: the name is the path given to execve, not the file found
	 * (a symlink's name, a script's name rather than its interpreter's). */
	proc_set_name(p, a.given);
	ferry_sys_task_kill(old, 0);
	ferry_sys_handle_close(old);
	if (kept)
		fdpub_exec(p, a.stage, a.debuglog); /* the old image can no longer write it */
	if ((rc = load_start(task, entry, sp))) {
		/* Too late to go back: the old image is gone. */
		proc_terminate(p, SIGKILL);
	}
	rc = 0;
out:
	ferry_sys_handle_close(selfport);
	stage_drop(p->stage);
	return rc;
}

/*
 * Starts a new process for the control port (ppid 0, a new session and
 * group, root credentials), with the handles staged on the control port.
 * The first process spawned is pid 1 (init).
 */
int
proc_spawn(const struct proc_exec_req *req, const void *blob, size_t bloblen, int *pid)
{
	struct load_args a = {0};
	struct proc *p;
	handle_t send, task;
	uintptr_t entry, sp;
	int rc = unpack(req, blob, bloblen, &a);
	if (rc)
		goto out;
	if ((rc = proc_new(PROC_LIVE, &p, &send)))
		goto out;
	p->ppid = 0;
	p->pgid = p->sid = p->pid;
	cred_init_rlimits(p);
	struct proc creds = *p;
	a.stage = &ctl_stage;
	a.procport = send;
	a.fdpub = &p->fdpub;
	rc = build(&a, p, &creds, &task, &entry, &sp);
	ferry_sys_handle_close(send);
	if (rc) {
		proc_free(p);
		goto out;
	}
	p->task = task;
	p->euid = creds.euid, p->suid = creds.suid;
	p->egid = creds.egid, p->sgid = creds.sgid;
	cred_publish(p);
	proc_set_image(p, a.path, a.argv, a.argc);
	proc_set_name(p, a.given);
	if ((rc = load_start(task, entry, sp))) {
		ferry_sys_task_kill(task, -SIGKILL);
		proc_free(p);
		goto out;
	}
	*pid = p->pid;
out:
	stage_drop(&ctl_stage);
	return rc;
}
