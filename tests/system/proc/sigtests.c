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
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int failures, passes;
static const char *filter = "";
static int cur_failed;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			printf("  check failed: %s (line %d, errno %d)\n", #cond, __LINE__,        \
			       errno);                                                             \
			cur_failed = 1;                                                            \
		}                                                                                  \
	} while (0)

#define TEST(fn, id, desc)                                                                         \
	do {                                                                                       \
		if (strncmp(id, filter, strlen(filter)))                                           \
			break;                                                                     \
		cur_failed = 0;                                                                    \
		fn();                                                                              \
		if (cur_failed) {                                                                  \
			printf("FAIL %s: %s\n", id, desc);                                         \
			failures++;                                                                \
		} else {                                                                           \
			printf("PASS %s %s\n", id, desc);                                          \
			passes++;                                                                  \
		}                                                                                  \
		fflush(stdout);                                                                    \
	} while (0)

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

/* ---- PROC070..072: a signal raised or sent while its own handler runs ---- */

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

/* ---- PROC073..074: blocking calls broken by a signal ---- */

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

int
main(int argc, char **argv)
{
	if (argc > 1 && argv[1])
		filter = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	TEST(t_raise_in_handler, "PROC070",
	     "raise inside its own handler: blocked, pending, run after it returns; SA_NODEFER "
	     "nests; sa_mask");
	TEST(t_kill_in_handler, "PROC071",
	     "a signal sent by another process while its handler runs waits for the handler");
	TEST(t_wait_eintr, "PROC073",
	     "select, select on a pipe, poll, pselect, ppoll, nanosleep broken by a signal: EINTR");
	TEST(t_pselect_pending, "PROC074",
	     "pselect/ppoll unblocking a pending signal: handled, EINTR, mask restored");
	TEST(t_altstack, "PROC075",
	     "sigaltstack: errors, SA_ONSTACK handlers on it (raise and interrupt), SS_ONSTACK, "
	     "EPERM there, SS_DISABLE, kept by fork");
	printf("%d passed, %d failed\nSUITE-END procsig\n", passes, failures);
	return failures ? 1 : 0;
}
