/* SPDX-License-Identifier: MIT */
/*
 * futex(addr, op, val, timeout/val2, addr2, val3) on the kernel's
 * futex_wait/futex_wake.  The kernel keys a word by the mapping it lies
 * in, so FUTEX_PRIVATE_FLAG changes nothing.  Served:
 *   FUTEX_WAIT          relative timeout (NULL: none)
 *   FUTEX_WAIT_BITSET   absolute timeout on CLOCK_MONOTONIC, or REALTIME
 *                       with FUTEX_CLOCK_REALTIME; bitset must be all ones
 *   FUTEX_WAKE, FUTEX_WAKE_BITSET (all ones)
 *   FUTEX_REQUEUE, FUTEX_CMP_REQUEUE
 *                       as a wake of val + val2 waiters on addr: a waiter
 *                       that would have moved to addr2 wakes early and
 *                       finds the word changed, which every futex user
 *                       must handle anyway (musl's condition variables
 *                       requeue onto the mutex; see docs/threads.md)
 * Priority-inheritance operations return ENOSYS (musl then reports
 * PTHREAD_PRIO_INHERIT as unsupported).
 */
#include <errno.h>
#include <limits.h>
#include <time.h>
#include <ferry/syscall.h>
#include "libposix.h"

#define FUTEX_WAIT           0
#define FUTEX_WAKE           1
#define FUTEX_REQUEUE        3
#define FUTEX_CMP_REQUEUE    4
#define FUTEX_WAIT_BITSET    9
#define FUTEX_WAKE_BITSET    10
#define FUTEX_PRIVATE_FLAG   128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_BITSET_ANY     0xffffffffu

/* A timespec as a count of ns: -EINVAL if malformed; saturates. */
static long
ts_ns(const struct timespec *ts, uint64_t *ns)
{
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000L)
		return -EINVAL;
	if ((uint64_t)ts->tv_sec >= (UINT64_MAX - 1) / 1000000000ull - 1)
		*ns = UINT64_MAX - 1;
	else
		*ns = (uint64_t)ts->tv_sec * 1000000000ull + (uint64_t)ts->tv_nsec;
	return 0;
}

static long
futex_wait_ns(uint32_t *addr, uint32_t val, ferry_time_t timeout)
{
	return __ferry_status(ferry_sys_futex_wait(addr, val, timeout));
}

static long
futex_wake_n(uint32_t *addr, long n)
{
	if (n < 0)
		return -EINVAL;
	return __ferry_status(ferry_sys_futex_wake(addr, n > INT_MAX ? INT_MAX : (uint32_t)n));
}

/* FUTEX_WAIT_BITSET: the deadline is absolute on the chosen clock. */
static long
wait_abs(uint32_t *addr, uint32_t val, const struct timespec *at, int realtime)
{
	uint64_t deadline, now;
	long rc;

	if (!at)
		return futex_wait_ns(addr, val, FERRY_TIME_INFINITE);
	if ((rc = ts_ns(at, &deadline)) < 0)
		return rc;
	rc = ferry_sys_clock_get(realtime ? FERRY_CLOCK_REALTIME : FERRY_CLOCK_MONOTONIC, &now);
	if (rc < 0)
		return __ferry_status(rc);
	if (deadline <= now) {
		if (*(volatile uint32_t *)addr != val)
			return -EAGAIN;
		return -ETIMEDOUT;
	}
	return futex_wait_ns(addr, val, deadline - now);
}

long
__ferry_sys_futex(long a, long op, long val, long to, long a2, long val3)
{
	uint32_t *addr = (uint32_t *)a;
	int cmd = (int)op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
	uint64_t ns;
	long rc;

	(void)a2;
	switch (cmd) {
	case FUTEX_WAIT:
		if (!to)
			return futex_wait_ns(addr, (uint32_t)val, FERRY_TIME_INFINITE);
		if ((rc = ts_ns((const struct timespec *)to, &ns)) < 0)
			return rc;
		return futex_wait_ns(addr, (uint32_t)val, ns);
	case FUTEX_WAIT_BITSET:
		if ((uint32_t)val3 != FUTEX_BITSET_ANY)
			return -ENOSYS;
		return wait_abs(addr, (uint32_t)val, (const struct timespec *)to,
		                (op & FUTEX_CLOCK_REALTIME) != 0);
	case FUTEX_WAKE:
		return futex_wake_n(addr, val);
	case FUTEX_WAKE_BITSET:
		if ((uint32_t)val3 != FUTEX_BITSET_ANY)
			return -ENOSYS;
		return futex_wake_n(addr, val);
	case FUTEX_CMP_REQUEUE:
		if ((a & 3) || (a2 & 3))
			return -EINVAL;
		if (*(volatile uint32_t *)addr != (uint32_t)val3)
			return -EAGAIN;
		/* fall through */
	case FUTEX_REQUEUE:
		if (val < 0 || to < 0)
			return -EINVAL;
		return futex_wake_n(addr, val + (long)(int)to);
	default:
		return -ENOSYS;
	}
}
