/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <sys/mman.h>
#include "libposix.h"

#define PAGE 4096UL

/*
 * msync(addr, len, flags).  Shared file mappings are the file's own pages
 * (vfs maps the memory object it keeps the bytes in), so there is nothing
 * to write back or invalidate; what is left is POSIX's st_mtime and
 * st_ctime of a file mapped shared and writable, which its server marks
 * on FILE_MSYNC (internal/mapfile.c).  EINVAL for an unaligned address,
 * unknown flags or MS_SYNC with MS_ASYNC; ENOMEM for a range that wraps;
 * EBUSY for MS_INVALIDATE on a range with a locked page (mlock,
 * mlockall: internal/mlocked.c).  A range with nothing mapped is not
 * detected (Linux: ENOMEM).
 */
long
__ferry_sys_msync(long addr, long len, long flags, long d, long e, long f)
{
	unsigned long size;

	(void)d, (void)e, (void)f;
	if ((addr & (PAGE - 1)) || (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) ||
	    ((flags & MS_ASYNC) && (flags & MS_SYNC)))
		return -EINVAL;
	size = ((unsigned long)len + PAGE - 1) & ~(PAGE - 1);
	if (size < (unsigned long)len || (unsigned long)addr + size < (unsigned long)addr)
		return -ENOMEM;
	if (size && (flags & MS_INVALIDATE) &&
	    __ferry_mlocked_busy((uintptr_t)addr, (uintptr_t)addr + size))
		return -EBUSY;
	if (size)
		__ferry_mapfile_sync((uintptr_t)addr, size);
	return 0;
}
