// SPDX-License-Identifier: MIT
/*
 * Thousands of threads (THR-700..): create threads that all stay blocked
 * until pthread_create fails.  The task's kernel-memory quota (or the
 * kernel's thread table) must end it with EAGAIN, not a crash; after all
 * are released and joined, as many can be created again.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include "thread_test.h"

#define FUTEX_WAIT_PRIVATE 128
#define FUTEX_WAKE_PRIVATE 129
#define MAX_THREADS        8192

static volatile int go;
static pthread_t *tids;

static void *
parked(void *arg)
{
	(void)arg;
	while (!go)
		syscall(SYS_futex, &go, FUTEX_WAIT_PRIVATE, 0, 0);
	return 0;
}

/* Creates parked threads until failure; returns how many, *err the failure. */
static int
flood(int *err)
{
	pthread_attr_t a;
	int n = 0, rc = 0;
	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 16384);
	go = 0;
	while (n < MAX_THREADS && (rc = pthread_create(&tids[n], &a, parked, 0)) == 0)
		n++;
	*err = rc;
	return n;
}

static int
release(int n)
{
	int bad = 0;
	go = 1;
	syscall(SYS_futex, &go, FUTEX_WAKE_PRIVATE, INT_MAX);
	for (int i = 0; i < n; i++)
		bad += pthread_join(tids[i], 0) != 0;
	return bad;
}

int
main(void)
{
	int err, err2, n, n2;
	long long t0 = now_ns();

	tids = calloc(MAX_THREADS, sizeof *tids);
	n = flood(&err);
	say("  quota: %d threads before pthread_create failed with %d (%lld ms)\n", n, err,
	    (now_ns() - t0) / 1000000);
	CHECK("THR-700", "hundreds of threads exist at once", n >= 500);
	CHECK("THR-701", "then pthread_create fails with EAGAIN", n < MAX_THREADS && err == EAGAIN);
	CHECK("THR-702", "all of them wake and are joined", release(n) == 0);
	pthread_t t;
	CHECK("THR-703", "a new thread can be created after that",
	      pthread_create(&t, 0, parked, 0) == 0 && pthread_join(t, 0) == 0);
	n2 = flood(&err2);
	CHECK("THR-704", "a second flood reaches the same count (nothing leaked)",
	      err2 == EAGAIN && n2 >= n - 8);
	CHECK("THR-705", "and ends cleanly too", release(n2) == 0);
	say("  quota: second flood %d threads\n", n2);
	return thread_test_failures;
}
