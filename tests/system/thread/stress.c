// SPDX-License-Identifier: MIT
/*
 * 64 threads contend one mutex (THR-300..): each adds its own sequence of
 * values to a shared sum and a shared mixing checksum inside the lock,
 * yielding now and then while holding it so that the others pile up and
 * block in the kernel.  Lost updates or two threads inside at once show
 * up in the totals.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include "thread_test.h"

enum { N = 64, ITER = 400 };

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t start;
static uint64_t sum, xsum;
static long count;
static volatile int inside, overlap;

static void *
worker(void *arg)
{
	uint64_t id = (uintptr_t)arg;
	pthread_barrier_wait(&start);
	for (uint64_t i = 0; i < ITER; i++) {
		uint64_t v = id * 1000003u + i;
		pthread_mutex_lock(&m);
		if (inside++)
			overlap = 1;
		sum += v;
		xsum ^= v * 0x9e3779b97f4a7c15ull;
		count++;
		if ((i & 31) == 0)
			sched_yield(); /* hold the lock across a switch */
		inside--;
		pthread_mutex_unlock(&m);
	}
	return 0;
}

int
main(void)
{
	pthread_t t[N];
	uint64_t esum = 0, exsum = 0;
	int created = 0;
	long long t0 = now_ns();

	for (uint64_t id = 0; id < N; id++)
		for (uint64_t i = 0; i < ITER; i++) {
			uint64_t v = id * 1000003u + i;
			esum += v;
			exsum ^= v * 0x9e3779b97f4a7c15ull;
		}
	pthread_barrier_init(&start, 0, N);
	for (int i = 0; i < N; i++)
		created += pthread_create(&t[i], 0, worker, (void *)(uintptr_t)i) == 0;
	CHECK("THR-300", "64 threads created", created == N);
	for (int i = 0; i < created; i++)
		pthread_join(t[i], 0);
	CHECK("THR-301", "no two threads inside the mutex at once", !overlap);
	CHECK("THR-302", "64 x 400 increments counted", count == (long)N * ITER);
	CHECK("THR-303", "sum and checksum of all values match", sum == esum && xsum == exsum);
	say("  stress: %d threads x %d in %lld ms\n", N, ITER, (now_ns() - t0) / 1000000);
	return thread_test_failures;
}
