// SPDX-License-Identifier: MIT
/*
 * The descriptor tables processes publish for /proc/<pid>/fd
 * (include/ferry/startup.h, struct ferry_fdpub; docs/procmgr.md "/proc").
 * procmgr makes one memory object per process and maps it into its task
 * (spawn: AT_FERRY_FDPUB), filled with what it knows of the inherited
 * descriptors; a fork's child gets a copy of its parent's, which libposix
 * maps over the parent's before it touches a descriptor.  An exec keeps
 * the object: the new image gets it mapped and procmgr rewrites it in
 * place once the old image is gone (the staged descriptors stay, the
 * others close), unless the exec changes credentials (set-user-ID), which
 * gets a new one, so that a handle to the old object given out earlier
 * (at fork) shows nothing of the new image.  procmgr reads each object as
 * untrusted bytes through its own mapping; it never asks the process.
 *
 * Ownership: struct proc's fdpub is procmgr's handle to the object and
 * fdpub_view our mapping of it, made when first needed and kept; both go
 * with fdpub_drop (exit, a set-user-ID exec, free).
 * Entry points: fdpub_new, fdpub_exec, fdpub_set, fdpub_fork, fdpub_drop,
 * fdpub_get.
 */
#include "procmgr.h"
#include <ferry/startup.h>

/* Our window on mo (writable: procmgr fills and rewrites it). */
static struct ferry_fdpub *
view(handle_t mo)
{
	struct ferry_map_req r = {0, FERRY_FDPUB_SIZE, FERRY_PROT_READ | FERRY_PROT_WRITE, 0};
	uintptr_t addr = 0;
	if (ferry_sys_vm_map(0, mo, 0, &r, &addr))
		return NULL;
	return (struct ferry_fdpub *)addr;
}

static struct ferry_fdpub *
view_of(struct proc *p)
{
	if (!p->fdpub_view && p->fdpub)
		p->fdpub_view = view(p->fdpub);
	return p->fdpub_view;
}

/* p's published table as we see it (untrusted bytes), or NULL: none. */
const struct ferry_fdpub *
fdpub_get(struct proc *p)
{
	return view_of(p);
}

/* p no longer publishes: our mapping and handle go. */
void
fdpub_drop(struct proc *p)
{
	if (p->fdpub_view)
		ferry_sys_vm_unmap(0, (uintptr_t)p->fdpub_view, FERRY_FDPUB_SIZE);
	p->fdpub_view = NULL;
	if (p->fdpub)
		ferry_sys_handle_close(p->fdpub);
	p->fdpub = 0;
}

/* p publishes in mo (consumed), which replaces its object unless it is that one. */
void
fdpub_set(struct proc *p, handle_t mo)
{
	if (mo == p->fdpub)
		return; /* an exec kept it */
	fdpub_drop(p);
	p->fdpub = mo;
}

/* Bit fd of the staged descriptors st (the exec's inherited ones); returns
 * one past the highest. */
static uint32_t
staged(const struct stage *st, uint64_t bits[FERRY_FDPUB_FDS / 64])
{
	uint32_t end = 0;
	memset(bits, 0, FERRY_FDPUB_FDS / 8);
	for (unsigned i = 0; st && i < st->n; i++) {
		int fd = st->e[i].slot;
		if (fd < 0 || fd >= FERRY_FDPUB_FDS)
			continue;
		bits[fd / 64] |= 1ull << (fd % 64);
		end = (uint32_t)fd + 1 > end ? (uint32_t)fd + 1 : end;
	}
	return end;
}

/*
 * Writes into v the table of a new image: the entries of from (the old
 * image's table, read as untrusted bytes; NULL: none) for the staged
 * descriptors st, ANON for those it did not name, closed for the rest;
 * debuglog's are LOG.  v is either a new (zeroed) object or from itself
 * (an exec that keeps the object, after the old image has ended).
 */
static void
fill(struct ferry_fdpub *v, const struct ferry_fdpub *from, const struct stage *st,
     uint32_t debuglog)
{
	uint64_t keep[FERRY_FDPUB_FDS / 64];
	uint32_t old = from ? from->top : 0, end = staged(st, keep), top = 0;
	if (old > FERRY_FDPUB_FDS)
		old = FERRY_FDPUB_FDS;
	if (v == from && old > end)
		end = old; /* what lies past the staged ones closes too */
	for (uint32_t fd = 0; fd < end; fd++) {
		struct ferry_fdpub_ent *e = &v->ent[fd];
		if (!(keep[fd / 64] >> (fd % 64) & 1)) {
			if (v == from && e->kind != FERRY_FDPUB_CLOSED)
				memset(e, 0, sizeof(*e)); /* closed on exec */
			continue;
		}
		if (fd < old && from->ent[fd].kind != FERRY_FDPUB_CLOSED) {
			if (v != from)
				*e = from->ent[fd];
		} else {
			memset(e, 0, sizeof(*e));
			e->kind = FERRY_FDPUB_ANON;
		}
		top = fd + 1;
	}
	for (uint32_t fd = 0; fd < 32; fd++)
		if (debuglog & (1u << fd)) {
			memset(&v->ent[fd], 0, sizeof(v->ent[fd]));
			v->ent[fd].kind = FERRY_FDPUB_LOG;
			top = fd + 1 > top ? fd + 1 : top;
		}
	v->top = top;
}

/*
 * The object for a new image of `old` (NULL: a spawn), mapped into task:
 * *mo is our handle, *addr the address in task.  With keep (an exec that
 * does not change credentials) it is old's own object (*mo == old->fdpub),
 * which fdpub_exec rewrites once the exec commits; otherwise a new one,
 * filled at once (fill).  Errors are the kernel's.
 */
int
fdpub_new(struct proc *old, const struct stage *st, uint32_t debuglog, bool keep, handle_t task,
          handle_t *mo, uintptr_t *addr)
{
	struct ferry_map_req r = {0, FERRY_FDPUB_SIZE, FERRY_PROT_READ | FERRY_PROT_WRITE, 0};
	int rc;
	*mo = 0;
	if (keep && old && old->fdpub) {
		if ((rc = (int)ferry_sys_vm_map(task, old->fdpub, 0, &r, addr)))
			return rc;
		*mo = old->fdpub;
		return 0;
	}
	if ((rc = (int)ferry_sys_memobj_create(FERRY_FDPUB_SIZE, FERRY_MEMOBJ_ANON, mo)))
		return rc;
	struct ferry_fdpub *v = view(*mo);
	if (!v || (rc = (int)ferry_sys_vm_map(task, *mo, 0, &r, addr))) {
		if (v)
			ferry_sys_vm_unmap(0, (uintptr_t)v, FERRY_FDPUB_SIZE);
		ferry_sys_handle_close(*mo);
		*mo = 0;
		return rc ? rc : -FERRY_ENOMEM;
	}
	fill(v, old ? fdpub_get(old) : NULL, st, debuglog);
	ferry_sys_vm_unmap(0, (uintptr_t)v, FERRY_FDPUB_SIZE);
	return 0;
}

/*
 * After an exec that kept p's object (fdpub_new with keep), with the old
 * image gone and the new one not started: the inherited descriptors st
 * stay as the old image named them, the others close.
 */
void
fdpub_exec(struct proc *p, const struct stage *st, uint32_t debuglog)
{
	struct ferry_fdpub *v = view_of(p);
	if (v)
		fill(v, v, st, debuglog);
}

/*
 * The child's object: a copy of parent's table as it is now.  *give is a
 * handle for the child (through the fork reply), which maps it in place
 * of the parent's; the child's entry keeps another, and our mapping,
 * which its exec and /proc use.  -FERRY_ENOENT when the parent publishes
 * nothing.
 */
int
fdpub_fork(struct proc *parent, struct proc *child, handle_t *give)
{
	const struct ferry_fdpub *from = fdpub_get(parent);
	handle_t mo;
	int rc;
	if (!from)
		return -FERRY_ENOENT;
	if ((rc = (int)ferry_sys_memobj_create(FERRY_FDPUB_SIZE, FERRY_MEMOBJ_ANON, &mo)))
		return rc;
	struct ferry_fdpub *v = view(mo);
	if (!v) {
		ferry_sys_handle_close(mo);
		return -FERRY_ENOMEM;
	}
	uint32_t top = from->top < FERRY_FDPUB_FDS ? from->top : FERRY_FDPUB_FDS;
	memcpy(v->ent, from->ent, top * sizeof(from->ent[0]));
	v->top = top;
	if ((rc = (int)ferry_sys_handle_dup(mo, FERRY_RIGHT_SAME, give))) {
		ferry_sys_vm_unmap(0, (uintptr_t)v, FERRY_FDPUB_SIZE);
		ferry_sys_handle_close(mo);
		return rc;
	}
	fdpub_set(child, mo);
	child->fdpub_view = v;
	return 0;
}
