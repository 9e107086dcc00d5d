// SPDX-License-Identifier: MIT
/*
 * The Open POSIX Test Suite runner (first=bin/posixrun, docs/posix.md).
 * It starts vfs, then runs every test of posix/list.txt (written by
 * tests/posix/pts.py image: "<id> <path in the archive or -> <P or ->")
 * as a musl program with the file system as root and cwd, waits for it
 * with a time limit, kills it when the limit passes, and classifies its
 * exit status with the suite's result codes (include/posixtest.h).
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
 * per test (default 10), posix.only=PREFIX runs the tests whose ID starts
 * with it.
 */
#include <ulib.h>
#include <ferry/startup.h>
#include <ferry/proto/vfs.h>
#include <lib/cpio.h>

#define MS 1000000ull
#define MAX_LINE 256

static handle_t root;

/* Starts vfs (it unpacks this archive into tmpfs) and keeps its root port. */
static int
start_vfs(void)
{
	handle_t q, p, vt;
	struct ustart s;
	struct ferry_msg m;
	struct vfs_start_msg sm;
	int rc;

	if ((rc = (int)ferry_sys_queue_create(4, &q)) || (rc = (int)ferry_sys_port_create(q, 1, &p)))
		return rc;
	memset(&s, 0, sizeof(s));
	s.handles[0] = p;
	strlcpy(s.cmd, "vfs", sizeof(s.cmd));
	if ((rc = uspawn("sbin/vfs", &s, &vt)))
		return rc;
	ferry_sys_handle_close(p);
	if ((rc = (int)ferry_sys_msg_recv(q, &m, 60000 * MS)))
		return rc;
	memcpy(&sm, m.data, sizeof(sm));
	if (m.op != VFS_START_ROOT || sm.status || m.nhandles != 1)
		return sm.status ? sm.status : -FERRY_EIO;
	root = m.handles[0];
	uprintf("posixrun: vfs up, %u archive members unpacked\n", sm.files);
	return 0;
}

/* The suite's exit codes (posixtest.h) and ours. */
static const char *
result_of(int rc, int code)
{
	if (rc == -FERRY_ETIMEDOUT)
		return "TIMEOUT";
	if (rc)
		return "NOT-RUN";
	switch (code) {
	case 0: return "PASS";
	case 1: return "FAIL";
	case 2: return "UNRESOLVED";
	case 4: return "UNSUPPORTED";
	case 5: return "UNTESTED";
	}
	return code < 0 ? "CRASH" : "INTERRUPTED";
}

/*
 * Runs one test to its end or the limit; returns its result word.  The
 * test gets the vfs root as root and cwd; stdout and stderr are the
 * kernel log during bring-up.
 */
static const char *
run_test(const char *path, const char *name, uint64_t limit_ns)
{
	char *argv[] = { (char *)name, NULL };
	char *envp[] = { "HOME=/", "PATH=/bin:/sbin", "TMPDIR=/tmp", NULL };
	uint64_t aux[] = { AT_FERRY_VFS_ROOT, root, AT_FERRY_CWD, root };
	handle_t t;
	int code = -1;
	int rc = uspawn_posix(path, argv, envp, aux, 2, &t);
	if (rc) {
		uprintf("posixrun: cannot run %s: %s\n", path, ferry_strerror(rc));
		return "NOT-RUN";
	}
	rc = (int)ferry_sys_task_wait(t, &code, limit_ns);
	if (rc == -FERRY_ETIMEDOUT) {
		(void)ferry_sys_task_kill(t, -1);
		(void)ferry_sys_task_wait(t, NULL, 5000 * MS);
	}
	ferry_sys_handle_close(t);
	return result_of(rc, code);
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

int
main(void)
{
	static char suite[64], only[128], tbuf[16];
	const char *name = ucmdline_get("suite", suite, sizeof(suite));
	const char *filter = ucmdline_get("posix.only", only, sizeof(only));
	const char *targ = ucmdline_get("posix.timeout", tbuf, sizeof(tbuf));
	uint64_t limit = 10;
	if (!name)
		name = "posixts";
	if (targ) {
		limit = 0;
		for (const char *s = targ; *s >= '0' && *s <= '9'; s++)
			limit = limit * 10 + (uint64_t)(*s - '0');
	}

	const void *arch;
	size_t arch_size;
	handle_t arch_mo;
	struct cpio_entry list;
	int rc;
	if (!uarchive(&arch, &arch_size, &arch_mo) ||
	    cpio_find(arch, arch_size, "posix/list.txt", &list) || (rc = start_vfs())) {
		uprintf("FAIL POSIX-SETUP: no posix/list.txt in the boot archive, or vfs did not start\n");
		uprintf("0 passed, 1 failed\nSUITE-END %s\n", name);
		return 1;
	}
	uprintf("posixrun: time limit %llu s per test%s%s\n", (unsigned long long)limit,
		filter ? ", only " : "", filter ? filter : "");

	int passed = 0, failed = 0, others = 0;
	char line[MAX_LINE];
	const char *p = list.data, *end = p + list.size;
	while (next_line(&p, end, line, sizeof(line))) {
		char *id, *path, *expect;
		if (!parse(line, &id, &path, &expect))
			continue;
		if (filter && strncmp(id, filter, strlen(filter)))
			continue;
		const char *base = path;
		for (const char *s = path; *s; s++)
			if (*s == '/')
				base = s + 1;
		uint64_t t0 = unow_ns();
		const char *res = strcmp(path, "-") ? run_test(path, base, limit * 1000 * MS) : "BUILD-FAIL";
		bool was_pass = expect[0] == 'P', retried = false;
		if (was_pass && strcmp(res, "PASS") && strcmp(res, "BUILD-FAIL")) {
			/* Timing-sensitive tests can lose a race under a loaded host: a
			 * regression must fail twice in a row. */
			uprintf("posixrun: %s: %s, running it again\n", id, res);
			res = run_test(path, base, limit * 1000 * MS);
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
