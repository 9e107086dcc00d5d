/* SPDX-License-Identifier: MIT */
/*
 * Process start for libposix: picks the initial handles out of the auxv
 * (include/ferry/startup.h, docs/startup.md) and sets up the descriptor
 * table.  Runs from the first system call musl makes (__set_thread_area,
 * inside __init_libc), when musl has already recorded environ and auxv but
 * TLS is not yet set up: nothing here may use TLS or errno.
 */
#include <elf.h>
#include <unistd.h>
#include <ferry/startup.h>
#include <ferry/syscall.h>
#include "libc.h"
#include "libposix.h"
#include "pm.h"

LP_HIDDEN struct ferry_proc __ferry_proc;

/* The value of environment variable name, or NULL. */
static const char *
env_value(const char *name)
{
	char **e;
	const char *p, *q;

	for (e = __environ; e && *e; e++) {
		for (p = *e, q = name; *q && *p == *q; p++, q++)
			;
		if (!*q && *p == '=')
			return p + 1;
	}
	return 0;
}

static int
env_is_set(const char *name)
{
	return env_value(name) != 0;
}

static void
read_auxv(void)
{
	size_t *a;
	handle_t v;

	for (a = libc.auxv; a && a[0] != AT_NULL; a += 2) {
		v = (handle_t)a[1];
		switch (a[0]) {
		case AT_FERRY_PROCMGR:
			__ferry_proc.procmgr = v;
			break;
		case AT_FERRY_VFS_ROOT:
			__ferry_proc.vfs_root = v;
			break;
		case AT_FERRY_CWD:
			__ferry_proc.cwd = v;
			break;
		case AT_FERRY_STDIN:
			__ferry_proc.stdio[0] = v;
			break;
		case AT_FERRY_STDOUT:
			__ferry_proc.stdio[1] = v;
			break;
		case AT_FERRY_STDERR:
			__ferry_proc.stdio[2] = v;
			break;
		case AT_FERRY_POSIXSRV:
			__ferry_proc.posixsrv = v;
			break;
		case AT_FERRY_LOCKS:
			__ferry_lock_owner_set(v);
			break;
		case AT_FERRY_SELF_TASK:
			__ferry_proc.self_task = v;
			break;
		case AT_FERRY_BOOTSTRAP:
			__ferry_proc.bootstrap = v;
			break;
		}
	}
}

/*
 * fd 0 is open only when the spawner passed a stdin port.  fds 1 and 2 are
 * always open on the kernel log during bring-up, so that every program's
 * output is visible before a console server exists; a port passed for them
 * is kept for when the console protocol replaces the log.
 */
static void
init_stdio(void)
{
	int fd;

	if (__ferry_proc.stdio[0]) {
		__ferry_fds[0].kind = FERRY_FD_PORT;
		__ferry_fds[0].port = __ferry_proc.stdio[0];
	}
	/* Output goes to the port the starter gave (the console, a pipe, a
	 * file); without one, to the kernel log, so early programs and
	 * tests started without servers still print. */
	for (fd = 1; fd <= 2; fd++) {
		__ferry_fds[fd].kind = __ferry_proc.stdio[fd] ? FERRY_FD_PORT : FERRY_FD_DEBUGLOG;
		__ferry_fds[fd].port = __ferry_proc.stdio[fd];
	}
}

void
__ferry_init(void)
{
	__ferry_proc.ready = 1;
	read_auxv();
	/* FERRY_TRACE: report unsupported calls; FERRY_TRACE=all: every call. */
	__ferry_proc.trace = env_is_set("FERRY_TRACE");
	if (__ferry_proc.trace) {
		const char *v = env_value("FERRY_TRACE");
		if (v[0] == 'a' && v[1] == 'l' && v[2] == 'l' && !v[3])
			__ferry_proc.trace = 2;
	}
	init_stdio();
	__ferry_fdtab_apply(); /* an exec'd image: the descriptors it inherited */
	/* Signals that arrive while we are busy come through the upcall. */
	if (__ferry_proc.procmgr)
		ferry_sys_upcall_set((uintptr_t)__ferry_upcall);
}
