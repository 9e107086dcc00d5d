/* SPDX-License-Identifier: MIT */
/*
 * Credentials: get*id from PROC_GETIDS (0, root, for a program started
 * without procmgr), set*id through PROC_SETCRED with Linux's rules for
 * which of real/effective/saved each call changes.  Supplementary groups
 * are procmgr's (PROC_GROUPS, at most PROC_NGROUPS); vfs checks them.
 */
#include <errno.h>
#include "pm.h"

#define KEEP 0xffffffffu

static long
ids(struct proc_ids_rep *r)
{
	long rc = __ferry_pm_ids(r);

	if (rc == -ENOSYS) {
		*r = (struct proc_ids_rep){0};
		return 0;
	}
	return rc;
}

#define GETTER(name, field)                                                                        \
	long __ferry_sys_##name(long a, long b, long c, long d, long e, long f)                    \
	{                                                                                          \
		struct proc_ids_rep r;                                                             \
		long rc;                                                                           \
		(void)a, (void)b, (void)c, (void)d, (void)e, (void)f;                              \
		rc = ids(&r);                                                                      \
		return rc < 0 ? rc : (long)r.field;                                                \
	}
GETTER(getuid, uid)
GETTER(geteuid, euid)
GETTER(getgid, gid)
GETTER(getegid, egid)

static long
getres(long a, long b, long c, int gid)
{
	struct proc_ids_rep r;
	long rc = ids(&r);

	if (rc < 0)
		return rc;
	*(unsigned *)a = gid ? r.gid : r.uid;
	*(unsigned *)b = gid ? r.egid : r.euid;
	*(unsigned *)c = gid ? r.sgid : r.suid;
	return 0;
}

long
__ferry_sys_getresuid(long a, long b, long c, long d, long e, long f)
{
	(void)d, (void)e, (void)f;
	return getres(a, b, c, 0);
}

long
__ferry_sys_getresgid(long a, long b, long c, long d, long e, long f)
{
	(void)d, (void)e, (void)f;
	return getres(a, b, c, 1);
}

static long
setcred(uint32_t which, uint32_t r, uint32_t e, uint32_t s)
{
	struct proc_setcred_req req = {which, {r, e, s}};
	long rc = __ferry_pm(PROC_SETCRED, &req, sizeof req, 0, 0, 0, 0);

	/* A forked child dropping privileges must not keep its parent's bound
	 * root and working directory until its first path call (path.c). */
	if (rc == 0)
		(void)__ferry_session();
	return rc;
}

/* setuid: root sets all three; others only the effective id. */
static long
set1(uint32_t which, long id)
{
	struct proc_ids_rep r;
	long rc = ids(&r);

	if (rc < 0)
		return rc;
	if ((uint32_t)id == KEEP)
		return -EINVAL;
	if (r.euid == 0)
		return setcred(which, (uint32_t)id, (uint32_t)id, (uint32_t)id);
	return setcred(which, KEEP, (uint32_t)id, KEEP);
}

/* setreuid: the saved id follows the new effective one when the real one
 * is set or the effective one changes away from the old real one. */
static long
setre(uint32_t which, long ra, long ea)
{
	struct proc_ids_rep r;
	uint32_t ru = (uint32_t)ra, eu = (uint32_t)ea, su = KEEP, oldr;
	long rc = ids(&r);

	if (rc < 0)
		return rc;
	oldr = which == PROC_CRED_UID ? r.uid : r.gid;
	if (ru != KEEP || (eu != KEEP && eu != oldr))
		su = eu != KEEP ? eu : (which == PROC_CRED_UID ? r.euid : r.egid);
	return setcred(which, ru, eu, su);
}

long
__ferry_sys_setuid(long a, long b, long c, long d, long e, long f)
{
	(void)b, (void)c, (void)d, (void)e, (void)f;
	return set1(PROC_CRED_UID, a);
}

long
__ferry_sys_setgid(long a, long b, long c, long d, long e, long f)
{
	(void)b, (void)c, (void)d, (void)e, (void)f;
	return set1(PROC_CRED_GID, a);
}

long
__ferry_sys_setreuid(long a, long b, long c, long d, long e, long f)
{
	(void)c, (void)d, (void)e, (void)f;
	return setre(PROC_CRED_UID, a, b);
}

long
__ferry_sys_setregid(long a, long b, long c, long d, long e, long f)
{
	(void)c, (void)d, (void)e, (void)f;
	return setre(PROC_CRED_GID, a, b);
}

long
__ferry_sys_setresuid(long a, long b, long c, long d, long e, long f)
{
	(void)d, (void)e, (void)f;
	return setcred(PROC_CRED_UID, (uint32_t)a, (uint32_t)b, (uint32_t)c);
}

long
__ferry_sys_setresgid(long a, long b, long c, long d, long e, long f)
{
	(void)d, (void)e, (void)f;
	return setcred(PROC_CRED_GID, (uint32_t)a, (uint32_t)b, (uint32_t)c);
}

long
__ferry_sys_getgroups(long n, long list, long c, long d, long e, long f)
{
	struct proc_groups_req req = {0};
	struct proc_groups_rep rep;
	long rc;

	(void)c, (void)d, (void)e, (void)f;
	if (n < 0)
		return -EINVAL;
	rc = __ferry_pm(PROC_GROUPS, &req, sizeof req, &rep, sizeof rep, 0, 0);
	if (rc == -ENOSYS)
		return 0; /* no procmgr: no supplementary groups */
	if (rc < 0)
		return rc;
	if (rep.n > PROC_NGROUPS)
		return -EIO;
	if (n == 0)
		return rep.n;
	if ((unsigned long)n < rep.n)
		return -EINVAL;
	for (unsigned i = 0; i < rep.n; i++)
		((unsigned *)list)[i] = rep.groups[i];
	return rep.n;
}

long
__ferry_sys_setgroups(long n, long list, long c, long d, long e, long f)
{
	struct proc_groups_req req = {0};
	struct proc_groups_rep rep;
	long rc;

	(void)c, (void)d, (void)e, (void)f;
	if (n < 0 || n > 65536)
		return -EINVAL;
	if (n > PROC_NGROUPS)
		return -EINVAL; /* procmgr keeps PROC_NGROUPS (docs/syscalls.md) */
	req.set = 1;
	req.n = (uint32_t)n;
	for (long i = 0; i < n; i++)
		req.groups[i] = ((const unsigned *)list)[i];
	rc = __ferry_pm(PROC_GROUPS, &req, sizeof req, &rep, sizeof rep, 0, 0);
	if (rc == -ENOSYS) {
		struct proc_ids_rep r;
		if ((rc = ids(&r)) < 0)
			return rc;
		return r.euid != 0 ? -EPERM : n == 0 ? 0 : -EINVAL;
	}
	return rc;
}
