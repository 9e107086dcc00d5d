// SPDX-License-Identifier: MIT
/*
 * Ending a multi-threaded process (THR-800..): the main thread leaves
 * with pthread_exit while other threads go on; one of them then calls
 * exit(42), which ends every thread, including ones blocked in a futex
 * wait, a condition wait and a sleep.  The runner expects status 42.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include "thread_test.h"

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static volatile int never;

static void *
cond_blocker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	while (!never)
		pthread_cond_wait(&cv, &m);
	pthread_mutex_unlock(&m);
	return 0;
}

static void *
join_blocker(void *arg)
{
	pthread_join(*(pthread_t *)arg, 0);
	return 0;
}

static void *
sleeper(void *arg)
{
	(void)arg;
	for (;;) {
		struct timespec ts = {1, 0};
		nanosleep(&ts, 0);
	}
}

static void *
exiter(void *arg)
{
	(void)arg;
	struct timespec ts = {0, 50 * 1000000L};
	nanosleep(&ts, 0);
	CHECK("THR-800", "the process runs on after main's pthread_exit", 1);
	exit(42);
}

int
main(void)
{
	static pthread_t a, b, c, d;
	pthread_create(&a, 0, cond_blocker, 0);
	pthread_create(&b, 0, sleeper, 0);
	pthread_create(&c, 0, join_blocker, &b);
	pthread_create(&d, 0, exiter, 0);
	pthread_exit(0);
}
