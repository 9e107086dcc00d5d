// SPDX-License-Identifier: MIT
/*
 * Who a request speaks for (docs/proto/vfs.md "Credentials").  procmgr
 * owns the credentials; it hands vfs its credential table once at
 * bring-up (VFS_CREDS), a memory object vfs maps read-only and procmgr
 * rewrites on every change of a process's ids, so each check sees the
 * ids the caller has now, without a call to procmgr (vfs never calls it).
 *
 * A process gets ports bound to itself with VFS_SESSION, proving who it
 * is with its token: a copy of its process port, which only it and
 * procmgr hold; vfs compares the token's kernel object id with the
 * table's.  Requests on a bound port are checked against that process's
 * entry; the entry's koid changes when the process dies, so its ports then
 * speak for no one (EPERM).  The root port vfs announced at start-up is
 * the servers' (sys): root.  Every other port speaks for nobody (65534)
 * once procmgr runs; before that (bring-up, the fs suite's vfs alone)
 * every caller is root.
 *
 * Entry points: vfs_ctx_build, on_vfs_creds, on_vfs_session.
 */
#include <srv.h>
#include <srv_cred.h>
#include <ulib.h>
#include <ferry/proto/proc.h>
#include "vfs.h"

#define DESC(c) ((struct desc *)(uintptr_t)(c)->key)

static const struct proc_cred_table *credtab;

static void
set_ids(struct vfs_ctx *x, uint32_t uid, uint32_t gid, uint32_t ruid, uint32_t rgid)
{
	x->cred.uid = uid;
	x->cred.gid = gid;
	x->cred.ngroups = 0;
	x->ruid = ruid;
	x->rgid = rgid;
}

/* d's caller's ids into x: 0, or -FERRY_EPERM if d's process is gone. */
static int
ctx_cred(const struct desc *d, struct vfs_ctx *x)
{
	struct proc_cred_entry e;
	if (d->sys || !credtab) {
		set_ids(x, 0, 0, 0, 0);
		return 0;
	}
	if (!d->bind_koid) {
		set_ids(x, CRED_NOBODY, CRED_NOBODY, CRED_NOBODY, CRED_NOBODY);
		return 0;
	}
	if (!srv_cred_read(credtab, d->bind_slot, d->bind_koid, &e))
		return -FERRY_EPERM;
	set_ids(x, e.euid, e.egid, e.uid, e.gid);
	x->cred.ngroups = e.ngroups;
	for (uint32_t i = 0; i < e.ngroups; i++)
		x->cred.groups[i] = e.groups[i];
	return 0;
}

/* Does the request of op start with struct vfs_names? */
static bool
has_names(uint32_t op)
{
	return op != VFS_BIND && op != VFS_CREDS && op != VFS_SESSION;
}

/* The description a handle (consumed) names, if it is one of ours. */
static int
desc_of_handle(handle_t h, struct desc **out)
{
	struct ferry_handle_info hi;
	int rc = (int)ferry_sys_handle_info(h, &hi);
	ferry_sys_handle_close(h);
	if (rc)
		return rc;
	*out = hi.type == FERRY_OBJ_PORT ? desc_by_koid(hi.koid) : NULL;
	return 0;
}

int
vfs_ctx_build(struct desc *d, struct ferry_msg *m, struct vfs_ctx *x)
{
	/* data[] is 8-byte aligned in the message (msg.h) */
	struct vfs_names *n = (struct vfs_names *)(void *)m->data;
	int rc;

	x->start = d->node;
	if (has_names(m->op) && m->len >= sizeof(*n)) {
		if (n->xfer & VFS_NAMES_AT) {
			if (m->nhandles == 0 || m->nhandles > FERRY_MSG_HANDLES_MAX)
				return -FERRY_EINVAL;
			n->xfer &= ~VFS_NAMES_AT;
			struct desc *at;
			if ((rc = desc_of_handle(m->handles[--m->nhandles], &at)))
				return rc;
			if (!at)
				return VFS_FOREIGN_AT;
			x->start = at->node;
		}
	}
	return ctx_cred(d, x);
}

/*
 * VFS_CREDS: procmgr's table (handles[0]), accepted once.  -FERRY_EBUSY
 * (there is one), -FERRY_EINVAL (flags, not a readable table), the map's
 * error.
 */
int
on_vfs_creds(void *state, struct srv_call *c)
{
	const struct vfs_creds_req *rq = SRV_REQ(c, struct vfs_creds_req);
	handle_t mo = c->req->handles[0];
	(void)state;

	if (credtab || rq->flags || rq->pad) {
		ferry_sys_handle_close(mo);
		return credtab ? -FERRY_EBUSY : -FERRY_EINVAL;
	}
	return srv_cred_map(mo, &credtab);
}

/*
 * VFS_SESSION: a new port of a directory, bound to the process the token
 * names (or to the one the request's port is bound to).  -FERRY_ENOSYS
 * (no table: every caller is root anyway), -FERRY_EPERM (a token that
 * names no live process; no token on an unbound port), -FERRY_EXDEV (the
 * directory is not one of ours), -FERRY_ENOTDIR, -FERRY_EINVAL (flags,
 * handles missing), -FERRY_EBADH.
 */
int
on_vfs_session(void *state, struct srv_call *c)
{
	const struct vfs_session_req *rq = SRV_REQ(c, struct vfs_session_req);
	const struct ferry_msg *m = c->req;
	struct desc *d = DESC(c), *dir = NULL, *nd;
	bool token = rq->flags & VFS_SESSION_TOKEN;
	unsigned ntok = token ? 1 : 0;
	uint64_t koid = d->bind_koid;
	uint32_t slot = d->bind_slot;
	struct ferry_handle_info hi = {0};
	handle_t port;
	int rc = 0, hrc = 0;
	(void)state;

	/* Both handles are taken first, so that every error path has closed them. */
	if (token && m->nhandles >= 1) {
		hrc = (int)ferry_sys_handle_info(m->handles[0], &hi);
		ferry_sys_handle_close(m->handles[0]);
	}
	if (m->nhandles == ntok + 1) {
		int drc = desc_of_handle(m->handles[ntok], &dir);
		if (!hrc)
			hrc = drc;
		if (!hrc && !dir)
			hrc = -FERRY_EXDEV; /* not one of ours */
	} else if (m->nhandles > ntok + 1) {
		for (unsigned i = ntok; i < m->nhandles; i++)
			ferry_sys_handle_close(m->handles[i]);
	}
	if (!credtab)
		return -FERRY_ENOSYS;
	if ((rq->flags & ~(uint32_t)VFS_SESSION_TOKEN) || rq->pad || m->nhandles < ntok ||
	    m->nhandles > ntok + 1)
		return -FERRY_EINVAL;
	if (hrc)
		return hrc;
	if (token) {
		int s = hi.type == FERRY_OBJ_PORT ? srv_cred_slot(credtab, hi.koid) : -1;
		if (s < 0)
			return -FERRY_EPERM; /* forged, another object, a dead process's */
		koid = hi.koid;
		slot = (uint32_t)s;
	} else {
		struct proc_cred_entry e;
		if (!koid || !srv_cred_read(credtab, slot, koid, &e))
			return -FERRY_EPERM; /* unbound, or its process is gone */
	}
	struct node *n = dir ? dir->node : vfs_root;
	if (!node_is(n, VFS_S_IFDIR))
		return -FERRY_ENOTDIR;
	if ((rc = desc_open(n, VFS_O_PATH | VFS_O_DIRECTORY | VFS_O_RDONLY, &port, &nd)))
		return rc;
	nd->bind_koid = koid;
	nd->bind_slot = slot;
	c->rep.nhandles = 1;
	c->rep.handles[0] = port;
	return 0;
}
