// SPDX-License-Identifier: MIT
/*
 * The Open POSIX Test Suite runner (first=bin/posixrun, docs/posix.md).
 * It brings up the personality the way tests/system/busybox/runner.c
 * does (vfs with this archive in tmpfs, posixsrv serving pipes, procmgr
 * with vfs's announced root, so that vfs has its credential table), then
 * runs every test of posix/list.txt (written by tests/posix/pts.py image:
 * "<id> <path in the archive or -> <P, T or ->") as a process spawned
 * through procmgr's control port, polls for its exit with a time limit,
 * kills it (and its process group) when the limit passes, and classifies
 * its status with the suite's result codes (include/posixtest.h).
 *
 * A test starts as posixsrv starts a process at boot: its root and working
 * directory are a new description of "/" that it binds to itself with its
 * own token (docs/proto/vfs.md "Credentials"), so vfs holds it to its ids
 * (a test that drops root gets EACCES where Linux gives it); fd 0 is
 * /dev/null (as the Linux reference run gives it), stdout and stderr are
 * the kernel log.
 *
 * Output, one line per test (a test expected to pass that does not is run
 * a second time before it counts as a regression):
 *   PASS <id> (<ms> ms)                    passed (new passes say so)
 *   FAIL <id>: was PASS, now <result>      a regression: the committed
 *                                          table (expectation P) says it passed
 *   RESULT <id> <result> <ms>              anything else (the table's input)
 * then "N passed, N failed" (failed = regressions) and SUITE-END <suite>.
 *
 * Kernel command line: suite=NAME (default posixts), posix.timeout=SECONDS
 * per test (default 20: a few tests sleep 10 s in all), posix.tlimit=SECONDS for the tests that timed out
 * in the committed table (expectation T; default 2, so that known hangs do
 * not dominate the core run), posix.only=PREFIX[,PREFIX...] runs the tests
 * whose ID starts with one of them.
 */
#include <ulib.h>
#include <pmctl.h>
#include <ferry/startup.h>
#include <ferry/proto/proc.h>
#include <ferry/proto/vfs.h>
#include <lib/cpio.h>

#define MS 1000000ull
#define MAX_LINE 256
#define SIGKILL 9
#define CTL_TIMEOUT (20000 * MS)	/* procmgr answers at once or has hung */

static handle_t ctl;		/* procmgr's control port */
static handle_t procmgr_task, vfs_task;
static handle_t vfs_sys;	/* vfs's announced root: acts as root, never a test's */
static handle_t vfs_root;	/* a new description of "/": the tests' root and cwd */
static handle_t dev_null;	/* /dev/null: the tests' fd 0 */
static handle_t px_service;	/* posixsrv's service port */
static handle_t px_registrar;	/* its registration port (procmgr's control port goes there) */

/* One call on the control port, optionally moving one handle with it. */
static int
ctl_call(uint32_t op, const void *req, size_t reqlen, void *rep, size_t replen, uint8_t flags,
         handle_t h)
{
	return pm_call(ctl, op, req, reqlen, rep, replen, flags, h, CTL_TIMEOUT);
}

/* Spawns path (absolute) with argv through procmgr; the pid or a negative status. */
static int
spawn(const char *path, const char *const *argv)
{
	static const char *const envp[] = {"PATH=/bin:/sbin:/usr/bin", "HOME=/", "TMPDIR=/tmp",
	                                   NULL};
	struct pm_spawn s = {
		.path = path, .argv = argv, .envp = envp,
		.root = vfs_root, .cwd = vfs_root, .posixsrv = px_service,
		.debuglog = 0x6, .umask = 022, .stdio = {dev_null, 0, 0},
	};
	return pm_spawn(ctl, &s, CTL_TIMEOUT);
}

/* vfs with the boot archive in its tmpfs, and what the tests get of it. */
static int
start_vfs(void)
{
	uint32_t files = 0;
	int rc = ustart_vfs_task("vfs", 60000 * MS, &vfs_sys, &files, &vfs_task);
	if (rc)
		return rc;
	uprintf("posixrun: vfs up, %u archive members unpacked\n", files);
	if ((rc = uvfs_open(vfs_sys, "/", VFS_O_PATH | VFS_O_DIRECTORY, CTL_TIMEOUT, &vfs_root)))
		return rc;
	return uvfs_open(vfs_sys, "/dev/null", VFS_O_RDWR, CTL_TIMEOUT, &dev_null);
}

/*
 * procmgr (docs/procmgr.md "Starting procmgr") with vfs's announced root
 * (programs, /proc and vfs's credential table), and pid 1.  Without the
 * table the tests would act as root whatever their ids: that fails the
 * set-up.
 */
static int
start_procmgr(void)
{
	int rc = ustart_procmgr(&ctl, &procmgr_task);
	if (rc)
		return rc;
	if ((rc = pm_give_vfs(ctl, vfs_sys, CTL_TIMEOUT))) {
		uprintf("posixrun: procmgr cannot hand vfs its credentials: %s\n",
			ferry_strerror(rc));
		return rc;
	}
	/* posixsrv sends message-queue notifications through it. */
	if ((rc = upx_set_procmgr(px_registrar, ctl, CTL_TIMEOUT)))
		uprintf("posixrun: posixsrv cannot signal (no control port): %s\n",
		        ferry_strerror(rc));
	/* pid 1, the parent of orphans: the proc suite's reaper, so that what
	 * the tests leave behind does not fill procmgr's table with zombies. */
	const char *const initv[] = {"init", NULL};
	if ((rc = spawn("/bin/proc/init", initv)) != 1)
		uprintf("posixrun: pid 1 (bin/proc/init): %d; orphans have no parent\n", rc);
	return 0;
}

/*
 * A test made procmgr stop answering (a Ferry bug, reported in the log):
 * kill it and start a fresh one so that the remaining tests still run.
 * vfs is replaced too: it takes one credential table in its life
 * (VFS_CREDS), and the old one no longer names the new procmgr's
 * processes.  The old processes stay behind.
 */
static void
restart_procmgr(const char *name)
{
	uprintf("posixrun: procmgr stopped answering during %s: restarting it and vfs\n", name);
	(void)ferry_sys_task_kill(procmgr_task, -1);
	(void)ferry_sys_task_kill(vfs_task, -1);
	handle_t old[] = { procmgr_task, ctl, vfs_task, vfs_sys, vfs_root, dev_null };
	for (size_t i = 0; i < sizeof(old) / sizeof(old[0]); i++)
		ferry_sys_handle_close(old[i]);
	int rc = start_vfs();
	if (rc || (rc = start_procmgr()))
		upanic("posixrun: cannot restart vfs and procmgr: %s", ferry_strerror(rc));
}

/* The suite's exit codes (posixtest.h) and ours, from a wait status. */
static const char *
result_of(uint32_t wstatus)
{
	if (wstatus & 0x7f)
		return "CRASH"; /* killed by a signal, a fault included */
	switch ((wstatus >> 8) & 0xff) {
	case 0: return "PASS";
	case 1: return "FAIL";
	case 2: return "UNRESOLVED";
	case 4: return "UNSUPPORTED";
	case 5: return "UNTESTED";
	}
	return "INTERRUPTED";
}

/*
 * Waits up to limit_ns for pid to end, polling with WNOHANG (backing off to
 * 20 ms: the control port's wait has no time limit).  0 with *wstatus, 1
 * if it still runs, or a negative status when procmgr does not answer.
 */
static int
wait_for(int pid, uint64_t limit_ns, uint32_t *wstatus)
{
	uint64_t start = unow_ns(), pause = 100000;
	struct proc_wait_req w = { pid, PROC_WNOHANG };
	struct proc_wait_rep wr;
	for (;;) {
		int rc = ctl_call(PROC_CTL_WAIT, &w, sizeof(w), &wr, sizeof(wr), 0, 0);
		if (rc)
			return rc;
		if (wr.pid == pid) {
			*wstatus = wr.wstatus;
			return 0;
		}
		if (unow_ns() - start > limit_ns)
			return 1;
		ferry_sys_thread_sleep(pause);
		if (pause < 20 * MS)
			pause *= 2;
	}
}

/* Runs one test to its end or the limit; returns its result word. */
static const char *
run_test(const char *path, const char *name, uint64_t limit_ns)
{
	const char *const argv[] = { name, NULL };
	uint32_t wstatus;
	int pid = spawn(path, argv);
	if (pid == -FERRY_ETIMEDOUT) {
		restart_procmgr(name);
		pid = spawn(path, argv);
	}
	if (pid < 0) {
		uprintf("posixrun: cannot spawn %s: %s\n", path, ferry_strerror(pid));
		return "NOT-RUN";
	}
	int rc = wait_for(pid, limit_ns, &wstatus);
	if (rc == 0) {
		/* What the test left running in its group goes with it, as in
		 * the Linux reference run; ESRCH when it left nothing. */
		struct proc_ctl_kill_req k = { -pid, SIGKILL };
		if (ctl_call(PROC_CTL_KILL, &k, sizeof(k), NULL, 0, 0, 0) == -FERRY_ETIMEDOUT)
			restart_procmgr(name);
		return result_of(wstatus);
	}
	if (rc < 0) {
		restart_procmgr(name);
		return "TIMEOUT";
	}
	/* The test and whatever it forked into its group, then reap the test. */
	struct proc_ctl_kill_req k = { pid, SIGKILL };
	rc = ctl_call(PROC_CTL_KILL, &k, sizeof(k), NULL, 0, 0, 0);
	k.pid = -pid;
	if (rc != -FERRY_ETIMEDOUT)
		rc = ctl_call(PROC_CTL_KILL, &k, sizeof(k), NULL, 0, 0, 0);
	if (rc == -FERRY_ETIMEDOUT || wait_for(pid, 5000 * MS, &wstatus) != 0)
		restart_procmgr(name);
	return "TIMEOUT";
}

/* Copies the next line of [*p, end) into buf; false at the end. */
static bool
next_line(const char **p, const char *end, char *buf, size_t size)
{
	if (*p >= end)
		return false;
	size_t n = 0;
	while (*p < end && **p != '\n') {
		if (n + 1 < size)
			buf[n++] = **p;
		(*p)++;
	}
	if (*p < end)
		(*p)++;
	buf[n] = 0;
	return true;
}

/* Splits a list line into its three fields; false for comments and junk. */
static bool
parse(char *line, char **id, char **path, char **expect)
{
	char *f[3];
	int n = 0;
	for (char *s = line; *s && n < 3;) {
		while (*s == ' ')
			s++;
		if (!*s)
			break;
		f[n++] = s;
		while (*s && *s != ' ')
			s++;
		if (*s)
			*s++ = 0;
	}
	if (n != 3 || f[0][0] == '#')
		return false;
	*id = f[0], *path = f[1], *expect = f[2];
	return true;
}

/* Does id start with one of the comma-separated prefixes of list? */
static bool
selected(const char *id, const char *list)
{
	for (const char *p = list; *p;) {
		size_t n = 0;
		while (p[n] && p[n] != ',')
			n++;
		if (n && !strncmp(id, p, n))
			return true;
		p += p[n] ? n + 1 : n;
	}
	return false;
}

/* A number of seconds from the kernel command line, or def. */
static uint64_t
cmdline_secs(const char *key, uint64_t def)
{
	char buf[16];
	const char *v = ucmdline_get(key, buf, sizeof(buf));
	if (!v || *v < '0' || *v > '9')
		return def;
	uint64_t n = 0;
	for (; *v >= '0' && *v <= '9'; v++)
		n = n * 10 + (uint64_t)(*v - '0');
	return n;
}

int
main(void)
{
	static char suite[64], only[128];
	const char *name = ucmdline_get("suite", suite, sizeof(suite));
	const char *filter = ucmdline_get("posix.only", only, sizeof(only));
	uint64_t limit = cmdline_secs("posix.timeout", 20), tlimit = cmdline_secs("posix.tlimit", 2);
	if (!name)
		name = "posixts";

	const void *arch;
	size_t arch_size;
	handle_t arch_mo;
	struct cpio_entry list;
	int rc;
	if (!ubootinfo)
		upanic("posixrun must be the first task");
	if (!uarchive(&arch, &arch_size, &arch_mo) || cpio_find(arch, arch_size, "posix/list.txt", &list)) {
		uprintf("FAIL POSIX-SETUP: no posix/list.txt in the boot archive\n");
		uprintf("0 passed, 1 failed\nSUITE-END %s\n", name);
		return 1;
	}
	if ((rc = start_vfs()) ||
	    (rc = ustart_posixsrv_serve_reg(5000 * MS, &px_service, &px_registrar)) ||
	    (rc = start_procmgr())) {
		uprintf("FAIL POSIX-SETUP: bring-up (vfs, posixsrv, procmgr): %s\n", ferry_strerror(rc));
		uprintf("0 passed, 1 failed\nSUITE-END %s\n", name);
		return 1;
	}
	uprintf("posixrun: time limit %llu s per test, %llu s for known hangs%s%s\n",
		(unsigned long long)limit, (unsigned long long)tlimit, filter ? ", only " : "",
		filter ? filter : "");

	int passed = 0, failed = 0, others = 0;
	char line[MAX_LINE];
	const char *p = list.data, *end = p + list.size;
	while (next_line(&p, end, line, sizeof(line))) {
		char *id, *path, *expect;
		if (!parse(line, &id, &path, &expect))
			continue;
		if (filter && !selected(id, filter))
			continue;
		const char *base = path;
		for (const char *s = path; *s; s++)
			if (*s == '/')
				base = s + 1;
		uint64_t t0 = unow_ns();
		static char abs[MAX_LINE + 1];
		abs[0] = '/';
		strlcpy(abs + 1, path, sizeof(abs) - 1);
		uint64_t lim = (expect[0] == 'T' ? tlimit : limit) * 1000 * MS;
		const char *res = strcmp(path, "-") ? run_test(abs, base, lim) : "BUILD-FAIL";
		bool was_pass = expect[0] == 'P', retried = false;
		if (was_pass && strcmp(res, "PASS") && strcmp(res, "BUILD-FAIL")) {
			/* Timing-sensitive tests can lose a race under a loaded host: a
			 * regression must fail twice in a row. */
			uprintf("posixrun: %s: %s, running it again\n", id, res);
			res = run_test(abs, base, lim);
			retried = true;
		}
		unsigned long long ms = (unow_ns() - t0) / MS;
		if (!strcmp(res, "PASS")) {
			uprintf("PASS %s (%llu ms%s)\n", id, ms,
				retried ? ", on the second run" : was_pass ? "" : ", new pass");
			passed++;
		} else if (was_pass) {
			uprintf("FAIL %s: was PASS, now %s (%llu ms)\n", id, res, ms);
			failed++;
		} else {
			uprintf("RESULT %s %s %llu\n", id, res, ms);
			others++;
		}
	}
	uprintf("posixrun: %d passed, %d regressions, %d other results (table: tests/posix/results.tsv)\n",
		passed, failed, others);
	uprintf("%d passed, %d failed\nSUITE-END %s\n", passed, failed, name);
	return failed ? 1 : 0;
}
