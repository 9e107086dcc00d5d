// SPDX-License-Identifier: MIT
/*
 * Bulk I/O from several threads at once (suite threadpx, run by posixsrv
 * through cmd=/bin/thread/pipes, so pipes are real posixsrv pipes reached
 * through libposix's fd layer): THR-900..
 *   - 4 writer and 4 reader threads move 256 KiB each through 4 pipes in
 *     chunks larger than a message, i.e. through transfer areas, all at
 *     once, blocking on full and empty pipes; every byte is checked.
 *   - a thread blocked reading an empty pipe does not hold up another
 *     thread's bulk write and read on a second pipe (no lock across a
 *     blocking call in libposix).
 * Prints PASS/FAIL lines, the summary and SUITE-END threadpx.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include "thread_test.h"

enum { PAIRS = 4, BYTES = 256 * 1024 };

struct pipe_pair {
	int fd[2];
	int id;
	long bad, got;
};

static unsigned char
pattern(int id, long off)
{
	return (unsigned char)(off * 31 + id * 7 + (off >> 9));
}

static void *
writer(void *arg)
{
	struct pipe_pair *p = arg;
	unsigned char buf[9000];
	long off = 0;
	size_t chunk = 1000 + (size_t)p->id * 2000; /* 1000 .. 7000 bytes */
	while (off < BYTES) {
		size_t n = (size_t)(BYTES - off) < chunk ? (size_t)(BYTES - off) : chunk;
		for (size_t i = 0; i < n; i++)
			buf[i] = pattern(p->id, off + (long)i);
		ssize_t w = write(p->fd[1], buf, n);
		if (w <= 0) {
			p->bad++;
			break;
		}
		off += w;
	}
	close(p->fd[1]);
	return 0;
}

static void *
reader(void *arg)
{
	struct pipe_pair *p = arg;
	unsigned char buf[9000];
	size_t want = 9000 - (size_t)p->id * 1500; /* 9000 .. 4500 bytes */
	for (;;) {
		ssize_t r = read(p->fd[0], buf, want);
		if (r < 0)
			p->bad++;
		if (r <= 0)
			break;
		for (ssize_t i = 0; i < r; i++)
			if (buf[i] != pattern(p->id, p->got + i))
				p->bad++;
		p->got += r;
	}
	close(p->fd[0]);
	return 0;
}

static void
t_bulk(void)
{
	static struct pipe_pair p[PAIRS];
	pthread_t w[PAIRS], r[PAIRS];
	int ok = 1;
	for (int i = 0; i < PAIRS; i++) {
		p[i].id = i;
		EXPECT(ok, pipe(p[i].fd) == 0);
	}
	CHECK("THR-900", "4 pipes", ok);
	if (!ok)
		return;
	long long t0 = now_ns();
	for (int i = 0; i < PAIRS; i++) {
		pthread_create(&r[i], 0, reader, &p[i]);
		pthread_create(&w[i], 0, writer, &p[i]);
	}
	for (int i = 0; i < PAIRS; i++) {
		pthread_join(w[i], 0);
		pthread_join(r[i], 0);
		if (p[i].bad || p[i].got != BYTES)
			say("  pipe %d: %ld bytes, %ld bad\n", i, p[i].got, p[i].bad);
		EXPECT(ok, p[i].bad == 0 && p[i].got == BYTES);
	}
	CHECK("THR-901", "4 writers and 4 readers move 4 x 256 KiB at once, every byte right", ok);
	say("  pipes: %lld ms\n", (now_ns() - t0) / 1000000);
}

static int idle_pipe[2];
static volatile long idle_got;

static void *
idle_reader(void *arg)
{
	char buf[4096];
	(void)arg;
	idle_got = read(idle_pipe[0], buf, sizeof buf); /* blocks: nothing written yet */
	return 0;
}

static void
t_not_held(void)
{
	int busy[2];
	static unsigned char out[20000], in[20000];
	pthread_t t;
	long done = 0;
	pipe(idle_pipe);
	pipe(busy);
	pthread_create(&t, 0, idle_reader, 0);
	for (int i = 0; i < 50; i++)
		sched_yield();
	for (size_t i = 0; i < sizeof out; i++)
		out[i] = (unsigned char)(i * 13);
	long w = write(busy[1], out, sizeof out);
	while (done < w) {
		long r = read(busy[0], in + done, sizeof in - (size_t)done);
		if (r <= 0)
			break;
		done += r;
	}
	CHECK("THR-902", "bulk write+read on one pipe while another thread blocks reading another",
	      w == (long)sizeof out && done == w && memcmp(in, out, sizeof out) == 0 &&
	              idle_got == 0);
	write(idle_pipe[1], "x", 1);
	pthread_join(t, 0);
	CHECK("THR-903", "the blocked reader then gets its byte", idle_got == 1);
}

int
main(void)
{
	t_bulk();
	t_not_held();
	say("%d failed\nSUITE-END threadpx\n", thread_test_failures);
	return thread_test_failures;
}
