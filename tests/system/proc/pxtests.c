// SPDX-License-Identifier: MIT
/*
 * The procpx suite (cmd=/bin/proc/pxtests): procmgr tests that need the
 * whole personality (vfs, posixsrv's pipes): SA_RESTART across a pipe
 * read and write broken by a signal.  Each test prints PASS/FAIL with its
 * PROC0NN ID, then the summary and SUITE-END procpx; the exit status is
 * the number of failures.  argv[1], if given, selects the tests whose ID
 * starts with it.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int failures, passes;
static const char *filter = "";
static int cur_failed;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			printf("  check failed: %s (line %d, errno %d)\n", #cond, __LINE__,        \
			       errno);                                                             \
			cur_failed = 1;                                                            \
		}                                                                                  \
	} while (0)

#define TEST(fn, id, desc)                                                                         \
	do {                                                                                       \
		if (strncmp(id, filter, strlen(filter)))                                           \
			break;                                                                     \
		cur_failed = 0;                                                                    \
		fn();                                                                              \
		if (cur_failed) {                                                                  \
			printf("FAIL %s: %s\n", id, desc);                                         \
			failures++;                                                                \
		} else {                                                                           \
			printf("PASS %s %s\n", id, desc);                                          \
			passes++;                                                                  \
		}                                                                                  \
		fflush(stdout);                                                                    \
	} while (0)

static void
msleep(int ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

static volatile sig_atomic_t hits;
static void
on_usr1(int s)
{
	(void)s;
	hits++;
}

static void
handle_usr1(int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sa.sa_flags = flags;
	sigaction(SIGUSR1, &sa, NULL);
}

/* Child: reads the pipe while a signal comes; flags of its handler. */
static int
reader(int fd, int flags)
{
	char buf[16];
	handle_usr1(flags);
	ssize_t n = read(fd, buf, sizeof buf);
	if (!(flags & SA_RESTART)) {
		if (n != -1 || errno != EINTR || hits != 1)
			return 1;
		n = read(fd, buf, sizeof buf); /* the data was not lost */
	}
	return n == 5 && !memcmp(buf, "hello", 5) && hits == 1 ? 0 : 2;
}

static void
t_restart_read(void)
{
	for (int restart = 0; restart < 2; restart++) {
		int p[2], st = -1;
		CHECK(pipe(p) == 0);
		fflush(stdout);
		pid_t c = fork();
		if (c == 0)
			_exit(reader(p[0], restart ? SA_RESTART : 0));
		msleep(50);
		CHECK(kill(c, SIGUSR1) == 0);
		msleep(50);
		CHECK(write(p[1], "hello", 5) == 5);
		CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0);
		if (WIFEXITED(st) && WEXITSTATUS(st))
			printf("  reader (restart %d) exited %d\n", restart, WEXITSTATUS(st));
		close(p[0]);
		close(p[1]);
	}
}

/* Child: fills the pipe, then a write of 100 bytes blocks until a signal
 * (SA_RESTART) and the parent's draining: exactly 65536 + 100 bytes. */
static int
writer(int fd)
{
	static char big[65536];
	handle_usr1(SA_RESTART);
	memset(big, 'a', sizeof big);
	if (write(fd, big, sizeof big) != (ssize_t)sizeof big)
		return 1;
	memset(big, 'b', 100);
	if (write(fd, big, 100) != 100)
		return 2;
	return hits == 1 ? 0 : 3;
}

static void
t_restart_write(void)
{
	int p[2], st = -1;
	static char buf[4096];
	CHECK(pipe(p) == 0);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0)
		_exit(writer(p[1]));
	close(p[1]);
	msleep(100);
	CHECK(kill(c, SIGUSR1) == 0);
	msleep(50);
	long total = 0, bs = 0;
	ssize_t n;
	while ((n = read(p[0], buf, sizeof buf)) > 0) {
		for (ssize_t i = 0; i < n; i++)
			bs += buf[i] == 'b';
		total += n;
	}
	CHECK(total == 65536 + 100 && bs == 100);
	if (total != 65536 + 100)
		printf("  read %ld bytes, %ld of the second write\n", total, bs);
	CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(p[0]);
}

int
main(int argc, char **argv)
{
	if (argc > 1 && argv[1])
		filter = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	TEST(t_restart_read, "PROC061",
	     "pipe read broken by a signal: restarted with SA_RESTART, EINTR without, no data "
	     "lost");
	TEST(t_restart_write, "PROC062",
	     "blocked pipe write broken by an SA_RESTART signal: restarted, written once");
	printf("%d passed, %d failed\nSUITE-END procpx\n", passes, failures);
	return failures ? 1 : 0;
}
