/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <ferry/proto/file.h>
#include <ferry/syscall.h>
#include "libposix.h"

#define PAGE       4096UL
#define KNOWN_PROT (PROT_READ | PROT_WRITE | PROT_EXEC)

/* Quota kept back for the page faults of what is mapped already. */
#define ANON_RESERVE (1UL << 20)

/*
 * Anonymous memory is demand-zero: its pages are charged to the task's
 * kernel-memory quota when first touched, and a fault the quota cannot
 * pay for kills the task (docs/memory.md "Quotas").  So an accessible
 * anonymous mapping that the quota left could not back is refused with
 * ENOMEM, and malloc returns NULL instead of the process dying on the
 * page it just got.  This is Linux's heuristic overcommit with the quota
 * as the machine: obvious overcommits are refused, MAP_NORESERVE and
 * PROT_NONE reservations are not checked.
 */
static int
anon_fits(unsigned long size)
{
	uint64_t left;

	if (ferry_sys_kernel_info(FERRY_INFO_TASK_QUOTA, &left) < 0)
		return 1;
	return left >= ANON_RESERVE && size <= left - ANON_RESERVE;
}

/*
 * mmap(addr, len, prot, flags, fd, off).  Anonymous memory is a fresh
 * demand-zero memory object mapped into our own task (task handle 0);
 * the mapping keeps the object alive, so our handle is closed at once.
 * MAP_PRIVATE maps it copy-on-write (what fork's child must see),
 * MAP_SHARED maps it shared.  A file's mapping maps the memory object
 * its server holds the bytes in (FILE_MMAP: tmpfs files), so MAP_SHARED
 * is coherent with read and write; other objects give ENODEV.  A shared
 * writable file mapping is recorded for msync (internal/mapfile.c), and
 * MAP_FIXED drops the records of what it replaced.  A new mapping is
 * locked only under mlockall(MCL_FUTURE) (internal/mlocked.c).  MAP_FIXED_NOREPLACE
 * is done as a hint checked afterwards, since the kernel has no such mode.
 */
long
__ferry_sys_mmap(long addr, long len, long prot, long flags, long fd, long off)
{
	struct ferry_map_req req = {0};
	handle_t mo = 0, port = 0;
	uintptr_t got;
	unsigned long size;
	long r;
	int type = flags & MAP_TYPE;

	if (len <= 0 || ((addr & (PAGE - 1)) && (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE))))
		return -EINVAL;
	if (type != MAP_PRIVATE && type != MAP_SHARED && type != MAP_SHARED_VALIDATE)
		return -EINVAL;
	if (prot & ~KNOWN_PROT)
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS)) {
		struct ferry_fd *f = __ferry_fd_get(fd);
		struct file_mmap_req mr = {(uint32_t)prot,
		                           type == MAP_PRIVATE ? FILE_MMAP_PRIVATE : 0};
		struct file_mmap_rep rep;
		if (off & (PAGE - 1) || off < 0)
			return -EINVAL;
		if (!f)
			return -EBADF;
		if (f->kind != FERRY_FD_PORT)
			return -ENODEV;
		port = f->port;
		r = __ferry_rpc(port, FILE_MMAP, &mr, sizeof mr, &rep, sizeof rep, 0, &mo);
		if (r == -ENOSYS)
			return -ENODEV;
		if (r < 0)
			return r;
	}
	size = ((unsigned long)len + PAGE - 1) & ~(PAGE - 1);
	if (size < (unsigned long)len) {
		if (!(flags & MAP_ANONYMOUS))
			(void)ferry_sys_handle_close(mo);
		return -ENOMEM;
	}

	req.addr = (uintptr_t)addr & ~(PAGE - 1);
	req.len = size;
	req.prot = (uint32_t)prot; /* PROT_* and FERRY_PROT_* share their values */
	if (type == MAP_PRIVATE)
		req.prot |= FERRY_MAP_PRIVATE;
	if (flags & MAP_FIXED)
		req.prot |= FERRY_MAP_FIXED;

	if (flags & MAP_ANONYMOUS) {
		if (prot != PROT_NONE && !(flags & MAP_NORESERVE) && !anon_fits(size))
			return -ENOMEM;
		off = 0;
		r = __ferry_status(ferry_sys_memobj_create(size, FERRY_MEMOBJ_ANON, &mo));
		if (r < 0)
			goto out_status;
	}
	r = __ferry_status(ferry_sys_vm_map(0, mo, (uint64_t)off, &req, &got));
	(void)ferry_sys_handle_close(mo);
	if (r < 0)
		goto out_status;
	if ((flags & MAP_FIXED_NOREPLACE) && !(flags & MAP_FIXED) && got != req.addr) {
		(void)ferry_sys_vm_unmap(0, got, size);
		return -EEXIST;
	}
	if (flags & MAP_FIXED)
		__ferry_mapfile_remove(got, size);
	if (port && type != MAP_PRIVATE && (prot & PROT_WRITE) &&
	    (r = __ferry_mapfile_add(got, size, port)) < 0) {
		(void)ferry_sys_vm_unmap(0, got, size);
		return r == -ENOMEM ? r : -EBADF; /* the fd was closed meanwhile */
	}
	__ferry_mlocked_mapped(got, got + size);
	return (long)got;

out_status:
	/* Linux reports running out of address space or quota as ENOMEM. */
	return r == -EDQUOT ? -ENOMEM : r;
}

_Static_assert(PROT_READ == FERRY_PROT_READ && PROT_WRITE == FERRY_PROT_WRITE &&
                       PROT_EXEC == FERRY_PROT_EXEC,
               "PROT_* are passed to the kernel unchanged");
