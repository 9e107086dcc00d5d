// SPDX-License-Identifier: MIT
/*
 * POSIX message queue benchmarks, a musl program run as a process
 * (cmd=/bin/bench/mq, through posixsrv and procmgr):
 *   mq_send_receive      mq_send + mq_receive of 16 bytes (inline), one
 *                        process; median of 200
 *   mq_send_receive_4k   the same with 4 KiB (the transfer area)
 *   mq_pingpong          16 bytes there and back between two processes
 *                        through two queues (each side blocks in receive)
 * Prints "BENCH <metric> <value> insns" and "SUITE-END mq"; the unit is
 * instructions under ./ferry bench (-icount: the TSC counts guest
 * instructions), TSC cycles without it.
 */
#include <fcntl.h>
#include <mqueue.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "measure.h"

#define N 200
static uint64_t samples[N];

static mqd_t
mk(const char *name, long msgsize)
{
	struct mq_attr a = {.mq_maxmsg = 4, .mq_msgsize = msgsize};
	mq_unlink(name);
	mqd_t q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &a);
	if (q == (mqd_t)-1) {
		perror("mqbench: mq_open");
		exit(1);
	}
	return q;
}

static void
send_receive(const char *metric, long size)
{
	static char buf[4096], out[4096];
	mqd_t q = mk("/mqbench", size);
	memset(buf, 'm', sizeof buf);
	for (int i = 0; i < N; i++) {
		uint64_t t0 = rdtsc();
		if (mq_send(q, buf, (size_t)size, 1) ||
		    mq_receive(q, out, (size_t)size, NULL) != size)
			exit(1);
		samples[i] = rdtsc() - t0;
	}
	mq_close(q);
	mq_unlink("/mqbench");
	report(metric, median(samples, N), "insns");
}

static void
pingpong(void)
{
	char buf[16] = "ping";
	mqd_t a = mk("/mqbench-a", 16), b = mk("/mqbench-b", 16);
	pid_t c = fork();
	if (c == 0) {
		for (int i = 0; i < N; i++)
			if (mq_receive(a, buf, 16, NULL) != 16 || mq_send(b, buf, 16, 0))
				_exit(1);
		_exit(0);
	}
	for (int i = 0; i < N; i++) {
		uint64_t t0 = rdtsc();
		if (mq_send(a, buf, 16, 0) || mq_receive(b, buf, 16, NULL) != 16)
			exit(1);
		samples[i] = rdtsc() - t0;
	}
	waitpid(c, NULL, 0);
	mq_close(a);
	mq_close(b);
	mq_unlink("/mqbench-a");
	mq_unlink("/mqbench-b");
	report("mq_pingpong", median(samples, N), "insns");
}

int
main(void)
{
	send_receive("mq_send_receive", 16);
	send_receive("mq_send_receive_4k", 4096);
	pingpong();
	printf("SUITE-END mq\n");
	return 0;
}
