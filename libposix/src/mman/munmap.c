/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <ferry/syscall.h>
#include "libposix.h"

#define PAGE 4096UL

/*
 * munmap(addr, len).  Like Linux, unmapping a range with nothing mapped
 * in it is not an error, so the kernel's ENOENT is success here.  Shared
 * writable file mappings in the range are forgotten (internal/mapfile.c),
 * and so are its locks (internal/mlocked.c).
 */
long
__ferry_sys_munmap(long addr, long len, long c, long d, long e, long f)
{
	unsigned long size;
	long r;

	(void)c, (void)d, (void)e, (void)f;
	if ((addr & (PAGE - 1)) || len <= 0)
		return -EINVAL;
	size = ((unsigned long)len + PAGE - 1) & ~(PAGE - 1);
	if (size < (unsigned long)len)
		return -EINVAL;
	r = __ferry_status(ferry_sys_vm_unmap(0, (uintptr_t)addr, size));
	if (r == -ENOENT)
		r = 0;
	if (!r) {
		__ferry_mapfile_remove((uintptr_t)addr, size);
		(void)__ferry_mlocked_set((uintptr_t)addr, (uintptr_t)addr + size, 0);
	}
	return r;
}
