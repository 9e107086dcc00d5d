/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <ferry/syscall.h>
#include "libposix.h"

#define PAGE 4096UL
#define KNOWN_PROT (PROT_READ | PROT_WRITE | PROT_EXEC)

/*
 * mmap(addr, len, prot, flags, fd, off).  Anonymous memory is a fresh
 * demand-zero memory object mapped into our own task (task handle 0);
 * the mapping keeps the object alive, so our handle is closed at once.
 * MAP_PRIVATE maps it copy-on-write (what fork's child must see),
 * MAP_SHARED maps it shared.  File mappings need the servers' memory
 * protocol: an open fd gets ENODEV for now.  MAP_FIXED_NOREPLACE is done
 * as a hint checked afterwards, since the kernel has no such mode.
 */
long
__ferry_sys_mmap(long addr, long len, long prot, long flags, long fd, long off)
{
	struct ferry_map_req req = { 0 };
	handle_t mo;
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
		if (off & (PAGE - 1))
			return -EINVAL;
		return __ferry_fd_get(fd) ? -ENODEV : -EBADF;
	}
	size = ((unsigned long)len + PAGE - 1) & ~(PAGE - 1);
	if (size < (unsigned long)len)
		return -ENOMEM;

	req.addr = (uintptr_t)addr & ~(PAGE - 1);
	req.len = size;
	req.prot = (uint32_t)prot; /* PROT_* and FERRY_PROT_* share their values */
	if (type == MAP_PRIVATE)
		req.prot |= FERRY_MAP_PRIVATE;
	if (flags & MAP_FIXED)
		req.prot |= FERRY_MAP_FIXED;

	r = __ferry_status(ferry_sys_memobj_create(size, FERRY_MEMOBJ_ANON, &mo));
	if (r < 0)
		goto out_status;
	r = __ferry_status(ferry_sys_vm_map(0, mo, 0, &req, &got));
	(void)ferry_sys_handle_close(mo);
	if (r < 0)
		goto out_status;
	if ((flags & MAP_FIXED_NOREPLACE) && !(flags & MAP_FIXED) && got != req.addr) {
		(void)ferry_sys_vm_unmap(0, got, size);
		return -EEXIST;
	}
	return (long)got;

out_status:
	/* Linux reports running out of address space or quota as ENOMEM. */
	return r == -EDQUOT ? -ENOMEM : r;
}

_Static_assert(PROT_READ == FERRY_PROT_READ && PROT_WRITE == FERRY_PROT_WRITE &&
		       PROT_EXEC == FERRY_PROT_EXEC,
	       "PROT_* are passed to the kernel unchanged");
