// SPDX-License-Identifier: MIT
/*
 * Credentials (uid/gid: real, effective, saved) and resource
 * limits.  Limits are kept per process and inherited; procmgr enforces
 * RLIMIT_NPROC (fork), libposix RLIMIT_NOFILE (its descriptor table).
 * Entry points: cred_init_rlimits, cred_privileged, cred_set, cred_rlimit.
 */
#include "procmgr.h"

#define RLIMIT_STACK  3
#define RLIMIT_NPROC  6
#define RLIMIT_NOFILE 7

void
cred_init_rlimits(struct proc *p)
{
	for (int i = 0; i < PROC_RLIM_NLIMITS; i++)
		p->rlim[i][0] = p->rlim[i][1] = PROC_RLIM_INFINITY;
	p->rlim[RLIMIT_STACK][0] = 8u << 20;
	p->rlim[RLIMIT_NOFILE][0] = p->rlim[RLIMIT_NOFILE][1] = 1024;
	p->rlim[RLIMIT_NPROC][0] = p->rlim[RLIMIT_NPROC][1] = NPROC;
	p->rlim[RLIMIT_SIGPENDING][0] = p->rlim[RLIMIT_SIGPENDING][1] = SIGQUEUE_MAX;
}

bool
cred_privileged(const struct proc *p)
{
	return p->euid == 0;
}
