// SPDX-License-Identifier: MIT
/*
 * pthreads basics (THR-001..): create and join with results, many at
 * once and many in turn, detach, ids, __thread variables, keys with
 * destructors, once, pthread_kill with signal 0, stack attributes, CPU
 * affinity (one CPU).
 */
#define _GNU_SOURCE
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <sched.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <ferry/syscall.h>
#include "thread_test.h"

#define SLACK (256u << 10) /* bytes: page tables of a few MiB of new addresses */

static uint64_t
quota_left(void)
{
	uint64_t v = 0;
	ferry_sys_kernel_info(FERRY_INFO_TASK_QUOTA, &v);
	return v;
}

static void *
twice(void *arg)
{
	return (void *)((uintptr_t)arg * 2);
}

static void
t_create_join(void)
{
	pthread_t t;
	void *res = 0;
	int rc = pthread_create(&t, 0, twice, (void *)21);
	CHECK("THR-001", "pthread_create returns 0", rc == 0);
	CHECK("THR-002", "pthread_join returns the thread's result",
	      rc == 0 && pthread_join(t, &res) == 0 && (uintptr_t)res == 42);
}

static void
t_many(void)
{
	enum { N = 32 };
	pthread_t t[N];
	int ok = 1;
	for (int i = 0; i < N; i++)
		EXPECT(ok, pthread_create(&t[i], 0, twice, (void *)(uintptr_t)i) == 0);
	for (int i = 0; i < N && ok; i++) {
		void *res;
		EXPECT(ok, pthread_join(t[i], &res) == 0);
		EXPECT(ok, (uintptr_t)res == (uintptr_t)i * 2);
	}
	CHECK("THR-003", "32 threads at once, each joined with its own result", ok);
}

static void
t_sequence(void)
{
	int ok = 1;
	uint64_t before, after;
	pthread_t t;
	void *res;
	/* Warm up: the first creation allocates musl's and libposix's lazy state. */
	pthread_create(&t, 0, twice, 0);
	pthread_join(t, 0);
	before = quota_left();
	for (int i = 0; i < 500 && ok; i++) {
		EXPECT(ok, pthread_create(&t, 0, twice, (void *)(uintptr_t)i) == 0);
		EXPECT(ok, pthread_join(t, &res) == 0 && (uintptr_t)res == (uintptr_t)i * 2);
	}
	after = quota_left();
	if (after != before)
		say("  quota before %llu after %llu\n", (unsigned long long)before,
		    (unsigned long long)after);
	/* Page tables for new stack addresses may stay; a leaked thread would cost 17 KiB each. */
	CHECK("THR-004", "500 create+join in turn; no kernel memory kept per thread",
	      ok && before - after < SLACK);
}

static sem_t detached_done;

static void *
detached_fn(void *arg)
{
	(void)arg;
	sem_post(&detached_done);
	return 0;
}

static void
t_detach(void)
{
	int ok = 1;
	pthread_attr_t a;
	pthread_t t;
	uint64_t before;
	sem_init(&detached_done, 0, 0);
	pthread_create(&t, 0, twice, 0);
	pthread_join(t, 0);
	before = quota_left();
	pthread_attr_init(&a);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	for (int i = 0; i < 20; i++)
		EXPECT(ok, pthread_create(&t, &a, detached_fn, 0) == 0);
	for (int i = 0; i < 20; i++) {
		EXPECT(ok, pthread_create(&t, 0, detached_fn, 0) == 0);
		EXPECT(ok, pthread_detach(t) == 0);
	}
	for (int i = 0; i < 40; i++)
		EXPECT(ok, sem_wait(&detached_done) == 0);
	CHECK("THR-005", "detached threads (attribute and pthread_detach) run", ok);
	/* Their stacks go with __unmapself as they exit: wait for all of them. */
	long long t0 = now_ns();
	while (before - quota_left() >= SLACK && now_ns() - t0 < 2000000000LL)
		sched_yield();
	CHECK("THR-006", "exited detached threads keep no kernel memory",
	      before - quota_left() < SLACK);
}

static pthread_t self_seen;
static long tid_seen;

static void *
ids_fn(void *arg)
{
	(void)arg;
	self_seen = pthread_self();
	tid_seen = syscall(SYS_gettid);
	return 0;
}

static void
t_ids(void)
{
	pthread_t t;
	long me = syscall(SYS_gettid);
	pthread_create(&t, 0, ids_fn, 0);
	pthread_join(t, 0);
	CHECK("THR-007", "pthread_self in the thread equals the creator's handle",
	      pthread_equal(self_seen, t));
	CHECK("THR-008", "gettid: nonzero, differs between threads",
	      me > 0 && tid_seen > 0 && me != tid_seen);
	CHECK("THR-009", "pthread_self of main differs from the thread",
	      !pthread_equal(pthread_self(), t));
}

static __thread int tls_init = 1234;
static __thread int tls_zero;
static __thread char tls_buf[200];

static void *
tls_fn(void *arg)
{
	int ok = tls_init == 1234 && tls_zero == 0 && tls_buf[199] == 0;
	tls_init = (int)(uintptr_t)arg;
	tls_zero = (int)(uintptr_t)arg + 1;
	tls_buf[199] = 7;
	sched_yield();
	ok = ok && tls_init == (int)(uintptr_t)arg && tls_zero == (int)(uintptr_t)arg + 1;
	return (void *)(uintptr_t)ok;
}

static void
t_tls(void)
{
	enum { N = 8 };
	pthread_t t[N];
	int ok = 1;
	tls_init = 99;
	for (int i = 0; i < N; i++)
		pthread_create(&t[i], 0, tls_fn, (void *)(uintptr_t)(i * 10));
	for (int i = 0; i < N; i++) {
		void *r;
		pthread_join(t[i], &r);
		EXPECT(ok, r == (void *)1);
	}
	CHECK("THR-010", "__thread: initial values in each thread, private copies", ok);
	CHECK("THR-011", "__thread: main's copy untouched by the threads",
	      tls_init == 99 && tls_zero == 0);
}

static pthread_key_t key;
static int dtor_calls;
static uintptr_t dtor_sum;
static pthread_mutex_t dtor_lock = PTHREAD_MUTEX_INITIALIZER;

static void
dtor(void *v)
{
	pthread_mutex_lock(&dtor_lock);
	dtor_calls++;
	dtor_sum += (uintptr_t)v;
	pthread_mutex_unlock(&dtor_lock);
}

static void *
key_fn(void *arg)
{
	int ok = pthread_getspecific(key) == 0;
	pthread_setspecific(key, arg);
	sched_yield();
	ok = ok && pthread_getspecific(key) == arg;
	return (void *)(uintptr_t)ok;
}

static void
t_keys(void)
{
	enum { N = 6 };
	pthread_t t[N];
	int ok = 1;
	CHECK("THR-012", "pthread_key_create", pthread_key_create(&key, dtor) == 0);
	pthread_setspecific(key, (void *)1000);
	for (int i = 0; i < N; i++)
		pthread_create(&t[i], 0, key_fn, (void *)(uintptr_t)(i + 1));
	for (int i = 0; i < N; i++) {
		void *r;
		pthread_join(t[i], &r);
		EXPECT(ok, r == (void *)1);
	}
	CHECK("THR-013", "thread-specific values are per thread",
	      ok && pthread_getspecific(key) == (void *)1000);
	CHECK("THR-014", "key destructors run at thread exit with the thread's value",
	      dtor_calls == N && dtor_sum == N * (N + 1) / 2);
	CHECK("THR-015", "pthread_key_delete", pthread_key_delete(key) == 0);
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static volatile int once_runs;

static void
once_init(void)
{
	once_runs++;
	for (int i = 0; i < 10; i++)
		sched_yield(); /* let the others pile up in pthread_once */
}

static void *
once_fn(void *arg)
{
	(void)arg;
	pthread_once(&once, once_init);
	return (void *)(uintptr_t)(once_runs == 1);
}

static void
t_once(void)
{
	enum { N = 8 };
	pthread_t t[N];
	int ok = 1;
	for (int i = 0; i < N; i++)
		pthread_create(&t[i], 0, once_fn, 0);
	for (int i = 0; i < N; i++) {
		void *r;
		pthread_join(t[i], &r);
		EXPECT(ok, r == (void *)1);
	}
	CHECK("THR-016", "pthread_once: 8 racing threads, one run, all see it done",
	      ok && once_runs == 1);
}

static sem_t park;

static void *
parked(void *arg)
{
	(void)arg;
	sem_wait(&park);
	return 0;
}

static void
t_kill0(void)
{
	pthread_t t;
	sem_init(&park, 0, 0);
	pthread_create(&t, 0, parked, 0);
	CHECK("THR-017", "pthread_kill(t, 0) on a live thread is 0", pthread_kill(t, 0) == 0);
	CHECK("THR-018", "tkill(bogus tid, 0) is ESRCH",
	      syscall(SYS_tkill, 1 << 24, 0) == -1 && errno == ESRCH);
	CHECK("THR-019", "tgkill(pid, own tid, 0) is 0",
	      syscall(SYS_tgkill, 1, syscall(SYS_gettid), 0) == 0);
	CHECK("THR-020", "pthread_kill with an invalid signal is EINVAL",
	      pthread_kill(t, 12345) == EINVAL);
	sem_post(&park);
	pthread_join(t, 0);
}

static void *
deep_exit(void *arg)
{
	(void)arg;
	pthread_exit((void *)77);
}

static void *
big_stack_fn(void *arg)
{
	volatile char buf[600 * 1024];
	buf[0] = 1;
	buf[sizeof buf - 1] = 2;
	(void)arg;
	return (void *)(uintptr_t)(buf[0] + buf[sizeof buf - 1]);
}

static void
t_exit_stacks(void)
{
	pthread_t t;
	pthread_attr_t a;
	void *r = 0;
	pthread_create(&t, 0, deep_exit, 0);
	for (int i = 0; i < 5; i++)
		sched_yield(); /* it has exited before the join */
	CHECK("THR-021", "pthread_exit value, joined after the thread is gone",
	      pthread_join(t, &r) == 0 && r == (void *)77);
	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 1 << 20);
	r = 0;
	CHECK("THR-022", "a 1 MiB stack attribute, 600 KiB used",
	      pthread_create(&t, &a, big_stack_fn, 0) == 0 && pthread_join(t, &r) == 0 &&
	              r == (void *)3);
	pthread_attr_setstacksize(&a, PTHREAD_STACK_MIN);
	CHECK("THR-023", "a PTHREAD_STACK_MIN stack",
	      pthread_create(&t, &a, twice, (void *)4) == 0 && pthread_join(t, &r) == 0 &&
	              r == (void *)8);
}

/* Publishes its tid, then waits for the park semaphore. */
static volatile pid_t parked_tid;

static void *
parked_tid_fn(void *arg)
{
	(void)arg;
	parked_tid = (pid_t)syscall(SYS_gettid);
	sem_wait(&park);
	return 0;
}

static void
t_affinity(void)
{
	unsigned long raw[2] = {~0ul, ~0ul};
	cpu_set_t set;
	pthread_t t;
	long rc;

	CPU_ZERO(&set);
	CPU_SET(5, &set);
	CHECK("THR-024", "sched_getaffinity(0): CPU 0 only, the rest cleared",
	      sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) == 1 &&
	              CPU_ISSET(0, &set));
	rc = syscall(SYS_sched_getaffinity, 0, sizeof raw, raw);
	CHECK("THR-025", "raw sched_getaffinity returns the mask's size (8) and fills only that",
	      rc == 8 && raw[0] == 1 && raw[1] == ~0ul);
	errno = 0;
	rc = syscall(SYS_sched_getaffinity, 0, 4, raw);
	CHECK("THR-026", "sched_getaffinity: a size under 8 or not a multiple of 8 is EINVAL",
	      rc == -1 && errno == EINVAL && syscall(SYS_sched_getaffinity, 0, 12, raw) == -1 &&
	              errno == EINVAL);
	errno = 0;
	CHECK("THR-027", "sched_getaffinity: a NULL mask is EFAULT",
	      syscall(SYS_sched_getaffinity, 0, 8, 0) == -1 && errno == EFAULT);
	errno = 0;
	CHECK("THR-028", "sched_getaffinity/setaffinity of a pid nobody has is ESRCH",
	      sched_getaffinity(999999, sizeof set, &set) == -1 && errno == ESRCH &&
	              sched_setaffinity(-2, sizeof set, &set) == -1 && errno == ESRCH);
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	CPU_SET(3, &set);
	CHECK("THR-030", "sched_setaffinity: a mask with CPU 0 is accepted",
	      sched_setaffinity(0, sizeof set, &set) == 0);
	CPU_CLR(0, &set);
	errno = 0;
	CHECK("THR-031", "sched_setaffinity: a mask without CPU 0 (or empty) is EINVAL",
	      sched_setaffinity(0, sizeof set, &set) == -1 && errno == EINVAL &&
	              syscall(SYS_sched_setaffinity, 0, 0, raw) == -1 && errno == EINVAL);
	errno = 0;
	CHECK("THR-032", "sched_setaffinity: a NULL mask is EFAULT",
	      syscall(SYS_sched_setaffinity, 0, 8, 0) == -1 && errno == EFAULT);

	/* Another thread of ours, by its tid. */
	parked_tid = 0;
	sem_init(&park, 0, 0);
	rc = pthread_create(&t, 0, parked_tid_fn, 0) == 0;
	if (rc) {
		while (!parked_tid)
			sched_yield();
		CPU_ZERO(&set);
		rc = pthread_getaffinity_np(t, sizeof set, &set) == 0 && CPU_COUNT(&set) == 1 &&
		     CPU_ISSET(0, &set) && pthread_setaffinity_np(t, sizeof set, &set) == 0;
		sem_post(&park);
		pthread_join(t, 0);
	}
	CHECK("THR-033", "pthread_getaffinity_np/setaffinity_np on another thread (its tid)", rc);
}

int
main(void)
{
	t_create_join();
	t_many();
	t_sequence();
	t_detach();
	t_ids();
	t_tls();
	t_keys();
	t_once();
	t_kill0();
	t_exit_stacks();
	t_affinity();
	return thread_test_failures;
}
