// SPDX-License-Identifier: MIT
/*
 * The futex system call as musl issues it, through libposix (THR-400..):
 * error cases, timeouts, wake counts, the private flag, requeue and the
 * bitset variants.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include "thread_test.h"

/* Linux's futex operations (no kernel headers in the SDK). */
#define FUTEX_WAIT             0
#define FUTEX_WAKE             1
#define FUTEX_REQUEUE          3
#define FUTEX_CMP_REQUEUE      4
#define FUTEX_LOCK_PI          6
#define FUTEX_WAIT_BITSET      9
#define FUTEX_WAKE_BITSET      10
#define FUTEX_PRIVATE_FLAG     128
#define FUTEX_WAIT_PRIVATE     (FUTEX_WAIT | FUTEX_PRIVATE_FLAG)
#define FUTEX_REQUEUE_PRIVATE  (FUTEX_REQUEUE | FUTEX_PRIVATE_FLAG)
#define FUTEX_BITSET_MATCH_ANY (-1)

static long
futex(volatile int *addr, int op, int val, const struct timespec *ts, volatile int *addr2, int val3)
{
	return syscall(SYS_futex, addr, op, val, ts, addr2, val3);
}

static volatile int word, woken;

static void *
wait_fn(void *arg)
{
	long rc = futex(&word, FUTEX_WAIT_PRIVATE, 0, 0, 0, 0);
	if (rc == 0)
		__atomic_add_fetch(&woken, 1, __ATOMIC_SEQ_CST);
	(void)arg;
	return (void *)rc;
}

int
main(void)
{
	static int aligned[2];
	struct timespec ts = {0, 10 * 1000000L};
	long long t0;

	errno = 0;
	CHECK("THR-400", "futex wait on an unmapped address is EFAULT",
	      futex((int *)0x6f0000000000ull, FUTEX_WAIT, 0, &ts, 0, 0) == -1 && errno == EFAULT);
	CHECK("THR-401", "futex wake on an unmapped address is EFAULT",
	      futex((int *)0x6f0000000000ull, FUTEX_WAKE, 1, 0, 0, 0) == -1 && errno == EFAULT);
	CHECK("THR-402", "futex wait on a misaligned address is EINVAL",
	      futex((int *)((char *)aligned + 1), FUTEX_WAIT, 0, &ts, 0, 0) == -1 &&
	              errno == EINVAL);
	CHECK("THR-403", "futex wake on a misaligned address is EINVAL",
	      futex((int *)((char *)aligned + 2), FUTEX_WAKE, 1, 0, 0, 0) == -1 && errno == EINVAL);
	aligned[0] = 3;
	CHECK("THR-404", "futex wait with a stale value is EAGAIN",
	      futex(aligned, FUTEX_WAIT, 2, &ts, 0, 0) == -1 && errno == EAGAIN);
	t0 = now_ns();
	CHECK("THR-405", "futex wait times out (ETIMEDOUT)",
	      futex(aligned, FUTEX_WAIT_PRIVATE, 3, &ts, 0, 0) == -1 && errno == ETIMEDOUT);
	CHECK("THR-406", "after at least the timeout", now_ns() - t0 >= 10000000LL);
	ts.tv_nsec = 1000000000L;
	CHECK("THR-407", "futex wait with a malformed timeout is EINVAL",
	      futex(aligned, FUTEX_WAIT, 3, &ts, 0, 0) == -1 && errno == EINVAL);
	CHECK("THR-408", "priority-inheritance operations are ENOSYS",
	      futex(aligned, FUTEX_LOCK_PI, 0, 0, 0, 0) == -1 && errno == ENOSYS);
	CHECK("THR-409", "wake with no waiters wakes 0",
	      futex(aligned, FUTEX_WAKE, 5, 0, 0, 0) == 0);

	/* Wake counts, with waiters that use the private flag and a waker that does not. */
	enum { N = 5 };
	pthread_t t[N];
	for (int i = 0; i < N; i++)
		pthread_create(&t[i], 0, wait_fn, 0);
	for (int i = 0; i < 50; i++)
		sched_yield();
	long w2 = futex(&word, FUTEX_WAKE, 2, 0, 0, 0);
	for (int i = 0; i < 20; i++)
		sched_yield();
	CHECK("THR-410", "wake(2) of 5 waiters wakes 2 (private waiters, shared waker)",
	      w2 == 2 && woken == 2);
	long w3 =
	        futex(&word, FUTEX_REQUEUE_PRIVATE, 1, (struct timespec *)(uintptr_t)1, aligned, 0);
	for (int i = 0; i < 20; i++)
		sched_yield();
	CHECK("THR-411", "requeue(1 woken, 1 moved) releases 2 (moved ones wake early)",
	      w3 == 2 && woken == 4);
	CHECK("THR-412", "cmp_requeue with a stale value is EAGAIN",
	      futex(&word, FUTEX_CMP_REQUEUE, 1, 0, aligned, 9) == -1 && errno == EAGAIN);
	CHECK("THR-413", "wake_bitset (all bits) wakes the last one",
	      futex(&word, FUTEX_WAKE_BITSET, 10, 0, 0, FUTEX_BITSET_MATCH_ANY) == 1);
	for (int i = 0; i < N; i++)
		pthread_join(t[i], 0);
	CHECK("THR-414", "all 5 waiters returned 0", woken == N);

	struct timespec abs;
	clock_gettime(CLOCK_MONOTONIC, &abs);
	abs.tv_nsec += 10000000L;
	if (abs.tv_nsec >= 1000000000L)
		abs.tv_sec++, abs.tv_nsec -= 1000000000L;
	t0 = now_ns();
	CHECK("THR-415", "wait_bitset with an absolute monotonic deadline times out",
	      futex(aligned, FUTEX_WAIT_BITSET, 3, &abs, 0, FUTEX_BITSET_MATCH_ANY) == -1 &&
	              errno == ETIMEDOUT && now_ns() - t0 >= 5000000LL);

	/* A MAP_SHARED anonymous word and a private one. */
	int *shared = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK("THR-416", "futex on MAP_SHARED memory: timeout and wake",
	      shared != MAP_FAILED &&
	              (ts.tv_nsec = 1000000, futex(shared, FUTEX_WAIT, 0, &ts, 0, 0)) == -1 &&
	              errno == ETIMEDOUT && futex(shared, FUTEX_WAKE, 1, 0, 0, 0) == 0);
	munmap(shared, 4096);
	CHECK("THR-417", "futex on memory unmapped since is EFAULT",
	      futex(shared, FUTEX_WAKE, 1, 0, 0, 0) == -1 && errno == EFAULT);
	return thread_test_failures;
}
