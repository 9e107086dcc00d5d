// SPDX-License-Identifier: MIT
/*
 * Deferred cancellation (THR-500..): a thread cancelled while it loops
 * through a cancellation point (nanosleep), one that only tests for it,
 * one with cancellation disabled, cleanup handlers, and the join result
 * PTHREAD_CANCELED.  pthread_cancel also signals the thread (SIGCANCEL),
 * which breaks a blocked call at once where signals are delivered; until
 * then, the request is seen at the thread's next cancellation point, so
 * these threads block only briefly at a time.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include "thread_test.h"

static volatile int cleaned, started;

static void
cleanup(void *arg)
{
	cleaned += (int)(uintptr_t)arg;
}

static void *
sleeper(void *arg)
{
	(void)arg;
	pthread_cleanup_push(cleanup, (void *)1);
	started = 1;
	for (;;) {
		struct timespec ts = {0, 1000000L};
		nanosleep(&ts, 0);
	}
	pthread_cleanup_pop(0);
	return 0;
}

static void *
spinner(void *arg)
{
	(void)arg;
	pthread_cleanup_push(cleanup, (void *)10);
	started = 1;
	for (;;) {
		pthread_testcancel();
		sched_yield();
	}
	pthread_cleanup_pop(0);
	return 0;
}

static volatile int may_finish;

static void *
disabled(void *arg)
{
	int old;
	(void)arg;
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
	started = 1;
	while (!may_finish) {
		struct timespec ts = {0, 1000000L};
		nanosleep(&ts, 0);
	}
	return (void *)5;
}

static void *
run_and_cancel(void *(*fn)(void *), int *cancel_rc)
{
	pthread_t t;
	void *res = 0;
	started = 0;
	pthread_create(&t, 0, fn, 0);
	while (!started)
		sched_yield();
	*cancel_rc = pthread_cancel(t);
	if (fn == disabled) {
		struct timespec ts = {0, 20 * 1000000L};
		nanosleep(&ts, 0);
		may_finish = 1;
	}
	pthread_join(t, &res);
	return res;
}

int
main(void)
{
	int rc;
	void *res;

	res = run_and_cancel(sleeper, &rc);
	/* pthread_cancel's signal is not delivered yet (ENOSYS) but the request stands. */
	CHECK("THR-500", "pthread_cancel accepts the request", rc == 0 || rc == ENOSYS);
	CHECK("THR-501", "cancelled at a cancellation point (nanosleep): PTHREAD_CANCELED",
	      res == PTHREAD_CANCELED);
	CHECK("THR-502", "its cleanup handler ran", cleaned == 1);
	res = run_and_cancel(spinner, &rc);
	CHECK("THR-503", "cancelled at pthread_testcancel, cleanup ran",
	      res == PTHREAD_CANCELED && cleaned == 11);
	res = run_and_cancel(disabled, &rc);
	CHECK("THR-504", "cancellation disabled: the thread finishes normally", res == (void *)5);
	return thread_test_failures;
}
