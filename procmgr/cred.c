// SPDX-License-Identifier: MIT
/*
 * Credentials (uid/gid: real, effective, saved; supplementary groups) and
 * resource limits.  Limits are kept per process and inherited; procmgr
 * enforces RLIMIT_NPROC (fork), libposix RLIMIT_NOFILE (its descriptor
 * table).
 *
 * The credential table (include/ferry/proto/proc.h, docs/procmgr.md
 * "Credentials"): every change of a process's ids or groups, its fork,
 * exec and death is written at once into a memory object that vfs maps
 * read-only, so vfs checks each request against the caller's current ids
 * without asking procmgr (vfs never calls procmgr: procmgr calls vfs).
 * Each entry is a sequence lock; procmgr is its only writer.
 *
 * Entry points: cred_init_rlimits, cred_privileged, cred_in_group,
 * cred_publish, cred_unpublish, cred_give_vfs.
 */
#include "procmgr.h"

#define RLIMIT_STACK  3
#define RLIMIT_NPROC  6
#define RLIMIT_NOFILE 7

static handle_t credtab_mo;
static struct proc_cred_table *credtab;

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

bool
cred_in_group(const struct proc *p, uint32_t gid)
{
	if (p->egid == gid)
		return true;
	for (uint32_t i = 0; i < p->ngroups; i++)
		if (p->groups[i] == gid)
			return true;
	return false;
}

/* The table, created on first use; NULL if there is no memory for it. */
static struct proc_cred_table *
table(void)
{
	if (credtab)
		return credtab;
	handle_t mo;
	if (ferry_sys_memobj_create(PROC_CRED_TABLE_BYTES, 0, &mo))
		return NULL;
	struct ferry_map_req r = {0, PROC_CRED_TABLE_BYTES, FERRY_PROT_READ | FERRY_PROT_WRITE, 0};
	uintptr_t addr = 0;
	if (ferry_sys_vm_map(0, mo, 0, &r, &addr)) {
		ferry_sys_handle_close(mo);
		return NULL;
	}
	credtab_mo = mo;
	credtab = (struct proc_cred_table *)addr;
	credtab->slots = NPROC < PROC_CRED_SLOTS ? NPROC : PROC_CRED_SLOTS;
	credtab->magic = PROC_CRED_MAGIC;
	return credtab;
}

/* Writes slot's entry under its sequence lock (vfs may be reading it on another CPU). */
static void
write_entry(unsigned slot, const struct proc *p, uint64_t koid)
{
	struct proc_cred_table *t = table();
	if (!t || slot >= t->slots)
		return;
	struct proc_cred_entry *e = &t->e[slot];
	__atomic_store_n(&e->seq, e->seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	__atomic_store_n(&e->koid, koid, __ATOMIC_RELAXED);
	if (p) {
		e->uid = p->uid, e->euid = p->euid;
		e->gid = p->gid, e->egid = p->egid;
		e->ngroups = p->ngroups;
		memcpy(e->groups, p->groups, sizeof(e->groups));
		e->pid = p->pid;
	}
	__atomic_thread_fence(__ATOMIC_RELEASE);
	__atomic_store_n(&e->seq, e->seq + 1, __ATOMIC_RELAXED);
}

/*
 * Publishes p's current ids and groups under the identity of its process
 * port.  Called after every change (set*id, setgroups, fork, spawn, exec).
 */
void
cred_publish(const struct proc *p)
{
	struct ferry_handle_info hi;
	if (!p->port || ferry_sys_handle_info(p->port, &hi))
		return;
	write_entry((unsigned)(p - proctab), p, hi.koid);
}

/* p is dead (or never ran): its identity no longer names anyone. */
void
cred_unpublish(const struct proc *p)
{
	if (credtab)
		write_entry((unsigned)(p - proctab), NULL, 0);
}

int
cred_table_ro(handle_t *out)
{
	if (!table())
		return -FERRY_ENOMEM;
	return (int)ferry_sys_handle_dup(
	        credtab_mo, FERRY_RIGHT_MAP | FERRY_RIGHT_READ | FERRY_RIGHT_TRANSFER, out);
}

/*
 * Hands vfs (its root port; not consumed) a read-only handle to the table
 * with VFS_CREDS.  Returns vfs's status: -FERRY_EBUSY if vfs already has
 * one, -FERRY_ENOMEM without a table.
 */
int
cred_give_vfs(handle_t vfsroot)
{
	struct ferry_msg m;
	memset(&m, 0, sizeof(m));
	m.op = VFS_CREDS;
	m.len = sizeof(struct vfs_creds_req);
	handle_t ro;
	int rc = cred_table_ro(&ro);
	if (rc)
		return rc;
	m.nhandles = 1;
	m.handles[0] = ro;
	if ((rc = (int)ferry_sys_msg_call(vfsroot, &m, FERRY_TIME_INFINITE)))
		return rc;
	for (unsigned i = 0; i < m.nhandles && i < FERRY_MSG_HANDLES_MAX; i++)
		ferry_sys_handle_close(m.handles[i]);
	int32_t status;
	memcpy(&status, m.data, sizeof(status));
	return status;
}
