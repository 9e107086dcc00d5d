// SPDX-License-Identifier: MIT
/*
 * The descriptor tables processes publish for /proc/<pid>/fd
 * (include/ferry/startup.h, struct ferry_fdpub; docs/procmgr.md "/proc").
 * procmgr makes one memory object per image and maps it into the new task
 * (exec, spawn: AT_FERRY_FDPUB), filled with what it knows of the
 * inherited descriptors; a fork's child gets a copy of its parent's, which
 * libposix maps over the parent's before it touches a descriptor.
 * procmgr maps each object read-only into itself on first use and reads
 * it as untrusted bytes; it never asks the process.
 *
 * Ownership: struct proc's fdpub is procmgr's handle to the object and
 * fdpub_view our mapping of it; both go with fdpub_drop (exec, free).
 * Entry points: fdpub_new, fdpub_set, fdpub_fork, fdpub_drop, fdpub_get.
 */
#include "procmgr.h"
#include <ferry/startup.h>

/* Our read-only (or, while filling, writable) window on mo. */
static struct ferry_fdpub *
view(handle_t mo, bool write)
{
	struct ferry_map_req r = {0, FERRY_FDPUB_SIZE,
	                          FERRY_PROT_READ | (write ? FERRY_PROT_WRITE : 0), 0};
	uintptr_t addr = 0;
	if (ferry_sys_vm_map(0, mo, 0, &r, &addr))
		return NULL;
	return (struct ferry_fdpub *)addr;
}

static void
unview(const struct ferry_fdpub *v)
{
	if (v)
		ferry_sys_vm_unmap(0, (uintptr_t)v, FERRY_FDPUB_SIZE);
}

const struct ferry_fdpub *
fdpub_get(struct proc *p)
{
	if (!p->fdpub_view && p->fdpub)
		p->fdpub_view = view(p->fdpub, false);
	return p->fdpub_view;
}

void
fdpub_drop(struct proc *p)
{
	unview(p->fdpub_view);
	p->fdpub_view = NULL;
	if (p->fdpub)
		ferry_sys_handle_close(p->fdpub);
	p->fdpub = 0;
}

void
fdpub_set(struct proc *p, handle_t mo)
{
	fdpub_drop(p);
	p->fdpub = mo;
}

/*
 * A new object for an image of `old` (its previous image's entries are
 * carried over for the staged descriptors st; those it did not name, and
 * a spawn's, are ANON; debuglog's are LOG), mapped into task: *mo is our
 * handle, *addr the address in task.  Errors are the kernel's.
 */
int
fdpub_new(struct proc *old, const struct stage *st, uint32_t debuglog, handle_t task, handle_t *mo,
          uintptr_t *addr)
{
	struct ferry_map_req r = {0, FERRY_FDPUB_SIZE, FERRY_PROT_READ | FERRY_PROT_WRITE, 0};
	int rc;
	*mo = 0;
	if ((rc = (int)ferry_sys_memobj_create(FERRY_FDPUB_SIZE, FERRY_MEMOBJ_ANON, mo)))
		return rc;
	struct ferry_fdpub *v = view(*mo, true);
	if (!v || (rc = (int)ferry_sys_vm_map(task, *mo, 0, &r, addr))) {
		unview(v);
		ferry_sys_handle_close(*mo);
		*mo = 0;
		return rc ? rc : -FERRY_ENOMEM;
	}
	const struct ferry_fdpub *from = old ? fdpub_get(old) : NULL;
	uint32_t top = 0;
	for (unsigned i = 0; st && i < st->n; i++) {
		int fd = st->e[i].slot;
		if (fd < 0 || fd >= FERRY_FDPUB_FDS)
			continue;
		if (from && fd < (int)from->top && from->ent[fd].kind != FERRY_FDPUB_CLOSED)
			v->ent[fd] = from->ent[fd];
		else
			v->ent[fd].kind = FERRY_FDPUB_ANON;
		top = (uint32_t)fd + 1 > top ? (uint32_t)fd + 1 : top;
	}
	for (int fd = 0; fd < 32; fd++)
		if (debuglog & (1u << fd)) {
			memset(&v->ent[fd], 0, sizeof(v->ent[fd]));
			v->ent[fd].kind = FERRY_FDPUB_LOG;
			top = (uint32_t)fd + 1 > top ? (uint32_t)fd + 1 : top;
		}
	v->top = top;
	unview(v);
	return 0;
}

/*
 * The child's object: a copy of parent's table as it is now.  *give is a
 * handle for the child (through the fork reply), which maps it in place
 * of the parent's; the child's entry keeps another.  -FERRY_ENOENT when
 * the parent publishes nothing.
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
	struct ferry_fdpub *v = view(mo, true);
	if (!v) {
		ferry_sys_handle_close(mo);
		return -FERRY_ENOMEM;
	}
	uint32_t top = from->top < FERRY_FDPUB_FDS ? from->top : FERRY_FDPUB_FDS;
	memcpy(v->ent, from->ent, top * sizeof(from->ent[0]));
	v->top = top;
	unview(v);
	if ((rc = (int)ferry_sys_handle_dup(mo, FERRY_RIGHT_SAME, give))) {
		ferry_sys_handle_close(mo);
		return rc;
	}
	fdpub_set(child, mo);
	return 0;
}
