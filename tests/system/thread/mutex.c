// SPDX-License-Identifier: MIT
/*
 * Mutexes (THR-100..): normal, recursive and errorcheck types with their
 * error cases, trylock, timedlock with a timeout, and a lock handed
 * between threads that really block on it.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include "thread_test.h"

static pthread_mutex_t m;

static void *
trylock_fn(void *arg)
{
	(void)arg;
	return (void *)(uintptr_t)pthread_mutex_trylock(&m);
}

static void *
unlock_fn(void *arg)
{
	(void)arg;
	return (void *)(uintptr_t)pthread_mutex_unlock(&m);
}

static int
in_thread(void *(*fn)(void *))
{
	pthread_t t;
	void *r;
	pthread_create(&t, 0, fn, 0);
	pthread_join(t, &r);
	return (int)(uintptr_t)r;
}

static void
init_type(int type)
{
	pthread_mutexattr_t a;
	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, type);
	pthread_mutex_init(&m, &a);
	pthread_mutexattr_destroy(&a);
}

static void
t_normal(void)
{
	pthread_mutex_init(&m, 0);
	CHECK("THR-100", "normal: lock", pthread_mutex_lock(&m) == 0);
	CHECK("THR-101", "normal: trylock of a held lock is EBUSY",
	      pthread_mutex_trylock(&m) == EBUSY);
	CHECK("THR-102", "normal: trylock from another thread is EBUSY",
	      in_thread(trylock_fn) == EBUSY);
	CHECK("THR-103", "normal: unlock", pthread_mutex_unlock(&m) == 0);
	CHECK("THR-104", "normal: trylock from another thread succeeds when free",
	      in_thread(trylock_fn) == 0);
	/* That thread exited holding it: a normal mutex stays locked. */
	CHECK("THR-105", "normal: still held after its owner exited",
	      pthread_mutex_trylock(&m) == EBUSY);
	pthread_mutex_init(&m, 0);
	pthread_mutex_destroy(&m);
}

static void
t_recursive(void)
{
	init_type(PTHREAD_MUTEX_RECURSIVE);
	int ok = 1;
	for (int i = 0; i < 5; i++)
		EXPECT(ok, pthread_mutex_lock(&m) == 0);
	EXPECT(ok, pthread_mutex_trylock(&m) == 0);
	CHECK("THR-110", "recursive: the owner locks it 6 times", ok);
	CHECK("THR-111", "recursive: another thread gets EBUSY", in_thread(trylock_fn) == EBUSY);
	CHECK("THR-112", "recursive: another thread cannot unlock it (EPERM)",
	      in_thread(unlock_fn) == EPERM);
	for (int i = 0; i < 5; i++)
		EXPECT(ok, pthread_mutex_unlock(&m) == 0);
	CHECK("THR-113", "recursive: held until the 6th unlock", in_thread(trylock_fn) == EBUSY);
	pthread_mutex_unlock(&m);
	CHECK("THR-114", "recursive: free after 6 unlocks",
	      pthread_mutex_trylock(&m) == 0 && pthread_mutex_unlock(&m) == 0);
	CHECK("THR-115", "recursive: unlock when not held is EPERM",
	      pthread_mutex_unlock(&m) == EPERM);
	pthread_mutex_destroy(&m);
}

static void
t_errorcheck(void)
{
	init_type(PTHREAD_MUTEX_ERRORCHECK);
	CHECK("THR-120", "errorcheck: lock", pthread_mutex_lock(&m) == 0);
	CHECK("THR-121", "errorcheck: relock by the owner is EDEADLK",
	      pthread_mutex_lock(&m) == EDEADLK);
	CHECK("THR-122", "errorcheck: unlock by another thread is EPERM",
	      in_thread(unlock_fn) == EPERM);
	CHECK("THR-123", "errorcheck: unlock", pthread_mutex_unlock(&m) == 0);
	CHECK("THR-124", "errorcheck: unlock when not held is EPERM",
	      pthread_mutex_unlock(&m) == EPERM);
	pthread_mutex_destroy(&m);
}

static void *
hold_fn(void *arg)
{
	pthread_mutex_lock(&m);
	*(volatile int *)arg = 1;
	struct timespec ts = {0, 100 * 1000000L};
	nanosleep(&ts, 0);
	pthread_mutex_unlock(&m);
	return 0;
}

static void
t_timedlock(void)
{
	pthread_t t;
	volatile int held = 0;
	pthread_mutex_init(&m, 0);
	pthread_create(&t, 0, hold_fn, (void *)&held);
	while (!held)
		sched_yield();
	struct timespec at = deadline_ms(20);
	long long t0 = now_ns();
	int rc = pthread_mutex_timedlock(&m, &at);
	long long waited = now_ns() - t0;
	CHECK("THR-130", "timedlock on a held mutex times out (ETIMEDOUT)", rc == ETIMEDOUT);
	CHECK("THR-131", "timedlock waited at least its timeout", waited >= 15000000LL);
	at = deadline_ms(5000);
	t0 = now_ns();
	rc = pthread_mutex_timedlock(&m, &at);
	CHECK("THR-132", "timedlock gets the mutex when its holder unlocks", rc == 0);
	CHECK("THR-133", "and did not wait for the timeout", now_ns() - t0 < 4000000000LL);
	pthread_mutex_unlock(&m);
	pthread_join(t, 0);
	at.tv_nsec = 1000000000L;
	CHECK("THR-134", "timedlock with a bad timespec is EINVAL",
	      pthread_mutex_lock(&m) == 0 && pthread_mutex_timedlock(&m, &at) == EINVAL);
	pthread_mutex_unlock(&m);
}

/* Two threads alternate strictly through a mutex and a turn variable. */
static volatile int turn;
static long handoffs;

static void *
alternate_fn(void *arg)
{
	int me = (int)(uintptr_t)arg;
	for (int i = 0; i < 200; i++) {
		for (;;) {
			pthread_mutex_lock(&m);
			if (turn == me)
				break;
			pthread_mutex_unlock(&m);
			sched_yield();
		}
		turn = !me;
		handoffs++;
		pthread_mutex_unlock(&m);
	}
	return 0;
}

static void
t_alternate(void)
{
	pthread_t a, b;
	pthread_mutex_init(&m, 0);
	pthread_create(&a, 0, alternate_fn, (void *)0);
	pthread_create(&b, 0, alternate_fn, (void *)1);
	pthread_join(a, 0);
	pthread_join(b, 0);
	CHECK("THR-140", "two threads alternate 400 times through one mutex", handoffs == 400);
}

int
main(void)
{
	t_normal();
	t_recursive();
	t_errorcheck();
	t_timedlock();
	t_alternate();
	return thread_test_failures;
}
