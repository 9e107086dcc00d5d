/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <string.h>
#include <ferry/syscall.h>
#include "libposix.h"

/*
 * sched_getaffinity/sched_setaffinity: Ferry runs on one CPU, so every
 * thread's affinity mask is {CPU 0}.  The kernel's mask is one unsigned
 * long (64 CPUs), as Linux's with nr_cpu_ids <= 64.
 *
 * pid is a thread id on Linux: 0 is the caller, a thread of this process
 * is found by thread_tid, any other id must name a process procmgr knows
 * (kill(pid, 0); EPERM there still means it exists): __ferry_sched_target,
 * shared with the scheduling-policy calls (sched_policy.c).
 */
#define MASK_BYTES sizeof(unsigned long)

long
__ferry_sched_target(long pid)
{
	long rc;

	if (pid == 0)
		return 0;
	if (pid < 0 || pid > 0x7fffffff)
		return -ESRCH;
	if (ferry_sys_thread_tid((uint32_t)pid) == pid)
		return 0;
	rc = __ferry_sys_kill(pid, 0, 0, 0, 0, 0);
	return rc == 0 || rc == -EPERM ? 0 : -ESRCH;
}

/* Returns the mask's size in bytes (Linux's raw call; musl zeroes the rest). */
long
__ferry_sys_sched_getaffinity(long pid, long len, long maskp, long d, long e, long f)
{
	unsigned long one = 1;
	long rc;

	(void)d, (void)e, (void)f;
	if (len < (long)MASK_BYTES || (len & (long)(MASK_BYTES - 1)))
		return -EINVAL;
	rc = __ferry_sched_target(pid);
	if (rc < 0)
		return rc;
	if (!maskp)
		return -EFAULT;
	memcpy((void *)maskp, &one, MASK_BYTES);
	return MASK_BYTES;
}

/* Accepts any mask that includes CPU 0 (bits past the mask's size are
 * ignored, missing bytes count as 0, as on Linux); EINVAL otherwise. */
long
__ferry_sys_sched_setaffinity(long pid, long len, long maskp, long d, long e, long f)
{
	unsigned char first = 0;
	long rc;

	(void)d, (void)e, (void)f;
	if (len < 0)
		return -EINVAL;
	if (len > 0 && !maskp)
		return -EFAULT;
	if (len > 0)
		first = *(const unsigned char *)maskp;
	rc = __ferry_sched_target(pid);
	if (rc < 0)
		return rc;
	return first & 1 ? 0 : -EINVAL;
}
