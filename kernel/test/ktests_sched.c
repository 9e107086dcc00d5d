// SPDX-License-Identifier: MIT
/* In-kernel tests of threads, the scheduler, timeouts and kernel ports. */
#include <lib/string.h>
#include <arch.h>
#include <ferry/errors.h>
#include <core/task.h>
#include <object/port.h>
#include <test/ktest.h>

static struct waitq pp_wq;
static int pp_count;

static void
pingpong_peer(void *arg)
{
	(void)arg;
	for (int i = 0; i < 100; i++) {
		pp_count++;
		struct thread *t = waitq_first(&pp_wq);
		if (t)
			thread_wake(t, 0);
		sched_yield();
	}
	thread_exit_current();
}

KTEST(sched_pingpong, "KSCHED-001", "two kernel threads alternate through yield and wake")
{
	waitq_init(&pp_wq);
	pp_count = 0;
	struct thread *t = thread_create(kernel_task(), current->prio, "peer");
	KEXPECT(t != NULL);
	arch_thread_init_kernel(t, pingpong_peer, NULL);
	thread_start(t);
	while (pp_count < 100)
		thread_block(&pp_wq, THREAD_BLOCK_SLEEP, arch_time_ns() + 1000000000ull);
	KEXPECT_EQ(pp_count, 100);
}

KTEST(sched_sleep, "KSCHED-002", "a timed block wakes with ETIMEDOUT after its deadline")
{
	uint64_t t0 = arch_time_ns();
	int rc = thread_block(NULL, THREAD_BLOCK_SLEEP, t0 + 5000000);
	uint64_t dt = arch_time_ns() - t0;
	KEXPECT_EQ(rc, -FERRY_ETIMEDOUT);
	KEXPECT(dt >= 5000000);
	KEXPECT(dt < 500000000);
}

KTEST(port_basic, "KIPC-001", "queue and port: send, receive with key, no-senders on close")
{
	struct task *k = kernel_task();
	struct queue *q;
	KEXPECT_EQ(queue_create(k, 4, &q), 0);
	handle_t qh, ph;
	KEXPECT_EQ(handle_install(k, &q->obj, FERRY_RIGHT_RECV, &qh), 0);
	struct port *p;
	KEXPECT_EQ(port_create(k, q, 42, &p), 0);
	KEXPECT_EQ(handle_install(k, &p->obj, FERRY_RIGHT_SEND, &ph), 0);
	struct ferry_msg m;
	memset(&m, 0, sizeof(m));
	m.op = 7;
	m.len = 3;
	memcpy(m.data, "abc", 3);
	for (int i = 0; i < 4; i++)
		KEXPECT_EQ(ipc_send(p, &m, FERRY_IPC_NONBLOCK), 0);
	KEXPECT_EQ(ipc_send(p, &m, FERRY_IPC_NONBLOCK), -FERRY_EAGAIN);
	struct ferry_msg r;
	for (int i = 0; i < 4; i++) {
		KEXPECT_EQ(ipc_recv(q, &r, 0), 0);
		KEXPECT_EQ(r.key, 42);
		KEXPECT_EQ(r.op, 7);
		KEXPECT(!memcmp(r.data, "abc", 3));
	}
	KEXPECT_EQ(ipc_recv(q, &r, 0), -FERRY_EAGAIN);
	KEXPECT_EQ(handle_close(k, ph), 0);
	KEXPECT_EQ(ipc_recv(q, &r, 0), 0);
	KEXPECT_EQ(r.op, FERRY_NOTIFY_NO_SENDERS);
	KEXPECT_EQ(r.key, 42);
	KEXPECT_EQ(handle_close(k, qh), 0);
}

KTEST(queue_timer, "KIPC-002",
      "queue timer: one-shot and periodic expiries arrive as coalesced notifications")
{
	struct task *k = kernel_task();
	struct queue *q;
	KEXPECT_EQ(queue_create(k, 2, &q), 0);
	handle_t qh;
	KEXPECT_EQ(handle_install(k, &q->obj, FERRY_RIGHT_RECV, &qh), 0);
	struct ferry_msg r;
	uint64_t now = arch_time_ns();
	KEXPECT_EQ(queue_timer_set(q, 5, now + 2000000, 0), 0);
	KEXPECT_EQ(ipc_recv(q, &r, 0), -FERRY_EAGAIN);
	KEXPECT_EQ(ipc_recv(q, &r, now + 50000000), 0);
	KEXPECT_EQ(r.op, FERRY_NOTIFY_TIMER);
	KEXPECT_EQ(r.key, 5);
	KEXPECT(arch_time_ns() >= now + 2000000);
	/* Periodic: expiries pile up into one notification with a count. */
	KEXPECT_EQ(queue_timer_set(q, 6, arch_time_ns() + 1000000, 1000000), 0);
	thread_block(NULL, THREAD_BLOCK_SLEEP, arch_time_ns() + 6000000);
	KEXPECT_EQ(ipc_recv(q, &r, 0), 0);
	uint64_t count;
	memcpy(&count, r.data, sizeof(count));
	KEXPECT(count >= 3);
	KEXPECT_EQ(r.key, 6);
	KEXPECT_EQ(queue_timer_set(q, 6, 0, 0), 0);
	thread_block(NULL, THREAD_BLOCK_SLEEP, arch_time_ns() + 3000000);
	KEXPECT_EQ(ipc_recv(q, &r, 0), -FERRY_EAGAIN);
	KEXPECT_EQ(queue_timer_set(q, 1, 1, 10), -FERRY_EINVAL);
	KEXPECT_EQ(handle_close(k, qh), 0);
}
