/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <ferry/syscall.h>
#include "pm.h"

/*
 * rt_sigtimedwait(set, info, timeout, setsize): PROC_SIGWAIT takes a
 * signal of set pending for this thread (its own or the process's), with
 * its siginfo (sender, si_code, sigqueue's value).  procmgr blocks only without a timeout; with one,
 * we poll every millisecond until it expires (-EAGAIN).
 */
long
__ferry_sys_rt_sigtimedwait(long set, long info, long ts, long size, long e, long f)
{
	struct proc_sigwait_req req = {0, FERRY_TIME_INFINITE, 0, __ferry_sig_tid()};
	struct proc_sigwait_rep rep;
	const struct timespec *t = (const struct timespec *)ts;
	uint64_t now = 0, deadline = 0;
	long rc;

	(void)e, (void)f;
	if (size != 8)
		return -EINVAL;
	req.mask = *(const uint64_t *)set;
	__ferry_sig_adopt();
	if (t) {
		if (t->tv_sec < 0 || t->tv_nsec < 0 || t->tv_nsec >= 1000000000)
			return -EINVAL;
		(void)ferry_sys_clock_get(FERRY_CLOCK_MONOTONIC, &now);
		deadline = now + (uint64_t)t->tv_sec * 1000000000u + (uint64_t)t->tv_nsec;
		req.timeout_ns = 0;
	}
	for (unsigned handlers = __ferry_sig_count;;) {
		rc = __ferry_pm(PROC_SIGWAIT, &req, sizeof req, &rep, sizeof rep, 0, 0);
		if (rc != -EAGAIN || !t)
			break;
		if (__ferry_sig_count != handlers)
			return -EINTR; /* a signal outside the set was handled */
		(void)ferry_sys_clock_get(FERRY_CLOCK_MONOTONIC, &now);
		if (now >= deadline)
			break;
		(void)ferry_sys_thread_sleep(1000000);
	}
	if (rc < 0)
		return rc;
	if (info) {
		siginfo_t *si = (siginfo_t *)info;
		memset(si, 0, sizeof *si);
		si->si_signo = rep.info.sig;
		si->si_code = rep.info.code;
		si->si_pid = rep.info.pid;
		si->si_uid = rep.info.uid;
		si->si_value.sival_ptr = (void *)(uintptr_t)rep.info.value;
	}
	return rep.info.sig;
}
