/* SPDX-License-Identifier: MIT */
/*
 * libposix's side of the process manager (protocol "proc",
 * include/ferry/proto/proc.h; docs/procmgr.md): the call helper, the
 * cached pid, the inherited descriptor table, and the signal state kept
 * here (dispositions, mask) and mirrored to procmgr.  Hidden.
 */
#ifndef LIBPOSIX_PM_H
#define LIBPOSIX_PM_H

#include <signal.h>
#include <ferry/proto/proc.h>
#include "libposix.h"

/* One call to procmgr through our process port; -ENOSYS without one. */
LP_HIDDEN long __ferry_pm(uint32_t op, const void *req, unsigned reqlen, void *rep, unsigned replen,
                          handle_t hin, handle_t *hout);
/* thread/tkill.c's hook: a signal to one of our threads (process/kill.c). */
LP_HIDDEN long __ferry_thread_signal(long tid, long sig);

/* The file mode creation mask (stat/umask.c); weak so that this layer
 * links without it. */
extern LP_HIDDEN unsigned __ferry_umask __attribute__((__weak__));

/* Our identity from procmgr (ids.c). */
LP_HIDDEN long __ferry_pm_ids(struct proc_ids_rep *r);

/* The pid, cached once known (fork's child sets it); 0 = ask. */
extern LP_HIDDEN int __ferry_pid;

/* Installs the descriptors an exec passed in AT_FERRY_FDTAB (init.c calls it). */
LP_HIDDEN void __ferry_fdtab_apply(void);

/* Job control (process/jobctl.c): the cached process group (0 unknown);
 * what to do on TTY_BACKGROUND: 0 retry, 1 go on unchecked (write), or
 * a negative errno. */
LP_HIDDEN int32_t __ferry_pgrp_cached(void);
LP_HIDDEN void __ferry_pgrp_forget(void);
LP_HIDDEN long __ferry_tty_background(int write);
long __ferry_sys_kill(long pid, long sig, long c, long d, long e, long f);

/* The controlling terminal (internal/ctty.c).  __ferry_ctty: one PROC_CTTY
 * call.  __ferry_tty_rdev: the device number of the terminal on port
 * (-ENOTTY for anything else).  __ferry_ctty_opened: port (rdev) was opened
 * without O_NOCTTY: a session leader without a terminal takes it.
 * __ferry_ctty_ioctl: TIOCSCTTY, TIOCNOTTY, TIOCGSID (*out) on port. */
LP_HIDDEN long __ferry_ctty(uint32_t cmd, uint32_t rdev, int32_t arg, struct proc_ctty_rep *rep);
LP_HIDDEN long __ferry_tty_rdev(handle_t port, uint32_t *rdev);
LP_HIDDEN void __ferry_ctty_opened(handle_t port, uint32_t rdev);
LP_HIDDEN long __ferry_ctty_ioctl(handle_t port, long req, long arg, int *out);

/* Signal state (signal/sigstate.c).  Bit (sig - 1) of a mask is sig. */
struct ferry_sigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	uint64_t mask;
};
#define FERRY_NSIG 65
extern LP_HIDDEN struct ferry_sigaction __ferry_sigact[FERRY_NSIG];
/* The calling thread's mask, and what procmgr has for it (sigstate.c). */
extern LP_HIDDEN __thread uint64_t __ferry_sigmask;
extern LP_HIDDEN __thread uint64_t __ferry_sigmask_pm;
/* procmgr knows this thread's state (set by each PROC_SIGSTATE; a new
 * thread, or the child of fork, tells it at its first sigprocmask). */
extern LP_HIDDEN __thread int __ferry_sig_known;
/* Takes over what an exec kept (mask, ignored signals) from procmgr, once
 * per image, before the first signal call reads or changes them. */
LP_HIDDEN void __ferry_sig_adopt(void);
/* The upcall frame whose handlers run now on this thread (upcall.c), or 0. */
struct ferry_upcall_frame;
extern LP_HIDDEN __thread struct ferry_upcall_frame *__ferry_upcall_cur;
/* This thread is in __ferry_sig_sync's talk with procmgr; an interrupt
 * meanwhile only sets __ferry_sig_again (upcall.c). */
extern LP_HIDDEN __thread int __ferry_sig_asking;
extern LP_HIDDEN __thread int __ferry_sig_again;
/* The calling thread's id as musl keeps it (what procmgr's requests carry). */
LP_HIDDEN int32_t __ferry_sig_tid(void);
/* Tells procmgr the parts of our state in how (PROC_SIGSTATE_*) and
 * always the thread's mask, then runs what it delivers. */
LP_HIDDEN long __ferry_sig_sync(uint32_t how, uint64_t *pending);
/* Runs the handler of the one signal in deliver (handed out by procmgr,
 * which blocked it) with its siginfo; sets __ferry_sig_norestart when it
 * lacks SA_RESTART.  The caller then restores its mask and calls
 * __ferry_sig_settle with the reply's pending set. */
LP_HIDDEN void __ferry_sig_run(uint64_t deliver, const struct proc_siginfo *info);
/* Whether procmgr must hear of mask m (the calling thread's) now: it does
 * not know this thread yet, its copy blocks what m does not (a pending
 * signal may be waiting for that), or m blocks more than its copy and the
 * difference is not one this thread may keep to itself (sigstate.c,
 * "Lazy masks"). */
LP_HIDDEN int __ferry_sig_must_tell(uint64_t m);
/* Makes procmgr's copy of the mask block at least what ours does, before
 * a call whose reply may hand out a signal (kill) or that passes the mask
 * on (exec). */
LP_HIDDEN void __ferry_sig_tell(void);
/* Gives procmgr our mask if its copy differs, or asks again when more is
 * pending and unblocked or an interrupt came during the last call
 * (delivering it). */
LP_HIDDEN void __ferry_sig_settle(uint64_t pending);
/* A call to procmgr whose reply may hand this thread a signal: an
 * interrupt that arrives meanwhile waits for that signal's handler
 * (__ferry_sig_again, honoured by __ferry_sig_settle), so signals run in
 * the order procmgr hands them out. */
LP_HIDDEN long __ferry_sig_call(uint32_t op, const void *req, unsigned reqlen, void *rep,
                                unsigned replen);
extern LP_HIDDEN __thread int __ferry_sig_norestart;
/* Counts the handlers this thread ran: a blocking call that sees it move
 * while it works returns EINTR (select, poll, sigtimedwait). */
extern LP_HIDDEN __thread unsigned __ferry_sig_count;
/* The calling thread's alternate signal stack (altstack.c), whether
 * it runs on it now, and a call of fn(arg) on the stack ending at top. */
extern LP_HIDDEN __thread stack_t __ferry_altstack;
LP_HIDDEN int __ferry_on_altstack(void);
LP_HIDDEN void __ferry_call_on_stack(void *top, void (*fn)(void *), void *arg);
/* The task's upcall entry (signal/upcall.c), registered at start-up. */
struct ferry_upcall_frame;
LP_HIDDEN __attribute__((noreturn)) void __ferry_upcall(struct ferry_upcall_frame *f);

/* *u zeroed but for the user and system CPU times (process/times.c). */
struct rusage;
LP_HIDDEN void __ferry_rusage_fill(struct rusage *u, uint64_t utime_ns, uint64_t stime_ns);

#endif
