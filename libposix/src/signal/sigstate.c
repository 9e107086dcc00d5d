/* SPDX-License-Identifier: MIT */
/*
 * The signal state libposix keeps (dispositions for the process, a mask
 * per thread) and its mirror in procmgr, which decides delivery: a signal
 * it hands back ("deliver", with its siginfo) runs here, in the thread
 * that asked, on the way out of the system call that learned of it
 * (docs/procmgr.md "Signals").  Every request names the calling thread.
 *
 * procmgr's copy of a thread's mask can differ from ours for a while: a
 * handler runs with its signal (and sa_mask) added, and procmgr blocks a
 * signal itself when it hands it out (unless SA_NODEFER).
 * __ferry_sigmask_pm is what procmgr has; whenever ours blocks something
 * procmgr's does not, or a handler returns and ours unblocks what
 * procmgr's still blocks, one PROC_SIGSTATE sets it right, and delivers
 * what became pending meanwhile (a signal raised inside its own handler
 * runs right after it returns; queued signals one after the other).
 *
 * Lazy masks: procmgr's copy may also block less than ours, and then
 * sigprocmask does not tell it.  That is allowed only for signals that
 * have a handler, in a process with one thread (musl's libc.threaded):
 * procmgr never applies a default action to those, and the one thread
 * that could change their disposition tells procmgr its mask as it does
 * (every PROC_SIGSTATE carries it).  Such a signal arriving meanwhile
 * looks deliverable to procmgr, which interrupts the thread; its upcall
 * tells procmgr the real mask and nothing runs; the signal stays pending
 * in procmgr, whose copy now blocks it, so the unblocking sigprocmask
 * tells procmgr and runs it before returning.  Calls whose reply may hand
 * out a signal (kill) or that pass the mask on (exec) tell procmgr first
 * (__ferry_sig_tell).  So block + unblock of a handled signal, the common
 * critical section, costs no round trip (docs/signals.md "Masks").
 */
#define _GNU_SOURCE /* mcontext_t's gregs */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <ferry/syscall.h>
#include "pthread_impl.h"
#include "pm.h"

#define UNBLOCKABLE ((1ull << (SIGKILL - 1)) | (1ull << (SIGSTOP - 1)))

LP_HIDDEN struct ferry_sigaction __ferry_sigact[FERRY_NSIG];
LP_HIDDEN __thread uint64_t __ferry_sigmask;
LP_HIDDEN __thread uint64_t __ferry_sigmask_pm;
LP_HIDDEN __thread int __ferry_sig_known;
LP_HIDDEN __thread int __ferry_sig_norestart;
LP_HIDDEN __thread unsigned __ferry_sig_count;
LP_HIDDEN __thread struct ferry_upcall_frame *__ferry_upcall_cur;
LP_HIDDEN __thread int __ferry_sig_asking;
LP_HIDDEN __thread int __ferry_sig_again;
/* This image has learned what it inherited (mask, ignored signals). */
static int inherited;

int32_t
__ferry_sig_tid(void)
{
	return __pthread_self()->tid;
}

/* Signals whose handler has SA_NODEFER (procmgr does not block them on delivery). */
static uint64_t
nodefer_set(void)
{
	uint64_t m = 0;
	int s;

	for (s = 1; s < FERRY_NSIG; s++)
		if (__ferry_sigact[s].handler != SIG_DFL && __ferry_sigact[s].handler != SIG_IGN &&
		    (__ferry_sigact[s].flags & SA_NODEFER))
			m |= 1ull << (s - 1);
	return m;
}

/* Whether every signal of m has a handler and the process one thread, so
 * that blocking them may stay unknown to procmgr (see above). */
static int
lazy_ok(uint64_t m)
{
	if (libc.threaded)
		return !m;
	for (; m; m &= m - 1) {
		void (*h)(int) = __ferry_sigact[__builtin_ctzll(m) + 1].handler;
		if (h == SIG_DFL || h == SIG_IGN)
			return 0;
	}
	return 1;
}

int
__ferry_sig_must_tell(uint64_t m)
{
	uint64_t pm = __ferry_sigmask_pm;

	m &= ~UNBLOCKABLE;
	return !__ferry_sig_known || (pm & ~m) || !lazy_ok(m & ~pm);
}

void
__ferry_sig_tell(void)
{
	__ferry_sig_adopt();
	if (!__ferry_sig_known || (__ferry_sigmask & ~UNBLOCKABLE & ~__ferry_sigmask_pm))
		(void)__ferry_sig_sync(0, 0);
}

/* Whether procmgr must hear from us after a handler: it must know our
 * mask (__ferry_sig_must_tell), or something pending is no longer blocked. */
static int
settle_needed(uint64_t pending)
{
	uint64_t m = __ferry_sigmask & ~UNBLOCKABLE;

	return __ferry_sig_must_tell(m) || (pending & ~m);
}

/*
 * An exec keeps the mask and the ignored signals, which procmgr holds; the
 * first signal call of the new image (in its first thread) takes them
 * over, before it reads or changes either.  A forked child has its
 * parent's memory and so its knowledge.
 */
void
__ferry_sig_adopt(void)
{
	struct proc_sigstate_req req;
	struct proc_sig_rep rep;
	int s;

	if (inherited)
		return;
	inherited = 1;
	memset(&req, 0, sizeof req);
	memset(&rep, 0, sizeof rep);
	req.tid = __ferry_sig_tid(); /* how 0: nothing changes */
	if (__ferry_pm(PROC_SIGSTATE, &req, sizeof req, &rep, sizeof rep, 0, 0) < 0)
		return;
	__ferry_sigmask = __ferry_sigmask_pm = rep.blocked & ~UNBLOCKABLE;
	__ferry_sig_known = 1;
	for (s = 1; s < FERRY_NSIG; s++)
		if ((rep.ignored >> (s - 1) & 1) && __ferry_sigact[s].handler == SIG_DFL)
			__ferry_sigact[s].handler = SIG_IGN;
	if (rep.deliver) {
		__ferry_sig_run(rep.deliver, &rep.info);
		__ferry_sig_settle(rep.pending);
	}
}

/*
 * After a handler run by an upcall: procmgr learns the mask it returns to
 * by a one-way message, and the interrupted code resumes at once; what is
 * still pending interrupts it again, at its next return to user mode.  A
 * call here (which would hand out the next signal in its reply) lets the
 * scheduler run the sender meanwhile, and a process flooded with signals
 * by another would then run nothing but handlers (PROC162).  -1 when
 * procmgr's queue is full: the caller asks as usual.
 */
static int
tell_async(void)
{
	struct proc_sigstate_req req;
	struct ferry_msg m;

	memset(&req, 0, sizeof req);
	req.how = PROC_SIGSTATE_BLOCKED;
	req.tid = __ferry_sig_tid();
	req.blocked = __ferry_sigmask & ~UNBLOCKABLE;
	memset(&m, 0, sizeof m);
	m.op = PROC_SIGSTATE;
	m.len = sizeof req;
	memcpy(m.data, &req, sizeof req);
	if (!__ferry_proc.procmgr ||
	    ferry_sys_msg_send(__ferry_proc.procmgr, &m, FERRY_IPC_NONBLOCK) < 0)
		return -1;
	__ferry_sigmask_pm = req.blocked;
	return 0;
}

long
__ferry_sig_sync(uint32_t how, uint64_t *pending)
{
	struct proc_sigstate_req req;
	struct proc_sig_rep rep;
	long rc;
	int s;

	__ferry_sig_adopt();
	/*
	 * A loop, not a recursion: a thread flooded with signals runs one
	 * handler after the other at the same depth.  While it talks to
	 * procmgr here (__ferry_sig_asking), an interrupt does not start
	 * another delivery on top (upcall.c): it only says "ask again", and
	 * the loop does.  Handlers run outside that, so a signal they do not
	 * block still interrupts them.
	 */
	int outer = __ferry_sig_asking;
	for (;;) {
		__ferry_sig_asking = 1;
		__ferry_sig_again = 0;
		memset(&req, 0, sizeof req);
		req.how = how | PROC_SIGSTATE_BLOCKED; /* procmgr's mask is always made ours */
		req.tid = __ferry_sig_tid();
		for (s = 1; s < FERRY_NSIG; s++) {
			if (__ferry_sigact[s].handler == SIG_IGN)
				req.ignored |= 1ull << (s - 1);
			else if (__ferry_sigact[s].handler != SIG_DFL)
				req.handled |= 1ull << (s - 1);
		}
		req.blocked = __ferry_sigmask & ~UNBLOCKABLE;
		if (how & PROC_SIGSTATE_HANDLED) {
			req.how |= PROC_SIGSTATE_FLAGS;
			req.nodefer = nodefer_set();
			if (__ferry_sigact[SIGCHLD].flags & SA_NOCLDSTOP)
				req.flags |= PROC_SIGF_NOCLDSTOP;
			if (__ferry_sigact[SIGCHLD].flags & SA_NOCLDWAIT)
				req.flags |= PROC_SIGF_NOCLDWAIT;
		}
		memset(&rep, 0, sizeof rep);
		rc = __ferry_pm(PROC_SIGSTATE, &req, sizeof req, &rep, sizeof rep, 0, 0);
		if (rc == -EINTR)
			continue; /* broken while queued: applied, nothing handed out; ask again */
		__ferry_sig_asking = outer;
		if (rc < 0)
			return rc;
		__ferry_sigmask_pm = req.blocked;
		__ferry_sig_known = 1;
		if (pending) {
			*pending = rep.pending;
			pending = 0;
		}
		if (rep.deliver)
			__ferry_sig_run(rep.deliver, &rep.info);
		else if (!__ferry_sig_again)
			return 0;
		if (!__ferry_sig_again && !settle_needed(rep.pending))
			return 0;
		how = 0;
		if (rep.deliver && __ferry_upcall_cur && !__ferry_sig_again && tell_async() == 0)
			return 0;
	}
}

void
__ferry_sig_settle(uint64_t pending)
{
	if (__ferry_sig_again || settle_needed(pending))
		(void)__ferry_sig_sync(0, 0);
}

long
__ferry_sig_call(uint32_t op, const void *req, unsigned reqlen, void *rep, unsigned replen)
{
	int outer = __ferry_sig_asking;
	long rc;

	__ferry_sig_asking = 1;
	__ferry_sig_again = 0;
	rc = __ferry_pm(op, req, reqlen, rep, replen, 0, 0);
	__ferry_sig_asking = outer;
	return rc;
}

/* One handler call, as __ferry_call_on_stack passes it. */
struct call {
	void (*h)(int);
	unsigned long flags;
	siginfo_t *si;
	ucontext_t *uc;
	int sig;
};

static void
call_handler(void *arg)
{
	struct call *c = arg;

	if (c->flags & SA_SIGINFO)
		((void (*)(int, siginfo_t *, void *))c->h)(c->sig, c->si, c->uc);
	else
		c->h(c->sig);
}

/* The interrupted context of an upcall as a handler's mcontext, and back. */
static void
frame_to_mcontext(const struct ferry_upcall_frame *f, mcontext_t *m)
{
	const struct ferry_upcall_regs *r = &f->regs;

	m->gregs[REG_R8] = r->r8, m->gregs[REG_R9] = r->r9, m->gregs[REG_R10] = r->r10;
	m->gregs[REG_R11] = r->r11, m->gregs[REG_R12] = r->r12, m->gregs[REG_R13] = r->r13;
	m->gregs[REG_R14] = r->r14, m->gregs[REG_R15] = r->r15, m->gregs[REG_RDI] = r->rdi;
	m->gregs[REG_RSI] = r->rsi, m->gregs[REG_RBP] = r->rbp, m->gregs[REG_RBX] = r->rbx;
	m->gregs[REG_RDX] = r->rdx, m->gregs[REG_RAX] = r->rax, m->gregs[REG_RCX] = r->rcx;
	m->gregs[REG_RSP] = r->rsp, m->gregs[REG_RIP] = r->rip, m->gregs[REG_EFL] = r->rflags;
	if (f->flags & FERRY_UPCALL_F_FAULT) {
		/* As Linux: the vector, its error code, cr2 of a page fault
		 * (a page past a mapped file's end is one, for the CPU). */
		int pf = f->fault_vector == 14 || f->fault_vector == FERRY_FAULT_PAST_END;
		m->gregs[REG_TRAPNO] = pf ? 14 : f->fault_vector;
		m->gregs[REG_ERR] = (greg_t)f->fault_error;
		if (pf)
			m->gregs[REG_CR2] = (greg_t)f->fault_addr;
	}
}

static void
mcontext_to_frame(const mcontext_t *m, struct ferry_upcall_frame *f)
{
	struct ferry_upcall_regs *r = &f->regs;

	r->r8 = m->gregs[REG_R8], r->r9 = m->gregs[REG_R9], r->r10 = m->gregs[REG_R10];
	r->r11 = m->gregs[REG_R11], r->r12 = m->gregs[REG_R12], r->r13 = m->gregs[REG_R13];
	r->r14 = m->gregs[REG_R14], r->r15 = m->gregs[REG_R15], r->rdi = m->gregs[REG_RDI];
	r->rsi = m->gregs[REG_RSI], r->rbp = m->gregs[REG_RBP], r->rbx = m->gregs[REG_RBX];
	r->rdx = m->gregs[REG_RDX], r->rax = m->gregs[REG_RAX], r->rcx = m->gregs[REG_RCX];
	r->rsp = m->gregs[REG_RSP], r->rip = m->gregs[REG_RIP], r->rflags = m->gregs[REG_EFL];
}

static void run_handler(siginfo_t *si);

void
__ferry_sig_run(uint64_t deliver, const struct proc_siginfo *info)
{
	int s = info->sig;
	siginfo_t si;

	if (s < 1 || s >= FERRY_NSIG || deliver != 1ull << (s - 1))
		return; /* procmgr hands out one signal at a time */
	/* procmgr blocked it as it handed it out (sig_take). */
	if (!(nodefer_set() & deliver))
		__ferry_sigmask_pm |= deliver;
	memset(&si, 0, sizeof si);
	si.si_signo = s;
	si.si_code = info->code;
	si.si_pid = info->pid;
	si.si_uid = info->uid;
	si.si_value.sival_ptr = (void *)(uintptr_t)info->value;
	run_handler(&si);
}

void
__ferry_sig_run_fault(siginfo_t *si)
{
	if (si->si_signo >= 1 && si->si_signo < FERRY_NSIG)
		run_handler(si);
}

/* Runs si's signal's handler (if it has one) with the masks, flags and
 * stack of its sigaction; the interrupted context is __ferry_upcall_cur. */
static void
run_handler(siginfo_t *si)
{
	int s = si->si_signo;
	uint64_t deliver = 1ull << (s - 1);
	struct ferry_sigaction *a = &__ferry_sigact[s];
	void (*h)(int) = a->handler;
	unsigned long flags = a->flags;
	uint64_t saved = __ferry_sigmask;

	if (h == SIG_DFL || h == SIG_IGN)
		return;
	__ferry_sig_count++;
	if (!(flags & SA_RESTART))
		__ferry_sig_norestart = 1;
	__ferry_sigmask |= a->mask;
	if (!(flags & SA_NODEFER))
		__ferry_sigmask |= deliver;
	__ferry_sigmask &= ~UNBLOCKABLE;
	if (flags & SA_RESETHAND) {
		a->handler = SIG_DFL;
		a->flags &= ~SA_SIGINFO;
		(void)__ferry_sig_sync(PROC_SIGSTATE_HANDLED | PROC_SIGSTATE_IGNORED, 0);
	} else if (!lazy_ok(__ferry_sigmask & ~__ferry_sigmask_pm)) {
		/* sa_mask blocks more than procmgr knows: tell it first, so that
		 * it does not act on those signals inside the handler (handled
		 * ones may wait, as above). */
		(void)__ferry_sig_sync(0, 0);
	}
	/*
	 * The ucontext_t: the mask to restore (a handler may change it, as
	 * musl's cancellation handler does), the alternate stack, and, for a
	 * signal that interrupted the thread (the upcall), the interrupted
	 * registers, which the handler may change too.  A signal handed out
	 * in a reply has no interrupted context (registers 0).  A handler run
	 * inside this one sees no frame.
	 */
	struct ferry_upcall_frame *f = __ferry_upcall_cur;
	ucontext_t uc;
	memset(&uc, 0, sizeof uc);
	memcpy(&uc.uc_sigmask, &saved, sizeof saved);
	uc.uc_stack = __ferry_altstack;
	if (__ferry_on_altstack())
		uc.uc_stack.ss_flags = SS_ONSTACK;
	if (f) {
		frame_to_mcontext(f, &uc.uc_mcontext);
		/* The FPU state too (a SIGFPE handler may clear the flags). */
		memcpy(uc.__fpregs_mem, f->fpu, sizeof f->fpu);
		uc.uc_mcontext.fpregs = (fpregset_t)uc.__fpregs_mem;
	}
	__ferry_upcall_cur = 0;
	struct call c = {h, flags, si, &uc, s};
	if ((flags & SA_ONSTACK) && !(__ferry_altstack.ss_flags & SS_DISABLE) &&
	    !__ferry_on_altstack())
		__ferry_call_on_stack((char *)__ferry_altstack.ss_sp + __ferry_altstack.ss_size,
		                      call_handler, &c);
	else
		call_handler(&c);
	__ferry_upcall_cur = f;
	if (flags & SA_SIGINFO) {
		memcpy(&saved, &uc.uc_sigmask, sizeof saved);
		if (f) {
			mcontext_to_frame(&uc.uc_mcontext, f);
			if (uc.uc_mcontext.fpregs)
				memcpy(f->fpu, uc.uc_mcontext.fpregs, sizeof f->fpu);
		}
	}
	__ferry_sigmask = saved & ~UNBLOCKABLE;
}
