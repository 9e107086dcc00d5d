// SPDX-License-Identifier: MIT
/*
 * In-kernel tests of the timeout heap (core/timeout.c) and of kernel stack
 * slots with many threads: KSCHED-020..
 */
#include <arch.h>
#include <ferry/errors.h>
#include <core/task.h>
#include <core/thread.h>
#include <test/ktest.h>

enum { NT = 256, NEARLY = 128 };

struct sleeper {
	struct thread *t;
	uint64_t deadline;
	int rc;
	int order; /* rank in which it woke */
	bool late; /* woke at or after its deadline */
	bool done;
};

static struct sleeper sl[NT];
static struct waitq sl_wq;
static int sl_armed, sl_woken;

static void
sleeper_main(void *arg)
{
	struct sleeper *s = arg;
	sl_armed++;
	s->rc = thread_block(&sl_wq, THREAD_BLOCK_SLEEP, s->deadline);
	s->late = arch_time_ns() >= s->deadline;
	s->order = sl_woken++;
	s->done = true;
	thread_exit_current();
}

/* Starts n sleepers, sl[i] with deadline dl(i); false if one could not be made. */
static bool
start_sleepers(int n, uint64_t base, uint64_t (*dl)(int i, uint64_t base))
{
	waitq_init(&sl_wq);
	sl_armed = sl_woken = 0;
	for (int i = 0; i < n; i++) {
		sl[i] = (struct sleeper){.deadline = dl(i, base), .rc = 1};
		sl[i].t = thread_create(kernel_task(), current->prio, "sleeper");
		if (!sl[i].t)
			return false;
		arch_thread_init_kernel(sl[i].t, sleeper_main, &sl[i]);
		thread_start(sl[i].t);
	}
	/* They arm in creation order (one run queue, first in first out). */
	while (sl_armed < n)
		sched_yield();
	return true;
}

static void
wait_sleepers(int n)
{
	uint64_t give_up = arch_time_ns() + 20000000000ull;
	while (sl_woken < n && arch_time_ns() < give_up)
		thread_block(NULL, THREAD_BLOCK_SLEEP, arch_time_ns() + 2000000);
}

/* 64 distinct deadlines 1 ms apart, shuffled, four threads on each. */
static uint64_t
dl_shuffled(int i, uint64_t base)
{
	return base + (uint64_t)((i * 37) % 64) * 1000000;
}

/* How many sleepers come strictly before sl[i] in (deadline, arming) order. */
static int
rank_of(int n, int i)
{
	int r = 0;
	for (int j = 0; j < n; j++)
		if (sl[j].deadline < sl[i].deadline || (sl[j].deadline == sl[i].deadline && j < i))
			r++;
	return r;
}

KTEST(timeout_order, "KSCHED-020",
      "256 timed blocks with shuffled and equal deadlines: each ETIMEDOUT, none early, woken in "
      "deadline order and arming order among equals")
{
	KEXPECT(start_sleepers(NT, arch_time_ns() + 200000000, dl_shuffled));
	wait_sleepers(NT);
	KEXPECT_EQ(sl_woken, NT);
	int bad_rc = 0, early = 0, misordered = 0;
	for (int i = 0; i < NT; i++) {
		bad_rc += sl[i].rc != -FERRY_ETIMEDOUT;
		early += !sl[i].late;
		misordered += sl[i].order != rank_of(NT, i);
	}
	KEXPECT_EQ(bad_rc, 0);
	KEXPECT_EQ(early, 0);
	KEXPECT_EQ(misordered, 0);
}

/* Deadlines 1 ms apart in creation order; the first has already passed. */
static uint64_t
dl_rising(int i, uint64_t base)
{
	return i == 0 ? arch_time_ns() - 1 : base + (uint64_t)i * 1000000;
}

KTEST(timeout_cancel, "KSCHED-021",
      "128 timed blocks, every third woken early: those return 0 at once, the rest time out in "
      "order; a deadline already past times out")
{
	KEXPECT(start_sleepers(NEARLY, arch_time_ns() + 100000000, dl_rising));
	int early_woken = 0;
	for (int i = 3; i < NEARLY; i += 3) {
		if (sl[i].t->state == THREAD_STATE_BLOCKED) {
			thread_wake(sl[i].t, 0);
			early_woken++;
		}
	}
	KEXPECT_EQ(early_woken, (NEARLY - 1) / 3);
	wait_sleepers(NEARLY);
	KEXPECT_EQ(sl_woken, NEARLY);
	int bad = 0, prev_order = -1;
	for (int i = 0; i < NEARLY; i++) {
		if (i && i % 3 == 0) {
			bad += sl[i].rc != 0 || sl[i].late;
			continue;
		}
		bad += sl[i].rc != -FERRY_ETIMEDOUT || !sl[i].late;
		bad += sl[i].order < prev_order; /* the timed-out ones in deadline order */
		prev_order = sl[i].order;
	}
	KEXPECT_EQ(bad, 0);
	KEXPECT(!timeout_armed(current));
}

KTEST(kstack_slots, "KSCHED-022",
      "kernel stack slots: 300 distinct stacks; freed ones are reused lowest first")
{
	enum { NS = 300 };
	static uintptr_t top[NS];
	int made = 0, dup = 0;
	for (int i = 0; i < NS; i++)
		if ((top[i] = arch_kstack_alloc(KSTACK_PAGES)))
			made++;
	KEXPECT_EQ(made, NS);
	for (int i = 1; i < NS; i++)
		for (int j = 0; j < i; j++)
			dup += top[i] && top[i] == top[j];
	KEXPECT_EQ(dup, 0);
	/* Each took the lowest free slot, so no slot below these is free: freeing
	 * two, the next two allocations take them back, the lower first. */
	uintptr_t a = top[250], b = top[100];
	arch_kstack_free(a, KSTACK_PAGES);
	arch_kstack_free(b, KSTACK_PAGES);
	uintptr_t lo = a < b ? a : b, hi = a < b ? b : a;
	uintptr_t r1 = arch_kstack_alloc(KSTACK_PAGES), r2 = arch_kstack_alloc(KSTACK_PAGES);
	KEXPECT_EQ(r1, lo);
	KEXPECT_EQ(r2, hi);
	top[250] = r1;
	top[100] = r2;
	/* The stacks are mapped: write the top word of each. */
	for (int i = 0; i < NS; i++)
		if (top[i])
			*(volatile uint64_t *)(top[i] - 8) = (uint64_t)i;
	for (int i = 0; i < NS; i++)
		if (top[i])
			arch_kstack_free(top[i], KSTACK_PAGES);
}
