/* SPDX-License-Identifier: MIT */
/*
 * The descriptors an exec'd image inherits: procmgr puts a struct
 * ferry_fdtab on the initial stack (AT_FERRY_FDTAB, include/ferry/startup.h)
 * with one entry per descriptor that survived close-on-exec.  When it is
 * there it is the whole table: the stdio defaults of init.c give way.
 * It also carries the umask and RLIMIT_NOFILE's soft limit.  Runs inside __ferry_init (no TLS, no errno).
 */
#include <elf.h>
#include <ferry/startup.h>
#include "libc.h"
#include "pm.h"

void
__ferry_fdtab_apply(void)
{
	const struct ferry_fdtab *t = 0;
	size_t *a;
	uint32_t i;
	int fd;

	struct ferry_fdpub *pub = 0;

	for (a = libc.auxv; a && a[0] != AT_NULL; a += 2) {
		if (a[0] == AT_FERRY_FDTAB)
			t = (const struct ferry_fdtab *)a[1];
		else if (a[0] == AT_FERRY_FDPUB)
			pub = (struct ferry_fdpub *)a[1];
	}
	if (!t) {
		__ferry_fdpub_init(pub);
		return;
	}
	if (&__ferry_umask)
		__ferry_umask = t->umask & 0777;
	for (fd = 0; fd <= 2; fd++) {
		__ferry_fds[fd].kind = FERRY_FD_NONE;
		__ferry_fds[fd].port = 0;
	}
	for (i = 0; i < t->count; i++) {
		const struct ferry_fdtab_ent *e = &t->ent[i];
		if (e->fd < 0 || e->fd >= FERRY_FD_MAX)
			continue;
		if (e->flags & FERRY_FDTAB_DEBUGLOG) {
			if (__ferry_fds[e->fd].kind == FERRY_FD_NONE) {
				__ferry_fds[e->fd].kind = FERRY_FD_DEBUGLOG;
				__ferry_fds[e->fd].port = 0;
			}
		} else if (e->handle) {
			(void)__ferry_fd_install(e->fd, e->handle, 0);
		}
	}
	/* After the entries: descriptors inherited above a lowered limit stay. */
	__ferry_nofile = t->nofile < FERRY_FD_MAX ? t->nofile : FERRY_FD_MAX;
	__ferry_fdpub_init(pub); /* after the installs, which published every fd ANON */
}
