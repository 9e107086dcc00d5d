// SPDX-License-Identifier: MIT
/*
 * Thread benchmarks, a musl program (bin/thread/bench, started by
 * bin/threadtest when the kernel command line says threadbench=1; run by
 * ./ferry bench thread under -icount, where 1 ns is one instruction):
 *   mutex_uncontended     pthread_mutex_lock + unlock, no other thread wants it
 *   thread_create_join    pthread_create + pthread_join of a thread that returns
 *   futex_pingpong        two threads hand a turn back and forth with FUTEX_WAKE
 *                         and FUTEX_WAIT: one round trip (two wakes, two waits,
 *                         two switches)
 *   cond_pingpong         the same through a mutex and two condition variables
 *   futex_wake_none       FUTEX_WAKE of a word nobody waits on (the system call)
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define FUTEX_WAIT_PRIVATE 128
#define FUTEX_WAKE_PRIVATE 129

static long long
now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void
report(const char *metric, double value, const char *unit)
{
	char line[128];
	int n = snprintf(line, sizeof line, "BENCH %s %.2f %s\n", metric, value, unit);
	(void)!write(1, line, (size_t)n);
}

static void *
nothing(void *arg)
{
	return arg;
}

static void
bench_mutex(void)
{
	enum { N = 200000 };
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	pthread_t t;
	/* With a second thread once created, musl takes its multi-threaded paths. */
	pthread_create(&t, 0, nothing, 0);
	pthread_join(t, 0);
	long long t0 = now_ns();
	for (int i = 0; i < N; i++) {
		pthread_mutex_lock(&m);
		pthread_mutex_unlock(&m);
	}
	report("mutex_uncontended", (double)(now_ns() - t0) / N, "ns");
}

static void
bench_create(void)
{
	enum { N = 500 };
	pthread_t t;
	pthread_create(&t, 0, nothing, 0); /* warm: stacks, TLS image */
	pthread_join(t, 0);
	long long t0 = now_ns();
	for (int i = 0; i < N; i++) {
		pthread_create(&t, 0, nothing, 0);
		pthread_join(t, 0);
	}
	report("thread_create_join", (double)(now_ns() - t0) / N / 1000.0, "us");
}

enum { ROUNDS = 5000 };
static volatile int turn; /* 0: main's turn, 1: the partner's */

static void
futex(volatile int *addr, int op, int val)
{
	syscall(SYS_futex, addr, op, val, 0);
}

static void *
partner(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		while (turn != 1)
			futex(&turn, FUTEX_WAIT_PRIVATE, 0);
		turn = 0;
		futex(&turn, FUTEX_WAKE_PRIVATE, 1);
	}
	return 0;
}

static void
bench_futex(void)
{
	pthread_t t;
	turn = 0;
	pthread_create(&t, 0, partner, 0);
	long long t0 = now_ns();
	for (int i = 0; i < ROUNDS; i++) {
		turn = 1;
		futex(&turn, FUTEX_WAKE_PRIVATE, 1);
		while (turn != 0)
			futex(&turn, FUTEX_WAIT_PRIVATE, 1);
	}
	long long dt = now_ns() - t0;
	pthread_join(t, 0);
	report("futex_pingpong", (double)dt / ROUNDS / 1000.0, "us");
}

static pthread_mutex_t cm = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t to_partner = PTHREAD_COND_INITIALIZER, to_main = PTHREAD_COND_INITIALIZER;
static int cturn;

static void *
cond_partner(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&cm);
	for (int i = 0; i < ROUNDS; i++) {
		while (cturn != 1)
			pthread_cond_wait(&to_partner, &cm);
		cturn = 0;
		pthread_cond_signal(&to_main);
	}
	pthread_mutex_unlock(&cm);
	return 0;
}

static void
bench_cond(void)
{
	pthread_t t;
	pthread_create(&t, 0, cond_partner, 0);
	long long t0 = now_ns();
	pthread_mutex_lock(&cm);
	for (int i = 0; i < ROUNDS; i++) {
		cturn = 1;
		pthread_cond_signal(&to_partner);
		while (cturn != 0)
			pthread_cond_wait(&to_main, &cm);
	}
	pthread_mutex_unlock(&cm);
	long long dt = now_ns() - t0;
	pthread_join(t, 0);
	report("cond_pingpong", (double)dt / ROUNDS / 1000.0, "us");
}

static void
bench_wake_none(void)
{
	enum { N = 20000 };
	static volatile int word;
	long long t0 = now_ns();
	for (int i = 0; i < N; i++)
		futex(&word, FUTEX_WAKE_PRIVATE, 1);
	report("futex_wake_none", (double)(now_ns() - t0) / N, "ns");
}

int
main(void)
{
	bench_mutex();
	bench_create();
	bench_futex();
	bench_cond();
	bench_wake_none();
	return 0;
}
