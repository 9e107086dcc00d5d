// SPDX-License-Identifier: MIT
/*
 * The proc suite's runner (first=bin/proctest): starts procmgr the way
 * posixsrv does (docs/procmgr.md "Starting procmgr"), spawns the reaper
 * bin/proc/init as pid 1, then bin/proc/proctests (musl), which prints
 * the PROC0NN lines itself and exits with its failure count.  The runner
 * also checks the control port's own error paths.  proctests=FILTER on
 * the kernel command line runs only the tests whose ID starts with it.
 */
#include <ulib.h>
#include <ferry/proto/proc.h>

static handle_t ctl;

static int
ctl_call(uint32_t op, const void *req, size_t reqlen, void *rep, size_t replen, uint8_t flags)
{
	struct ferry_msg m;
	memset(&m, 0, sizeof(m));
	m.op = op;
	m.len = (uint16_t)reqlen;
	m.flags = flags;
	memcpy(m.data, req, reqlen);
	long rc = ferry_sys_msg_call(ctl, &m, 120000000000ull);
	if (rc)
		return (int)rc;
	int32_t status;
	memcpy(&status, m.data, sizeof(status));
	if (rep)
		memcpy(rep, m.data, replen);
	return status;
}

/* Spawns path with argv through the control port; pid or a negative status. */
static int
spawn(const char *path, const char *const *argv, const char *const *envp)
{
	char *buf = umap_anon(65536);
	size_t off = 0;
	struct proc_exec_req req;
	memset(&req, 0, sizeof(req));
	if (!buf)
		return -FERRY_ENOMEM;
	for (const char *s = path;; s++) {
		buf[off++] = *s;
		if (!*s)
			break;
	}
	for (; argv[req.argc]; req.argc++)
		for (const char *s = argv[req.argc];; s++) {
			buf[off++] = *s;
			if (!*s)
				break;
		}
	for (; envp[req.envc]; req.envc++)
		for (const char *s = envp[req.envc];; s++) {
			buf[off++] = *s;
			if (!*s)
				break;
		}
	req.pl.addr = (uint64_t)buf;
	req.pl.len = 65536;
	req.debuglog = 0x6; /* fds 1 and 2 */
	req.umask = 022;
	struct proc_spawn_rep rep;
	int rc = ctl_call(PROC_SPAWN, &req, sizeof(req), &rep, sizeof(rep), FERRY_MSGF_PAYLOAD);
	uunmap(buf, 65536);
	return rc ? rc : rep.pid;
}

static int passed, failed;

static void
check(int ok, const char *id, const char *desc)
{
	if (ok) {
		uprintf("PASS %s %s\n", id, desc);
		passed++;
	} else {
		uprintf("FAIL %s: %s\n", id, desc);
		failed++;
	}
}

int
main(void)
{
	handle_t q, task;
	if (ferry_sys_queue_create(64, &q) || ferry_sys_port_create(q, PROC_KEY_CONTROL, &ctl))
		upanic("proctest: no queue");
	struct ustart s;
	memset(&s, 0, sizeof(s));
	s.handles[0] = q;
	int rc = uspawn("sbin/procmgr", &s, &task);
	if (rc)
		upanic("proctest: cannot start procmgr: %s", ferry_strerror(rc));
	ferry_sys_handle_close(q);

	const char *noenv[] = {NULL};
	const char *initv[] = {"init", NULL};
	int init = spawn("/bin/proc/init", initv, noenv);
	check(init == 1, "PROC001", "the first process spawned is pid 1");

	check(spawn("/bin/proc/nonexistent", initv, noenv) == -FERRY_ENOENT, "PROC002",
	      "spawn of a missing file: ENOENT");
	check(spawn("/bin/proc/notelf", initv, noenv) == -FERRY_ENOEXEC, "PROC003",
	      "spawn of a non-ELF file: ENOEXEC");
	struct proc_wait_req wr = {-1, PROC_WNOHANG};
	struct proc_wait_rep wrep;
	check(ctl_call(PROC_CTL_WAIT, &wr, sizeof(wr), &wrep, sizeof(wrep), 0) == 0 &&
	              wrep.pid == 0,
	      "PROC004", "control wait with WNOHANG while init runs: 0");
	struct proc_ctl_kill_req kr = {4242, 15};
	check(ctl_call(PROC_CTL_KILL, &kr, sizeof(kr), NULL, 0, 0) == -FERRY_ESRCH, "PROC005",
	      "control kill of a nonexistent pid: ESRCH");

	static char filter[64];
	const char *tv[] = {"proctests", ucmdline_get("proctests", filter, sizeof(filter)), NULL};
	const char *tenv[] = {"PROC_SUITE=1", NULL};
	int pid = spawn("/bin/proc/proctests", tv, tenv);
	if (pid < 0) {
		check(0, "PROC-EXIT", "cannot spawn bin/proc/proctests");
	} else {
		struct proc_wait_req w = {pid, 0};
		rc = ctl_call(PROC_CTL_WAIT, &w, sizeof(w), &wrep, sizeof(wrep), 0);
		if (rc || (wrep.wstatus & 0x7f) != 0) {
			uprintf("FAIL PROC-EXIT: proctests: wait %d, status %#x\n", rc,
			        wrep.wstatus);
			failed++;
		} else {
			int n = (wrep.wstatus >> 8) & 0xff;
			check(n == 0, "PROC-EXIT", "proctests exits with its failure count 0");
		}
	}
	uprintf("%d passed, %d failed\nSUITE-END proc\n", passed, failed);
	return failed ? 1 : 0;
}
