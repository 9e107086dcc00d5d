// SPDX-License-Identifier: MIT
/*
 * Storage of regular files' bytes.  A file starts on vfs's heap; when it
 * grows past one page, or a client asks to map it (FILE_MMAP), its bytes
 * move into a memory object of VFS_FILE_MAX bytes (demand-zero, so only
 * the pages written cost memory) and vfs keeps a read-write window on the
 * first n->reg.cap bytes of it.  read and write go through that window and
 * clients map the same object, so both see the same pages: coherent with
 * no copying (docs/proto/file.md, FILE_MMAP).  The object's end follows
 * the file's size, rounded up to a page (memobj_set_end), so a mapping
 * touching a page wholly past the end of the file gets SIGBUS.
 *
 * Ownership: the node owns the object handle and the window; both go
 * with the node (vfs_data_free).  Clients' mappings keep the object alive
 * after that, as an unlinked file's mapping should.
 */
#include <ulib.h>
#include "vfs.h"

#define PAGE       4096ull
#define HEAP_LIMIT PAGE

/* Maps a window of cap bytes of the object in place of the old one. */
static int
window(struct node *n, uint64_t cap)
{
	struct ferry_map_req req = {0, cap, FERRY_PROT_READ | FERRY_PROT_WRITE, 0};
	uintptr_t addr;
	int rc = (int)ferry_sys_vm_map(0, (handle_t)n->reg.mo, 0, &req, &addr);
	if (rc)
		return rc == -FERRY_EQUOTA || rc == -FERRY_ENOMEM ? -FERRY_ENOSPC : rc;
	if (n->reg.cap)
		ferry_sys_vm_unmap(0, (uintptr_t)n->reg.data, n->reg.cap);
	n->reg.data = (uint8_t *)addr;
	n->reg.cap = cap;
	return 0;
}

/* Moves the file's bytes into a memory object (with a window of at least cap). */
static int
to_memobj(struct node *n, uint64_t cap)
{
	handle_t mo;
	uint8_t *old = n->reg.data;
	uint64_t oldcap = n->reg.cap;
	int rc;

	if ((rc = (int)ferry_sys_memobj_create(VFS_FILE_MAX, FERRY_MEMOBJ_ANON, &mo)))
		return rc == -FERRY_EQUOTA || rc == -FERRY_ENOMEM ? -FERRY_ENOSPC : rc;
	n->reg.mo = mo;
	n->reg.cap = 0;
	if ((rc = window(n, cap))) {
		ferry_sys_handle_close(mo);
		n->reg.mo = 0;
		n->reg.data = old;
		n->reg.cap = oldcap;
		return rc;
	}
	if (old) {
		memcpy(n->reg.data, old, n->reg.size);
		vfs_free(old);
	}
	return (int)ferry_sys_memobj_set_end(mo, n->reg.size);
}

static uint64_t
page_up(uint64_t x)
{
	return (x + PAGE - 1) & ~(PAGE - 1);
}

int
vfs_data_end(struct node *n, uint64_t size)
{
	if (!n->reg.mo || page_up(size) == page_up(n->reg.size))
		return 0;
	return (int)ferry_sys_memobj_set_end((handle_t)n->reg.mo, size);
}

int
vfs_data_reserve(struct node *n, uint64_t cap)
{
	if (cap <= n->reg.cap)
		return 0;
	if (!n->reg.mo && cap <= HEAP_LIMIT) {
		uint8_t *p = vfs_realloc(n->reg.data, n->reg.size, cap);
		if (!p)
			return -FERRY_ENOSPC;
		n->reg.data = p;
		n->reg.cap = cap;
		return 0;
	}
	cap = page_up(cap);
	if (!n->reg.mo)
		return to_memobj(n, cap);
	return window(n, cap);
}

void
vfs_data_free(struct node *n)
{
	if (n->reg.mo) {
		if (n->reg.cap)
			ferry_sys_vm_unmap(0, (uintptr_t)n->reg.data, n->reg.cap);
		ferry_sys_handle_close((handle_t)n->reg.mo);
	} else {
		vfs_free(n->reg.data);
	}
	n->reg.mo = 0;
	n->reg.data = NULL;
	n->reg.cap = 0;
}

int
vfs_data_memobj(struct node *n, uint32_t rights, handle_t *out)
{
	int rc;
	if (!n->reg.mo &&
	    (rc = to_memobj(n, n->reg.cap > PAGE ? (n->reg.cap + PAGE - 1) & ~(PAGE - 1) : PAGE)))
		return rc;
	return (int)ferry_sys_handle_dup((handle_t)n->reg.mo, rights, out);
}
