// SPDX-License-Identifier: MIT
/*
 * Condition variables, read-write locks, barriers and unnamed semaphores
 * (THR-200..), each with real blocking between threads and the timeout
 * paths.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdint.h>
#include "thread_test.h"

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;

/* ---- condition variables ---- */

enum { QN = 4, ITEMS = 2000, PRODUCERS = 3, CONSUMERS = 3 };
static int queue[QN], qhead, qcount;
static long consumed_sum, consumed_n;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER, not_empty = PTHREAD_COND_INITIALIZER;

static void *
producer(void *arg)
{
	int base = (int)(uintptr_t)arg * ITEMS;
	for (int i = 1; i <= ITEMS; i++) {
		pthread_mutex_lock(&m);
		while (qcount == QN)
			pthread_cond_wait(&not_full, &m);
		queue[(qhead + qcount++) % QN] = base + i;
		pthread_cond_signal(&not_empty);
		pthread_mutex_unlock(&m);
	}
	return 0;
}

static void *
consumer(void *arg)
{
	(void)arg;
	for (;;) {
		pthread_mutex_lock(&m);
		while (qcount == 0 && consumed_n < (long)PRODUCERS * ITEMS)
			pthread_cond_wait(&not_empty, &m);
		if (qcount == 0) {
			pthread_mutex_unlock(&m);
			return 0;
		}
		int v = queue[qhead];
		qhead = (qhead + 1) % QN;
		qcount--;
		consumed_sum += v;
		if (++consumed_n == (long)PRODUCERS * ITEMS)
			pthread_cond_broadcast(&not_empty);
		pthread_cond_signal(&not_full);
		pthread_mutex_unlock(&m);
	}
}

static void
t_producer_consumer(void)
{
	pthread_t p[PRODUCERS], c[CONSUMERS];
	long expect = 0;
	for (int i = 0; i < PRODUCERS; i++)
		for (int j = 1; j <= ITEMS; j++)
			expect += i * ITEMS + j;
	for (int i = 0; i < CONSUMERS; i++)
		pthread_create(&c[i], 0, consumer, 0);
	for (int i = 0; i < PRODUCERS; i++)
		pthread_create(&p[i], 0, producer, (void *)(uintptr_t)i);
	for (int i = 0; i < PRODUCERS; i++)
		pthread_join(p[i], 0);
	for (int i = 0; i < CONSUMERS; i++)
		pthread_join(c[i], 0);
	CHECK("THR-200", "cond: 3 producers, 3 consumers, 4-slot queue: every item once",
	      consumed_n == (long)PRODUCERS * ITEMS && consumed_sum == expect);
}

static int waiting, released;

static void *
bcast_waiter(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	waiting++;
	while (!released)
		pthread_cond_wait(&cv, &m);
	waiting--;
	pthread_mutex_unlock(&m);
	return 0;
}

static void
t_broadcast(void)
{
	enum { N = 10 };
	pthread_t t[N];
	for (int i = 0; i < N; i++)
		pthread_create(&t[i], 0, bcast_waiter, 0);
	for (;;) {
		pthread_mutex_lock(&m);
		int w = waiting;
		pthread_mutex_unlock(&m);
		if (w == N)
			break;
		sched_yield();
	}
	pthread_mutex_lock(&m);
	released = 1;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&m);
	for (int i = 0; i < N; i++)
		pthread_join(t[i], 0);
	CHECK("THR-201", "cond: broadcast wakes all 10 waiters", waiting == 0);
}

static void
t_timedwait(void)
{
	struct timespec at = deadline_ms(30);
	long long t0 = now_ns();
	pthread_mutex_lock(&m);
	int rc = pthread_cond_timedwait(&cv, &m, &at);
	int relocked = pthread_mutex_trylock(&m) == EBUSY;
	pthread_mutex_unlock(&m);
	long long waited = now_ns() - t0;
	CHECK("THR-202", "cond: timedwait with nobody signalling is ETIMEDOUT", rc == ETIMEDOUT);
	CHECK("THR-203", "cond: it waited at least 30 ms and holds the mutex again",
	      waited >= 25000000LL && relocked);

	pthread_condattr_t ca;
	pthread_cond_t mono;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&mono, &ca);
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	now.tv_nsec += 10000000L;
	if (now.tv_nsec >= 1000000000L)
		now.tv_sec++, now.tv_nsec -= 1000000000L;
	pthread_mutex_lock(&m);
	rc = pthread_cond_timedwait(&mono, &m, &now);
	pthread_mutex_unlock(&m);
	CHECK("THR-204", "cond: CLOCK_MONOTONIC condvar times out", rc == ETIMEDOUT);
	clock_gettime(CLOCK_REALTIME, &now);
	now.tv_sec -= 1;
	pthread_mutex_lock(&m);
	rc = pthread_cond_timedwait(&cv, &m, &now);
	pthread_mutex_unlock(&m);
	CHECK("THR-205", "cond: a deadline in the past is ETIMEDOUT at once", rc == ETIMEDOUT);
}

static volatile int signalled;

static void *
late_signal(void *arg)
{
	(void)arg;
	struct timespec ts = {0, 20 * 1000000L};
	nanosleep(&ts, 0);
	pthread_mutex_lock(&m);
	signalled = 1;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&m);
	return 0;
}

static void
t_timedwait_signalled(void)
{
	pthread_t t;
	struct timespec at = deadline_ms(5000);
	int rc = 0;
	long long t0 = now_ns();
	pthread_create(&t, 0, late_signal, 0);
	pthread_mutex_lock(&m);
	while (!signalled && rc == 0)
		rc = pthread_cond_timedwait(&cv, &m, &at);
	pthread_mutex_unlock(&m);
	pthread_join(t, 0);
	CHECK("THR-206", "cond: timedwait woken by a signal before its deadline",
	      rc == 0 && signalled && now_ns() - t0 < 4000000000LL);
}

/* ---- read-write locks ---- */

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static volatile int readers_in, max_readers, writer_in, rw_bad;

static void *
reader(void *arg)
{
	(void)arg;
	for (int i = 0; i < 50; i++) {
		pthread_rwlock_rdlock(&rw);
		int n = __atomic_add_fetch(&readers_in, 1, __ATOMIC_SEQ_CST);
		if (n > max_readers)
			max_readers = n;
		if (writer_in)
			rw_bad = 1;
		sched_yield();
		__atomic_sub_fetch(&readers_in, 1, __ATOMIC_SEQ_CST);
		pthread_rwlock_unlock(&rw);
	}
	return 0;
}

static void *
writer(void *arg)
{
	(void)arg;
	for (int i = 0; i < 20; i++) {
		pthread_rwlock_wrlock(&rw);
		if (writer_in || readers_in)
			rw_bad = 1;
		writer_in = 1;
		sched_yield();
		writer_in = 0;
		pthread_rwlock_unlock(&rw);
		sched_yield();
	}
	return 0;
}

static void
t_rwlock(void)
{
	pthread_t r[4], w[2];
	for (int i = 0; i < 4; i++)
		pthread_create(&r[i], 0, reader, 0);
	for (int i = 0; i < 2; i++)
		pthread_create(&w[i], 0, writer, 0);
	for (int i = 0; i < 4; i++)
		pthread_join(r[i], 0);
	for (int i = 0; i < 2; i++)
		pthread_join(w[i], 0);
	CHECK("THR-210", "rwlock: writers exclusive of readers and of each other", !rw_bad);
	CHECK("THR-211", "rwlock: readers hold it together", max_readers >= 2);

	pthread_rwlock_rdlock(&rw);
	CHECK("THR-212", "rwlock: tryrdlock while read-held succeeds",
	      pthread_rwlock_tryrdlock(&rw) == 0 && pthread_rwlock_unlock(&rw) == 0);
	CHECK("THR-213", "rwlock: trywrlock while read-held is EBUSY",
	      pthread_rwlock_trywrlock(&rw) == EBUSY);
	struct timespec at = deadline_ms(20);
	CHECK("THR-214", "rwlock: timedwrlock while read-held is ETIMEDOUT",
	      pthread_rwlock_timedwrlock(&rw, &at) == ETIMEDOUT);
	pthread_rwlock_unlock(&rw);
	pthread_rwlock_wrlock(&rw);
	CHECK("THR-215", "rwlock: tryrdlock while write-held is EBUSY",
	      pthread_rwlock_tryrdlock(&rw) == EBUSY);
	at = deadline_ms(20);
	CHECK("THR-216", "rwlock: timedrdlock while write-held is ETIMEDOUT",
	      pthread_rwlock_timedrdlock(&rw, &at) == ETIMEDOUT);
	pthread_rwlock_unlock(&rw);
}

/* ---- barriers ---- */

enum { BN = 6, ROUNDS = 50 };
static pthread_barrier_t bar;
static volatile int arrived[ROUNDS], serials[ROUNDS], barrier_bad;

static void *
barrier_fn(void *arg)
{
	(void)arg;
	for (int r = 0; r < ROUNDS; r++) {
		__atomic_add_fetch(&arrived[r], 1, __ATOMIC_SEQ_CST);
		int rc = pthread_barrier_wait(&bar);
		if (rc == PTHREAD_BARRIER_SERIAL_THREAD)
			__atomic_add_fetch(&serials[r], 1, __ATOMIC_SEQ_CST);
		else if (rc != 0)
			barrier_bad = 1;
		if (arrived[r] != BN) /* nobody passes before everyone arrived */
			barrier_bad = 1;
	}
	return 0;
}

static void
t_barrier(void)
{
	pthread_t t[BN];
	int ok = 1;
	pthread_barrier_init(&bar, 0, BN);
	for (int i = 0; i < BN; i++)
		pthread_create(&t[i], 0, barrier_fn, 0);
	for (int i = 0; i < BN; i++)
		pthread_join(t[i], 0);
	for (int r = 0; r < ROUNDS; r++)
		EXPECT(ok, serials[r] == 1);
	CHECK("THR-220", "barrier: 6 threads x 50 rounds, nobody passes early", !barrier_bad);
	CHECK("THR-221", "barrier: exactly one serial thread per round", ok);
	pthread_barrier_destroy(&bar);
	CHECK("THR-222", "barrier: count 0 is EINVAL", pthread_barrier_init(&bar, 0, 0) == EINVAL);
}

/* ---- semaphores ---- */

static sem_t sem, sem_done;

static void *
sem_fn(void *arg)
{
	(void)arg;
	for (int i = 0; i < 100; i++)
		sem_wait(&sem);
	sem_post(&sem_done);
	return 0;
}

static void
t_sem(void)
{
	pthread_t t[3];
	int v = -1;
	sem_init(&sem, 0, 2);
	CHECK("THR-230", "sem: trywait takes the initial count",
	      sem_trywait(&sem) == 0 && sem_trywait(&sem) == 0);
	CHECK("THR-231", "sem: trywait at zero is EAGAIN",
	      sem_trywait(&sem) == -1 && errno == EAGAIN);
	struct timespec at = deadline_ms(20);
	long long t0 = now_ns();
	CHECK("THR-232", "sem: timedwait at zero is ETIMEDOUT",
	      sem_timedwait(&sem, &at) == -1 && errno == ETIMEDOUT && now_ns() - t0 >= 15000000LL);
	sem_init(&sem_done, 0, 0);
	for (int i = 0; i < 3; i++)
		pthread_create(&t[i], 0, sem_fn, 0);
	for (int i = 0; i < 300; i++) {
		sem_post(&sem);
		if (i % 7 == 0)
			sched_yield();
	}
	for (int i = 0; i < 3; i++)
		sem_wait(&sem_done);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], 0);
	sem_getvalue(&sem, &v);
	CHECK("THR-233", "sem: 300 posts consumed by 3 blocked waiters, count back to 0", v == 0);
	CHECK("THR-234", "sem: init above SEM_VALUE_MAX is EINVAL",
	      sem_init(&sem, 0, (unsigned)SEM_VALUE_MAX + 1u) == -1 && errno == EINVAL);
}

int
main(void)
{
	t_producer_consumer();
	t_broadcast();
	t_timedwait();
	t_timedwait_signalled();
	t_rwlock();
	t_barrier();
	t_sem();
	return thread_test_failures;
}
