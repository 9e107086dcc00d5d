// SPDX-License-Identifier: MIT
/*
 * CPU time of processes: the kernel knows each task's run time exactly
 * (FERRY_INFO_TASK_CPU_NS: the TSC charged at each switch) and samples
 * the user/kernel split at the 1 ms tick (FERRY_INFO_TASK_USER_NS /
 * _SYS_NS).  A task's user and system times are its exact run time split
 * in the sampled proportion, as Linux does (the tick may be late or lost
 * under a loaded emulator, so the sampled figures alone run slow).  A
 * process is
 * a chain of tasks (exec replaces the task), so procmgr banks an image's
 * time when exec ends it; and a parent collects the time of each child
 * it reaps (the child's own and its reaped children's), as Linux's
 * cutime/cstime.  Children reaped automatically (SIGCHLD ignored) are not
 * counted, as on Linux.  A server (PROC_CTL_SERVER) shows its task's
 * time when its lister gave procmgr a handle to it.
 * Entry points: cpu_of, cpu_bank, cpu_reaped, cpu_clock.
 */
#include "procmgr.h"

/* Time of task so far: [0] user, [1] kernel, in ns (0 when unreadable). */
static void
task_cpu(handle_t task, uint64_t out[2])
{
	uint64_t run, u, s;
	out[0] = out[1] = 0;
	if (!task || ferry_sys_kernel_info_task(FERRY_INFO_TASK_CPU_NS, task, &run) ||
	    ferry_sys_kernel_info_task(FERRY_INFO_TASK_USER_NS, task, &u) ||
	    ferry_sys_kernel_info_task(FERRY_INFO_TASK_SYS_NS, task, &s))
		return;
	/* run * u / (u + s) in whole ticks (ms), which cannot overflow for
	 * thousands of years of CPU time. */
	u /= 1000000;
	s /= 1000000;
	if (u + s == 0) {
		out[0] = run;
		return;
	}
	out[0] = run / (u + s) * u + run % (u + s) * u / (u + s);
	out[1] = run - out[0];
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

/*
 * The value of CPU clock `clock` of p in *ns: PROC_CLOCK_PROCESS_CPU (all
 * its threads since fork, exact: the kernel charges the TSC at each
 * switch), PROC_CLOCK_THREAD_CPU (thread tid of its current image, likewise),
 * CPU_CLOCK_VIRTUAL (user time, all images) or CPU_CLOCK_PROF (user +
 * system).  -FERRY_EINVAL: no such clock (a server, a bad clock, a thread
 * that is not p's or has ended).
 */
int
cpu_clock(const struct proc *p, int clock, int32_t tid, uint64_t *ns)
{
	uint64_t t[2];
	if (p->state != PROC_LIVE || !p->task)
		return -FERRY_EINVAL;
	switch (clock) {
	case PROC_CLOCK_PROCESS_CPU:
		if (ferry_sys_kernel_info_task(FERRY_INFO_TASK_CPU_NS, p->task, ns))
			return -FERRY_EINVAL;
		*ns += p->cpu_ns[0] + p->cpu_ns[1]; /* the earlier images' */
		return 0;
	case PROC_CLOCK_THREAD_CPU:
		if (tid <= 0 || ferry_sys_kernel_info_thread(FERRY_INFO_THREAD_CPU_NS, p->task,
		                                             (uint32_t)tid, ns))
			return -FERRY_EINVAL;
		return 0;
	case CPU_CLOCK_VIRTUAL:
	case CPU_CLOCK_PROF:
		cpu_of(p, t);
		*ns = clock == CPU_CLOCK_VIRTUAL ? t[0] : t[0] + t[1];
		return 0;
	}
	return -FERRY_EINVAL;
}
