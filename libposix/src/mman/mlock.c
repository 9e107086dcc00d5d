/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <sys/mman.h>
#include <ferry/syscall.h>
#include "libposix.h"

#define PAGE 4096UL

/*
 * Memory locking.  Ferry never pages memory out, so every mapped page is
 * as good as locked; mlock faults the range in (the kernel's vm_populate)
 * so that later accesses do not fault, and what is locked is recorded
 * only for msync, which refuses MS_INVALIDATE on locked pages with EBUSY
 * (internal/mlocked.c).  mlock and munlock check the range as Linux
 * does: addr is rounded down to its page, a range that wraps is EINVAL,
 * one with an unmapped page (or outside user space) ENOMEM, and so is one
 * the table of locked ranges has no room for.  RLIMIT_MEMLOCK is not
 * charged (docs/gaps.md).
 */
static long
lock_range(long addr, long len, int lock)
{
	unsigned long start = (unsigned long)addr & ~(PAGE - 1);
	unsigned long end = (unsigned long)addr + (unsigned long)len;

	if (len < 0 || end < (unsigned long)addr)
		return -EINVAL;
	if (len == 0)
		return 0;
	end = (end + PAGE - 1) & ~(PAGE - 1);
	if (end == 0) /* rounded past the top of the address space */
		return -ENOMEM;
	long rc = __ferry_status(
	        ferry_sys_vm_populate(0, start, end - start, lock ? 0 : FERRY_VM_CHECK_ONLY));
	if (rc)
		return rc == -EINVAL ? -ENOMEM : rc;
	return __ferry_mlocked_set(start, end, lock);
}

long
__ferry_sys_mlock(long addr, long len, long c, long d, long e, long f)
{
	(void)c, (void)d, (void)e, (void)f;
	return lock_range(addr, len, 1);
}

long
__ferry_sys_munlock(long addr, long len, long c, long d, long e, long f)
{
	(void)c, (void)d, (void)e, (void)f;
	return lock_range(addr, len, 0);
}

long
__ferry_sys_mlockall(long flags, long b, long c, long d, long e, long f)
{
	(void)b, (void)c, (void)d, (void)e, (void)f;
	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) || flags == MCL_ONFAULT)
		return -EINVAL;
	return __ferry_mlocked_all((int)flags);
}

long
__ferry_sys_munlockall(long a, long b, long c, long d, long e, long f)
{
	(void)a, (void)b, (void)c, (void)d, (void)e, (void)f;
	__ferry_mlocked_clear();
	return 0;
}
