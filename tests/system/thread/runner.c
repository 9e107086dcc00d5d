// SPDX-License-Identifier: MIT
/*
 * The thread suite (first=bin/threadtest).  Native tests of the kernel's
 * thread and futex calls (THR-K*), then the musl programs of this
 * directory (THR-P*: each prints its own PASS/FAIL lines; the runner
 * checks its exit status).  With threadbench=1 on the kernel command line it
 * runs the thread benchmark program instead (bench/thread.c).
 */
#include <ulib.h>

#define MS       1000000ull
#define UNMAPPED 0x00006f0000000000ull /* never mapped in this task */

/* ---- native threads ---- */

struct nthread {
	void (*fn)(struct nthread *);
	volatile uint32_t word; /* what the test waits and wakes on */
	volatile uint32_t tid;  /* written by the kernel (ptid) */
	volatile uint32_t ctid; /* cleared by the kernel at exit */
	volatile uint32_t *wait_on;
	volatile long result;
	volatile int done;
};

static void
nthread_entry(uint64_t arg)
{
	struct nthread *t = (struct nthread *)arg;
	t->fn(t);
	t->done = 1;
	ferry_sys_thread_exit();
}

/* Starts t->fn(t) in a new thread of this task; returns thread_clone's result. */
static long
nthread_start(struct nthread *t)
{
	const size_t sz = 64 * 1024;
	char *stack = umap_anon(sz);
	if (!stack)
		return -FERRY_ENOMEM;
	t->ctid = 0xffffffffu;
	return ferry_sys_thread_clone((uintptr_t)nthread_entry, (uintptr_t)(stack + sz - 8),
	                              (uint64_t)t, 0, (uint32_t *)&t->tid, (uint32_t *)&t->ctid);
}

/* Waits until t has exited (its clear-tid word became 0). */
static long
nthread_join(struct nthread *t)
{
	long rc = 0;
	uint32_t v;
	while ((v = t->ctid) != 0) {
		rc = ferry_sys_futex_wait((uint32_t *)&t->ctid, v, 5000 * MS);
		if (rc == -FERRY_ETIMEDOUT)
			return rc;
	}
	return 0;
}

static void
waiter(struct nthread *t)
{
	t->result = ferry_sys_futex_wait((uint32_t *)t->wait_on, 0, 5000 * MS);
}

/* Lets the other ready threads run until cond holds (or about 2 s pass). */
#define YIELD_UNTIL(cond)                                                                          \
	do {                                                                                       \
		uint64_t t0_ = unow_ns();                                                          \
		while (!(cond) && unow_ns() - t0_ < 2000 * MS)                                     \
			ferry_sys_thread_yield();                                                  \
	} while (0)

UTEST(futex_errors, "THR-K001",
      "futex: EINVAL misaligned, EFAULT unmapped, EAGAIN value, ETIMEDOUT")
{
	static volatile uint32_t word[2];
	word[0] = 5;
	UEXPECT_EQ(ferry_sys_futex_wait((uint32_t *)((char *)word + 1), 5, 0), -FERRY_EINVAL);
	UEXPECT_EQ(ferry_sys_futex_wake((uint32_t *)((char *)word + 2), 1), -FERRY_EINVAL);
	UEXPECT_EQ(ferry_sys_futex_wait((uint32_t *)UNMAPPED, 0, 1000 * MS), -FERRY_EFAULT);
	UEXPECT_EQ(ferry_sys_futex_wake((uint32_t *)UNMAPPED, 1), -FERRY_EFAULT);
	UEXPECT_EQ(ferry_sys_futex_wait(NULL, 0, 1000 * MS), -FERRY_EFAULT);
	UEXPECT_EQ(ferry_sys_futex_wait((uint32_t *)0xffff800000000000ull, 0, 1000 * MS),
	           -FERRY_EFAULT);
	UEXPECT_EQ(ferry_sys_futex_wait((uint32_t *)word, 4, 1000 * MS), -FERRY_EAGAIN);
	UEXPECT_EQ(ferry_sys_futex_wait((uint32_t *)word, 5, 0), -FERRY_ETIMEDOUT);
	uint64_t t0 = unow_ns();
	UEXPECT_EQ(ferry_sys_futex_wait((uint32_t *)word, 5, 20 * MS), -FERRY_ETIMEDOUT);
	UEXPECT(unow_ns() - t0 >= 20 * MS);
	UEXPECT_EQ(ferry_sys_futex_wake((uint32_t *)word, 10), 0);
}

UTEST(futex_wake_count, "THR-K002",
      "futex: wake wakes at most count waiters, FIFO, and says how many")
{
	static volatile uint32_t word;
	struct nthread t[3] = {0};
	word = 0;
	for (int i = 0; i < 3; i++) {
		t[i].fn = waiter;
		t[i].wait_on = &word;
		t[i].result = 1;
		UEXPECT(nthread_start(&t[i]) > 0);
	}
	/* Waiting threads are blocked: give them all time to get there. */
	for (int i = 0; i < 20; i++)
		ferry_sys_thread_yield();
	UEXPECT_EQ(ferry_sys_futex_wake((uint32_t *)&word, 2), 2);
	YIELD_UNTIL(t[0].done && t[1].done);
	UEXPECT_EQ(t[0].result, 0);
	UEXPECT_EQ(t[1].result, 0);
	UEXPECT(!t[2].done);
	UEXPECT_EQ(ferry_sys_futex_wake((uint32_t *)&word, 5), 1);
	for (int i = 0; i < 3; i++)
		UEXPECT_EQ(nthread_join(&t[i]), 0);
	UEXPECT_EQ(t[2].result, 0);
}

UTEST(futex_shared, "THR-K003",
      "futex: one memory object mapped twice is one futex at both addresses")
{
	handle_t mo;
	uintptr_t a = 0, b = 0;
	UEXPECT_EQ(ferry_sys_memobj_create(4096, FERRY_MEMOBJ_ANON, &mo), 0);
	struct ferry_map_req req = {.len = 4096, .prot = FERRY_PROT_READ | FERRY_PROT_WRITE};
	UEXPECT_EQ(ferry_sys_vm_map(0, mo, 0, &req, &a), 0);
	UEXPECT_EQ(ferry_sys_vm_map(0, mo, 0, &req, &b), 0);
	UEXPECT(a != b);
	ferry_sys_handle_close(mo);
	if (!a || !b)
		return;
	struct nthread t = {.fn = waiter, .wait_on = (volatile uint32_t *)(a + 64), .result = 1};
	UEXPECT(nthread_start(&t) > 0);
	for (int i = 0; i < 5; i++)
		ferry_sys_thread_yield();
	UEXPECT_EQ(ferry_sys_futex_wake((uint32_t *)(a + 68), 1), 0); /* another word */
	UEXPECT_EQ(ferry_sys_futex_wake((uint32_t *)(b + 64), 1), 1);
	UEXPECT_EQ(nthread_join(&t), 0);
	UEXPECT_EQ(t.result, 0);
	uunmap((void *)a, 4096);
	uunmap((void *)b, 4096);
}

static void
just_exit(struct nthread *t)
{
	t->result = ferry_sys_thread_tid(0);
}

UTEST(clone_tids, "THR-K004",
      "thread_clone: tid written before start, clear-tid zeroed and woken at exit")
{
	struct nthread t = {.fn = just_exit};
	long tid = nthread_start(&t);
	UEXPECT(tid > 0 && tid < (1 << 30));
	UEXPECT_EQ(t.tid,
	           tid); /* before the thread ran: it has our priority and we did not block */
	UEXPECT_EQ(nthread_join(&t), 0);
	UEXPECT_EQ(t.ctid, 0);
	UEXPECT_EQ(t.result, tid);
	YIELD_UNTIL(ferry_sys_thread_tid((uint32_t)tid) < 0);
	UEXPECT_EQ(ferry_sys_thread_tid((uint32_t)tid), -FERRY_ENOENT);
	long self = ferry_sys_thread_tid(0);
	UEXPECT(self > 0 && self != tid);
	UEXPECT_EQ(ferry_sys_thread_tid((uint32_t)self), self);
	UEXPECT_EQ(ferry_sys_thread_tid(1u << 20), -FERRY_ENOENT);
}

UTEST(clone_bad, "THR-K005", "thread_clone and set_tid_address reject bad arguments, leak nothing")
{
	static volatile uint32_t w[2];
	uint64_t before = 0, after = 0;
	char *stack = umap_anon(4096);
	uintptr_t top = (uintptr_t)stack + 4096 - 8;
	ferry_sys_kernel_info(FERRY_INFO_TASK_QUOTA, &before);
	UEXPECT_EQ(ferry_sys_thread_clone(0xffff800000000000ull, top, 0, 0, 0, 0), -FERRY_EINVAL);
	UEXPECT_EQ(ferry_sys_thread_clone((uintptr_t)nthread_entry, top + 3, 0, 0, 0, 0),
	           -FERRY_EINVAL);
	UEXPECT_EQ(ferry_sys_thread_clone((uintptr_t)nthread_entry, top, 0, 0, 0,
	                                  (uint32_t *)((char *)w + 2)),
	           -FERRY_EINVAL);
	UEXPECT_EQ(ferry_sys_thread_clone((uintptr_t)nthread_entry, top, 0, 0, (uint32_t *)UNMAPPED,
	                                  0),
	           -FERRY_EFAULT);
	ferry_sys_kernel_info(FERRY_INFO_TASK_QUOTA, &after);
	UEXPECT_EQ(after, before);
	UEXPECT_EQ(ferry_sys_thread_set_tid_address((uint32_t *)((char *)w + 1)), -FERRY_EINVAL);
	UEXPECT_EQ(ferry_sys_thread_set_tid_address(NULL), ferry_sys_thread_tid(0));
	uunmap(stack, 4096);
}

/* ---- the musl programs ---- */

struct prog {
	const char *path;
	int status;
};

static int
run(const char *path, char *arg, int expect, int *failed)
{
	char *argv[] = {(char *)path, arg, NULL};
	char *envp[] = {NULL};
	handle_t t;
	int code = -1;
	int rc = uspawn_posix(path, argv, envp, NULL, 0, &t);
	if (rc == 0) {
		rc = (int)ferry_sys_task_wait(t, &code, 240000 * MS);
		if (rc)
			ferry_sys_task_kill(t, 99);
		ferry_sys_handle_close(t);
	}
	if (rc) {
		uprintf("  %s: %s\n", path, ferry_strerror(rc));
		*failed = 1;
	} else if (code != expect) {
		uprintf("  %s exited %d, expected %d\n", path, code, expect);
		*failed = 1;
	}
	return code;
}

#define PROG(ident, id, name, status, desc)                                                        \
	UTEST(ident, id, desc)                                                                     \
	{                                                                                          \
		run("bin/thread/" name, NULL, status, utest_failed);                               \
	}

PROG(p_basic, "THR-P001", "basic", 0, "pthread create/join/detach, once, keys, __thread, tids")
PROG(p_mutex, "THR-P002", "mutex", 0, "mutexes normal/recursive/errorcheck, trylock, timedlock")
PROG(p_cond, "THR-P003", "cond", 0, "condition variables, timeouts, rwlocks, barriers, semaphores")
PROG(p_stress, "THR-P004", "stress", 0, "64 threads contend a mutex; checksum")
PROG(p_futex, "THR-P005", "futex", 0, "futex system call through libposix: errors, timeouts")
PROG(p_cancel, "THR-P006", "cancel", 0, "deferred cancellation at cancellation points, cleanup")
PROG(p_ipc, "THR-P007", "ipc", 0, "IPC calls from 8 threads at once to 2 server threads")
PROG(p_quota, "THR-P008", "quota", 0, "thousands of threads: quota gives EAGAIN, then recovery")
PROG(p_exit, "THR-P009", "exit", 42, "exit() from a thread ends the process; main's pthread_exit")

int
main(void)
{
	char buf[64];
	if (ucmdline_get("threadbench", buf, sizeof(buf))) {
		int failed = 0;
		run("bin/thread/bench", NULL, 0, &failed);
		uprintf("SUITE-END thread-bench\n");
		return failed;
	}
	const char *filter = ucmdline_get("filter", buf, sizeof(buf));
	int failed = utest_run("thread", filter ? filter : "");
	return failed ? 1 : 0;
}
