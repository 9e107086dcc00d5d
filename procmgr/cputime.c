// SPDX-License-Identifier: MIT
/*
 * CPU time of processes: the kernel counts, per task, the 1 ms scheduler
 * ticks that found one of its threads running in user mode or in the
 * kernel (kernel_info FERRY_INFO_TASK_USER_NS / _SYS_NS).  A process is
 * a chain of tasks (exec replaces the task), so procmgr banks an image's
 * time when exec ends it; and a parent collects the time of each child
 * it reaps (the child's own and its reaped children's), as Linux's
 * cutime/cstime.  Children reaped automatically (SIGCHLD ignored) are not
 * counted, as on Linux.  A server (PROC_CTL_SERVER) shows its task's
 * time when its lister gave procmgr a handle to it.
 * Entry points: cpu_of, cpu_bank, cpu_reaped.
 */
#include "procmgr.h"

/* Time of task so far: [0] user, [1] kernel, in ns (0 when unreadable). */
static void
task_cpu(handle_t task, uint64_t out[2])
{
	out[0] = out[1] = 0;
	if (!task || ferry_sys_kernel_info_task(FERRY_INFO_TASK_USER_NS, task, &out[0]) ||
	    ferry_sys_kernel_info_task(FERRY_INFO_TASK_SYS_NS, task, &out[1]))
		out[0] = out[1] = 0;
}

void
cpu_of(const struct proc *p, uint64_t out[2])
{
	task_cpu(p->task, out);
	out[0] += p->cpu_ns[0];
	out[1] += p->cpu_ns[1];
}

void
cpu_bank(struct proc *p, handle_t old)
{
	uint64_t t[2];
	task_cpu(old, t);
	p->cpu_ns[0] += t[0];
	p->cpu_ns[1] += t[1];
}

void
cpu_reaped(const struct proc *c, uint64_t user, uint64_t sys)
{
	struct proc *parent = proc_by_pid(c->ppid);
	if (parent && parent->state == PROC_LIVE) {
		parent->ccpu_ns[0] += user;
		parent->ccpu_ns[1] += sys;
	}
}
