// SPDX-License-Identifier: MIT
/* Reading procmgr's credential table (srv_cred.h). */
#include <ferry/syscall.h>
#include "srv_cred.h"

int
srv_cred_map(uint32_t mo, const struct proc_cred_table **out)
{
	struct ferry_map_req r = {0, PROC_CRED_TABLE_BYTES, FERRY_PROT_READ, 0};
	uintptr_t addr = 0;
	int rc = (int)ferry_sys_vm_map(0, mo, 0, &r, &addr);
	ferry_sys_handle_close(mo);
	if (rc)
		return rc;
	const struct proc_cred_table *t = (const struct proc_cred_table *)addr;
	if (t->magic != PROC_CRED_MAGIC || t->slots == 0 || t->slots > PROC_CRED_SLOTS) {
		ferry_sys_vm_unmap(0, addr, PROC_CRED_TABLE_BYTES);
		return -FERRY_EINVAL;
	}
	*out = t;
	return 0;
}

bool
srv_cred_read(const struct proc_cred_table *t, uint32_t slot, uint64_t koid,
              struct proc_cred_entry *out)
{
	if (slot >= t->slots)
		return false;
	const volatile struct proc_cred_entry *e = &t->e[slot];
	uint32_t s0, s1;
	do {
		s0 = __atomic_load_n(&t->e[slot].seq, __ATOMIC_ACQUIRE);
		out->koid = e->koid;
		out->uid = e->uid, out->euid = e->euid;
		out->gid = e->gid, out->egid = e->egid;
		out->pid = e->pid;
		out->ngroups = e->ngroups < PROC_NGROUPS ? e->ngroups : PROC_NGROUPS;
		for (uint32_t i = 0; i < out->ngroups; i++)
			out->groups[i] = e->groups[i];
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		s1 = __atomic_load_n(&t->e[slot].seq, __ATOMIC_RELAXED);
	} while ((s0 & 1) || s0 != s1);
	return out->koid == koid && koid != 0;
}

int
srv_cred_slot(const struct proc_cred_table *t, uint64_t koid)
{
	struct proc_cred_entry e;
	for (uint32_t i = 0; koid && i < t->slots; i++)
		if (__atomic_load_n(&t->e[i].koid, __ATOMIC_RELAXED) == koid &&
		    srv_cred_read(t, i, koid, &e))
			return (int)i;
	return -1;
}

int
srv_cred_of_token(const struct proc_cred_table *t, uint32_t h, struct proc_cred_entry *out)
{
	struct ferry_handle_info hi = {0};
	int rc = h ? (int)ferry_sys_handle_info(h, &hi) : -FERRY_EPERM;
	if (h)
		ferry_sys_handle_close(h);
	if (rc || !t || hi.type != FERRY_OBJ_PORT)
		return -FERRY_EPERM;
	int s = srv_cred_slot(t, hi.koid);
	return s >= 0 && srv_cred_read(t, (uint32_t)s, hi.koid, out) ? 0 : -FERRY_EPERM;
}
