/* SPDX-License-Identifier: MIT */
/*
 * The C side of __clone (arch/x86_64/clone.s).  A thread (CLONE_VM |
 * CLONE_THREAD, as pthread_create and thrd_create ask) becomes the
 * kernel's thread_clone: func and arg go on top of the new stack for
 * __ferry_clone_child, the FS base is tls (CLONE_SETTLS) or the caller's,
 * and the kernel writes the id to *ptid (CLONE_PARENT_SETTID) before the
 * thread runs and keeps ctid (CLONE_CHILD_CLEARTID) to zero and wake when
 * it exits.
 *
 * A process sharing our memory until it execs (CLONE_VM | CLONE_VFORK with
 * SIGCHLD, as musl's posix_spawn and so popen and system ask) becomes a
 * fork: the child runs func(arg) on its copy of our stack and exits with
 * its result; POSIX lets vfork be a fork, and posix_spawn reports an exec
 * failure through a pipe, not through shared memory, so a copy serves it.
 * The parent does not wait for the exec: posix_spawn's pipe read does.
 * Other uses of clone go through the seam as SYS_clone (ENOSYS).
 *
 * Page faults are charged to the task's kernel-memory quota too, and a
 * fault the quota cannot pay for kills the task.  So a new thread is only
 * made while QUOTA_RESERVE bytes of quota are left over for the faults of
 * the threads that exist (and of this one's stack setup, already done by
 * pthread_create): a flood of threads ends with EAGAIN, not with a task
 * killed on its next stack page (docs/threads.md, THR-700..705).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <signal.h>
#include <sys/syscall.h>
#include <ferry/syscall.h>
#include "libposix.h"

#define THREAD_FLAGS (CLONE_VM | CLONE_THREAD)
/* Flags that a thread may carry and that need nothing more here. */
#define THREAD_OK                                                                                  \
	(THREAD_FLAGS | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_SYSVSEM | CLONE_SETTLS |    \
	 CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_DETACHED)

#define SPAWN_FLAGS (CLONE_VM | CLONE_VFORK)

#define QUOTA_RESERVE (1u << 20)

LP_HIDDEN void __ferry_clone_child(void);

LP_HIDDEN int
__ferry_clone(int (*func)(void *), void *stack, int flags, void *arg, int *ptid, void *tls,
              int *ctid)
{
	uintptr_t sp, fs;
	uint64_t left;
	long rc;

	if ((flags & ~CSIGNAL) == SPAWN_FLAGS && (flags & CSIGNAL) == SIGCHLD) {
		if (!func)
			return -EINVAL;
		/* The fd-table lock is held around the copy there, as for fork(). */
		rc = __ferry_sys_fork(0, 0, 0, 0, 0, 0);
		if (rc == 0)
			__ferry_sys_exit_group(func(arg), 0, 0, 0, 0, 0);
		return (int)rc;
	}
	if ((flags & THREAD_FLAGS) != THREAD_FLAGS)
		return (int)__ferry_syscall(SYS_clone, flags, (long)stack, (long)ptid, (long)ctid,
		                            (long)tls, 0);
	if ((flags & ~THREAD_OK) || !func || !stack)
		return -EINVAL;
	if (ferry_sys_kernel_info(FERRY_INFO_TASK_QUOTA, &left) == 0 && left < QUOTA_RESERVE)
		return -EAGAIN;
	if (flags & CLONE_SETTLS)
		fs = (uintptr_t)tls;
	else
		__asm__("mov %%fs:0,%0" : "=r"(fs)); /* the thread pointer points to itself */
	sp = ((uintptr_t)stack & -(uintptr_t)16) - 16;
	((void **)sp)[0] = (void *)func;
	((void **)sp)[1] = arg;
	rc = ferry_sys_thread_clone((uintptr_t)__ferry_clone_child, sp, 0, fs,
	                            (flags & CLONE_PARENT_SETTID) ? (uint32_t *)ptid : 0,
	                            (flags & CLONE_CHILD_CLEARTID) ? (uint32_t *)ctid : 0);
	if (rc == -FERRY_EQUOTA)
		return -EAGAIN;
	return rc < 0 ? (int)__ferry_status(rc) : (int)rc;
}
