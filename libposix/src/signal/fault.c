/* SPDX-License-Identifier: MIT */
/*
 * CPU exceptions as signals (docs/signals.md "Faults").  The kernel sends
 * a thread that faults straight to the upcall entry with the fault in the
 * frame (FERRY_UPCALL_F_FAULT); here it becomes the signal Linux would
 * send (proc_fault_signal: SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP) for
 * that thread, with its siginfo, and the handler runs at once, on that
 * thread, with the faulting context as its ucontext.  Returning from the
 * handler resumes that context, re-executing the faulting instruction
 * unless the handler changed rip (or mapped the page); siglongjmp leaves.
 *
 * As Linux's force_sig: a signal that is blocked, ignored or default at
 * the fault ends the process, with the status procmgr gives a fault (the
 * signal and the core bit): upcall_return with FERRY_UPCALL_F_FATAL.  So
 * does a fault in this code itself before the handler is reached.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <ferry/proto/proc.h>
#include <ferry/syscall.h>
#include "pm.h"

#define RED_ZONE 128

/* Set from the fault's entry until its handler is called. */
static __thread int fault_busy;
/* The fault vectors the kernel sends to the alternate stack. */
static uint64_t onstack_vectors;

/*
 * After a sigaction: the kernel writes a fault's frame on the thread's
 * alternate stack (upcall_stack) only for the vectors whose signal has
 * an SA_ONSTACK handler, as Linux uses it only for those.
 */
void
__ferry_fault_onstack_sync(void)
{
	uint64_t m = 0;
	unsigned v;

	for (v = 0; v <= FERRY_FAULT_PAST_END; v++) {
		const struct ferry_sigaction *a = &__ferry_sigact[proc_fault_signal(v)];
		if (a->handler != SIG_DFL && a->handler != SIG_IGN && (a->flags & SA_ONSTACK))
			m |= 1ull << v;
	}
	if (m != onstack_vectors && __ferry_proc.procmgr &&
	    ferry_sys_upcall_set_onstack((uintptr_t)__ferry_upcall, m) == 0)
		onstack_vectors = m;
}

/* Ends the process as the fault would have without a handler; a frame
 * the kernel refuses (overwritten meanwhile) still ends it, as SIGSEGV. */
static __attribute__((noreturn)) void
fatal(struct ferry_upcall_frame *f)
{
	f->flags |= FERRY_UPCALL_F_FATAL;
	(void)ferry_syscall6(FERRY_SYS_upcall_return, (long)f, 0, 0, 0, 0, 0);
	for (;;)
		ferry_sys_task_exit(-(128 + 14));
}

/* si_code of an x87 (fsw, fcw) or SIMD (mxcsr) exception, as Linux. */
static int
fp_code(unsigned status, unsigned masks)
{
	unsigned e = status & ~masks & 0x3f;

	if (e & 0x01)
		return FPE_FLTINV;
	if (e & 0x04)
		return FPE_FLTDIV;
	if (e & 0x08)
		return FPE_FLTOVF;
	if (e & 0x12)
		return FPE_FLTUND;
	if (e & 0x20)
		return FPE_FLTRES;
	return 0;
}

static void
fault_info(const struct ferry_upcall_frame *f, siginfo_t *si)
{
	uint16_t fcw, fsw;
	uint32_t mxcsr;

	memset(si, 0, sizeof *si);
	si->si_signo = proc_fault_signal(f->fault_vector);
	si->si_addr = (void *)(uintptr_t)f->fault_addr;
	switch (f->fault_vector) {
	case 0:
		si->si_code = FPE_INTDIV;
		break;
	case 1:
		si->si_code = TRAP_TRACE;
		break;
	case 3:
		si->si_code = TRAP_BRKPT;
		break;
	case 6:
		si->si_code = ILL_ILLOPN;
		break;
	case 14:
		/* As Linux: ACCERR when a mapping refused the access (even a
		 * page not yet touched), MAPERR where nothing is mapped. */
		si->si_code = (f->flags & FERRY_UPCALL_F_MAPPED) ? SEGV_ACCERR : SEGV_MAPERR;
		break;
	case 16:
		memcpy(&fcw, f->fpu, sizeof fcw);
		memcpy(&fsw, f->fpu + 2, sizeof fsw);
		si->si_code = fp_code(fsw, fcw & 0x3f);
		break;
	case 17:
		si->si_code = BUS_ADRALN;
		break;
	case FERRY_FAULT_PAST_END: /* a page past the end of a mapped file */
		si->si_code = BUS_ADRERR;
		break;
	case 19:
		memcpy(&mxcsr, f->fpu + 24, sizeof mxcsr);
		si->si_code = fp_code(mxcsr, (mxcsr >> 7) & 0x3f);
		break;
	default: /* general protection, stack fault: the kernel's, as Linux */
		si->si_code = SI_KERNEL;
		break;
	}
}

/* Runs the handler with f as the interrupted context, then resumes it. */
static __attribute__((noreturn)) void
deliver(void *arg)
{
	struct ferry_upcall_frame *f = arg;
	struct ferry_upcall_frame *outer = __ferry_upcall_cur;
	int saved = errno, asking = __ferry_sig_asking, norestart = __ferry_sig_norestart;
	siginfo_t si;

	fault_info(f, &si);
	fault_busy = 0;
	/* A fault while talking to procmgr (a handler's own call) is still
	 * this thread's: its handler runs as for any other code. */
	__ferry_sig_asking = 0;
	__ferry_upcall_cur = f;
	__ferry_sig_run_fault(&si);
	/* Its mask is back: procmgr hears of it, and delivers what is pending
	 * (an interrupt that came with the fault, f->bits, among them). */
	if (asking)
		__ferry_sig_again = 1;
	else
		(void)__ferry_sig_sync(0, 0);
	__ferry_upcall_cur = outer;
	__ferry_sig_asking = asking;
	/* Whether an interrupted call restarts is its own signal's business. */
	__ferry_sig_norestart = norestart;
	errno = saved;
	ferry_sys_upcall_return(f);
}

static int
on_altstack(uint64_t sp)
{
	const stack_t *a = &__ferry_altstack;

	return !(a->ss_flags & SS_DISABLE) && sp - (uintptr_t)a->ss_sp <= a->ss_size;
}

void
__ferry_sig_fault(struct ferry_upcall_frame *f)
{
	int sig = proc_fault_signal(f->fault_vector);
	const struct ferry_sigaction *a = &__ferry_sigact[sig];

	if (fault_busy)
		fatal(f); /* this code faulted: nothing can be run */
	fault_busy = 1;
	__ferry_sig_adopt();
	if (a->handler == SIG_DFL || a->handler == SIG_IGN || (__ferry_sigmask >> (sig - 1) & 1))
		fatal(f);
	/*
	 * The kernel writes a fault's frame on the alternate stack when the
	 * thread has one and the handler has SA_ONSTACK (so that a stack
	 * overflow can be caught), or when the faulting stack has no room.
	 * A handler without SA_ONSTACK (changed meanwhile, or that second
	 * case) runs on the faulting stack, as on Linux: the frame moves
	 * there first, leaving the alternate stack free.  If the faulting
	 * stack has no room, that copy faults: fatal (SIGSEGV).
	 */
	if ((f->flags & FERRY_UPCALL_F_ONSTACK) && !(a->flags & SA_ONSTACK) &&
	    !on_altstack(f->regs.rsp)) {
		struct ferry_upcall_frame *n =
		        (void *)((f->regs.rsp - RED_ZONE - sizeof *f) & ~(uint64_t)63);
		memcpy(n, f, sizeof *f);
		n->flags &= ~FERRY_UPCALL_F_ONSTACK;
		__ferry_call_on_stack(n, deliver, n);
	}
	deliver(f);
}
