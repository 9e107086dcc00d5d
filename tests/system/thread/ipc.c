// SPDX-License-Identifier: MIT
/*
 * IPC from several threads of one process at once (THR-600..): 8 client
 * threads call a port served by 2 server threads of the same process
 * (the kernel keeps each thread's call state apart: every reply must reach
 * its own caller), and 8 threads allocate and free descriptors at once
 * (libposix's descriptor table must never hand one fd to two threads).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>
#include <ferry/syscall.h>
#include "thread_test.h"

enum { CLIENTS = 8, SERVERS = 2, CALLS = 300, OP_ECHO = 1, OP_QUIT = 2 };

static handle_t queue, port;
static volatile long served[SERVERS];

static void *
server(void *arg)
{
	int me = (int)(uintptr_t)arg;
	struct ferry_msg m;
	memset(&m, 0, sizeof m);
	for (;;) {
		long rc = ferry_sys_msg_reply_recv(queue, &m, FERRY_TIME_INFINITE);
		if (rc < 0)
			return (void *)rc;
		if (m.op == OP_QUIT) {
			m.len = 0;
			ferry_sys_msg_reply(&m);
			return 0;
		}
		/* Reply: the request's words, each plus one, and who served it. */
		uint64_t w[3];
		memcpy(w, m.data, sizeof w);
		w[0]++, w[1]++;
		w[2] = (uint64_t)me;
		memcpy(m.data, w, sizeof w);
		m.len = sizeof w;
		m.nhandles = 0;
		served[me]++;
		if ((me + served[me]) % 5 == 0)
			sched_yield(); /* another server thread gets some of the calls */
	}
}

static void *
client(void *arg)
{
	uint64_t id = (uintptr_t)arg;
	long bad = 0;
	for (uint64_t i = 0; i < CALLS; i++) {
		struct ferry_msg m;
		uint64_t w[3] = {id, i * 7919, 0};
		memset(&m, 0, sizeof m);
		m.op = OP_ECHO;
		m.len = sizeof w;
		memcpy(m.data, w, sizeof w);
		long rc = ferry_sys_msg_call(port, &m, 5000000000ull);
		memcpy(w, m.data, sizeof w);
		if (rc < 0 || m.len != sizeof w || w[0] != id + 1 || w[1] != i * 7919 + 1)
			bad++;
	}
	return (void *)bad;
}

static void
t_calls(void)
{
	pthread_t s[SERVERS], c[CLIENTS];
	long bad = 0, total = 0;
	int ok = ferry_sys_queue_create(64, &queue) == 0 &&
	         ferry_sys_port_create(queue, 1, &port) == 0;
	CHECK("THR-600", "queue and port created", ok);
	if (!ok)
		return;
	for (int i = 0; i < SERVERS; i++)
		pthread_create(&s[i], 0, server, (void *)(uintptr_t)i);
	for (int i = 0; i < CLIENTS; i++)
		pthread_create(&c[i], 0, client, (void *)(uintptr_t)(i * 1000));
	for (int i = 0; i < CLIENTS; i++) {
		void *r;
		pthread_join(c[i], &r);
		bad += (long)r;
	}
	for (int i = 0; i < SERVERS; i++) {
		struct ferry_msg m;
		memset(&m, 0, sizeof m);
		m.op = OP_QUIT;
		ferry_sys_msg_call(port, &m, 5000000000ull);
	}
	for (int i = 0; i < SERVERS; i++) {
		pthread_join(s[i], 0);
		total += served[i];
	}
	CHECK("THR-601", "8 threads x 300 calls: every reply reached its own caller intact",
	      bad == 0);
	CHECK("THR-602", "all calls served", total == (long)CLIENTS * CALLS);
	say("  ipc: served %ld + %ld\n", served[0], served[1]);
}

enum { FDS = 40, FD_THREADS = 8, FD_ROUNDS = 20 };
static volatile int owner[1024];
static volatile int fd_bad;

static void *
fd_churn(void *arg)
{
	int me = (int)(uintptr_t)arg + 1;
	int fds[FDS];
	for (int r = 0; r < FD_ROUNDS; r++) {
		for (int i = 0; i < FDS; i++) {
			fds[i] = dup(2);
			if (fds[i] < 0 || fds[i] >= 1024) {
				fd_bad = 1;
				return 0;
			}
			if (__atomic_exchange_n(&owner[fds[i]], me, __ATOMIC_SEQ_CST) != 0)
				fd_bad = 1; /* somebody else holds this fd */
			if (i % 8 == 0)
				sched_yield();
		}
		for (int i = 0; i < FDS; i++) {
			owner[fds[i]] = 0;
			if (close(fds[i]) != 0)
				fd_bad = 1;
		}
	}
	return 0;
}

static void
t_fds(void)
{
	pthread_t t[FD_THREADS];
	int first = dup(2); /* the lowest free fd before */
	close(first);
	for (int i = 0; i < FD_THREADS; i++)
		pthread_create(&t[i], 0, fd_churn, (void *)(uintptr_t)i);
	for (int i = 0; i < FD_THREADS; i++)
		pthread_join(t[i], 0);
	CHECK("THR-603", "8 threads dup and close 6400 fds at once: never one fd twice", !fd_bad);
	CHECK("THR-604", "the table is as before afterwards",
	      first >= 0 && dup(2) == first && close(first) == 0);
}

int
main(void)
{
	t_calls();
	t_fds();
	return thread_test_failures;
}
