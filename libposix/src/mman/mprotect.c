/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <sys/mman.h>
#include <ferry/syscall.h>
#include "libposix.h"

#define PAGE 4096UL

/*
 * mprotect(addr, len, prot).  A range that is not fully mapped is ENOMEM,
 * as on Linux (the kernel says ENOENT).
 */
long
__ferry_sys_mprotect(long addr, long len, long prot, long d, long e, long f)
{
	unsigned long size;
	long r;

	(void)d, (void)e, (void)f;
	if ((addr & (PAGE - 1)) || len < 0 || (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	if (len == 0)
		return 0;
	size = ((unsigned long)len + PAGE - 1) & ~(PAGE - 1);
	if (size < (unsigned long)len)
		return -ENOMEM;
	r = __ferry_status(ferry_sys_vm_protect(0, (uintptr_t)addr, size, (uint32_t)prot));
	return r == -ENOENT ? -ENOMEM : r;
}
