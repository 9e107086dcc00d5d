// SPDX-License-Identifier: MIT
/*
 * What a thread operation costs with many threads alive: a musl program
 * run as a process (cmd=/bin/bench/threads, through posixsrv and procmgr,
 * which keeps a signal state per thread), under ./ferry bench -icount.
 * Each metric is measured with one other thread alive (_1) and with 1 000
 * others parked in pthread_cond_timedwait 180 s ahead (_1000); where the
 * two differ, some step walks the live threads or the armed timeouts.
 *   threads_sigmask_N      pthread_sigmask block + unblock of SIGUSR1 (each
 *                          a PROC_SIGSTATE to procmgr in a threaded
 *                          process); median of 200
 *   threads_futex_timed_N  two threads hand a turn back and forth with
 *                          FUTEX_WAKE and FUTEX_WAIT with a 180 s timeout
 *                          (each wait arms a timeout); one round trip,
 *                          median of 200
 *   threads_create_join_N  pthread_create + pthread_join of a thread that
 *                          returns (16 KiB stack); median of 100
 * Prints "BENCH <metric> <value> insns" and "SUITE-END threads".
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "measure.h"

#define FUTEX_WAIT_PRIVATE 128
#define FUTEX_WAKE_PRIVATE 129
enum { PARKED = 1000, STACK = 16384 };

static uint64_t samples[256];

static __attribute__((noreturn)) void
die(const char *what)
{
	fprintf(stderr, "threadsbench: %s failed\n", what);
	exit(1);
}

/* ---- parked threads: in pthread_cond_timedwait until released ---- */

static pthread_mutex_t park_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t park_cond = PTHREAD_COND_INITIALIZER;
static int parked, released;
static pthread_t park_t[PARKED];
static pthread_attr_t attr;

static void *
park_main(void *arg)
{
	struct timespec ts;
	(void)arg;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 180;
	pthread_mutex_lock(&park_lock);
	parked++;
	while (!released)
		if (pthread_cond_timedwait(&park_cond, &park_lock, &ts))
			break;
	pthread_mutex_unlock(&park_lock);
	return NULL;
}

static void
park(int n)
{
	released = 0;
	parked = 0;
	for (int i = 0; i < n; i++)
		if (pthread_create(&park_t[i], &attr, park_main, NULL))
			die("pthread_create (parking)");
	pthread_mutex_lock(&park_lock);
	while (parked < n) {
		pthread_mutex_unlock(&park_lock);
		sched_yield();
		pthread_mutex_lock(&park_lock);
	}
	pthread_mutex_unlock(&park_lock);
}

static void
unpark(int n)
{
	pthread_mutex_lock(&park_lock);
	released = 1;
	pthread_cond_broadcast(&park_cond);
	pthread_mutex_unlock(&park_lock);
	for (int i = 0; i < n; i++)
		pthread_join(park_t[i], NULL);
}

/* ---- the measured operations ---- */

static void
bench_sigmask(const char *metric)
{
	const int n = 200;
	sigset_t one;
	sigemptyset(&one);
	sigaddset(&one, SIGUSR1);
	for (int i = 0; i < n + 10; i++) {
		uint64_t a = rdtsc();
		pthread_sigmask(SIG_BLOCK, &one, NULL);
		pthread_sigmask(SIG_UNBLOCK, &one, NULL);
		if (i >= 10)
			samples[i - 10] = rdtsc() - a;
	}
	report(metric, median(samples, n), "insns");
}

static volatile int turn;

static long
futex(volatile int *addr, int op, int val, const struct timespec *ts)
{
	return syscall(SYS_futex, addr, op, val, ts, 0, 0);
}

static const struct timespec far = {.tv_sec = 180};

static void *
partner(void *arg)
{
	int rounds = (int)(long)arg;
	for (int i = 0; i < rounds; i++) {
		while (turn != 1)
			futex(&turn, FUTEX_WAIT_PRIVATE, 0, &far);
		turn = 0;
		futex(&turn, FUTEX_WAKE_PRIVATE, 1, NULL);
	}
	return NULL;
}

static void
bench_futex_timed(const char *metric)
{
	const int n = 200;
	pthread_t t;
	turn = 0;
	if (pthread_create(&t, &attr, partner, (void *)(long)(n + 10)))
		die("pthread_create (partner)");
	for (int i = 0; i < n + 10; i++) {
		uint64_t a = rdtsc();
		turn = 1;
		futex(&turn, FUTEX_WAKE_PRIVATE, 1, NULL);
		while (turn != 0)
			futex(&turn, FUTEX_WAIT_PRIVATE, 1, &far);
		if (i >= 10)
			samples[i - 10] = rdtsc() - a;
	}
	pthread_join(t, NULL);
	report(metric, median(samples, n), "insns");
}

static void *
nothing(void *arg)
{
	return arg;
}

static void
bench_create_join(const char *metric)
{
	const int n = 100;
	for (int i = 0; i < n + 10; i++) {
		pthread_t t;
		uint64_t a = rdtsc();
		if (pthread_create(&t, &attr, nothing, NULL) || pthread_join(t, NULL))
			die("pthread_create (empty)");
		if (i >= 10)
			samples[i - 10] = rdtsc() - a;
	}
	report(metric, median(samples, n), "insns");
}

int
main(void)
{
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, STACK);

	park(1);
	bench_sigmask("threads_sigmask_1");
	bench_futex_timed("threads_futex_timed_1");
	bench_create_join("threads_create_join_1");
	unpark(1);

	park(PARKED);
	bench_sigmask("threads_sigmask_1000");
	bench_futex_timed("threads_futex_timed_1000");
	bench_create_join("threads_create_join_1000");
	unpark(PARKED);

	printf("SUITE-END threads\n");
	return 0;
}
