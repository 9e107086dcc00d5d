/* SPDX-License-Identifier: MIT */
/*
 * The upcall entry: where the kernel sends a thread that procmgr
 * interrupted (task_interrupt) because a handled signal became pending
 * while the thread was busy elsewhere (blocked in another server, or
 * computing), and a thread that faulted (fault.c).  It asks procmgr what to deliver, runs the handlers, and
 * resumes the interrupted context.  A system call that the interrupt
 * broke returns EINTR (docs/signals.md); __ferry_intr tells
 * __ferry_syscall whether the POSIX call it was part of may be restarted
 * (SA_RESTART, docs/procmgr.md "SA_RESTART").
 */
#include <errno.h>
#include <ferry/syscall.h>
#include "pm.h"

/* Entered as if called, with rdi = the frame the kernel wrote on our stack. */
LP_HIDDEN __attribute__((noreturn)) void
__ferry_upcall(struct ferry_upcall_frame *f)
{
	int saved = errno;
	struct ferry_upcall_frame *outer = __ferry_upcall_cur;

	if (f->flags & FERRY_UPCALL_F_FAULT)
		__ferry_sig_fault(f); /* the thread's own fault: now, whatever it was doing */
	if (__ferry_sig_asking) {
		/* Interrupted while asking procmgr already: that loop asks again
		 * (a call broken here returns EINTR and is repeated). */
		__ferry_sig_again = 1;
		ferry_sys_upcall_return(f);
	}
	__ferry_sig_norestart = 0;
	__ferry_upcall_cur = f;       /* SA_SIGINFO handlers see (and may change) this context */
	(void)__ferry_sig_sync(0, 0); /* runs what procmgr hands back */
	__ferry_upcall_cur = outer;
	__ferry_intr = __ferry_sig_norestart ? FERRY_INTR_NORESTART : FERRY_INTR_RESTART;
	errno = saved;
	ferry_sys_upcall_return(f);
}
