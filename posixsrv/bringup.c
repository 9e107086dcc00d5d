// SPDX-License-Identifier: MIT
/*
 * Bring-up of the personality: start the servers of the boot archive
 * (vfs, then procmgr) and wait for each to register, then run the
 * command of the kernel command line (cmd=PROGRAM ARGS...) or init.
 * Everything is asynchronous: the main loop keeps serving (servers call
 * the registry, programs use the console) while bringup_poll() moves the
 * sequence on.  Task exits are learnt from watch threads, one per task,
 * each blocked in task_wait and reporting through px.child_port.
 *
 * `cmd=` contract (./ferry run -c): the command runs through `/bin/sh -c`
 * when the boot archive has a shell (else as a program with arguments),
 * with stdin, stdout and stderr on the console, and when it ends posixsrv prints
 * "FERRY-EXIT <status>" after the console has drained and exits with
 * that status, which powers the machine off.
 */
#include "posixsrv.h"
#include <pmctl.h>
#include <ferry/proto/proc.h>
#include <ferry/startup.h>
#include <lib/cpio.h>

#define MAX_ARGS            32
#define REGISTER_TIMEOUT_NS (10000000000ull)
#define WATCH_STACK         16384
#define PX_CHILD_EXIT       1

enum stage { ST_SERVERS, ST_WAIT_SERVER, ST_COMMAND, ST_WAIT_COMMAND, ST_DONE };

/*
 * How each server starts (its own docs say so):
 *   vfs      handles[0]: our registration port, to which it sends
 *            VFS_START_ROOT with its root port (docs/proto/vfs.md);
 *            handles[1]: posixsrv's service port (for /dev/console).
 *   procmgr  handles[0]: its receive queue, on which we made the control
 *            port we keep (docs/procmgr.md); up as soon as it runs.
 */
enum start_kind { START_ANNOUNCE, START_QUEUE };
static const struct {
	const char *path;
	const char *name; /* what it registers as */
	enum start_kind kind;
} servers[] = {
        {"sbin/vfs", "vfs", START_ANNOUNCE},
        {"sbin/procmgr", "procmgr", START_QUEUE},
};
#define NSERVERS (sizeof(servers) / sizeof(servers[0]))

static handle_t server_task[NSERVERS]; /* kept by their watch threads too */
static enum stage stage = ST_SERVERS;
static unsigned next_server;
static uint64_t wait_since;
static bool server_died;
static handle_t command_task;

struct watch {
	handle_t task;
	uint32_t tag;
};

static __attribute__((noreturn)) void
watch_main(uint64_t arg)
{
	struct watch *w = (struct watch *)arg;
	int code = 0;
	long rc = ferry_sys_task_wait(w->task, &code, FERRY_TIME_INFINITE);
	struct ferry_msg m;
	memset(&m, 0, sizeof(m));
	m.op = PX_CHILD_EXIT;
	m.len = 12;
	memcpy(m.data, &w->tag, 4);
	memcpy(m.data + 4, &code, 4);
	int32_t r = (int32_t)rc;
	memcpy(m.data + 8, &r, 4);
	ferry_sys_msg_send(px.child_port, &m, 0);
	ferry_sys_thread_exit();
}

/* Starts a thread that reports when task ends (the thread's stack and
 * record stay: a few tasks per boot). */
int
bringup_watch(handle_t task, uint32_t tag)
{
	uint8_t *stack = umap_anon(WATCH_STACK);
	if (!stack)
		return -FERRY_ENOMEM;
	struct watch *w = (struct watch *)stack;
	w->task = task;
	w->tag = tag;
	uintptr_t top = (uintptr_t)stack + WATCH_STACK - 8; /* as if called: rsp = 8 mod 16 */
	return (int)ferry_sys_thread_create(0, (uintptr_t)watch_main, top, (uint64_t)w, NULL);
}

static bool
in_archive(const char *path)
{
	const void *base;
	size_t size;
	handle_t mo;
	struct cpio_entry e;
	return uarchive(&base, &size, &mo) && cpio_find(base, size, path, &e) == 0;
}

static int ctl_call(uint32_t op, const void *req, size_t len, void *rep, size_t replen,
                    uint8_t flags, handle_t h);

/* procmgr's credential table: who calls the message-queue ops (mq_msg.c). */
static void
fetch_creds(void)
{
	struct ferry_msg m;
	int32_t status = -FERRY_EIO;
	memset(&m, 0, sizeof(m));
	m.op = PROC_CTL_CREDS;
	m.len = sizeof(struct proc_none_req);
	long rc = ferry_sys_msg_call(px.procmgr_ctl, &m, FERRY_TIME_INFINITE);
	if (rc == 0 && m.len >= sizeof(status))
		memcpy(&status, m.data, sizeof(status));
	if (rc == 0 && status == 0 && m.nhandles == 1) {
		rc = srv_cred_map(m.handles[0], &px.credtab);
	} else {
		for (unsigned i = 0; rc == 0 && i < m.nhandles && i < FERRY_MSG_HANDLES_MAX; i++)
			ferry_sys_handle_close(m.handles[i]);
		rc = rc ? rc : status ? status : -FERRY_EIO;
	}
	if (rc)
		uprintf("posixsrv: no credential table (message queues take callers as nobody): "
		        "%s\n",
		        ferry_strerror((int)rc));
}

/* procmgr mounts its procfs at /proc on vfs (docs/procmgr.md "/proc") and
 * hands vfs its credential table (docs/proto/vfs.md "Credentials"). */
static void
mount_proc(void)
{
	handle_t vfs;
	if (bringup_vfs_sys(&vfs))
		return; /* no vfs: no /proc either */
	int rc = pm_give_vfs(px.procmgr_ctl, vfs, FERRY_TIME_INFINITE);
	ferry_sys_handle_close(vfs);
	if (rc && rc != -FERRY_ENOSYS) /* ENOSYS: vfs cannot mount other servers yet */
		uprintf("posixsrv: /proc not mounted: %s\n", ferry_strerror(rc));
}

static void
start_server(unsigned i)
{
	const char *path = servers[i].path;
	if (!in_archive(path)) {
		uprintf("posixsrv: %s is not in the boot archive: running without %s\n", path,
		        servers[i].name);
		return;
	}
	struct ustart s;
	memset(&s, 0, sizeof(s));
	strlcpy(s.cmd, "posixsrv", sizeof(s.cmd));
	handle_t task, q = 0, ctl = 0;
	int rc;
	if (servers[i].kind == START_QUEUE) {
		if ((rc = (int)ferry_sys_queue_create(256, &q)) ||
		    (rc = (int)ferry_sys_port_create(q, PX_PROC_KEY_CONTROL, &ctl))) {
			uprintf("posixsrv: FAILED to start %s: %s\n", path, ferry_strerror(rc));
			if (q)
				ferry_sys_handle_close(q);
			return;
		}
		s.handles[0] = q;
	} else {
		s.handles[0] = px.registrar;
		s.handles[1] = px.service;
	}
	rc = uspawn(path, &s, &task);
	if (rc == 0)
		server_task[i] = task;
	if (q)
		ferry_sys_handle_close(q); /* the server holds the receive side now */
	if (rc) {
		uprintf("posixsrv: FAILED to start %s: %s\n", path, ferry_strerror(rc));
		if (ctl)
			ferry_sys_handle_close(ctl);
		return;
	}
	if (servers[i].kind == START_QUEUE) {
		px.procmgr_ctl = ctl;
		if ((rc = bringup_watch(task, 1 + i)))
			uprintf("posixsrv: cannot watch %s: %s\n", path, ferry_strerror(rc));
		uprintf("posixsrv: started %s\n", path);
		fetch_creds();
		mount_proc();
		return;
	}
	if ((rc = bringup_watch(task, 1 + i)))
		uprintf("posixsrv: cannot watch %s: %s\n", path, ferry_strerror(rc));
	uprintf("posixsrv: started %s, waiting for it to register '%s'\n", path, servers[i].name);
	stage = ST_WAIT_SERVER;
	wait_since = unow_ns();
	server_died = false;
}

/* Splits s in place on spaces, honouring single quotes. */
static int
split_args(char *s, char **argv, int max)
{
	int n = 0;
	while (*s && n < max - 1) {
		while (*s == ' ')
			s++;
		if (!*s)
			break;
		char *out = s;
		argv[n++] = out;
		bool quoted = false;
		while (*s && (quoted || *s != ' ')) {
			if (*s == '\'')
				quoted = !quoted;
			else
				*out++ = *s;
			s++;
		}
		if (*s)
			s++;
		*out = 0;
	}
	argv[n] = NULL;
	return n;
}

static bool have_cmd;

/* Ends the session; main prints FERRY-EXIT once the console has drained. */
static void
finish(int code, bool report)
{
	px.report_exit = report;
	px.exit_code = code;
	px.exiting = true;
	stage = ST_DONE;
}

/* One call on procmgr's control port; h (if any) is copied, not moved. */
static int
ctl_call(uint32_t op, const void *req, size_t len, void *rep, size_t replen, uint8_t flags,
         handle_t h)
{
	return pm_call(px.procmgr_ctl, op, req, len, rep, replen,
	               flags | (h ? FERRY_MSGF_HANDLES_COPY : 0), h, FERRY_TIME_INFINITE);
}

/* Waits (on its own thread) for the spawned process and reports its
 * shell-style status through child_port, tag 0. */
static __attribute__((noreturn)) void
spawnwait_main(uint64_t pid)
{
	struct proc_wait_req w = {.pid = (int32_t)pid, .options = 0};
	struct proc_wait_rep rep;
	int rc = ctl_call(PROC_CTL_WAIT, &w, sizeof(w), &rep, sizeof(rep), 0, 0);
	int32_t code = 126;
	if (rc == 0) {
		int ws = rep.wstatus;
		code = (ws & 0x7f) ? 128 + (ws & 0x7f) : (ws >> 8) & 0xff;
	}
	struct ferry_msg m;
	memset(&m, 0, sizeof(m));
	m.op = PX_CHILD_EXIT;
	m.len = 12;
	uint32_t tag = 0;
	int32_t r = 0;
	memcpy(m.data, &tag, 4);
	memcpy(m.data + 4, &code, 4);
	memcpy(m.data + 8, &r, 4);
	ferry_sys_msg_send(px.child_port, &m, 0);
	ferry_sys_thread_exit();
}

/*
 * Runs a program as a process of procmgr (PROC_SPAWN on the control port):
 * the console as stdio, the personality's ports in its auxv.  The first
 * process spawned is pid 1.  Returns 0 with a thread waiting for it.
 */
static int
spawn_process(char **argv, char **envp, handle_t con, handle_t vfs)
{
	struct pm_spawn s = {
	        .path = argv[0],
	        .argv = (const char *const *)argv,
	        .envp = (const char *const *)envp,
	        .root = vfs,
	        .cwd = vfs,
	        .posixsrv = px.service,
	        .debuglog = con ? 0 : 0x6, /* without a console, fds 1 and 2 are the kernel log */
	        .umask = 022,
	        .stdio = {con, con, con},
	};
	int pid = pm_spawn(px.procmgr_ctl, &s, FERRY_TIME_INFINITE);
	if (pid < 0)
		return pid;
	uint8_t *stack = umap_anon(16384);
	if (!stack)
		return -FERRY_ENOMEM;
	return (int)ferry_sys_thread_create(0, (uintptr_t)spawnwait_main,
	                                    (uintptr_t)stack + 16384 - 8, (uint64_t)pid, NULL);
}

/* A handle to task without MANAGE (it can only be asked for CPU time),
 * for procmgr; 0 if none. */
static handle_t
cpu_reader(handle_t task)
{
	handle_t h = 0;
	if (task && ferry_sys_handle_dup(task, FERRY_RIGHT_TRANSFER | FERRY_RIGHT_DUP, &h))
		h = 0;
	return h;
}

/*
 * Lists the servers as processes in procmgr (PROC_CTL_SERVER), after pid
 * 1 is taken: ps and /proc show them, with their CPU time; kill refuses
 * them (EPERM).
 */
static void
register_servers(void)
{
	static bool done;
	static const struct proc_server_req list[] = {
	        {"vfs", "/sbin/vfs"}, {"procmgr", "/sbin/procmgr"}, {"posixsrv", "/sbin/posixsrv"}};
	handle_t self = ubootinfo ? ubootinfo->self_task : ustart ? ustart->self_task : 0;
	handle_t tasks[] = {server_task[0], server_task[1], self};
	struct proc_spawn_rep rep;
	handle_t h;
	if (done || !px.procmgr_ctl)
		return;
	done = true;
	for (size_t i = 0; i < sizeof(list) / sizeof(list[0]); i++) {
		if (i == 0 && registry_find("vfs", &h))
			continue; /* no vfs running */
		if (i == 0)
			ferry_sys_handle_close(h);
		handle_t reader = cpu_reader(tasks[i]);
		int rc = ctl_call(PROC_CTL_SERVER, &list[i], sizeof(list[i]), &rep, sizeof(rep), 0,
		                  reader);
		if (reader)
			ferry_sys_handle_close(reader);
		if (rc)
			uprintf("posixsrv: %s not listed as a process: %s\n", list[i].name,
			        ferry_strerror(rc));
	}
}

/* Runs a program with the console as stdio and the personality's ports:
 * through procmgr when it runs (a real process), else directly. */
static int
run_program(char **argv)
{
	char *envp[] = {"PATH=/bin:/sbin:/usr/bin:/usr/sbin", "HOME=/", "TERM=vt100", NULL};
	const char *path = argv[0][0] == '/' ? argv[0] + 1 : argv[0];
	handle_t con = 0, vfs = 0;
	uint64_t aux[2 * 8];
	size_t n = 0;
	int rc;
	if (tty_console_present() && tty_open(TTY_CONSOLE, 0, &con) == 0) {
		aux[n++] = AT_FERRY_STDIN, aux[n++] = con;
		aux[n++] = AT_FERRY_STDOUT, aux[n++] = con;
		aux[n++] = AT_FERRY_STDERR, aux[n++] = con;
	}
	aux[n++] = AT_FERRY_POSIXSRV, aux[n++] = px.service;
	if (registry_find("vfs", &vfs) == 0) {
		aux[n++] = AT_FERRY_VFS_ROOT, aux[n++] = vfs;
		aux[n++] = AT_FERRY_CWD, aux[n++] = vfs;
	}
	if (px.procmgr_ctl) {
		rc = spawn_process(argv, envp, con, vfs);
		command_task = 0;
		if (rc == 0)
			register_servers();
	} else {
		rc = uspawn_posix(path, argv, envp, aux, n / 2, &command_task);
		if (rc == 0 && (rc = bringup_watch(command_task, 0)))
			ferry_sys_task_kill(command_task, -1);
	}
	/* The process holds its own copies: the console description ends with it. */
	if (con)
		ferry_sys_handle_close(con);
	if (vfs)
		ferry_sys_handle_close(vfs);
	if (rc) {
		uprintf("posixsrv: cannot run %s: %s\n", argv[0], ferry_strerror(rc));
		return rc;
	}
	return 0;
}

static void
start_command(void)
{
	static char cmd[FERRY_BOOTINFO_CMDLINE_MAX];
	char *argv[MAX_ARGS];
	if (!px.first) {
		stage = ST_DONE; /* started by a test: serve only */
		return;
	}
	if (ucmdline_get("cmd", cmd, sizeof(cmd))) {
		have_cmd = true;
		if (in_archive("bin/sh")) {
			/* With a shell in the archive the command is shell text. */
			argv[0] = "/bin/sh";
			argv[1] = "-c";
			argv[2] = cmd;
			argv[3] = NULL;
		} else if (split_args(cmd, argv, MAX_ARGS) == 0) {
			finish(0, true);
			return;
		}
		if (run_program(argv)) {
			finish(127, true);
			return;
		}
		stage = ST_WAIT_COMMAND;
		return;
	}
	if (in_archive("sbin/init")) {
		char *init_argv[] = {"/sbin/init", NULL};
		if (run_program(init_argv) == 0) {
			stage = ST_WAIT_COMMAND;
			return;
		}
	}
	uprintf("posixsrv: no init yet (the shell is still to come); "
	        "run a program with: ./ferry run -c '/path/in/archive args'\n");
	finish(0, false);
}

void
bringup_start(void)
{
	handle_t own;
	if (ferry_sys_handle_dup(px.service, FERRY_RIGHT_SAME, &own) == 0 &&
	    registry_add("posixsrv", own))
		ferry_sys_handle_close(own);
	if (!px.first) {
		stage = ST_DONE;
		return;
	}
	bringup_poll();
}

void
bringup_poll(void)
{
	for (;;) {
		switch (stage) {
		case ST_SERVERS:
			if (next_server == NSERVERS) {
				stage = ST_COMMAND;
				continue;
			}
			start_server(next_server++);
			continue;
		case ST_WAIT_SERVER: {
			handle_t h;
			const char *name = servers[next_server - 1].name;
			if (registry_find(name, &h) == 0) {
				ferry_sys_handle_close(h);
				stage = ST_SERVERS;
				continue;
			}
			if (server_died) {
				uprintf("posixsrv: FAILED: %s exited before registering '%s'\n",
				        servers[next_server - 1].path, name);
				stage = ST_SERVERS;
				continue;
			}
			if (unow_ns() - wait_since > REGISTER_TIMEOUT_NS) {
				uprintf("posixsrv: FAILED: %s did not register '%s' within %llu "
				        "s\n",
				        servers[next_server - 1].path, name,
				        (unsigned long long)(REGISTER_TIMEOUT_NS / 1000000000ull));
				stage = ST_SERVERS;
				continue;
			}
			return;
		}
		case ST_COMMAND:
			start_command();
			continue;
		case ST_WAIT_COMMAND:
		case ST_DONE:
			return;
		}
	}
}

/* Deadline for the main loop's receive while a server is expected. */
ferry_time_t
bringup_timeout(uint64_t now)
{
	if (stage != ST_WAIT_SERVER)
		return FERRY_TIME_INFINITE;
	uint64_t end = wait_since + REGISTER_TIMEOUT_NS;
	return end > now ? end - now : 0;
}

/* vfs's announced root: servers act as root through it (never given to processes). */
static handle_t vfs_sys;

void
bringup_vfs_started(const struct ferry_msg *m)
{
	struct vfs_start_msg s;
	memset(&s, 0, sizeof(s));
	memcpy(&s, m->data, m->len < sizeof(s) ? m->len : sizeof(s));
	if (s.status || m->nhandles != 1) {
		uprintf("posixsrv: FAILED: vfs could not start: %s\n",
		        ferry_strerror(s.status ? s.status : -FERRY_EINVAL));
		for (unsigned i = 0; i < m->nhandles && i < FERRY_MSG_HANDLES_MAX; i++)
			ferry_sys_handle_close(m->handles[i]);
		if (stage == ST_WAIT_SERVER && !strcmp(servers[next_server - 1].name, "vfs"))
			server_died = true;
		return;
	}
	/* Everyone finds "vfs" in the registry: that must be a root of
	 * nobody's (a new description of "/"), never the announced one. */
	handle_t pub;
	int rc = uvfs_open(m->handles[0], "/", VFS_O_PATH | VFS_O_DIRECTORY, FERRY_TIME_INFINITE,
	                   &pub);
	if (rc || (rc = registry_add("vfs", pub))) {
		if (pub)
			ferry_sys_handle_close(pub);
		ferry_sys_handle_close(m->handles[0]);
		uprintf("posixsrv: cannot register vfs: %s\n", ferry_strerror(rc));
		return;
	}
	vfs_sys = m->handles[0];
	uprintf("posixsrv: vfs is up (%u files from the boot archive)\n", s.files);
	devnodes_bind(vfs_sys);
}

int
bringup_vfs_sys(handle_t *out)
{
	if (!vfs_sys)
		return -FERRY_ENOENT;
	return (int)ferry_sys_handle_dup(vfs_sys, FERRY_RIGHT_SAME, out);
}

void
bringup_child_exit(const struct ferry_msg *m)
{
	if (m->op != PX_CHILD_EXIT || m->len < 12)
		return;
	uint32_t tag;
	int32_t code, rc;
	memcpy(&tag, m->data, 4);
	memcpy(&code, m->data + 4, 4);
	memcpy(&rc, m->data + 8, 4);
	if (tag == 0 && stage == ST_WAIT_COMMAND) {
		if (command_task)
			ferry_sys_handle_close(command_task);
		int status = rc ? 126 : code < 0 ? 128 + ((-code - 128) & 0x7f) : code & 0xff;
		finish(status, have_cmd);
		return;
	}
	if (tag >= 1 && tag <= NSERVERS) {
		uprintf("posixsrv: %s exited (status %d)\n", servers[tag - 1].path, code);
		if (stage == ST_WAIT_SERVER && tag == next_server)
			server_died = true;
	}
}
