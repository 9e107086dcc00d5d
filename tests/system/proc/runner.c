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
#include <pmctl.h>
#include <ferry/proto/proc.h>

static handle_t ctl;

static int
ctl_call(uint32_t op, const void *req, size_t reqlen, void *rep, size_t replen, uint8_t flags)
{
	return pm_call(ctl, op, req, reqlen, rep, replen, flags, 0, 120000000000ull);
}

/* Spawns path with argv through the control port; pid or a negative status. */
static int
spawn(const char *path, const char *const *argv, const char *const *envp)
{
	struct pm_spawn s = {
	        .path = path, .argv = argv, .envp = envp, .debuglog = 0x6, .umask = 022};
	return pm_spawn(ctl, &s, 120000000000ull);
}

static int passed, failed;

/* Lists servers (docs/procmgr.md "/proc"): the error paths and the limit. */
static int
servers(void)
{
	struct proc_server_req r;
	struct proc_spawn_rep rep;
	int ok = 1, n = 0, rc;
	memset(&r, 0, sizeof(r));
	ok &= ctl_call(PROC_CTL_SERVER, &r, sizeof(r), &rep, sizeof(rep), 0) == -FERRY_EINVAL;
	strlcpy(r.name, "srv", sizeof(r.name));
	strlcpy(r.path, "sbin/srv", sizeof(r.path));
	ok &= ctl_call(PROC_CTL_SERVER, &r, sizeof(r), &rep, sizeof(rep), 0) == -FERRY_EINVAL;
	/* A handle (moved) that is not a task: EWRONGTYPE. */
	handle_t notask = 0;
	strlcpy(r.path, "/sbin/srv", sizeof(r.path));
	ok &= ferry_sys_handle_dup(ctl, FERRY_RIGHT_SAME, &notask) == 0;
	ok &= pm_call(ctl, PROC_CTL_SERVER, &r, sizeof(r), &rep, sizeof(rep), 0, notask,
	              120000000000ull) == -FERRY_EWRONGTYPE;
	memset(r.path, 0, sizeof(r.path));
	memset(r.name, 'x', sizeof(r.name)); /* 16 bytes, no NUL: taken as 16 */
	int first = 0;
	while ((rc = ctl_call(PROC_CTL_SERVER, &r, sizeof(r), &rep, sizeof(rep), 0)) == 0) {
		if (!first)
			first = rep.pid;
		n++;
	}
	ok &= rc == -FERRY_ENOSPC && n == PROC_SERVERS_MAX && first > 1;
	struct proc_ctl_kill_req k = {first, 9};
	ok &= ctl_call(PROC_CTL_KILL, &k, sizeof(k), NULL, 0, 0) == -FERRY_EPERM;
	k.pid = -first;
	ok &= ctl_call(PROC_CTL_KILL, &k, sizeof(k), NULL, 0, 0) == -FERRY_EPERM;
	struct proc_wait_req w = {first, PROC_WNOHANG};
	struct proc_wait_rep wr;
	ok &= ctl_call(PROC_CTL_WAIT, &w, sizeof(w), &wr, sizeof(wr), 0) == -FERRY_ECHILD;
	return ok;
}

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
	int rc = ustart_procmgr(&ctl, NULL);
	if (rc)
		upanic("proctest: cannot start procmgr: %s", ferry_strerror(rc));

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
	check(servers(), "PROC006",
	      "PROC_CTL_SERVER: pids after init, kill EPERM, not waitable; EINVAL, EWRONGTYPE, "
	      "ENOSPC");
	struct proc_ctl_tty_req tt = {9, (5u << 8) | 1, 0, 0};
	int ok = ctl_call(PROC_CTL_TTY, &tt, sizeof(tt), NULL, 0, 0) == -FERRY_EINVAL;
	tt.what = PROC_TTY_FG;
	tt.rdev = (1u << 8) | 3; /* /dev/null is no terminal */
	ok &= ctl_call(PROC_CTL_TTY, &tt, sizeof(tt), NULL, 0, 0) == -FERRY_EINVAL;
	tt.rdev = (136u << 8) | 5;
	tt.pgrp = -1;
	ok &= ctl_call(PROC_CTL_TTY, &tt, sizeof(tt), NULL, 0, 0) == -FERRY_EINVAL;
	tt.pgrp = 1; /* a terminal no session has: nothing to do */
	ok &= ctl_call(PROC_CTL_TTY, &tt, sizeof(tt), NULL, 0, 0) == 0;
	tt.what = PROC_TTY_HANGUP;
	tt.pgrp = 0;
	ok &= ctl_call(PROC_CTL_TTY, &tt, sizeof(tt), NULL, 0, 0) == 0;
	check(ok, "PROC007", "PROC_CTL_TTY: EINVAL for an unknown event, a non-terminal, pgrp < 0");

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
