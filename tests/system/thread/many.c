// SPDX-License-Identifier: MIT
/*
 * Hundreds of threads alive at once (suite threadpx, run by posixsrv
 * through cmd=, so procmgr keeps their signal states): THR-B001..
 *   - every live thread has its own mask in procmgr, found by its id
 *     among hundreds: pthread_kill reaches the right thread, held while
 *     it blocks the signal and run when it unblocks it;
 *   - a signal to the process goes to the one thread of 400 that does not
 *     block it;
 *   - cancelled threads (which end with musl's cancel signal pending)
 *     and ended ones leave room: per-thread signals work in new threads
 *     after 600 of each;
 *   - a broadcast wakes 400 waiters of one condition variable, half of
 *     them in a timed wait, none with ETIMEDOUT, and all are joined.
 * Prints PASS/FAIL lines; exit status = number of failures.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include "thread_test.h"

enum { LIVE = 400, CHURN = 600 };

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int ready, go;

/* Per thread: its pthread_t as it saw itself, and what its handler saw. */
static struct slot {
	pthread_t self;
	int index;
	atomic_int hits;     /* SIGUSR1 runs in this thread */
	atomic_int wrong;    /* SIGUSR1 ran here while this thread blocked it */
	int blocks;          /* this thread blocks SIGUSR1 */
	atomic_int released; /* main told it to unblock */
	int result;
} slots[LIVE];

static _Thread_local struct slot *my_slot;
static atomic_int usr2_index = -1;
static atomic_int usr2_hits;

static void
on_usr1(int s)
{
	(void)s;
	if (!my_slot)
		return;
	if (my_slot->blocks && !atomic_load(&my_slot->released))
		atomic_fetch_add(&my_slot->wrong, 1);
	atomic_fetch_add(&my_slot->hits, 1);
}

static void
on_usr2(int s)
{
	(void)s;
	if (my_slot)
		atomic_store(&usr2_index, my_slot->index);
	atomic_fetch_add(&usr2_hits, 1);
}

static void
wait_go(int level)
{
	pthread_mutex_lock(&lock);
	ready++;
	pthread_cond_broadcast(&cond);
	while (go < level)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
}

static void
set_go(int level, int expect_ready)
{
	pthread_mutex_lock(&lock);
	while (ready < expect_ready)
		pthread_cond_wait(&cond, &lock);
	go = level;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
}

/*
 * A live thread: blocks SIGUSR1 (even indexes) or not, and SIGUSR2 unless
 * it is the chosen one; waits for main through the levels: 1 = signals
 * sent, unblock; 2 = done.
 */
static void *
live_thread(void *arg)
{
	struct slot *s = arg;
	sigset_t m;

	my_slot = s;
	s->self = pthread_self();
	sigemptyset(&m);
	if (s->blocks)
		sigaddset(&m, SIGUSR1);
	if (s->index != LIVE - 43)
		sigaddset(&m, SIGUSR2);
	pthread_sigmask(SIG_SETMASK, &m, NULL);
	wait_go(1);
	if (s->blocks) {
		sigset_t p;
		sigpending(&p);
		s->result = sigismember(&p, SIGUSR1) == 1 && atomic_load(&s->hits) == 0;
		atomic_store(&s->released, 1);
		sigemptyset(&m);
		sigaddset(&m, SIGUSR1);
		pthread_sigmask(SIG_UNBLOCK, &m, NULL); /* runs it here, now */
	} else {
		s->result = 1;
	}
	wait_go(2);
	return NULL;
}

static void
t_live(void)
{
	pthread_attr_t a;
	struct sigaction sa = {0};
	sigset_t m;
	int made = 0, sent = 0, ok = 1;

	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = on_usr2;
	sigaction(SIGUSR2, &sa, NULL);
	/* main blocks both: only the threads may take them */
	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	sigaddset(&m, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &m, NULL);

	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 16384);
	ready = go = 0;
	pthread_t t[LIVE];
	for (int i = 0; i < LIVE; i++) {
		slots[i].index = i;
		slots[i].blocks = !(i & 1);
		if (pthread_create(&t[i], &a, live_thread, &slots[i]))
			break;
		made++;
	}
	CHECK("THR-B001", "400 threads alive at once, each with its own mask", made == LIVE);
	if (made < LIVE)
		exit(1);
	/* Wait for all to have set their masks (they report ready after). */
	pthread_mutex_lock(&lock);
	while (ready < LIVE)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);

	for (int i = 0; i < LIVE; i++)
		sent += pthread_kill(t[i], SIGUSR1) == 0;
	CHECK("THR-B002", "pthread_kill to each of 400 live threads accepted", sent == LIVE);
	/* The unblocked (odd) ones run it at once or at their next return. */
	long long end = now_ns() + 5000000000LL;
	for (int i = 1; i < LIVE; i += 2)
		while (!atomic_load(&slots[i].hits) && now_ns() < end)
			sched_yield();
	for (int i = 1; i < LIVE; i += 2)
		EXPECT(ok, atomic_load(&slots[i].hits) == 1);
	CHECK("THR-B003", "SIGUSR1 ran once in each of the 200 threads that do not block it", ok);

	/* SIGUSR2 to the process: only thread LIVE-43 does not block it. */
	kill(getpid(), SIGUSR2);
	end = now_ns() + 5000000000LL;
	while (!atomic_load(&usr2_hits) && now_ns() < end)
		sched_yield();
	CHECK("THR-B004", "a signal to the process runs in the one thread of 400 not blocking it",
	      atomic_load(&usr2_hits) == 1 && atomic_load(&usr2_index) == LIVE - 43);

	set_go(1, LIVE);
	ok = 1;
	for (int i = 0; i < LIVE; i += 2) {
		end = now_ns() + 5000000000LL;
		while (!atomic_load(&slots[i].hits) && now_ns() < end)
			sched_yield();
	}
	/* Every thread has reported by now or never will: level 2 lets them end. */
	set_go(2, 0);
	for (int i = 0; i < LIVE; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < LIVE; i += 2) {
		EXPECT(ok, slots[i].result == 1);
		EXPECT(ok, atomic_load(&slots[i].hits) == 1 && atomic_load(&slots[i].wrong) == 0);
	}
	CHECK("THR-B005",
	      "the 200 threads blocking SIGUSR1 saw it pending, not run, then ran it once on "
	      "unblock",
	      ok);
	pthread_sigmask(SIG_UNBLOCK, &m, NULL);
	pthread_attr_destroy(&a);
}

static void *
sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause(); /* a cancellation point */
	return NULL;
}

static void *
quick(void *arg)
{
	return arg;
}

static atomic_int late_hits;

static void
on_late(int s)
{
	(void)s;
	atomic_fetch_add(&late_hits, 1);
}

static void *
late_thread(void *arg)
{
	sigset_t m;
	(void)arg;
	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	pthread_sigmask(SIG_UNBLOCK, &m, NULL);
	long long end = now_ns() + 5000000000LL;
	while (!atomic_load(&late_hits) && now_ns() < end)
		sched_yield();
	return (void *)(long)atomic_load(&late_hits);
}

static void
t_churn(void)
{
	int cancelled = 0, joined = 0;
	for (int i = 0; i < CHURN; i++) {
		pthread_t t;
		void *r = 0;
		if (pthread_create(&t, NULL, sleeper, NULL))
			break;
		sched_yield();
		if (pthread_cancel(t) == 0 && pthread_join(t, &r) == 0 && r == PTHREAD_CANCELED)
			cancelled++;
	}
	CHECK("THR-B006", "600 threads cancelled in pause and joined", cancelled == CHURN);
	for (int i = 0; i < CHURN; i++) {
		pthread_t t;
		void *r = 0;
		if (pthread_create(&t, NULL, quick, (void *)(long)(i + 1)))
			break;
		if (pthread_join(t, &r) == 0 && r == (void *)(long)(i + 1))
			joined++;
	}
	CHECK("THR-B007", "600 more threads created and joined", joined == CHURN);

	/* A new thread still gets a signal state: pthread_kill works and runs there. */
	struct sigaction sa = {0};
	sigset_t m;
	sa.sa_handler = on_late;
	sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &m, NULL);
	pthread_t t;
	void *r = 0;
	int rc = pthread_create(&t, NULL, late_thread, NULL);
	int krc = -1;
	if (rc == 0) {
		sched_yield();
		krc = pthread_kill(t, SIGUSR1);
		pthread_join(t, &r);
	}
	CHECK("THR-B008", "after 1200 ended threads, pthread_kill reaches a new thread's handler",
	      rc == 0 && krc == 0 && r == (void *)1L);
	pthread_sigmask(SIG_UNBLOCK, &m, NULL);
}

static pthread_mutex_t bm = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t bc = PTHREAD_COND_INITIALIZER;
static int bwaiting, bpredicate;
static atomic_int btimedout, bwoken;

static void *
bwaiter(void *arg)
{
	int timed = (int)(long)arg & 1, rc = 0;
	struct timespec ts = deadline_ms(180000);

	pthread_mutex_lock(&bm);
	bwaiting++;
	while (!bpredicate && rc == 0)
		rc = timed ? pthread_cond_timedwait(&bc, &bm, &ts) : pthread_cond_wait(&bc, &bm);
	pthread_mutex_unlock(&bm);
	if (rc == ETIMEDOUT)
		atomic_fetch_add(&btimedout, 1);
	else if (rc == 0)
		atomic_fetch_add(&bwoken, 1);
	return NULL;
}

static void
t_broadcast(void)
{
	pthread_attr_t a;
	pthread_t t[LIVE];
	int made = 0;

	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 16384);
	for (int i = 0; i < LIVE; i++) {
		if (pthread_create(&t[i], &a, bwaiter, (void *)(long)i))
			break;
		made++;
	}
	pthread_mutex_lock(&bm);
	while (bwaiting < made) {
		pthread_mutex_unlock(&bm);
		sched_yield();
		pthread_mutex_lock(&bm);
	}
	bpredicate = 1;
	int brc = pthread_cond_broadcast(&bc);
	pthread_mutex_unlock(&bm);
	for (int i = 0; i < made; i++)
		pthread_join(t[i], NULL);
	CHECK("THR-B009",
	      "one broadcast wakes 400 waiters (200 timed 180 s ahead): all return 0, none "
	      "ETIMEDOUT, all joined",
	      made == LIVE && brc == 0 && atomic_load(&bwoken) == LIVE &&
	              atomic_load(&btimedout) == 0);
	pthread_attr_destroy(&a);
}

int
main(void)
{
	t_live();
	t_churn();
	t_broadcast();
	return thread_test_failures;
}
