// SPDX-License-Identifier: MIT
/*
 * The procsig suite (cmd=/bin/proc/sigtests): signal delivery through the
 * whole personality (procmgr, libposix, posixsrv's pipes): a signal raised
 * inside its own handler, calls broken by signals (select, poll, pselect,
 * ppoll), sigaltstack, sigqueue and queued real-time signals, signals and
 * threads.  Each test prints PASS/FAIL with its PROC0NN ID, then the
 * summary and SUITE-END procsig; the exit status is the number of
 * failures.  argv[1], if given, selects the tests whose ID starts with it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "../pxcheck.h"

static void
msleep(int ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static long
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
handle(int sig, void (*fn)(int), int flags, const sigset_t *mask)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	if (mask)
		sa.sa_mask = *mask;
	sigaction(sig, &sa, NULL);
}

static int
is_pending(int sig)
{
	sigset_t p;
	sigemptyset(&p);
	return sigpending(&p) == 0 && sigismember(&p, sig) == 1;
}

/* Forks a child running fn(arg); its exit status is fn's result. */
static pid_t
child(int (*fn)(int), int arg)
{
	fflush(stdout);
	pid_t p = fork();
	if (p == 0)
		_exit(fn(arg));
	return p;
}

static int
child_ok(pid_t c, const char *what)
{
	int st = -1;
	if (waitpid(c, &st, 0) != c)
		return 0;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 1;
	printf("  %s: child status %#x\n", what, st);
	return 0;
}

/* ---- PROC094, PROC095: a signal raised or sent while its own handler runs ---- */

static volatile sig_atomic_t depth, max_depth, calls, order[8], norder, pend_inside;

static void
on_nested(int s)
{
	calls++;
	if (++depth > max_depth)
		max_depth = depth;
	if (norder < 8)
		order[norder++] = s;
	if (calls == 1) {
		raise(s); /* blocked while we run: pending until we return */
		pend_inside = is_pending(s);
	}
	depth--;
}

static void
on_record(int s)
{
	if (norder < 8)
		order[norder++] = s;
}

static void
on_masked(int s)
{
	on_record(s);
	raise(SIGUSR1);
	pend_inside = is_pending(SIGUSR1) && norder == 1;
}

static void
t_raise_in_handler(void)
{
	depth = max_depth = calls = norder = pend_inside = 0;
	handle(SIGABRT, on_nested, 0, NULL);
	CHECK(raise(SIGABRT) == 0);
	/* The second delivery happens when the first handler returns, before raise does. */
	CHECK(calls == 2);
	CHECK(max_depth == 1);
	CHECK(pend_inside == 1);
	CHECK(!is_pending(SIGABRT));
	/* SA_NODEFER: the raise inside the handler runs it at once, nested. */
	depth = max_depth = calls = norder = pend_inside = 0;
	handle(SIGUSR2, on_nested, SA_NODEFER, NULL);
	CHECK(raise(SIGUSR2) == 0);
	CHECK(calls == 2 && max_depth == 2 && pend_inside == 0);
	/* sa_mask: SIGUSR1 raised in SIGUSR2's handler waits until it returns,
	 * and the mask is the caller's again afterwards. */
	sigset_t m, cur;
	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	norder = pend_inside = 0;
	handle(SIGUSR1, on_record, 0, NULL);
	handle(SIGUSR2, on_masked, 0, &m);
	CHECK(raise(SIGUSR2) == 0);
	CHECK(norder == 2 && order[0] == SIGUSR2 && order[1] == SIGUSR1);
	CHECK(pend_inside == 1);
	CHECK(sigprocmask(SIG_SETMASK, NULL, &cur) == 0);
	CHECK(!sigismember(&cur, SIGUSR1) && !sigismember(&cur, SIGUSR2));
	handle(SIGABRT, SIG_DFL, 0, NULL);
	handle(SIGUSR1, SIG_DFL, 0, NULL);
	handle(SIGUSR2, SIG_DFL, 0, NULL);
}

static volatile sig_atomic_t in_handler;
static int ready_fd = -1;

static void
on_slow(int s)
{
	(void)s;
	calls++;
	if (in_handler)
		max_depth = 2; /* entered again while running: must not happen */
	in_handler = 1;
	if (calls == 1) {
		char c = 'x';
		(void)!write(ready_fd, &c, 1); /* the child sends the second one now */
		msleep(300);
	}
	in_handler = 0;
}

static int
send_back(int fd)
{
	char c;
	if (read(fd, &c, 1) != 1)
		return 1;
	return kill(getppid(), SIGUSR1) == 0 ? 0 : 2;
}

static void
t_kill_in_handler(void)
{
	int p[2];
	CHECK(pipe(p) == 0);
	calls = max_depth = in_handler = 0;
	ready_fd = p[1];
	handle(SIGUSR1, on_slow, 0, NULL);
	pid_t c = child(send_back, p[0]);
	CHECK(raise(SIGUSR1) == 0);
	long end = now_ms() + 5000;
	while (calls < 2 && now_ms() < end)
		msleep(10);
	CHECK(calls == 2);
	CHECK(max_depth == 0);
	CHECK(child_ok(c, "sender"));
	handle(SIGUSR1, SIG_DFL, 0, NULL);
	close(p[0]);
	close(p[1]);
}

/* ---- PROC096, PROC074: blocking calls broken by a signal ---- */

static volatile sig_atomic_t hits;
static void
on_hit(int s)
{
	(void)s;
	hits++;
}

enum { W_SELECT, W_SELECT_FD, W_POLL, W_PSELECT, W_PPOLL, W_NANOSLEEP, W_COUNT };

/* Child: blocks in call kind for up to 5 s with a handler (SA_RESTART:
 * select and poll are still not restarted); 0 if it returned EINTR. */
static int
waiter(int kind)
{
	int p[2];
	if (pipe(p))
		return 9;
	handle(SIGUSR1, on_hit, SA_RESTART, NULL);
	struct timeval tv = {5, 0};
	struct timespec ts = {5, 0};
	struct pollfd pf = {p[0], POLLIN, 0};
	sigset_t none;
	sigemptyset(&none);
	fd_set r;
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	long t0 = now_ms();
	int rc;
	switch (kind) {
	case W_SELECT:
		rc = select(0, NULL, NULL, NULL, &tv);
		break;
	case W_SELECT_FD:
		rc = select(p[0] + 1, &r, NULL, NULL, &tv);
		break;
	case W_POLL:
		rc = poll(&pf, 1, 5000);
		break;
	case W_PSELECT:
		rc = pselect(p[0] + 1, &r, NULL, NULL, &ts, &none);
		break;
	case W_PPOLL:
		rc = ppoll(&pf, 1, &ts, &none);
		break;
	default:
		rc = nanosleep(&ts, NULL);
		break;
	}
	if (rc != -1 || errno != EINTR)
		return 1;
	if (hits != 1)
		return 2;
	return now_ms() - t0 < 4000 ? 0 : 3;
}

static void
t_wait_eintr(void)
{
	for (int k = 0; k < W_COUNT; k++) {
		pid_t c = child(waiter, k);
		msleep(200);
		CHECK(kill(c, SIGUSR1) == 0);
		if (!child_ok(c, "waiter")) {
			printf("  call kind %d\n", k);
			cur_failed = 1;
		}
	}
}

/* pselect/ppoll: a signal pending and blocked before the call, unblocked by
 * the call's mask, is handled and breaks the call at once (even with a zero
 * timeout); the caller's mask is back afterwards. */
static void
t_pselect_pending(void)
{
	sigset_t block, none, cur;
	struct timespec ts = {5, 0}, zero = {0, 0};
	int p[2];
	CHECK(pipe(p) == 0);
	struct pollfd pf = {p[0], POLLIN, 0};
	fd_set r;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigemptyset(&none);
	handle(SIGUSR1, on_hit, 0, NULL);
	for (int k = 0; k < 4; k++) {
		hits = 0;
		CHECK(sigprocmask(SIG_BLOCK, &block, NULL) == 0);
		CHECK(raise(SIGUSR1) == 0);
		CHECK(hits == 0 && is_pending(SIGUSR1));
		FD_ZERO(&r);
		FD_SET(p[0], &r);
		long t0 = now_ms();
		int rc = k == 0   ? pselect(p[0] + 1, &r, NULL, NULL, &ts, &none)
		         : k == 1 ? ppoll(&pf, 1, &ts, &none)
		         : k == 2 ? pselect(p[0] + 1, &r, NULL, NULL, &zero, &none)
		                  : ppoll(&pf, 1, &zero, &none);
		CHECK(rc == -1 && errno == EINTR);
		CHECK(hits == 1);
		CHECK(now_ms() - t0 < 3000);
		CHECK(sigprocmask(SIG_SETMASK, NULL, &cur) == 0 && sigismember(&cur, SIGUSR1));
		CHECK(sigprocmask(SIG_UNBLOCK, &block, NULL) == 0);
	}
	/* Not broken by a signal: the timeout and readiness still work. */
	struct timeval tv = {0, 20000};
	CHECK(select(0, NULL, NULL, NULL, &tv) == 0);
	CHECK(write(p[1], "x", 1) == 1);
	CHECK(poll(&pf, 1, 1000) == 1 && (pf.revents & POLLIN));
	handle(SIGUSR1, SIG_DFL, 0, NULL);
	close(p[0]);
	close(p[1]);
}

/* ---- PROC075: sigaltstack ---- */

static char *alt_base;
static size_t alt_size;
static volatile sig_atomic_t on_alt, alt_flags, alt_same, alt_eperm;

static void
on_altcheck(int s)
{
	char probe;
	stack_t o, n;
	(void)s;
	hits++;
	on_alt = &probe >= alt_base && &probe < alt_base + alt_size;
	memset(&o, 0, sizeof o);
	if (sigaltstack(NULL, &o) == 0) {
		alt_flags = o.ss_flags;
		alt_same = o.ss_sp == alt_base && o.ss_size == alt_size;
	}
	n.ss_sp = alt_base;
	n.ss_size = alt_size;
	n.ss_flags = 0;
	alt_eperm = sigaltstack(&n, NULL) == -1 && errno == EPERM;
}

/* Child: computes without system calls until the handler ran on the alt stack. */
static int
alt_spinner(int arg)
{
	(void)arg;
	hits = 0;
	long end = now_ms() + 5000;
	while (!hits && now_ms() < end)
		;
	return hits == 1 && on_alt && alt_flags == SS_ONSTACK && alt_same ? 0 : 1;
}

static void
t_altstack(void)
{
	stack_t o, n;
	memset(&o, 0x55, sizeof o);
	CHECK(sigaltstack(NULL, &o) == 0 && o.ss_flags == SS_DISABLE);
	alt_size = SIGSTKSZ;
	alt_base = malloc(alt_size);
	n.ss_sp = alt_base;
	n.ss_flags = 0;
	n.ss_size = MINSIGSTKSZ - 1;
	errno = 0;
	CHECK(sigaltstack(&n, NULL) == -1 && errno == ENOMEM);
	n.ss_size = alt_size;
	n.ss_flags = 0x10;
	errno = 0;
	CHECK(sigaltstack(&n, NULL) == -1 && errno == EINVAL);
	CHECK(sigaltstack(NULL, &o) == 0 && o.ss_flags == SS_DISABLE); /* unchanged */
	n.ss_flags = 0;
	CHECK(sigaltstack(&n, &o) == 0 && o.ss_flags == SS_DISABLE);
	CHECK(sigaltstack(NULL, &o) == 0 && o.ss_flags == 0 && o.ss_sp == alt_base &&
	      o.ss_size == alt_size);
	/* SA_ONSTACK: on it, SS_ONSTACK reported, EPERM to change it there. */
	hits = on_alt = alt_flags = alt_same = alt_eperm = 0;
	handle(SIGUSR1, on_altcheck, SA_ONSTACK, NULL);
	CHECK(raise(SIGUSR1) == 0);
	CHECK(hits == 1 && on_alt && alt_flags == SS_ONSTACK && alt_same && alt_eperm);
	CHECK(sigaltstack(NULL, &o) == 0 && o.ss_flags == 0);
	/* Without SA_ONSTACK: the ordinary stack, the alt stack reported unused. */
	hits = 0;
	handle(SIGUSR2, on_altcheck, 0, NULL);
	CHECK(raise(SIGUSR2) == 0);
	CHECK(hits == 1 && !on_alt && alt_flags == 0 && alt_same && !alt_eperm);
	/* Delivered by an interrupt to a process computing: still on it (the
	 * child inherits the alt stack across fork). */
	pid_t c = child(alt_spinner, 0);
	msleep(100);
	CHECK(kill(c, SIGUSR1) == 0);
	CHECK(child_ok(c, "alt spinner"));
	/* SS_DISABLE: SA_ONSTACK handlers run on the ordinary stack again. */
	n.ss_flags = SS_DISABLE;
	CHECK(sigaltstack(&n, NULL) == 0);
	CHECK(sigaltstack(NULL, &o) == 0 && o.ss_flags == SS_DISABLE);
	hits = 0;
	CHECK(raise(SIGUSR1) == 0);
	CHECK(hits == 1 && !on_alt && alt_flags == SS_DISABLE);
	handle(SIGUSR1, SIG_DFL, 0, NULL);
	handle(SIGUSR2, SIG_DFL, 0, NULL);
	free(alt_base);
}

/* ---- PROC076..079: sigqueue, queued real-time signals, siginfo ---- */

#define NREC 16
static volatile sig_atomic_t nrec;
static struct {
	int sig, code, value;
	pid_t pid;
	uid_t uid;
} rec[NREC];

static void
on_info(int s, siginfo_t *si, void *uc)
{
	(void)uc;
	if (nrec < NREC) {
		rec[nrec].sig = s;
		rec[nrec].code = si->si_code;
		rec[nrec].value = si->si_value.sival_int;
		rec[nrec].pid = si->si_pid;
		rec[nrec].uid = si->si_uid;
	}
	nrec++;
}

static void
handle_info(int sig)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_info;
	sa.sa_flags = SA_SIGINFO;
	sigaction(sig, &sa, NULL);
}

static int
queue_to_parent(int v)
{
	union sigval val = {.sival_int = v};
	return sigqueue(getppid(), SIGRTMIN + 1, val) == 0 ? 0 : 1;
}

static void
t_sigqueue(void)
{
	sigset_t b;
	union sigval v = {.sival_int = 42};
	sigemptyset(&b);
	sigaddset(&b, SIGRTMIN);
	sigaddset(&b, SIGRTMIN + 1);
	nrec = 0;
	handle_info(SIGRTMIN);
	handle_info(SIGUSR1);
	/* To ourselves, delivered at once: si_code SI_QUEUE, the value, our ids. */
	CHECK(sigqueue(getpid(), SIGRTMIN, v) == 0);
	CHECK(nrec == 1 && rec[0].sig == SIGRTMIN && rec[0].code == SI_QUEUE &&
	      rec[0].value == 42 && rec[0].pid == getpid() && rec[0].uid == getuid());
	/* kill: SI_USER with the sender. */
	CHECK(kill(getpid(), SIGUSR1) == 0);
	CHECK(nrec == 2 && rec[1].sig == SIGUSR1 && rec[1].code == SI_USER &&
	      rec[1].pid == getpid());
	/* From another process, while blocked: the child's pid and value. */
	CHECK(sigprocmask(SIG_BLOCK, &b, NULL) == 0);
	handle_info(SIGRTMIN + 1);
	pid_t c = child(queue_to_parent, 77);
	CHECK(child_ok(c, "queuer"));
	CHECK(nrec == 2 && is_pending(SIGRTMIN + 1));
	CHECK(sigprocmask(SIG_UNBLOCK, &b, NULL) == 0);
	CHECK(nrec == 3 && rec[2].sig == SIGRTMIN + 1 && rec[2].code == SI_QUEUE &&
	      rec[2].value == 77 && rec[2].pid == c);
	handle(SIGRTMIN, SIG_DFL, 0, NULL);
	handle(SIGRTMIN + 1, SIG_DFL, 0, NULL);
	handle(SIGUSR1, SIG_DFL, 0, NULL);
}

static void
t_rt_order(void)
{
	sigset_t b;
	int r0 = SIGRTMIN, r2 = SIGRTMIN + 2;
	sigemptyset(&b);
	sigaddset(&b, r0);
	sigaddset(&b, r2);
	sigaddset(&b, SIGUSR2);
	nrec = 0;
	handle_info(r0);
	handle_info(r2);
	handle_info(SIGUSR2);
	CHECK(sigprocmask(SIG_BLOCK, &b, NULL) == 0);
	int vals[] = {1, 2, 3, 4};
	int sigs[] = {r2, r0, r2, r0};
	for (int i = 0; i < 4; i++) {
		union sigval v = {.sival_int = vals[i]};
		CHECK(sigqueue(getpid(), sigs[i], v) == 0);
	}
	for (int i = 0; i < 3; i++)
		CHECK(kill(getpid(), SIGUSR2) == 0); /* a standard signal coalesces */
	CHECK(nrec == 0);
	CHECK(sigprocmask(SIG_UNBLOCK, &b, NULL) == 0);
	/* Lowest number first, each real-time instance in sending order. */
	CHECK(nrec == 5);
	CHECK(rec[0].sig == SIGUSR2 && rec[0].code == SI_USER);
	CHECK(rec[1].sig == r0 && rec[1].value == 2);
	CHECK(rec[2].sig == r0 && rec[2].value == 4);
	CHECK(rec[3].sig == r2 && rec[3].value == 1);
	CHECK(rec[4].sig == r2 && rec[4].value == 3);
	CHECK(!is_pending(r0) && !is_pending(r2));
	handle(r0, SIG_DFL, 0, NULL);
	handle(r2, SIG_DFL, 0, NULL);
	handle(SIGUSR2, SIG_DFL, 0, NULL);
}

static int
queue_not_root(int target)
{
	union sigval v = {.sival_int = 0};
	if (setuid(1000) != 0)
		return 1;
	return sigqueue(target, SIGRTMIN, v) == -1 && errno == EPERM ? 0 : 2;
}

static int
sleeper(int ms)
{
	msleep(ms);
	return 0;
}

static void
t_sigqueue_limits(void)
{
	sigset_t b;
	struct rlimit rl;
	union sigval v = {.sival_int = 5};
	sigemptyset(&b);
	sigaddset(&b, SIGRTMIN);
	CHECK(getrlimit(RLIMIT_SIGPENDING, &rl) == 0 && rl.rlim_cur >= 32);
	nrec = 0;
	handle_info(SIGRTMIN);
	CHECK(sigprocmask(SIG_BLOCK, &b, NULL) == 0);
	unsigned long n = 0;
	while (n < 100000 && sigqueue(getpid(), SIGRTMIN, v) == 0)
		n++;
	CHECK(errno == EAGAIN);
	CHECK(n == rl.rlim_cur);
	/* A standard signal still goes when the queue is full. */
	handle_info(SIGUSR1);
	CHECK(sigqueue(getpid(), SIGUSR1, v) == 0);
	CHECK(sigprocmask(SIG_UNBLOCK, &b, NULL) == 0);
	CHECK((unsigned long)nrec == n + 1);
	/* The queue is free again. */
	CHECK(sigqueue(getpid(), SIGRTMIN, v) == 0 && (unsigned long)nrec == n + 2);
	/* Errors. */
	errno = 0;
	CHECK(sigqueue(getpid(), -1, v) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(sigqueue(getpid(), 65, v) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(sigqueue(999999, 0, v) == -1 && errno == ESRCH);
	CHECK(sigqueue(getpid(), 0, v) == 0);
	pid_t c = child(sleeper, 2000);
	siginfo_t si;
	memset(&si, 0, sizeof si);
	si.si_signo = SIGRTMIN;
	si.si_code = SI_USER; /* a kernel code to another process: EPERM */
	errno = 0;
	CHECK(syscall(SYS_rt_sigqueueinfo, c, SIGRTMIN, &si) == -1 && errno == EPERM);
	CHECK(syscall(SYS_rt_sigqueueinfo, c, SIGRTMIN, NULL) == -1 && errno == EFAULT);
	pid_t c2 = child(queue_not_root, c);
	CHECK(child_ok(c2, "unprivileged queuer"));
	CHECK(kill(c, SIGKILL) == 0);
	waitpid(c, NULL, 0);
	handle(SIGRTMIN, SIG_DFL, 0, NULL);
	handle(SIGUSR1, SIG_DFL, 0, NULL);
}

static void
t_sigwaitinfo(void)
{
	sigset_t b;
	siginfo_t si;
	union sigval v = {.sival_int = 7};
	struct timespec ts = {0, 50000000};
	sigemptyset(&b);
	sigaddset(&b, SIGRTMIN);
	sigaddset(&b, SIGUSR2);
	CHECK(sigprocmask(SIG_BLOCK, &b, NULL) == 0);
	CHECK(sigqueue(getpid(), SIGRTMIN, v) == 0);
	CHECK(kill(getpid(), SIGUSR2) == 0);
	memset(&si, 0, sizeof si);
	CHECK(sigwaitinfo(&b, &si) == SIGUSR2 && si.si_code == SI_USER && si.si_pid == getpid());
	memset(&si, 0, sizeof si);
	CHECK(sigtimedwait(&b, &si, &ts) == SIGRTMIN && si.si_code == SI_QUEUE &&
	      si.si_value.sival_int == 7 && si.si_pid == getpid() && si.si_uid == getuid());
	long t0 = now_ms();
	errno = 0;
	CHECK(sigtimedwait(&b, &si, &ts) == -1 && errno == EAGAIN);
	CHECK(now_ms() - t0 >= 40);
	CHECK(sigprocmask(SIG_UNBLOCK, &b, NULL) == 0);
}

/* ---- PROC080..085: signals and threads ---- */

static volatile pthread_t ran_in;
static volatile sig_atomic_t thr_hits;
static void
on_where(int s)
{
	(void)s;
	ran_in = pthread_self();
	thr_hits++;
}

static volatile int stop_thr;

/* A thread that sleeps in short steps until told to stop (handlers run in it). */
static void *
idler(void *arg)
{
	(void)arg;
	while (!stop_thr)
		msleep(5);
	return NULL;
}

static int
wait_hits(int n)
{
	long end = now_ms() + 5000;
	while (thr_hits < n && now_ms() < end)
		msleep(5);
	return thr_hits >= n;
}

static void
t_thread_masks(void)
{
	sigset_t b, cur;
	pthread_t t;
	sigemptyset(&b);
	sigaddset(&b, SIGUSR1);
	handle(SIGUSR1, on_where, 0, NULL);
	handle(SIGUSR2, on_where, 0, NULL);
	stop_thr = 0;
	thr_hits = 0;
	CHECK(pthread_create(&t, NULL, idler, NULL) == 0);
	/* The main thread blocks SIGUSR1; the other does not: it runs the handler. */
	CHECK(pthread_sigmask(SIG_BLOCK, &b, NULL) == 0);
	CHECK(kill(getpid(), SIGUSR1) == 0);
	CHECK(wait_hits(1));
	CHECK(pthread_equal(ran_in, t));
	CHECK(pthread_sigmask(SIG_SETMASK, NULL, &cur) == 0 && sigismember(&cur, SIGUSR1));
	/* A thread inherits its creator's mask: a second thread created now blocks SIGUSR1. */
	pthread_t t2;
	stop_thr = 0;
	CHECK(pthread_create(&t2, NULL, idler, NULL) == 0);
	thr_hits = 0;
	CHECK(kill(getpid(), SIGUSR1) == 0);
	CHECK(wait_hits(1));
	CHECK(pthread_equal(ran_in, t)); /* not t2, not main */
	stop_thr = 1;
	pthread_join(t, NULL);
	pthread_join(t2, NULL);
	/* Nobody left that takes it: pending for the process until main unblocks. */
	thr_hits = 0;
	CHECK(kill(getpid(), SIGUSR1) == 0);
	msleep(50);
	CHECK(thr_hits == 0 && is_pending(SIGUSR1));
	CHECK(pthread_sigmask(SIG_UNBLOCK, &b, NULL) == 0);
	CHECK(thr_hits == 1 && pthread_equal(ran_in, pthread_self()));
	handle(SIGUSR1, SIG_DFL, 0, NULL);
	handle(SIGUSR2, SIG_DFL, 0, NULL);
}

static volatile sig_atomic_t t_pending_seen, t_go;

/* Blocks SIGUSR2, waits until it is pending for itself, then unblocks it. */
static void *
blocker(void *arg)
{
	sigset_t b;
	(void)arg;
	sigemptyset(&b);
	sigaddset(&b, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &b, NULL);
	t_go = 1;
	long end = now_ms() + 5000;
	while (!is_pending(SIGUSR2) && now_ms() < end)
		msleep(5);
	t_pending_seen = is_pending(SIGUSR2);
	while (t_go != 2 && now_ms() < end)
		msleep(5);
	pthread_sigmask(SIG_UNBLOCK, &b, NULL); /* the handler runs here */
	return NULL;
}

static void
t_pthread_kill(void)
{
	pthread_t t;
	handle(SIGUSR1, on_where, 0, NULL);
	handle(SIGUSR2, on_where, 0, NULL);
	stop_thr = 0;
	thr_hits = 0;
	CHECK(pthread_create(&t, NULL, idler, NULL) == 0);
	/* To that thread, though main does not block it either. */
	CHECK(pthread_kill(t, SIGUSR1) == 0);
	CHECK(wait_hits(1));
	CHECK(pthread_equal(ran_in, t));
	/* To ourselves: at once, in this thread. */
	thr_hits = 0;
	CHECK(pthread_kill(pthread_self(), SIGUSR1) == 0);
	CHECK(thr_hits == 1 && pthread_equal(ran_in, pthread_self()));
	CHECK(pthread_kill(t, 0) == 0);
	CHECK(pthread_kill(t, 65) == EINVAL);
	CHECK(syscall(SYS_tgkill, getpid(), 100000, SIGUSR1) == -1 && errno == ESRCH);
	errno = 0; /* a thread of ours, named with another process's id */
	CHECK(syscall(SYS_tgkill, 99999, syscall(SYS_gettid), SIGUSR1) == -1 && errno == ESRCH);
	errno = 0;
	CHECK(syscall(SYS_tgkill, 0, syscall(SYS_gettid), SIGUSR1) == -1 && errno == EINVAL);
	stop_thr = 1;
	pthread_join(t, NULL);
	/* A thread that blocks it: pending for that thread only, run when it unblocks. */
	pthread_t tb;
	t_go = 0;
	t_pending_seen = 0;
	thr_hits = 0;
	CHECK(pthread_create(&tb, NULL, blocker, NULL) == 0);
	long end = now_ms() + 5000;
	while (!t_go && now_ms() < end)
		msleep(5);
	CHECK(pthread_kill(tb, SIGUSR2) == 0);
	msleep(50);
	CHECK(!is_pending(SIGUSR2)); /* not ours */
	CHECK(thr_hits == 0);
	t_go = 2;
	pthread_join(tb, NULL);
	CHECK(t_pending_seen == 1);
	CHECK(thr_hits == 1 && pthread_equal(ran_in, tb));
	handle(SIGUSR1, SIG_DFL, 0, NULL);
	handle(SIGUSR2, SIG_DFL, 0, NULL);
}

static volatile int waited_sig;
static volatile int waited_value;

static void *
waiter_thread(void *arg)
{
	sigset_t w;
	siginfo_t si;
	(void)arg;
	sigemptyset(&w);
	sigaddset(&w, SIGUSR1);
	sigaddset(&w, SIGRTMIN);
	int s = 0;
	if (sigwait(&w, &s) == 0)
		waited_sig = s;
	memset(&si, 0, sizeof si);
	if (sigwaitinfo(&w, &si) == SIGRTMIN)
		waited_value = si.si_value.sival_int;
	return NULL;
}

static void
t_thread_sigwait(void)
{
	sigset_t b;
	pthread_t t;
	sigemptyset(&b);
	sigaddset(&b, SIGUSR1);
	sigaddset(&b, SIGRTMIN);
	sigaddset(&b, SIGRTMIN + 1);
	handle(SIGUSR1, on_where, 0, NULL);
	CHECK(pthread_sigmask(SIG_BLOCK, &b, NULL) == 0); /* inherited by the waiter */
	waited_sig = waited_value = 0;
	thr_hits = 0;
	CHECK(pthread_create(&t, NULL, waiter_thread, NULL) == 0);
	msleep(100);
	CHECK(kill(getpid(), SIGUSR1) == 0);
	pid_t c = child(queue_to_parent, 0); /* queues SIGRTMIN + 1: not waited for */
	CHECK(child_ok(c, "queuer"));
	union sigval v = {.sival_int = 31};
	CHECK(sigqueue(getpid(), SIGRTMIN, v) == 0);
	pthread_join(t, NULL);
	CHECK(waited_sig == SIGUSR1);
	CHECK(waited_value == 31);
	CHECK(thr_hits == 0); /* taken by sigwait, no handler */
	CHECK(!is_pending(SIGUSR1) && !is_pending(SIGRTMIN));
	/* SIGRTMIN + 1 (no handler: it would end us) stayed pending for the
	 * process: take it before unblocking. */
	CHECK(is_pending(SIGRTMIN + 1));
	sigset_t r1;
	sigemptyset(&r1);
	sigaddset(&r1, SIGRTMIN + 1);
	struct timespec z = {0, 0};
	CHECK(sigtimedwait(&r1, NULL, &z) == SIGRTMIN + 1);
	CHECK(pthread_sigmask(SIG_UNBLOCK, &b, NULL) == 0);
	handle(SIGUSR1, SIG_DFL, 0, NULL);
}

static volatile sig_atomic_t pause_ret, pause_errno, pause_hits;

static void
on_pause_sig(int s)
{
	(void)s;
	pause_hits++;
}

/* Installs its handler in the thread, as POSIX sigpause 3-1 does, then waits. */
static void *
pauser_thread(void *arg)
{
	(void)arg;
	handle(SIGABRT, on_pause_sig, 0, NULL);
	pause_ret = sigpause(SIGABRT);
	pause_errno = errno;
	return NULL;
}

static void
t_thread_sigpause(void)
{
	pthread_t t;

	pause_ret = 0;
	pause_hits = 0;
	CHECK(pthread_create(&t, NULL, pauser_thread, NULL) == 0);
	msleep(200);
	CHECK(pthread_kill(t, SIGABRT) == 0);
	for (int i = 0; i < 200 && !pause_ret; i++)
		msleep(10);
	CHECK(pause_hits == 1 && pause_ret == -1 && pause_errno == EINTR);
	if (!pause_ret) {
		printf("  sigpause did not return: hits %d\n", (int)pause_hits);
		pthread_kill(t, SIGABRT);
	}
	pthread_join(t, NULL);
	handle(SIGABRT, SIG_DFL, 0, NULL);
}

static void
t_sleep_blocked(void)
{
	sigset_t m, old;
	struct itimerval it = {{0, 0}, {0, 300000}};
	struct timespec ts = {1, 0}, rem = {9, 9};

	handle(SIGALRM, on_pause_sig, 0, NULL);
	sigemptyset(&m);
	sigaddset(&m, SIGALRM);
	sigprocmask(SIG_BLOCK, &m, &old);
	pause_hits = 0;
	CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
	long t0 = now_ms();
	/* The alarm comes while it is blocked: no handler, the sleep goes on. */
	CHECK(nanosleep(&ts, &rem) == 0);
	CHECK(now_ms() - t0 >= 1000 && pause_hits == 0);
	sigprocmask(SIG_SETMASK, &old, NULL);
	CHECK(pause_hits == 1); /* run by the unblock */
	/* Unblocked: the handler runs and the sleep ends with EINTR and rem. */
	CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
	errno = 0;
	CHECK(nanosleep(&ts, &rem) == -1 && errno == EINTR && pause_hits == 2);
	CHECK(rem.tv_sec == 0 && rem.tv_nsec > 0);
	handle(SIGALRM, SIG_DFL, 0, NULL);
}

/* Calls a server (vfs: stat, procmgr: kill 0) as fast as it can. */
static int
hammer(int which)
{
	struct stat st;
	for (;;)
		if (which)
			(void)kill(getpid(), 0);
		else
			(void)stat("/", &st);
}

/* Computes for 300 ms of wall time, then writes one byte to fd. */
static int
computer(int fd)
{
	long t0 = now_ms();
	while (now_ms() - t0 < 300)
		;
	return write(fd, "x", 1) == 1 ? 0 : 1;
}

static void
t_no_starve(void)
{
	for (int which = 0; which < 2; which++) {
		int p[2];
		char c;
		CHECK(pipe(p) == 0);
		pid_t h = child(hammer, which);
		long t0 = now_ms();
		pid_t w = child(computer, p[1]);
		struct pollfd pf = {p[0], POLLIN, 0};
		CHECK(poll(&pf, 1, 5000) == 1 && read(p[0], &c, 1) == 1);
		long took = now_ms() - t0;
		CHECK(took < 3000);
		if (took >= 3000)
			printf("  %s hammer: the computer took %ld ms\n", which ? "procmgr" : "vfs",
			       took);
		kill(h, SIGKILL);
		CHECK(waitpid(h, NULL, 0) == h && child_ok(w, "computer"));
		close(p[0]), close(p[1]);
	}
}

static volatile int flooding;
static volatile sig_atomic_t flood_hits;
static void
on_flood(int s)
{
	(void)s;
	flood_hits++;
}

struct flood {
	pthread_t to;
	int sig;
	long sent;
};

static void *
flooder(void *arg)
{
	struct flood *f = arg;
	while (flooding)
		if (pthread_kill(f->to, f->sig) == 0)
			f->sent++;
	return NULL;
}

static volatile int worker_ok;

/* Works (mutexes, yields) on a 16 KiB stack while signals pour in. */
static void *
flood_worker(void *arg)
{
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	long rounds = 0;
	(void)arg;
	while (flooding) {
		if (pthread_mutex_lock(&m) || pthread_mutex_unlock(&m))
			return NULL;
		sched_yield();
		rounds++;
	}
	worker_ok = rounds > 0;
	return NULL;
}

static void
t_flood(void)
{
	pthread_t w, s1, s2;
	pthread_attr_t a;
	struct flood f1 = {0, SIGUSR1, 0}, f2 = {0, SIGUSR2, 0};
	handle(SIGUSR1, on_flood, 0, NULL);
	handle(SIGUSR2, on_flood, 0, NULL);
	flooding = 1;
	flood_hits = 0;
	worker_ok = 0;
	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 16384);
	CHECK(pthread_create(&w, &a, flood_worker, NULL) == 0);
	f1.to = f2.to = w;
	CHECK(pthread_create(&s1, NULL, flooder, &f1) == 0);
	CHECK(pthread_create(&s2, NULL, flooder, &f2) == 0);
	msleep(1000);
	flooding = 0;
	pthread_join(s1, NULL);
	pthread_join(s2, NULL);
	pthread_join(w, NULL);
	CHECK(worker_ok);
	CHECK(f1.sent > 10 && f2.sent > 10);
	CHECK(flood_hits > 0 && flood_hits <= f1.sent + f2.sent);
	printf("  %ld + %ld signals sent, %d handled\n", f1.sent, f2.sent, (int)flood_hits);
	handle(SIGUSR1, SIG_DFL, 0, NULL);
	handle(SIGUSR2, SIG_DFL, 0, NULL);
}

static int
exec_sigstate(int arg)
{
	sigset_t b;
	(void)arg;
	sigemptyset(&b);
	sigaddset(&b, SIGUSR1);
	sigprocmask(SIG_BLOCK, &b, NULL);
	signal(SIGUSR2, SIG_IGN);
	char *argv[] = {"echoargs", "--sigstate", NULL};
	char *envp[] = {NULL};
	execve("/bin/proc/echoargs", argv, envp);
	return 100 + errno;
}

static void
t_exec_sigstate(void)
{
	int st = -1;
	pid_t c = child(exec_sigstate, 0);
	CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	if (WIFEXITED(st) && WEXITSTATUS(st))
		printf("  echoargs --sigstate exited %d\n", WEXITSTATUS(st));
}

/* ---- PROC086: the ucontext_t of SA_SIGINFO handlers; pthread_cancel ---- */

static volatile long uc_rip;
static volatile int uc_had_ctx, uc_mask_usr2;
static volatile sig_atomic_t uc_hits;

static void
on_uc(int s, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	(void)s, (void)si;
	uc_had_ctx = uc != NULL;
	if (uc) {
		uc_rip = uc->uc_mcontext.gregs[REG_RIP];
		uc_mask_usr2 = sigismember(&uc->uc_sigmask, SIGUSR2);
		sigaddset(&uc->uc_sigmask, SIGUSR2); /* blocked after we return */
	}
	uc_hits++;
}

static int
uc_spinner(int arg)
{
	(void)arg;
	struct sigaction sa;
	uc_hits = uc_had_ctx = 0; /* the parent's, before the fork */
	uc_rip = 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_uc;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	long end = now_ms() + 5000;
	while (!uc_hits && now_ms() < end)
		;
	sigset_t cur;
	sigprocmask(SIG_SETMASK, NULL, &cur);
	/* Interrupted while computing: the registers of that moment. */
	if (uc_hits != 1)
		return 1;
	if (!uc_had_ctx || !uc_rip)
		return 2;
	return sigismember(&cur, SIGUSR2) ? 0 : 3;
}

static void *
cancel_reader(void *arg)
{
	char c;
	(void)!read((int)(long)arg, &c, 1); /* a cancellation point, blocked */
	return (void *)1;
}

static void *
cancel_sleeper(void *arg)
{
	(void)arg;
	sleep(10);
	return (void *)2;
}

static void
t_ucontext_cancel(void)
{
	struct sigaction sa;
	sigset_t cur, b;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_uc;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	uc_hits = uc_had_ctx = 0;
	uc_mask_usr2 = -1;
	CHECK(raise(SIGUSR1) == 0);
	CHECK(uc_hits == 1 && uc_had_ctx && uc_mask_usr2 == 0);
	/* The handler added SIGUSR2 to uc_sigmask: that is our mask now. */
	CHECK(sigprocmask(SIG_SETMASK, NULL, &cur) == 0 && sigismember(&cur, SIGUSR2));
	sigemptyset(&b);
	sigaddset(&b, SIGUSR2);
	CHECK(sigprocmask(SIG_UNBLOCK, &b, NULL) == 0);
	pid_t c = child(uc_spinner, 0);
	msleep(100);
	CHECK(kill(c, SIGUSR1) == 0);
	CHECK(child_ok(c, "ucontext spinner"));
	handle(SIGUSR1, SIG_DFL, 0, NULL);
	/* pthread_cancel of threads blocked in read (restarted after other
	 * signals) and in sleep: they end, cancelled. */
	int p[2];
	pthread_t r, s;
	void *res = 0;
	CHECK(pipe(p) == 0);
	CHECK(pthread_create(&r, NULL, cancel_reader, (void *)(long)p[0]) == 0);
	CHECK(pthread_create(&s, NULL, cancel_sleeper, NULL) == 0);
	msleep(100);
	CHECK(pthread_cancel(r) == 0);
	CHECK(pthread_cancel(s) == 0);
	CHECK(pthread_join(r, &res) == 0 && res == PTHREAD_CANCELED);
	res = 0;
	CHECK(pthread_join(s, &res) == 0 && res == PTHREAD_CANCELED);
	close(p[0]);
	close(p[1]);
}

static volatile sig_atomic_t chld_hits;
static void
on_chld(int s)
{
	(void)s;
	chld_hits++;
}

static int
exit7(int arg)
{
	(void)arg;
	return 7;
}

static void
t_nocldwait(void)
{
	int st;
	pid_t c;
	chld_hits = 0;
	handle(SIGCHLD, on_chld, SA_NOCLDWAIT, NULL);
	c = child(exit7, 0);
	errno = 0;
	CHECK(waitpid(c, &st, 0) == -1 && errno == ECHILD); /* reaped at its death */
	long end = now_ms() + 2000;
	while (!chld_hits && now_ms() < end)
		msleep(5);
	CHECK(chld_hits >= 1); /* SIGCHLD still comes */
	/* Without the flag, the zombie is there again. */
	handle(SIGCHLD, on_chld, 0, NULL);
	c = child(exit7, 0);
	CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 7);
	handle(SIGCHLD, SIG_DFL, 0, NULL);
}

static void *
noop_thread(void *arg)
{
	return arg;
}

/* 1500 threads come and go (each tells procmgr its mask, more than one
 * process may keep at once): signals to and in new threads still work. */
static void
t_thread_churn(void)
{
	int made = 0;
	for (int i = 0; i < 1500; i++) {
		pthread_t t;
		void *r = 0;
		if (pthread_create(&t, NULL, noop_thread, (void *)(long)(i + 1)))
			break;
		if (pthread_join(t, &r) == 0 && r == (void *)(long)(i + 1))
			made++;
	}
	CHECK(made == 1500);
	t_thread_masks();
	t_pthread_kill();
}

static void *
exec_thread(void *arg)
{
	char pid[16];
	(void)arg;
	snprintf(pid, sizeof pid, "%d", getpid());
	char *argv[] = {"echoargs", "--args", pid, "alpha", "beta gamma", NULL};
	char *envp[] = {"PROC_ENV=ok", NULL};
	execve("/bin/proc/echoargs", argv, envp);
	_exit(100 + errno);
}

static void *
writer_thread(void *arg)
{
	int fd = (int)(long)arg;
	for (;;) {
		if (write(fd, "x", 1) != 1)
			break;
		msleep(10);
	}
	return NULL;
}

/* Child: a thread writes to a close-on-exec pipe forever, another execs. */
static int
exec_from_thread(int fd)
{
	pthread_t w, e;
	if (pthread_create(&w, NULL, writer_thread, (void *)(long)fd))
		return 90;
	msleep(50);
	if (pthread_create(&e, NULL, exec_thread, NULL))
		return 91;
	pthread_join(e, NULL);
	return 92;
}

static void
t_exec_thread(void)
{
	int p[2], st = -1;
	char buf[64];
	CHECK(pipe2(p, O_CLOEXEC) == 0);
	pid_t c = child(exec_from_thread, p[1]);
	close(p[1]);
	/* EOF only once no thread of the old image is left to write. */
	long end = now_ms() + 10000;
	ssize_t n;
	while ((n = read(p[0], buf, sizeof buf)) > 0 && now_ms() < end)
		;
	CHECK(n == 0);
	CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	if (WIFEXITED(st) && WEXITSTATUS(st))
		printf("  exec'd child exited %d\n", WEXITSTATUS(st));
	close(p[0]);
}

/* ---- PROC160, PROC161: masks libposix keeps without telling procmgr ---- */

static volatile sig_atomic_t lazy_hits;

static void
on_lazy(int s)
{
	(void)s;
	lazy_hits++;
}

/* Waits for a byte on rd, sends sig to the parent, says so on wr. */
static int
lazy_killer(int fds)
{
	int rd = fds & 0xff, wr = fds >> 8;
	char c;
	if (read(rd, &c, 1) != 1)
		return 1;
	if (kill(getppid(), c == 'T' ? SIGTERM : SIGUSR1) != 0)
		return 2;
	return write(wr, "k", 1) == 1 ? 0 : 3;
}

static void
t_lazy_mask(void)
{
	sigset_t one, cur;
	int go[2], done[2];
	char c;
	sigemptyset(&one);
	sigaddset(&one, SIGUSR1);
	handle(SIGUSR1, on_lazy, 0, NULL);
	lazy_hits = 0;

	/* Another process's kill while blocked: pending, run by the unblock. */
	CHECK(pipe(go) == 0 && pipe(done) == 0);
	pid_t c1 = child(lazy_killer, go[0] | done[1] << 8);
	CHECK(sigprocmask(SIG_BLOCK, &one, NULL) == 0);
	CHECK(write(go[1], "U", 1) == 1);
	CHECK(read(done[0], &c, 1) == 1);
	CHECK(lazy_hits == 0);
	CHECK(is_pending(SIGUSR1));
	CHECK(lazy_hits == 0);
	CHECK(sigprocmask(SIG_UNBLOCK, &one, NULL) == 0);
	CHECK(lazy_hits == 1);
	CHECK(!is_pending(SIGUSR1));
	CHECK(child_ok(c1, "killer"));

	/* The same without sigpending in between: the unblock alone runs it. */
	pid_t c2 = child(lazy_killer, go[0] | done[1] << 8);
	CHECK(sigprocmask(SIG_BLOCK, &one, NULL) == 0);
	CHECK(write(go[1], "U", 1) == 1);
	CHECK(read(done[0], &c, 1) == 1);
	CHECK(lazy_hits == 1);
	CHECK(sigprocmask(SIG_UNBLOCK, &one, NULL) == 0);
	CHECK(lazy_hits == 2);
	CHECK(child_ok(c2, "killer"));

	/* kill and raise to ourselves while blocked: nothing runs until the unblock. */
	CHECK(sigprocmask(SIG_BLOCK, &one, NULL) == 0);
	CHECK(kill(getpid(), SIGUSR1) == 0);
	CHECK(kill(getpid(), SIGUSR1) == 0); /* coalesces */
	CHECK(lazy_hits == 2);
	CHECK(sigprocmask(SIG_SETMASK, NULL, &cur) == 0 && sigismember(&cur, SIGUSR1) == 1);
	CHECK(sigprocmask(SIG_UNBLOCK, &one, NULL) == 0);
	CHECK(lazy_hits == 3);
	CHECK(sigprocmask(SIG_BLOCK, &one, NULL) == 0);
	CHECK(raise(SIGUSR1) == 0); /* to this thread */
	CHECK(lazy_hits == 3);
	CHECK(sigprocmask(SIG_UNBLOCK, &one, NULL) == 0);
	CHECK(lazy_hits == 4);
	lazy_hits = 3;

	/* Blocked, then the handler goes (SIG_DFL): still blocked, and a kill
	 * does not end us; back to a handler, the unblock runs it. */
	CHECK(sigprocmask(SIG_BLOCK, &one, NULL) == 0);
	handle(SIGUSR1, SIG_DFL, 0, NULL);
	pid_t c3 = child(lazy_killer, go[0] | done[1] << 8);
	CHECK(write(go[1], "U", 1) == 1);
	CHECK(read(done[0], &c, 1) == 1);
	CHECK(is_pending(SIGUSR1));
	handle(SIGUSR1, on_lazy, 0, NULL);
	CHECK(sigprocmask(SIG_UNBLOCK, &one, NULL) == 0);
	CHECK(lazy_hits == 4);
	CHECK(child_ok(c3, "killer"));

	/* A signal with the default action (told to procmgr at once). */
	sigset_t term;
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	CHECK(sigprocmask(SIG_BLOCK, &term, NULL) == 0);
	pid_t c4 = child(lazy_killer, go[0] | done[1] << 8);
	CHECK(write(go[1], "T", 1) == 1);
	CHECK(read(done[0], &c, 1) == 1);
	CHECK(is_pending(SIGTERM));
	signal(SIGTERM, SIG_IGN); /* discards it */
	CHECK(sigprocmask(SIG_UNBLOCK, &term, NULL) == 0);
	CHECK(!is_pending(SIGTERM));
	signal(SIGTERM, SIG_DFL);
	CHECK(child_ok(c4, "killer"));

	/* sigsuspend from a mask procmgr has not heard of: waits, runs it once. */
	CHECK(sigprocmask(SIG_BLOCK, &one, NULL) == 0);
	pid_t c5 = child(lazy_killer, go[0] | done[1] << 8);
	CHECK(write(go[1], "U", 1) == 1);
	CHECK(read(done[0], &c, 1) == 1);
	sigset_t none;
	sigemptyset(&none);
	CHECK(sigsuspend(&none) == -1 && errno == EINTR);
	CHECK(lazy_hits == 5);
	CHECK(sigprocmask(SIG_SETMASK, NULL, &cur) == 0 && sigismember(&cur, SIGUSR1) == 1);
	CHECK(sigprocmask(SIG_UNBLOCK, &one, NULL) == 0);
	CHECK(lazy_hits == 5);
	CHECK(child_ok(c5, "killer"));
	close(go[0]), close(go[1]), close(done[0]), close(done[1]);
	handle(SIGUSR1, SIG_DFL, 0, NULL);
}

/* A forked child of a process that blocked a handled signal unheard. */
static int
lazy_fork_child(int arg)
{
	sigset_t cur;
	(void)arg;
	if (sigprocmask(SIG_SETMASK, NULL, &cur) || sigismember(&cur, SIGUSR1) != 1)
		return 10;
	if (kill(getpid(), SIGUSR1) != 0 || lazy_hits != 0)
		return 11;
	if (!is_pending(SIGUSR1))
		return 12;
	sigemptyset(&cur);
	sigprocmask(SIG_SETMASK, &cur, NULL);
	return lazy_hits == 1 ? 0 : 13;
}

/* Blocks SIGUSR1 with a handler (procmgr not told), ignores SIGUSR2, execs. */
static int
lazy_exec_child(int arg)
{
	handle(SIGUSR1, on_lazy, 0, NULL);
	return exec_sigstate(arg);
}

static void
t_lazy_fork_exec(void)
{
	sigset_t one;
	int st = -1;
	sigemptyset(&one);
	sigaddset(&one, SIGUSR1);
	handle(SIGUSR1, on_lazy, 0, NULL);
	lazy_hits = 0;
	CHECK(sigprocmask(SIG_BLOCK, &one, NULL) == 0);
	CHECK(child_ok(child(lazy_fork_child, 0), "fork"));
	CHECK(sigprocmask(SIG_UNBLOCK, &one, NULL) == 0);
	CHECK(lazy_hits == 0);
	handle(SIGUSR1, SIG_DFL, 0, NULL);
	pid_t c = child(lazy_exec_child, 0);
	CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	if (WIFEXITED(st) && WEXITSTATUS(st))
		printf("  echoargs --sigstate exited %d\n", WEXITSTATUS(st));
}

/* ---- PROC162: a process flooded with kill by another ---- */

static volatile sig_atomic_t storm_hits;

/* ---- PROC100..PROC110: CPU exceptions become signals for the faulting thread ---- */

static sigjmp_buf fault_jb;
static __thread sigjmp_buf *fault_jbp; /* where this thread's handler jumps */
static volatile sig_atomic_t f_sig, f_code, f_hits, f_depth, f_maxdepth, f_onalt;
static void *volatile f_addr;
static volatile long f_rip, f_trapno, f_cr2, f_skip, f_tid;
static char *f_alt; /* the alternate stack, if one is set */
static size_t f_altsize;

/* Records the fault; returns past it (f_skip bytes) or jumps out. */
static void
on_fault(int s, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	char probe;

	f_hits++;
	f_sig = s;
	f_code = si->si_code;
	f_addr = si->si_addr;
	f_rip = uc->uc_mcontext.gregs[REG_RIP];
	f_trapno = uc->uc_mcontext.gregs[REG_TRAPNO];
	f_cr2 = uc->uc_mcontext.gregs[REG_CR2];
	f_tid = syscall(SYS_gettid);
	f_onalt = f_alt && &probe >= f_alt && &probe < f_alt + f_altsize;
	if (f_skip) {
		uc->uc_mcontext.gregs[REG_RIP] += f_skip;
		return;
	}
	siglongjmp(fault_jbp ? *fault_jbp : fault_jb, 1);
}

static void
catch_fault(int sig, int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO | flags;
	sigaction(sig, &sa, NULL);
	f_hits = f_sig = f_code = f_skip = 0;
	f_addr = 0;
}

static int
blocked(int sig)
{
	sigset_t m;

	sigemptyset(&m);
	return sigprocmask(SIG_BLOCK, NULL, &m) == 0 && sigismember(&m, sig) == 1;
}

static void
t_segv_longjmp(void)
{
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *bad[2] = {p + 100, (char *)16};

	CHECK(p != MAP_FAILED && munmap(p, 4096) == 0);
	catch_fault(SIGSEGV, 0);
	for (int i = 0; i < 2; i++) {
		f_hits = 0;
		if (sigsetjmp(fault_jb, 1) == 0) {
			(void)*(volatile char *)bad[i];
			CHECK(!"the load faults");
		}
		CHECK(f_hits == 1 && f_sig == SIGSEGV && f_code == SEGV_MAPERR);
		CHECK(f_addr == bad[i] && f_cr2 == (long)bad[i] && f_trapno == 14 && f_rip != 0);
		CHECK(!blocked(SIGSEGV)); /* siglongjmp gave the mask back */
	}
	handle(SIGSEGV, SIG_DFL, 0, NULL);
}

static void
t_sigfpe(void)
{
	long at;
	volatile int a = 7, b = 0;

	catch_fault(SIGFPE, 0);
	f_skip = 2; /* idiv %ecx */
	__asm__ volatile("lea 0f(%%rip), %0\n\t"
	                 "xor %%ecx, %%ecx\n\t"
	                 "mov $7, %%eax\n\t"
	                 "cltd\n\t"
	                 "0: idiv %%ecx"
	                 : "=&r"(at)
	                 :
	                 : "rax", "rcx", "rdx");
	CHECK(f_hits == 1 && f_sig == SIGFPE && f_code == FPE_INTDIV);
	CHECK(f_addr == (void *)at && f_rip == at && f_trapno == 0);
	/* The same from C, left with siglongjmp. */
	f_skip = 0;
	f_hits = 0;
	if (sigsetjmp(fault_jb, 1) == 0) {
		a = a / b;
		CHECK(!"the division faults");
	}
	CHECK(f_hits == 1 && f_sig == SIGFPE && f_code == FPE_INTDIV);
	handle(SIGFPE, SIG_DFL, 0, NULL);
}

static void
t_sigill(void)
{
	long at;

	catch_fault(SIGILL, 0);
	f_skip = 2;
	__asm__ volatile("lea 0f(%%rip), %0\n\t"
	                 "0: ud2"
	                 : "=r"(at));
	CHECK(f_hits == 1 && f_sig == SIGILL && f_code == ILL_ILLOPN);
	CHECK(f_addr == (void *)at && f_rip == at && f_trapno == 6);
	handle(SIGILL, SIG_DFL, 0, NULL);
}

static char *ro_page;

static void
on_ro_write(int s, siginfo_t *si, void *ctx)
{
	(void)ctx;
	f_hits++;
	f_sig = s;
	f_code = si->si_code;
	f_addr = si->si_addr;
	mprotect(ro_page, 4096, PROT_READ | PROT_WRITE);
}

static void
t_readonly_fix(void)
{
	struct sigaction sa;

	ro_page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(ro_page != MAP_FAILED);
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_ro_write;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	f_hits = 0;
	((volatile char *)ro_page)[40] = 5; /* faults once; the handler fixes it; done again */
	CHECK(f_hits == 1 && f_sig == SIGSEGV && f_code == SEGV_ACCERR);
	CHECK(f_addr == ro_page + 40 && ro_page[40] == 5);
	handle(SIGSEGV, SIG_DFL, 0, NULL);
	munmap(ro_page, 4096);
}

static volatile long int3_after;

static void
t_trap_bus(void)
{
	static long words[2];

	catch_fault(SIGTRAP, 0);
	if (sigsetjmp(fault_jb, 1) == 0) {
		__asm__ volatile("lea 1f(%%rip), %%rax\n\t"
		                 "mov %%rax, %0\n\t"
		                 "int3\n\t"
		                 "1:"
		                 : "=m"(int3_after)
		                 :
		                 : "rax");
		CHECK(!"int3 traps");
	}
	CHECK(f_hits == 1 && f_sig == SIGTRAP && f_code == TRAP_BRKPT && f_rip == int3_after);
	handle(SIGTRAP, SIG_DFL, 0, NULL);
	/* An alignment check (rflags.AC): SIGBUS, BUS_ADRALN. */
	catch_fault(SIGBUS, 0);
	f_skip = 2; /* mov (%rdx), %eax */
	__asm__ volatile("pushf\n\t"
	                 "orq $0x40000, (%%rsp)\n\t"
	                 "popf\n\t"
	                 "mov (%0), %%eax\n\t"
	                 "pushf\n\t"
	                 "andq $~0x40000, (%%rsp)\n\t"
	                 "popf"
	                 :
	                 : "d"((char *)words + 1)
	                 : "rax", "memory", "cc");
	/* Hardware raises #AC; QEMU's TCG does not implement alignment checks. */
	if (f_hits == 0)
		printf("  #AC not raised by this CPU (QEMU TCG): SIGBUS not checked\n");
	else
		CHECK(f_hits == 1 && f_sig == SIGBUS && f_code == BUS_ADRALN);
	handle(SIGBUS, SIG_DFL, 0, NULL);
}

/* Children that fault with their signal blocked, ignored or default. */
static int
fault_blocked(int how)
{
	sigset_t m;
	volatile int a = 1, b = 0;

	sigemptyset(&m);
	if (how == 0 || how == 3) {
		catch_fault(how ? SIGFPE : SIGSEGV, 0);
		sigaddset(&m, how ? SIGFPE : SIGSEGV);
		sigprocmask(SIG_BLOCK, &m, NULL);
	} else if (how == 1) {
		signal(SIGSEGV, SIG_IGN);
	}
	if (how == 3)
		a = a / b;
	else
		(void)*(volatile int *)8;
	return 10 + a;
}

static int
dumped_by(pid_t c, int sig)
{
	int st = -1;

	if (waitpid(c, &st, 0) != c)
		return 0;
	if (WIFSIGNALED(st) && WTERMSIG(st) == sig && WCOREDUMP(st))
		return 1;
	printf("  child status %#x, expected signal %d with core\n", st, sig);
	return 0;
}

/* A file of len bytes in /tmp, open read-write and already unlinked. */
static int
tmp_file(off_t len)
{
	char name[64];

	snprintf(name, sizeof name, "/tmp/sigbus.%d", (int)getpid());
	int fd = open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return -1;
	unlink(name);
	if (ftruncate(fd, len) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Loads p[0] under catch_fault: 1 if it faulted (and jumped back here). */
static int
load_faults(volatile char *p)
{
	f_hits = 0;
	if (sigsetjmp(fault_jb, 1) == 0) {
		(void)*p;
		return 0;
	}
	return 1;
}

static int
bus_default(int fd)
{
	char *p = mmap(NULL, 2 * 4096, PROT_READ, MAP_SHARED, fd, 0);

	return p == MAP_FAILED ? 3 : ((volatile char *)p)[4096];
}

static void
t_sigbus_eof(void)
{
	int fd = tmp_file(100);
	char *p, *q, c = 0;

	CHECK(fd >= 0);
	p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	q = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED && q != MAP_FAILED);
	catch_fault(SIGBUS, 0);
	/* The page holding the end of the file is whole: zeros past it. */
	p[99] = 'x';
	CHECK(!load_faults(p + 4095) && p[4095] == 0 && q[99] == 'x');
	for (int i = 0; i < 3; i++) {
		volatile char *at[3] = {p + 4096, p + 2 * 4096 + 17, q + 4096 + 1};
		CHECK(load_faults(at[i]));
		CHECK(f_hits == 1 && f_sig == SIGBUS && f_code == BUS_ADRERR);
		CHECK(f_addr == (void *)at[i] && f_cr2 == (long)at[i] && f_trapno == 14);
	}
	/* The file grows: the pages are there; it shrinks: they go again. */
	CHECK(ftruncate(fd, 3 * 4096) == 0);
	p[2 * 4096 + 5] = 'y';
	CHECK(pread(fd, &c, 1, 2 * 4096 + 5) == 1 && c == 'y');
	CHECK(!load_faults(q + 4096) && q[2 * 4096 + 5] == 'y');
	CHECK(ftruncate(fd, 10) == 0);
	CHECK(p[99] == 0); /* the cut bytes read as zeros */
	CHECK(load_faults(p + 4096) && f_sig == SIGBUS && f_code == BUS_ADRERR);
	/* A write past the end of the file is no better than a read. */
	f_hits = 0;
	if (sigsetjmp(fault_jb, 1) == 0)
		*(volatile char *)(p + 4096 + 8) = 1;
	CHECK(f_hits == 1 && f_sig == SIGBUS && f_addr == p + 4096 + 8);
	CHECK(lseek(fd, 0, SEEK_END) == 10);
	handle(SIGBUS, SIG_DFL, 0, NULL);
	/* Default action: the process dies of SIGBUS with a core. */
	CHECK(dumped_by(child(bus_default, fd), SIGBUS));
	munmap(p, 3 * 4096);
	munmap(q, 3 * 4096);
	close(fd);
}

static void
t_fault_fatal(void)
{
	sigset_t m, old;
	siginfo_t si;
	struct timespec ts = {5, 0};

	sigemptyset(&m);
	sigaddset(&m, SIGCHLD);
	sigprocmask(SIG_BLOCK, &m, &old);
	CHECK(dumped_by(child(fault_blocked, 0), SIGSEGV)); /* blocked */
	CHECK(dumped_by(child(fault_blocked, 1), SIGSEGV)); /* ignored */
	CHECK(dumped_by(child(fault_blocked, 2), SIGSEGV)); /* default */
	/* The parent hears of it as of any death by a signal with a core. */
	memset(&si, 0, sizeof si);
	CHECK(sigtimedwait(&m, &si, &ts) == SIGCHLD);
	pid_t c = child(fault_blocked, 3);
	memset(&si, 0, sizeof si);
	CHECK(waitid(P_PID, c, &si, WEXITED) == 0 && si.si_pid == c && si.si_code == CLD_DUMPED &&
	      si.si_status == SIGFPE);
	while (sigtimedwait(&m, &si, &(struct timespec){0, 0}) == SIGCHLD)
		;
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static void
on_fault_again(int s)
{
	(void)s;
	f_hits++;
	(void)*(volatile int *)24; /* faults with SIGSEGV blocked, unless SA_NODEFER */
}

static void
on_fault_nodefer(int s, siginfo_t *si, void *ctx)
{
	(void)s, (void)si, (void)ctx;
	f_depth++;
	if (f_depth > f_maxdepth)
		f_maxdepth = f_depth;
	if (f_depth == 1)
		(void)*(volatile int *)32; /* runs this handler again, nested */
	siglongjmp(fault_jb, 1);
}

static int
fault_in_handler(int how)
{
	if (how == 0) {
		handle(SIGSEGV, on_fault_again, 0, NULL);
	} else {
		/* SA_RESETHAND: the first fault is handled, the second is fatal. */
		catch_fault(SIGSEGV, SA_RESETHAND);
		if (sigsetjmp(fault_jb, 1) == 0)
			(void)*(volatile int *)8;
		if (f_hits != 1)
			return 2;
	}
	(void)*(volatile int *)8;
	return 1;
}

static void
t_fault_in_handler(void)
{
	struct sigaction sa;

	CHECK(dumped_by(child(fault_in_handler, 0), SIGSEGV));
	CHECK(dumped_by(child(fault_in_handler, 1), SIGSEGV));
	/* SA_NODEFER: the handler is entered again for its own fault. */
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_fault_nodefer;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	f_depth = f_maxdepth = 0;
	if (sigsetjmp(fault_jb, 1) == 0)
		(void)*(volatile int *)8;
	CHECK(f_depth == 2 && f_maxdepth == 2);
	CHECK(!blocked(SIGSEGV));
	handle(SIGSEGV, SIG_DFL, 0, NULL);
}

/* Deep enough to pass the 1 MiB main stack (n never reaches the limit
 * that would end it); not a tail call. */
static int
recurse(int n, int limit)
{
	volatile char frame[4096];

	frame[0] = (char)n;
	if (n == limit)
		return 0;
	return recurse(n + 1, limit) + frame[0];
}

static int
overflow(int onstack)
{
	stack_t ss;

	f_altsize = 4 * SIGSTKSZ;
	f_alt = malloc(f_altsize);
	ss.ss_sp = f_alt;
	ss.ss_size = f_altsize;
	ss.ss_flags = 0;
	if (!f_alt || sigaltstack(&ss, NULL))
		return 2;
	catch_fault(SIGSEGV, onstack ? SA_ONSTACK : 0);
	if (sigsetjmp(fault_jb, 1) == 0)
		return 3 + recurse(0, 1 << 30);
	/* Caught, on the alternate stack, below the main stack. */
	return f_sig == SIGSEGV && f_code == SEGV_MAPERR && f_onalt &&
	                       (uintptr_t)f_addr < (uintptr_t)&ss - 900000
	               ? 0
	               : 4;
}

static void
t_stack_overflow(void)
{
	CHECK(child_ok(child(overflow, 1), "overflow caught on the alternate stack"));
	/* Without SA_ONSTACK the handler would need the overflowed stack: fatal. */
	CHECK(dumped_by(child(overflow, 0), SIGSEGV));
}

static volatile long thread_tid;

static void *
faulting_thread(void *arg)
{
	sigjmp_buf jb;

	(void)arg;
	thread_tid = syscall(SYS_gettid);
	fault_jbp = &jb;
	if (sigsetjmp(jb, 1) == 0)
		(void)*(volatile int *)16;
	fault_jbp = 0;
	return (void *)(long)f_hits;
}

static void
t_thread_fault(void)
{
	pthread_t t;
	void *r = 0;

	catch_fault(SIGSEGV, 0);
	CHECK(pthread_create(&t, NULL, faulting_thread, NULL) == 0);
	CHECK(pthread_join(t, &r) == 0);
	CHECK(r == (void *)1 && f_sig == SIGSEGV && f_addr == (void *)16);
	CHECK(f_tid == thread_tid && f_tid != syscall(SYS_gettid));
	handle(SIGSEGV, SIG_DFL, 0, NULL);
}

static void
on_storm(int s)
{
	(void)s;
	storm_hits++;
}

/* Computes, sleeps and reads a pipe (fd) in turn for about 1.5 s under the
 * parent's storm of SIGUSR1; exits 0 if it handled some. */
static int
storm_target(int fd)
{
	handle(SIGUSR1, on_storm, SA_RESTART, NULL);
	storm_hits = 0;
	if (write(fd >> 8, "r", 1) != 1)
		return 1;
	long end = now_ms() + 1500;
	struct timespec ts = {0, 2000000};
	struct pollfd p = {fd & 0xff, POLLIN, 0};
	for (int i = 0; now_ms() < end; i++) {
		switch (i % 3) {
		case 0:
			for (long t = now_ms() + 5; now_ms() < t;)
				;
			break;
		case 1:
			nanosleep(&ts, NULL);
			break;
		default:
			poll(&p, 1, 2);
			break;
		}
	}
	return storm_hits > 0 ? 0 : 2;
}

static void
t_kill_storm(void)
{
	int p[2], r[2], st = -1;
	long sent = 0;
	char c;
	CHECK(pipe(p) == 0 && pipe(r) == 0);
	pid_t t = child(storm_target, p[0] | r[1] << 8);
	CHECK(read(r[0], &c, 1) == 1);
	long stop = now_ms() + 10000, late = 0;
	pid_t w;
	while ((w = waitpid(t, &st, WNOHANG)) == 0 && now_ms() < stop)
		if (kill(t, SIGUSR1) == 0)
			sent++;
	if (w == 0) {
		late = 1;
		CHECK(waitpid(t, &st, 0) == t);
	}
	CHECK(!late); /* the target got to its end (1.5 s) within 10 s of storm */
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		printf("  target status %#x after %ld signals\n", st, sent);
	CHECK(sent > 100);
	close(p[0]), close(p[1]), close(r[0]), close(r[1]);
	f_hits++; /* returns: the load faults again, forever */
}

static int
storm(int arg)
{
	(void)arg;
	handle(SIGSEGV, on_storm, 0, NULL);
	return *(volatile int *)8;
}

static void
t_fault_storm(void)
{
	int st = -1;
	long t0 = now_ms();
	pid_t c = child(storm, 0);

	msleep(200);
	CHECK(now_ms() - t0 < 10000); /* this process still gets the CPU */
	CHECK(waitpid(c, &st, WNOHANG) == 0);
	CHECK(kill(c, SIGKILL) == 0);
	CHECK(waitpid(c, &st, 0) == c && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
}

static void
t_fault_altstack(void)
{
	stack_t ss, o;
	long at;

	f_altsize = SIGSTKSZ;
	f_alt = malloc(f_altsize);
	ss.ss_sp = f_alt;
	ss.ss_size = f_altsize;
	ss.ss_flags = 0;
	CHECK(f_alt && sigaltstack(&ss, NULL) == 0);
	/* SA_ONSTACK: on the alternate stack; without: on the faulting one. */
	for (int onstack = 1; onstack >= 0; onstack--) {
		catch_fault(SIGILL, onstack ? SA_ONSTACK : 0);
		f_onalt = -1;
		f_skip = 2;
		__asm__ volatile("lea 0f(%%rip), %0\n\t"
		                 "0: ud2"
		                 : "=r"(at));
		CHECK(f_hits == 1 && f_rip == at && f_onalt == onstack);
	}
	CHECK(sigaltstack(NULL, &o) == 0 && o.ss_flags == 0);
	/* A stack outside user space: EINVAL (the kernel could never use it), unchanged. */
	ss.ss_sp = (void *)0xffff800000000000ul;
	errno = 0;
	CHECK(sigaltstack(&ss, NULL) == -1 && errno == EINVAL);
	CHECK(sigaltstack(NULL, &o) == 0 && o.ss_sp == f_alt);
	ss.ss_flags = SS_DISABLE;
	CHECK(sigaltstack(&ss, NULL) == 0);
	handle(SIGILL, SIG_DFL, 0, NULL);
	free(f_alt);
	f_alt = 0;
}

static volatile unsigned short f_fcw;

/* Clears the x87 exception in the interrupted FPU state and masks it. */
static void
on_x87(int s, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	unsigned short cw;

	__asm__ volatile("fnstcw %0" : "=m"(cw));
	f_fcw = cw;
	f_hits++;
	f_sig = s;
	f_code = si->si_code;
	f_addr = si->si_addr;
	if (uc->uc_mcontext.fpregs) {
		uc->uc_mcontext.fpregs->swd &= ~0x80ff;
		uc->uc_mcontext.fpregs->cwd |= 0x3f;
	}
}

static void
t_x87_fpe(void)
{
	static const float zero = 0.0f;
	unsigned short cw = 0x37f & ~0x4, saved = 0, after = 0;
	struct sigaction sa;
	long at;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_x87;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGFPE, &sa, NULL);
	f_hits = 0;
	f_fcw = 0;
	__asm__ volatile("fnstcw %[saved]\n\t"
	                 "fninit\n\t"
	                 "fldcw %[cw]\n\t"
	                 "fld1\n\t"
	                 "fdivs %[zero]\n\t"
	                 "lea 0f(%%rip), %[at]\n\t"
	                 "0: fwait\n\t"
	                 "fstp %%st(0)\n\t"
	                 "fnstcw %[after]\n\t"
	                 "fldcw %[saved]"
	                 : [at] "=&r"(at), [saved] "+m"(saved), [after] "=m"(after)
	                 : [cw] "m"(cw), [zero] "m"(zero)
	                 : "memory", "st");
	CHECK(f_hits == 1 && f_sig == SIGFPE && f_code == FPE_FLTDIV && f_addr == (void *)at);
	CHECK(f_fcw == 0x37f);         /* the handler had a clean FPU */
	CHECK((after & 0x3f) == 0x3f); /* the handler's change to the FPU state came back */
	handle(SIGFPE, SIG_DFL, 0, NULL);
}

int
main(int argc, char **argv)
{
	if (argc > 1 && argv[1])
		filter = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	TEST(t_raise_in_handler, "PROC094",
	     "raise inside its own handler: blocked, pending, run after it returns; SA_NODEFER "
	     "nests; sa_mask");
	TEST(t_kill_in_handler, "PROC095",
	     "a signal sent by another process while its handler runs waits for the handler");
	TEST(t_wait_eintr, "PROC096",
	     "select, select on a pipe, poll, pselect, ppoll, nanosleep broken by a signal: EINTR");
	TEST(t_pselect_pending, "PROC074",
	     "pselect/ppoll unblocking a pending signal: handled, EINTR, mask restored");
	TEST(t_altstack, "PROC075",
	     "sigaltstack: errors, SA_ONSTACK handlers on it (raise and interrupt), SS_ONSTACK, "
	     "EPERM there, SS_DISABLE, kept by fork");
	TEST(t_sigqueue, "PROC076",
	     "sigqueue: SI_QUEUE, si_value, si_pid/si_uid to a SA_SIGINFO handler (self, another "
	     "process); kill: SI_USER");
	TEST(t_rt_order, "PROC077",
	     "real-time signals queue (lowest first, in order), standard ones coalesce");
	TEST(t_sigqueue_limits, "PROC078",
	     "sigqueue: EAGAIN at RLIMIT_SIGPENDING, EINVAL, ESRCH, EPERM (si_code, other uid), "
	     "EFAULT");
	TEST(t_sigwaitinfo, "PROC079", "sigwaitinfo/sigtimedwait return the siginfo; EAGAIN");
	TEST(t_thread_masks, "PROC080",
	     "per-thread masks: a process signal goes to a thread not blocking it; inherited "
	     "mask; pending until unblocked");
	TEST(t_pthread_kill, "PROC081",
	     "pthread_kill/tgkill to a thread: run there; pending for that thread only; 0, EINVAL, "
	     "ESRCH");
	TEST(t_thread_sigwait, "PROC082",
	     "sigwait/sigwaitinfo in one thread while the others block the signal");
	TEST(t_exec_thread, "PROC083", "exec from a thread ends the other threads");
	TEST(t_exec_sigstate, "PROC085",
	     "exec keeps the mask and ignored signals (the new image sees and acts on them)");
	TEST(t_ucontext_cancel, "PROC086",
	     "SA_SIGINFO ucontext: uc_sigmask restored (and changeable), interrupted registers; "
	     "pthread_cancel of blocked threads");
	TEST(t_nocldwait, "PROC087",
	     "SA_NOCLDWAIT: a child leaves no zombie (wait: ECHILD), SIGCHLD still sent");
	TEST(t_thread_sigpause, "PROC113",
	     "sigpause in a thread that installed the handler, ended by pthread_kill: the "
	     "handler runs once, sigpause returns -1 EINTR");
	TEST(t_sleep_blocked, "PROC115",
	     "nanosleep with the timer's signal blocked sleeps its whole time (the signal runs "
	     "at the unblock); unblocked, the handler ends it with EINTR and the time left");
	TEST(t_no_starve, "PROC114",
	     "a process calling vfs or procmgr in a loop does not keep others off the CPU "
	     "(a handoff passes the time slice on)");
	TEST(t_thread_churn, "PROC088",
	     "1500 threads created and joined, then per-thread signals still work (thread "
	     "states reclaimed)");
	TEST(t_lazy_mask, "PROC160",
	     "a handled signal blocked without a round trip: another's kill pending, run by the "
	     "unblock; kill and raise to self; SIG_DFL meanwhile; SIGTERM; sigsuspend");
	TEST(t_lazy_fork_exec, "PROC161",
	     "a mask procmgr was not told of: fork's child and exec's image keep it");
	TEST(t_kill_storm, "PROC162",
	     "a process flooded with kill by another for 1.5 s while it computes, sleeps, polls: "
	     "handlers run, it lives");
	TEST(t_flood, "PROC084",
	     "two threads flood a third (16 KiB stack) with pthread_kill for 1 s: no overflow");
	TEST(t_segv_longjmp, "PROC100",
	     "SIGSEGV for an unmapped address and NULL: SEGV_MAPERR, si_addr, ucontext (rip, "
	     "trapno, cr2); siglongjmp out restores the mask");
	TEST(t_sigfpe, "PROC101",
	     "SIGFPE from an integer divide by zero: FPE_INTDIV, si_addr = rip; a handler that "
	     "moves rip and returns");
	TEST(t_sigill, "PROC102",
	     "SIGILL from ud2: ILL_ILLOPN, si_addr = rip; handler returns past it");
	TEST(t_readonly_fix, "PROC103",
	     "a write to a read-only mapping: SIGSEGV SEGV_ACCERR; the handler mprotects and "
	     "returns, the write is done again");
	TEST(t_trap_bus, "PROC104",
	     "SIGTRAP from int3 (TRAP_BRKPT), SIGBUS from an alignment check (BUS_ADRALN)");
	TEST(t_fault_fatal, "PROC105",
	     "a fault whose signal is blocked, ignored or default ends the process with it and "
	     "the core bit; SIGCHLD, waitid CLD_DUMPED");
	TEST(t_fault_in_handler, "PROC106",
	     "a fault in its own handler kills (blocked there); SA_RESETHAND: the second kills; "
	     "SA_NODEFER: the handler nests");
	TEST(t_stack_overflow, "PROC107",
	     "a stack overflow is caught by a SA_ONSTACK handler on the sigaltstack; without "
	     "SA_ONSTACK it kills");
	TEST(t_thread_fault, "PROC108",
	     "a fault in a second thread runs the handler in that thread");
	TEST(t_fault_storm, "PROC109",
	     "a handler that returns without fixing the fault: the process loops but does not "
	     "starve others and dies of SIGKILL");
	TEST(t_fault_altstack, "PROC110",
	     "with a sigaltstack, a fault handler with SA_ONSTACK runs on it, one without on the "
	     "faulting stack; a stack outside user space is EINVAL");
	TEST(t_sigbus_eof, "PROC112",
	     "a mapping of a file past its end: SIGBUS BUS_ADRERR (shared and private, read and "
	     "write), the last partial page readable; ftruncate moves the end both ways; "
	     "default SIGBUS kills with a core");
	TEST(t_x87_fpe, "PROC111",
	     "an x87 divide by zero: SIGFPE FPE_FLTDIV at the fwait, a clean FPU in the handler, "
	     "its change to uc_mcontext.fpregs resumed");
	printf("%d passed, %d failed\nSUITE-END procsig\n", passed, failed);
	return failed ? 1 : 0;
}
