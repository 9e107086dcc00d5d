// SPDX-License-Identifier: MIT
/*
 * The proctimer suite (cmd=/bin/proc/timertests): CPU-time clocks
 * (process, thread, another process's), interval timers (ITIMER_REAL,
 * VIRTUAL, PROF, alarm) and POSIX timers (signal with siginfo, SIGEV_NONE,
 * SIGEV_THREAD, SIGEV_THREAD_ID, CPU-clock timers, overruns, limits) and
 * what fork and exec do to them.  Each test prints PASS/FAIL with its
 * PROC1NN ID, then the summary and SUITE-END proctimer; the exit status
 * is the number of failures.  argv[1], if given, selects the tests whose
 * ID starts with it; "--after-exec" is the image PROC127 execs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../pxcheck.h"

static long
ns_of(struct timespec ts)
{
	return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

/* Clock clk in ms (-1: unreadable). */
static long
clock_ms(clockid_t clk)
{
	struct timespec ts;
	if (clock_gettime(clk, &ts))
		return -1;
	return ns_of(ts) / 1000000;
}

static void
msleep(int ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* Computes for ms of wall time. */
static void
spin(int ms)
{
	long end = clock_ms(CLOCK_MONOTONIC) + ms;
	while (clock_ms(CLOCK_MONOTONIC) < end)
		;
}

/* Computes until the calling thread's CPU clock has grown by ms, or until
 * stop becomes nonzero, for at most limit ms of wall time. */
static void
spin_cpu(int ms, volatile sig_atomic_t *stop, int limit)
{
	long cpu_end = clock_ms(CLOCK_THREAD_CPUTIME_ID) + ms;
	long wall_end = clock_ms(CLOCK_MONOTONIC) + limit;
	while (clock_ms(CLOCK_THREAD_CPUTIME_ID) < cpu_end && !(stop && *stop) &&
	       clock_ms(CLOCK_MONOTONIC) < wall_end)
		;
}

static void
handle(int sig, void (*fn)(int))
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = fn;
	sigaction(sig, &sa, NULL);
}

static volatile sig_atomic_t got_vt, got_prof, got_alrm;
static volatile long vt_cpu_ms;
static void
on_vtalrm(int s)
{
	(void)s;
	got_vt++;
	vt_cpu_ms = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
}
static void
on_prof(int s)
{
	(void)s;
	got_prof++;
}
static void
on_alrm(int s)
{
	(void)s;
	got_alrm++;
}

static int
disarm(int which)
{
	struct itimerval z = {{0, 0}, {0, 0}};
	return setitimer(which, &z, NULL);
}

/* PROC120 */
static void
t_cpu_clocks(void)
{
	struct timespec r = {5, 5}, a, b;
	CHECK(clock_getres(CLOCK_PROCESS_CPUTIME_ID, &r) == 0 && r.tv_sec == 0 && r.tv_nsec == 1);
	CHECK(clock_getres(CLOCK_THREAD_CPUTIME_ID, &r) == 0 && r.tv_sec == 0 && r.tv_nsec == 1);
	long t0 = clock_ms(CLOCK_THREAD_CPUTIME_ID), p0 = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
	long w0 = clock_ms(CLOCK_MONOTONIC);
	spin(150);
	long t1 = clock_ms(CLOCK_THREAD_CPUTIME_ID), p1 = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
	long w1 = clock_ms(CLOCK_MONOTONIC);
	CHECK(p0 >= 0 && t0 >= 0 && t0 <= p0);
	CHECK(t1 - t0 >= 75 && t1 - t0 <= w1 - w0 + 2);
	CHECK(p1 - p0 + 2 >= t1 - t0 && p1 - p0 <= w1 - w0 + 2); /* 2: ms rounding */
	/* Sleeping costs (almost) no CPU time. */
	msleep(200);
	long t2 = clock_ms(CLOCK_THREAD_CPUTIME_ID);
	CHECK(t2 - t1 < 50);
	/* Finer than the 1 ms tick: two reads in a row differ by well under
	 * a millisecond, and never go back. */
	int fine = 0, back = 0;
	for (int i = 0; i < 20; i++) {
		CHECK(clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a) == 0);
		CHECK(clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b) == 0);
		back |= ns_of(b) < ns_of(a);
		fine += ns_of(b) > ns_of(a) && ns_of(b) - ns_of(a) < 500000;
	}
	CHECK(!back && fine >= 10);
	if (cur_failed)
		printf("  process %ld->%ld->, thread %ld->%ld->%ld, wall %ld->%ld ms, fine %d\n",
		       p0, p1, t0, t1, t2, w0, w1, fine);
}

static void *
spinner(void *arg)
{
	clockid_t c;
	long *out = arg;
	pthread_getcpuclockid(pthread_self(), &c);
	out[0] = clock_ms(c);
	spin(150);
	out[1] = clock_ms(c);
	out[2] = clock_ms(CLOCK_THREAD_CPUTIME_ID);
	struct rusage ru;
	out[3] = getrusage(RUSAGE_THREAD, &ru)
	                 ? -1
	                 : (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 +
	                           (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000;
	return NULL;
}

/* PROC121 */
static void
t_thread_clocks(void)
{
	pthread_t th;
	clockid_t c, self;
	long out[4] = {-1, -1, -1, -1};
	struct timespec ts;
	CHECK(pthread_getcpuclockid(pthread_self(), &self) == 0);
	long m0 = clock_ms(self), p0 = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
	/* The same clock as CLOCK_THREAD_CPUTIME_ID (read a moment later). */
	long m0b = clock_ms(CLOCK_THREAD_CPUTIME_ID);
	CHECK(m0 >= 0 && m0b >= m0 && m0b - m0 <= 20);
	CHECK(pthread_create(&th, NULL, spinner, out) == 0);
	CHECK(pthread_getcpuclockid(th, &c) == 0);
	long seen = clock_ms(c); /* another live thread's clock */
	CHECK(pthread_join(th, NULL) == 0);
	long m1 = clock_ms(self), p1 = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
	CHECK(seen >= 0 && out[0] >= 0 && out[0] < 20);
	CHECK(out[1] - out[0] >= 75 && out[2] >= out[1] && out[2] - out[1] <= 20);
	CHECK(m1 - m0 < 50); /* the main thread slept in join */
	CHECK(p1 - p0 >= out[1] - out[0]);
	/* getrusage(RUSAGE_THREAD): that thread's own time. */
	CHECK(out[3] >= out[2] - 2 && out[3] <= out[2] + 20);
	/* The clock of a thread that has ended, or of no thread: EINVAL. */
	errno = 0;
	CHECK(clock_gettime(c, &ts) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(clock_gettime((-4000 - 1) * 8 + 6, &ts) == -1 && errno == EINVAL);
	if (cur_failed)
		printf("  thread %ld %ld %ld rusage %ld, main %ld->%ld, process %ld->%ld\n", out[0],
		       out[1], out[2], out[3], m0, m1, p0, p1);
}

/* PROC122 */
static void
t_other_clocks(void)
{
	clockid_t c, c0, cc;
	struct timespec ts = {0, 0};
	int p[2], st = -1;
	char x;
	CHECK(clock_getcpuclockid(0, &c0) == 0);
	CHECK(clock_getcpuclockid(getpid(), &c) == 0);
	CHECK(clock_gettime(c0, &ts) == 0 && clock_gettime(c, &ts) == 0);
	long mine = ns_of(ts) / 1000000;
	CHECK(labs(mine - clock_ms(CLOCK_PROCESS_CPUTIME_ID)) <= 2);
	/* A child computes 200 ms, then waits: we read its clock. */
	CHECK(pipe(p) == 0);
	fflush(stdout);
	pid_t k = fork();
	if (k == 0) {
		close(p[0]);
		spin(200);
		(void)write(p[1], "x", 1);
		pause();
		_exit(0);
	}
	close(p[1]);
	CHECK(read(p[0], &x, 1) == 1);
	CHECK(clock_getcpuclockid(k, &cc) == 0);
	long theirs = clock_ms(cc);
	CHECK(theirs >= 100 && theirs < 100000);
	kill(k, SIGKILL);
	CHECK(waitpid(k, &st, 0) == k);
	close(p[0]);
	/* No such process: ESRCH from clock_getcpuclockid, EINVAL from a read. */
	CHECK(clock_getcpuclockid(k, &c) == ESRCH);
	CHECK(clock_getcpuclockid(32767, &c) == ESRCH);
	errno = 0;
	CHECK(clock_gettime(cc, &ts) == -1 && errno == EINVAL);
	/* Bad ids: the kinds Ferry has not (3, Linux's PROF and VIRT), junk. */
	errno = 0;
	CHECK(clock_gettime(-5, &ts) == -1 && errno == EINVAL); /* kind 3 */
	errno = 0;
	CHECK(clock_gettime(-8, &ts) == -1 && errno == EINVAL); /* kind 0 */
	errno = 0;
	CHECK(clock_gettime(42, &ts) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(clock_getres(-5, &ts) == -1 && errno == EINVAL);
	/* clock_settime: CPU clocks EPERM, MONOTONIC and junk EINVAL, the real-time
	 * clock EINVAL for a bad timespec and EPERM otherwise (not settable). */
	ts.tv_sec = 1;
	ts.tv_nsec = 0;
	errno = 0;
	CHECK(clock_settime(CLOCK_PROCESS_CPUTIME_ID, &ts) == -1 && errno == EPERM);
	errno = 0;
	CHECK(clock_settime(CLOCK_THREAD_CPUTIME_ID, &ts) == -1 && errno == EPERM);
	errno = 0;
	CHECK(clock_settime(cc, &ts) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(clock_settime(CLOCK_MONOTONIC, &ts) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(clock_settime(42, &ts) == -1 && errno == EINVAL);
	ts.tv_nsec = 1000000000;
	errno = 0;
	CHECK(clock_settime(CLOCK_REALTIME, &ts) == -1 && errno == EINVAL);
	ts.tv_nsec = 0;
	errno = 0;
	CHECK(clock_settime(CLOCK_REALTIME, &ts) == -1 && errno == EPERM);
}

/* PROC123 */
static void
t_fork_clocks(void)
{
	int st = -1;
	spin(150);
	long before = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
	fflush(stdout);
	pid_t k = fork();
	if (k == 0) {
		clockid_t c;
		long p = clock_ms(CLOCK_PROCESS_CPUTIME_ID), t = clock_ms(CLOCK_THREAD_CPUTIME_ID);
		long q = -1;
		if (pthread_getcpuclockid(pthread_self(), &c) == 0)
			q = clock_ms(c);
		_exit(p >= 0 && p < 50 && t >= 0 && t <= p + 1 && q >= 0 && q < 50 ? 0 : 1);
	}
	CHECK(before >= 75);
	CHECK(waitpid(k, &st, 0) == k && WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

/* PROC124 */
static void
t_itimer_virtual(void)
{
	struct itimerval it = {{0, 0}, {0, 100000}}, cur;
	handle(SIGVTALRM, on_vtalrm);
	got_vt = 0;
	long start = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
	CHECK(setitimer(ITIMER_VIRTUAL, &it, NULL) == 0);
	CHECK(getitimer(ITIMER_VIRTUAL, &cur) == 0);
	CHECK(cur.it_value.tv_sec == 0 && cur.it_value.tv_usec > 50000 &&
	      cur.it_value.tv_usec <= 100000);
	/* Sleeping does not make it expire. */
	msleep(300);
	CHECK(got_vt == 0);
	CHECK(getitimer(ITIMER_VIRTUAL, &cur) == 0 && cur.it_value.tv_usec > 50000);
	spin_cpu(3000, &got_vt, 6000);
	CHECK(got_vt == 1);
	CHECK(vt_cpu_ms - start >= 90);
	CHECK(getitimer(ITIMER_VIRTUAL, &cur) == 0 && cur.it_value.tv_sec == 0 &&
	      cur.it_value.tv_usec == 0);
	handle(SIGVTALRM, SIG_DFL);
	if (cur_failed)
		printf("  got %d at %ld ms of CPU from %ld\n", (int)got_vt, vt_cpu_ms, start);
}

/* PROC125 */
static void
t_itimer_prof(void)
{
	struct itimerval it = {{0, 50000}, {0, 50000}}, old, cur;
	handle(SIGPROF, on_prof);
	got_prof = 0;
	CHECK(setitimer(ITIMER_PROF, &it, NULL) == 0);
	spin_cpu(400, NULL, 8000);
	it.it_value.tv_usec = 0;
	it.it_interval.tv_usec = 0;
	CHECK(setitimer(ITIMER_PROF, &it, &old) == 0);
	int n = got_prof;
	CHECK(old.it_interval.tv_sec == 0 && old.it_interval.tv_usec == 50000);
	CHECK(old.it_value.tv_usec > 0 && old.it_value.tv_usec <= 50000);
	CHECK(n >= 5 && n <= 9);
	spin(150);
	CHECK(got_prof == n);
	CHECK(getitimer(ITIMER_PROF, &cur) == 0 && cur.it_value.tv_usec == 0 &&
	      cur.it_interval.tv_usec == 0);
	handle(SIGPROF, SIG_DFL);
	if (cur_failed)
		printf("  %d SIGPROF in 400 ms of CPU at 50 ms\n", n);
}

/* PROC126 */
static void
t_itimer_errors(void)
{
	struct itimerval it = {{0, 0}, {1, 0}}, cur;
	for (int which = -1; which <= 3; which += 4) {
		errno = 0;
		CHECK(setitimer(which, &it, NULL) == -1 && errno == EINVAL);
		errno = 0;
		CHECK(getitimer(which, &cur) == -1 && errno == EINVAL);
	}
	int kinds[] = {ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF};
	for (int i = 0; i < 3; i++) {
		it = (struct itimerval){{0, 0}, {0, 1000000}};
		errno = 0;
		CHECK(setitimer(kinds[i], &it, NULL) == -1 && errno == EINVAL);
		it = (struct itimerval){{0, -1}, {1, 0}};
		errno = 0;
		CHECK(setitimer(kinds[i], &it, NULL) == -1 && errno == EINVAL);
		it = (struct itimerval){{0, 0}, {-1, 0}};
		errno = 0;
		CHECK(setitimer(kinds[i], &it, NULL) == -1 && errno == EINVAL);
		CHECK(getitimer(kinds[i], &cur) == 0 && cur.it_value.tv_sec == 0 &&
		      cur.it_value.tv_usec == 0);
	}
	/* alarm and ITIMER_REAL are one timer. */
	handle(SIGALRM, on_alrm);
	got_alrm = 0;
	CHECK(alarm(5) == 0);
	CHECK(getitimer(ITIMER_REAL, &cur) == 0 && cur.it_value.tv_sec >= 4 &&
	      cur.it_value.tv_sec <= 5);
	it = (struct itimerval){{0, 0}, {2, 0}};
	CHECK(setitimer(ITIMER_REAL, &it, &cur) == 0 && cur.it_value.tv_sec >= 4);
	unsigned left = alarm(0);
	CHECK(left == 2);
	CHECK(getitimer(ITIMER_REAL, &cur) == 0 && cur.it_value.tv_sec == 0 &&
	      cur.it_value.tv_usec == 0);
	/* The three are separate timers. */
	it = (struct itimerval){{0, 0}, {0, 30000}};
	CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
	it.it_value.tv_sec = 7;
	CHECK(setitimer(ITIMER_PROF, &it, NULL) == 0);
	msleep(200);
	CHECK(got_alrm == 1);
	CHECK(getitimer(ITIMER_PROF, &cur) == 0 && cur.it_value.tv_sec >= 6);
	CHECK(getitimer(ITIMER_VIRTUAL, &cur) == 0 && cur.it_value.tv_sec == 0 &&
	      cur.it_value.tv_usec == 0);
	CHECK(disarm(ITIMER_PROF) == 0);
	handle(SIGALRM, SIG_DFL);
}

/* PROC127: --after-exec, run by t_fork_exec's child. */
static int
after_exec(void)
{
	struct itimerval cur;
	struct itimerspec ts;
	int bad = 0;
	int kinds[] = {ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF};
	for (int i = 0; i < 3; i++)
		if (getitimer(kinds[i], &cur) || cur.it_value.tv_sec < 100)
			bad |= 1 << i;
	/* The process's CPU clock counts the image before the exec; the
	 * thread's is new. */
	if (clock_ms(CLOCK_PROCESS_CPUTIME_ID) < 100)
		bad |= 16;
	if (clock_ms(CLOCK_THREAD_CPUTIME_ID) > 50)
		bad |= 32;
	/* The POSIX timer did not survive: no id is in use. */
	for (long id = 0; id < 32; id++)
		if (timer_gettime((timer_t)id, &ts) != -1 || errno != EINVAL)
			bad |= 8;
	return bad;
}

static void
t_fork_exec(void)
{
	struct itimerval it = {{0, 0}, {200, 0}}, cur;
	int st = -1;
	timer_t id;
	struct sigevent sev = {.sigev_notify = SIGEV_NONE};
	struct itimerspec ts = {{0, 0}, {300, 0}};
	CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
	CHECK(setitimer(ITIMER_VIRTUAL, &it, NULL) == 0);
	CHECK(setitimer(ITIMER_PROF, &it, NULL) == 0);
	CHECK(timer_create(CLOCK_MONOTONIC, &sev, &id) == 0);
	CHECK(timer_settime(id, 0, &ts, NULL) == 0);
	/* fork: the child has none of them. */
	fflush(stdout);
	pid_t k = fork();
	if (k == 0) {
		int bad = 0;
		int kinds[] = {ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF};
		for (int i = 0; i < 3; i++)
			if (getitimer(kinds[i], &cur) || cur.it_value.tv_sec ||
			    cur.it_value.tv_usec)
				bad |= 1 << i;
		if (timer_gettime(id, &ts) != -1 || errno != EINVAL)
			bad |= 8;
		_exit(bad);
	}
	CHECK(waitpid(k, &st, 0) == k && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	if (WIFEXITED(st) && WEXITSTATUS(st))
		printf("  fork child: %#x\n", WEXITSTATUS(st));
	/* exec: the interval timers stay, the POSIX timer goes. */
	fflush(stdout);
	k = fork();
	if (k == 0) {
		CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
		CHECK(setitimer(ITIMER_VIRTUAL, &it, NULL) == 0);
		CHECK(setitimer(ITIMER_PROF, &it, NULL) == 0);
		CHECK(timer_create(CLOCK_MONOTONIC, &sev, &id) == 0);
		CHECK(timer_settime(id, 0, &ts, NULL) == 0);
		spin(150);
		execl("/bin/proc/timertests", "timertests", "--after-exec", (char *)NULL);
		_exit(99);
	}
	CHECK(waitpid(k, &st, 0) == k && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	if (WIFEXITED(st) && WEXITSTATUS(st))
		printf("  exec'd child: %#x\n", WEXITSTATUS(st));
	CHECK(timer_delete(id) == 0);
	CHECK(disarm(ITIMER_REAL) == 0 && disarm(ITIMER_VIRTUAL) == 0 && disarm(ITIMER_PROF) == 0);
}

static volatile sig_atomic_t si_hits, si_code_seen, si_val_seen, si_id_seen;
static void
on_info(int s, siginfo_t *si, void *uc)
{
	(void)s, (void)uc;
	si_hits++;
	si_code_seen = si->si_code;
	si_val_seen = si->si_value.sival_int;
	si_id_seen = si->si_timerid;
}

/* PROC128 */
static void
t_timer_siginfo(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_info;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGRTMIN + 1, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	timer_t a, b;
	struct sigevent sev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGRTMIN + 1};
	sev.sigev_value.sival_int = 4242;
	struct itimerspec ts = {{0, 0}, {0, 20000000}};
	CHECK(timer_create(CLOCK_REALTIME, &sev, &a) == 0);
	CHECK(timer_create(CLOCK_MONOTONIC, NULL, &b) == 0);
	si_hits = 0;
	CHECK(timer_settime(a, 0, &ts, NULL) == 0);
	long end = clock_ms(CLOCK_MONOTONIC) + 3000;
	while (!si_hits && clock_ms(CLOCK_MONOTONIC) < end)
		msleep(5);
	CHECK(si_hits == 1 && si_code_seen == SI_TIMER && si_val_seen == 4242 &&
	      si_id_seen == (int)(intptr_t)a);
	/* Without a sigevent: SIGALRM, the timer's id as si_value. */
	si_hits = 0;
	CHECK(timer_settime(b, 0, &ts, NULL) == 0);
	end = clock_ms(CLOCK_MONOTONIC) + 3000;
	while (!si_hits && clock_ms(CLOCK_MONOTONIC) < end)
		msleep(5);
	CHECK(si_hits == 1 && si_code_seen == SI_TIMER && si_val_seen == (int)(intptr_t)b &&
	      si_id_seen == (int)(intptr_t)b);
	CHECK(timer_delete(a) == 0 && timer_delete(b) == 0);
	handle(SIGRTMIN + 1, SIG_DFL);
	handle(SIGALRM, SIG_DFL);
	if (cur_failed)
		printf("  hits %d code %d value %d id %d\n", (int)si_hits, (int)si_code_seen,
		       (int)si_val_seen, (int)si_id_seen);
}

static volatile int notes, note_val;
static volatile pid_t note_tid;
static void
notify_fn(union sigval v)
{
	note_val = v.sival_int;
	note_tid = gettid();
	__atomic_add_fetch(&notes, 1, __ATOMIC_SEQ_CST);
}

/* PROC129 */
static void
t_sigev_thread(void)
{
	timer_t t;
	struct sigevent sev = {.sigev_notify = SIGEV_THREAD};
	sev.sigev_notify_function = notify_fn;
	sev.sigev_value.sival_int = 77;
	struct itimerspec ts = {{0, 30000000}, {0, 30000000}}, z = {{0, 0}, {0, 0}};
	notes = 0;
	CHECK(timer_create(CLOCK_MONOTONIC, &sev, &t) == 0);
	CHECK(timer_settime(t, 0, &ts, NULL) == 0);
	long end = clock_ms(CLOCK_MONOTONIC) + 5000;
	while (notes < 3 && clock_ms(CLOCK_MONOTONIC) < end)
		msleep(10);
	CHECK(notes >= 3 && note_val == 77 && note_tid != gettid() && note_tid > 0);
	CHECK(timer_settime(t, 0, &z, NULL) == 0);
	msleep(50);
	int n = notes;
	msleep(150);
	CHECK(notes == n);
	CHECK(timer_delete(t) == 0);
	if (cur_failed)
		printf("  %d notifications, value %d, tid %d (ours %d)\n", notes, note_val,
		       (int)note_tid, (int)gettid());
}

struct waiter {
	pid_t tid;
	int sig, code, value;
};

static void *
sigwaiter(void *arg)
{
	struct waiter *w = arg;
	sigset_t set;
	siginfo_t si;
	w->tid = gettid();
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + 2);
	struct timespec limit = {5, 0};
	w->sig = sigtimedwait(&set, &si, &limit);
	w->code = si.si_code;
	w->value = si.si_value.sival_int;
	return NULL;
}

/* PROC130 */
static void
t_sigev_thread_id(void)
{
	sigset_t set, old;
	pthread_t th;
	struct waiter w = {0, -1, 0, 0};
	timer_t t;
	struct itimerspec ts = {{0, 0}, {0, 50000000}};
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + 2);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	CHECK(pthread_create(&th, NULL, sigwaiter, &w) == 0);
	while (!__atomic_load_n(&w.tid, __ATOMIC_SEQ_CST))
		msleep(1);
	struct sigevent sev = {.sigev_notify = SIGEV_THREAD_ID, .sigev_signo = SIGRTMIN + 2};
	sev.sigev_value.sival_int = 9;
	sev.sigev_notify_thread_id = w.tid;
	CHECK(timer_create(CLOCK_MONOTONIC, &sev, &t) == 0);
	CHECK(timer_settime(t, 0, &ts, NULL) == 0);
	CHECK(pthread_join(th, NULL) == 0);
	CHECK(w.sig == SIGRTMIN + 2 && w.code == SI_TIMER && w.value == 9);
	CHECK(timer_delete(t) == 0);
	/* A thread that is not ours, or no thread: EINVAL. */
	sev.sigev_notify_thread_id = 4000;
	errno = 0;
	CHECK(timer_create(CLOCK_MONOTONIC, &sev, &t) == -1 && errno == EINVAL);
	sev.sigev_notify_thread_id = 0;
	errno = 0;
	CHECK(timer_create(CLOCK_MONOTONIC, &sev, &t) == -1 && errno == EINVAL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (cur_failed)
		printf("  waiter got %d code %d value %d\n", w.sig, w.code, w.value);
}

static volatile sig_atomic_t cpu_fired;
static void
on_cpu_timer(int s)
{
	(void)s;
	cpu_fired++;
}

/* PROC131 */
static void
t_cpu_timers(void)
{
	timer_t t;
	struct itimerspec ts = {{0, 0}, {0, 100000000}}, cur;
	struct sigevent sev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1};
	handle(SIGUSR1, on_cpu_timer);
	cpu_fired = 0;
	CHECK(timer_create(CLOCK_PROCESS_CPUTIME_ID, &sev, &t) == 0);
	long c0 = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
	CHECK(timer_settime(t, 0, &ts, NULL) == 0);
	msleep(300);
	CHECK(cpu_fired == 0);
	CHECK(timer_gettime(t, &cur) == 0 && cur.it_value.tv_sec == 0 &&
	      cur.it_value.tv_nsec > 50000000);
	spin_cpu(3000, &cpu_fired, 6000);
	long c1 = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
	CHECK(cpu_fired == 1 && c1 - c0 >= 95);
	CHECK(timer_delete(t) == 0);
	/* The thread's own clock, with an absolute time on it. */
	clockid_t mine;
	struct timespec now;
	CHECK(pthread_getcpuclockid(pthread_self(), &mine) == 0);
	CHECK(timer_create(mine, &sev, &t) == 0);
	CHECK(clock_gettime(mine, &now) == 0);
	ts.it_value.tv_sec = now.tv_sec;
	ts.it_value.tv_nsec = now.tv_nsec + 60000000;
	if (ts.it_value.tv_nsec >= 1000000000) {
		ts.it_value.tv_sec++;
		ts.it_value.tv_nsec -= 1000000000;
	}
	cpu_fired = 0;
	c0 = clock_ms(mine);
	CHECK(timer_settime(t, TIMER_ABSTIME, &ts, NULL) == 0);
	spin_cpu(3000, &cpu_fired, 6000);
	c1 = clock_ms(mine);
	CHECK(cpu_fired == 1 && c1 - c0 >= 55);
	CHECK(timer_delete(t) == 0);
	/* Another process's clock cannot carry our timer: EINVAL. */
	clockid_t other;
	int st;
	pid_t k = fork();
	if (k == 0) {
		pause();
		_exit(0);
	}
	CHECK(clock_getcpuclockid(k, &other) == 0);
	errno = 0;
	CHECK(timer_create(other, &sev, &t) == -1 && errno == EINVAL);
	kill(k, SIGKILL);
	CHECK(waitpid(k, &st, 0) == k);
	handle(SIGUSR1, SIG_DFL);
	if (cur_failed)
		printf("  fired %d, CPU %ld -> %ld ms\n", (int)cpu_fired, c0, c1);
}

/* PROC132 */
static void
t_overrun(void)
{
	timer_t t;
	sigset_t set, old;
	struct sigevent sev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR2};
	struct itimerspec ts = {{0, 10000000}, {0, 10000000}}, z = {{0, 0}, {0, 0}};
	siginfo_t si;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, &old);
	CHECK(timer_create(CLOCK_MONOTONIC, &sev, &t) == 0);
	CHECK(timer_getoverrun(t) == 0);
	CHECK(timer_settime(t, 0, &ts, NULL) == 0);
	msleep(300);
	/* Counted at delivery: nothing delivered yet. */
	CHECK(timer_getoverrun(t) == 0);
	CHECK(sigwaitinfo(&set, &si) == SIGUSR2 && si.si_code == SI_TIMER);
	int over = timer_getoverrun(t);
	CHECK(timer_settime(t, 0, &z, NULL) == 0);
	/* About 29 expiries found the signal pending: the delivery's siginfo
	 * says it too. */
	CHECK(over >= 10 && over <= 40 && si.si_overrun == over);
	/* The next delivery counts afresh; a new setting clears the count. */
	CHECK(timer_settime(t, 0, &ts, NULL) == 0);
	CHECK(sigwaitinfo(&set, &si) == SIGUSR2 && si.si_code == SI_TIMER);
	CHECK(si.si_overrun < 5 && timer_getoverrun(t) == si.si_overrun);
	CHECK(timer_settime(t, 0, &z, NULL) == 0);
	CHECK(timer_getoverrun(t) == 0);
	CHECK(timer_delete(t) == 0);
	/* A signal ignored by default is taken when it is dropped, at unblock
	 * (in a child: one thread, as the POSIX suite's timer_getoverrun 2-x). */
	fflush(stdout);
	pid_t k = fork();
	if (k == 0) {
		handle(SIGWINCH, SIG_DFL); /* not ignored, whatever we inherited */
		sigemptyset(&set);
		sigaddset(&set, SIGWINCH);
		sigprocmask(SIG_BLOCK, &set, NULL);
		sev.sigev_signo = SIGWINCH;
		ts.it_value.tv_nsec = ts.it_interval.tv_nsec = 20000000;
		if (timer_create(CLOCK_MONOTONIC, &sev, &t) || timer_settime(t, 0, &ts, NULL))
			_exit(255);
		msleep(300);
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		_exit(timer_getoverrun(t));
	}
	int st = -1;
	CHECK(waitpid(k, &st, 0) == k && WIFEXITED(st));
	int ign = WEXITSTATUS(st);
	CHECK(ign >= 5 && ign <= 20);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (cur_failed)
		printf("  overrun %d, default-ignored %d\n", over, ign);
}

/* PROC133 */
static void
t_timer_errors(void)
{
	timer_t ids[33], t;
	struct sigevent sev = {.sigev_notify = SIGEV_NONE};
	struct itimerspec ts = {{0, 0}, {10, 0}}, cur;
	int n = 0;
	while (n < 33 && timer_create(CLOCK_MONOTONIC, &sev, &ids[n]) == 0)
		n++;
	CHECK(n == 32 && errno == EAGAIN);
	for (int i = 0; i < n; i++)
		CHECK(timer_delete(ids[i]) == 0);
	/* Deleted and made-up ids: EINVAL (musl 1.2.3's timer_delete returns
	 * the system call's -EINVAL as is). */
	errno = 0;
	int r = timer_delete(ids[0]);
	CHECK(r == -EINVAL || (r == -1 && errno == EINVAL));
	errno = 0;
	CHECK(timer_settime((timer_t)5, 0, &ts, NULL) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(timer_gettime((timer_t)31, &cur) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(timer_getoverrun((timer_t)4000) == -1 && errno == EINVAL);
	/* Bad clocks and sigevents. */
	errno = 0;
	CHECK(timer_create(42, &sev, &t) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(timer_create(-5, &sev, &t) == -1 && errno == EINVAL);
	sev.sigev_notify = 99;
	errno = 0;
	CHECK(timer_create(CLOCK_MONOTONIC, &sev, &t) == -1 && errno == EINVAL);
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = 0;
	errno = 0;
	CHECK(timer_create(CLOCK_MONOTONIC, &sev, &t) == -1 && errno == EINVAL);
	sev.sigev_signo = 65;
	errno = 0;
	CHECK(timer_create(CLOCK_MONOTONIC, &sev, &t) == -1 && errno == EINVAL);
	/* Bad times. */
	sev.sigev_notify = SIGEV_NONE;
	CHECK(timer_create(CLOCK_MONOTONIC, &sev, &t) == 0);
	ts.it_value.tv_nsec = 1000000000;
	errno = 0;
	CHECK(timer_settime(t, 0, &ts, NULL) == -1 && errno == EINVAL);
	ts.it_value.tv_nsec = -1;
	errno = 0;
	CHECK(timer_settime(t, 0, &ts, NULL) == -1 && errno == EINVAL);
	ts.it_value.tv_nsec = 0;
	ts.it_interval.tv_sec = -1;
	errno = 0;
	CHECK(timer_settime(t, 0, &ts, NULL) == -1 && errno == EINVAL);
	/* A SIGEV_NONE timer runs and reads back; an absolute time already past
	 * expires at once. */
	ts = (struct itimerspec){{1, 0}, {10, 0}};
	CHECK(timer_settime(t, 0, &ts, NULL) == 0);
	CHECK(timer_gettime(t, &cur) == 0 && cur.it_value.tv_sec >= 9 &&
	      cur.it_interval.tv_sec == 1);
	ts = (struct itimerspec){{0, 0}, {0, 1}};
	CHECK(timer_settime(t, TIMER_ABSTIME, &ts, &cur) == 0 && cur.it_value.tv_sec >= 9);
	msleep(20);
	CHECK(timer_gettime(t, &cur) == 0 && cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0);
	CHECK(timer_delete(t) == 0);
}

int
main(int argc, char **argv)
{
	if (argc > 1 && argv[1] && !strcmp(argv[1], "--after-exec"))
		return after_exec();
	if (argc > 1 && argv[1])
		filter = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	TEST(t_cpu_clocks, "PROC120",
	     "CPU clocks of the process and thread: grow while computing, not while sleeping, "
	     "1 ns resolution, finer than the tick, monotonic");
	TEST(t_thread_clocks, "PROC121",
	     "pthread_getcpuclockid: a new thread starts near 0, its clock counts its own time, "
	     "another thread's clock is readable, an ended thread's is EINVAL; "
	     "getrusage(RUSAGE_THREAD)");
	TEST(t_other_clocks, "PROC122",
	     "clock_getcpuclockid: own and another process's clock, ESRCH for none, bad ids "
	     "EINVAL; clock_settime EPERM/EINVAL");
	TEST(t_fork_clocks, "PROC123", "a fork child's process and thread CPU clocks start at 0");
	TEST(t_itimer_virtual, "PROC124",
	     "ITIMER_VIRTUAL: SIGVTALRM after 100 ms of CPU, not while sleeping; getitimer");
	TEST(t_itimer_prof, "PROC125",
	     "ITIMER_PROF periodic: about 8 SIGPROF in 400 ms of CPU at 50 ms; old value; disarm");
	TEST(t_itimer_errors, "PROC126",
	     "setitimer/getitimer: bad which and times EINVAL; alarm and ITIMER_REAL are one "
	     "timer; the three are separate");
	TEST(t_fork_exec, "PROC127",
	     "fork: no interval or POSIX timers in the child; exec keeps the interval timers and "
	     "the process's CPU time, drops POSIX timers");
	TEST(t_timer_siginfo, "PROC128",
	     "timer_create SIGEV_SIGNAL: si_code SI_TIMER, si_value, si_timerid; no sigevent: "
	     "SIGALRM with the id");
	TEST(t_sigev_thread, "PROC129",
	     "SIGEV_THREAD: the function runs in another thread with sigev_value, periodically; "
	     "disarm stops it");
	TEST(t_sigev_thread_id, "PROC130",
	     "SIGEV_THREAD_ID: the signal goes to that thread (sigtimedwait, SI_TIMER); a thread "
	     "not ours EINVAL");
	TEST(t_cpu_timers, "PROC131",
	     "POSIX timers on the process CPU clock (not while sleeping) and the thread's "
	     "(TIMER_ABSTIME); another process's clock EINVAL");
	TEST(t_overrun, "PROC132",
	     "timer_getoverrun and si_overrun: expiries while the signal was pending, counted at "
	     "delivery or when a default-ignored signal is dropped; timer_settime clears it");
	TEST(t_timer_errors, "PROC133",
	     "32 timers then EAGAIN; bad and deleted ids, clocks, sigevents and times EINVAL; "
	     "SIGEV_NONE reads back; past absolute time");
	printf("%d passed, %d failed\nSUITE-END proctimer\n", passed, failed);
	return failed ? 1 : 0;
}
