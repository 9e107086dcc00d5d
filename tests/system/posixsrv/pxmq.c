/* SPDX-License-Identifier: MIT */
/*
 * POSIX message queues seen from a musl program (suite pxmq, run by
 * posixsrv through cmd= so that procmgr is there for notifications):
 * names and their errors, attributes, priority order, blocking and timed
 * sends and receives, O_NONBLOCK, mq_notify with a signal, poll, unlink
 * while open, the queue limit, callers that die or are interrupted while
 * blocked.  PXL300-PXL319.  Prints PASS/FAIL per test and SUITE-END.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mqueue.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <ferry/proto/mq.h>
#include <ferry/proto/proc.h>
#include <ferry/startup.h>
#include <ferry/syscall.h>

#include "../pxcheck.h"

static struct mq_attr
attr(long maxmsg, long msgsize)
{
	struct mq_attr a;
	memset(&a, 0, sizeof a);
	a.mq_maxmsg = maxmsg;
	a.mq_msgsize = msgsize;
	return a;
}

static mqd_t
mk(const char *name, int flags, long maxmsg, long msgsize)
{
	struct mq_attr a = attr(maxmsg, msgsize);
	mq_unlink(name);
	return mq_open(name, flags | O_CREAT | O_EXCL, 0600, &a);
}

static long
ms_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static struct timespec
in_ms(long ms)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += (ms % 1000) * 1000000;
	if (t.tv_nsec >= 1000000000) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000;
	}
	return t;
}

static void
t_names(void)
{
	char longname[300], name100[102];
	struct mq_attr a;

	mq_unlink("/pxmq-n");
	errno = 0;
	CHECK(mq_open("/pxmq-n", O_RDWR) == (mqd_t)-1 && errno == ENOENT);
	mqd_t q = mk("/pxmq-n", O_RDWR, 4, 16);
	CHECK(q >= 0);
	CHECK((fcntl(q, F_GETFD) & FD_CLOEXEC) != 0);
	errno = 0;
	CHECK(mq_open("/pxmq-n", O_RDWR | O_CREAT | O_EXCL, 0600, NULL) == (mqd_t)-1 &&
	      errno == EEXIST);
	/* O_CREAT without O_EXCL opens it, ignoring the attributes. */
	a = attr(-1, -1);
	mqd_t q2 = mq_open("/pxmq-n", O_RDWR | O_CREAT, 0600, &a);
	CHECK(q2 >= 0);
	CHECK(mq_getattr(q2, &a) == 0 && a.mq_maxmsg == 4 && a.mq_msgsize == 16);
	mq_close(q2);
	errno = 0;
	CHECK(mq_open("/pxmq-n", O_RDWR | O_WRONLY) == (mqd_t)-1 && errno == EINVAL);
	errno = 0;
	CHECK(mq_open("/a/b", O_RDWR | O_CREAT, 0600, NULL) == (mqd_t)-1 && errno == EACCES);
	errno = 0;
	CHECK(mq_open("/", O_RDWR | O_CREAT, 0600, NULL) == (mqd_t)-1 && errno == EACCES);
	errno = 0;
	CHECK(mq_open("/..", O_RDWR | O_CREAT, 0600, NULL) == (mqd_t)-1 && errno == EACCES);
	memset(longname, 'x', sizeof longname);
	longname[0] = '/';
	longname[257] = 0; /* 256 bytes after the slash */
	errno = 0;
	CHECK(mq_open(longname, O_RDWR | O_CREAT, 0600, NULL) == (mqd_t)-1 &&
	      errno == ENAMETOOLONG);
	errno = 0;
	CHECK(mq_unlink(longname) == -1 && errno == ENAMETOOLONG);
	/* 255 bytes: the longest name, through the lent page. */
	longname[256] = 0;
	mq_unlink(longname);
	mqd_t ql = mq_open(longname, O_RDWR | O_CREAT | O_EXCL, 0600, NULL);
	CHECK(ql >= 0);
	CHECK(mq_getattr(ql, &a) == 0 && a.mq_maxmsg == 10 && a.mq_msgsize == 8192);
	mq_close(ql);
	CHECK(mq_unlink(longname) == 0);
	memset(name100, 'y', sizeof name100);
	name100[0] = '/';
	name100[101] = 0;
	ql = mq_open(name100, O_RDWR | O_CREAT | O_EXCL, 0600, NULL);
	CHECK(ql >= 0);
	errno = 0;
	CHECK(mq_open(name100, O_RDWR | O_CREAT | O_EXCL, 0600, NULL) == (mqd_t)-1 &&
	      errno == EEXIST);
	mq_close(ql);
	CHECK(mq_unlink(name100) == 0);
	/* Bad attributes when creating. */
	const long bad[][2] = {{0, 16}, {4, 0}, {-1, 16}, {4, -5}, {100000, 16}, {4, 1L << 30}};
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		a = attr(bad[i][0], bad[i][1]);
		errno = 0;
		CHECK(mq_open("/pxmq-bad", O_RDWR | O_CREAT, 0600, &a) == (mqd_t)-1 &&
		      errno == EINVAL);
	}
	errno = 0;
	CHECK(mq_open("/pxmq-bad", O_RDWR) == (mqd_t)-1 && errno == ENOENT);
	CHECK(mq_unlink("/pxmq-n") == 0);
	errno = 0;
	CHECK(mq_unlink("/pxmq-n") == -1 && errno == ENOENT);
	mq_close(q);
	end("PXL300", "mq_open/mq_unlink: ENOENT, EEXIST, O_CREAT opens an existing queue, "
	              "EACCES for '/', '..' and a slash, ENAMETOOLONG at 256, a 255-byte name, "
	              "EINVAL attributes and access mode, O_CLOEXEC");
}

static void
t_order(void)
{
	char buf[9000], big[8192];
	unsigned prio;
	struct mq_attr a;
	const unsigned prios[] = {1, 5, 1, 32767, 0, 5};
	const char *texts[] = {"a1", "b5", "c1", "dmax", "e0", "f5"};
	const char *want[] = {"dmax", "b5", "f5", "a1", "c1", "e0"};
	const unsigned wantp[] = {32767, 5, 5, 1, 1, 0};

	mqd_t q = mk("/pxmq-o", O_RDWR, 8, 64);
	CHECK(q >= 0);
	for (int i = 0; i < 6; i++)
		CHECK(mq_send(q, texts[i], strlen(texts[i]) + 1, prios[i]) == 0);
	CHECK(mq_getattr(q, &a) == 0 && a.mq_curmsgs == 6);
	errno = 0;
	CHECK(mq_receive(q, buf, 63, &prio) == -1 && errno == EMSGSIZE);
	for (int i = 0; i < 6; i++) {
		CHECK(mq_receive(q, buf, sizeof buf, &prio) == (ssize_t)strlen(want[i]) + 1);
		CHECK(strcmp(buf, want[i]) == 0 && prio == wantp[i]);
	}
	errno = 0;
	CHECK(mq_send(q, buf, 65, 0) == -1 && errno == EMSGSIZE);
	errno = 0;
	CHECK(mq_send(q, "x", 1, MQ_PRIO_MAX) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(syscall(SYS_mq_timedsend, q, "x", 1, 1ul << 40, NULL) == -1 && errno == EINVAL);
	/* A zero-length message. */
	CHECK(mq_send(q, "", 0, 3) == 0);
	CHECK(mq_receive(q, buf, 64, &prio) == 0 && prio == 3);
	mq_close(q);
	mq_unlink("/pxmq-o");

	/* 8 KiB messages go through the transfer area. */
	q = mk("/pxmq-big", O_RDWR, 2, 8192);
	CHECK(q >= 0);
	for (int i = 0; i < (int)sizeof big; i++)
		big[i] = (char)(i * 7 + 3);
	CHECK(mq_send(q, big, sizeof big, 9) == 0);
	CHECK(mq_send(q, big, 100, 2) == 0);
	memset(buf, 0, sizeof buf);
	CHECK(mq_receive(q, buf, sizeof buf, &prio) == 8192 && prio == 9);
	CHECK(memcmp(buf, big, sizeof big) == 0);
	CHECK(mq_receive(q, buf, 8192, &prio) == 100 && prio == 2 && !memcmp(buf, big, 100));
	mq_close(q);
	mq_unlink("/pxmq-big");

	/* Access modes and descriptors that are not queues. */
	q = mk("/pxmq-acc", O_RDONLY, 2, 8);
	mqd_t w = mq_open("/pxmq-acc", O_WRONLY);
	CHECK(q >= 0 && w >= 0);
	errno = 0;
	CHECK(mq_send(q, "x", 1, 0) == -1 && errno == EBADF);
	errno = 0;
	CHECK(mq_receive(w, buf, 8, NULL) == -1 && errno == EBADF);
	int p[2];
	CHECK(pipe(p) == 0);
	errno = 0;
	CHECK(mq_send(p[1], "x", 1, 0) == -1 && errno == EBADF);
	errno = 0;
	CHECK(mq_getattr(p[0], &a) == -1 && errno == EBADF);
	errno = 0;
	CHECK(mq_send(999, "x", 1, 0) == -1 && errno == EBADF);
	close(p[0]);
	close(p[1]);
	mq_close(q);
	mq_close(w);
	mq_unlink("/pxmq-acc");
	end("PXL301", "priority order (highest first, FIFO within one), MQ_PRIO_MAX and larger "
	              "EINVAL, EMSGSIZE both ways, 8 KiB messages intact, EBADF for the wrong "
	              "access mode, a pipe and a closed fd");
}

static void
t_block_other_process(void)
{
	char buf[64];
	unsigned prio;
	struct timespec t0;

	mqd_t q = mk("/pxmq-b", O_RDWR, 1, 32);
	CHECK(q >= 0);
	pid_t c = fork();
	if (c == 0) {
		usleep(200000);
		_exit(mq_send(q, "wake", 5, 7) == 0 ? 0 : 1);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK(mq_receive(q, buf, sizeof buf, &prio) == 5 && !strcmp(buf, "wake") && prio == 7);
	CHECK(ms_since(&t0) >= 150);
	int st;
	CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* A blocked sender is woken by a receive in another process. */
	CHECK(mq_send(q, "full", 5, 0) == 0);
	c = fork();
	if (c == 0) {
		usleep(200000);
		char b[32];
		_exit(mq_receive(q, b, sizeof b, NULL) == 5 && !strcmp(b, "full") ? 0 : 1);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK(mq_send(q, "next", 5, 0) == 0);
	CHECK(ms_since(&t0) >= 150);
	CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK(mq_receive(q, buf, sizeof buf, NULL) == 5 && !strcmp(buf, "next"));
	mq_close(q);
	mq_unlink("/pxmq-b");
	end("PXL302", "a blocked mq_receive is woken by a send from another process, a blocked "
	              "mq_send by a receive; the descriptor is inherited by fork");
}

static void
t_timed(void)
{
	char buf[64];
	struct timespec t0, at, bad = {0, -1};

	mqd_t q = mk("/pxmq-t", O_RDWR, 1, 32);
	CHECK(q >= 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	at = in_ms(200);
	errno = 0;
	CHECK(mq_timedreceive(q, buf, sizeof buf, NULL, &at) == -1 && errno == ETIMEDOUT);
	long ms = ms_since(&t0);
	CHECK(ms >= 190 && ms < 5000);
	/* A time already past: at once. */
	at = in_ms(-1000);
	errno = 0;
	CHECK(mq_timedreceive(q, buf, sizeof buf, NULL, &at) == -1 && errno == ETIMEDOUT);
	errno = 0;
	CHECK(mq_timedreceive(q, buf, sizeof buf, NULL, &bad) == -1 && errno == EINVAL);
	CHECK(mq_timedsend(q, "one", 4, 0, &bad) == 0); /* no wait: not checked */
	errno = 0;
	CHECK(mq_timedsend(q, "two", 4, 0, &bad) == -1 && errno == EINVAL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	at = in_ms(200);
	errno = 0;
	CHECK(mq_timedsend(q, "two", 4, 0, &at) == -1 && errno == ETIMEDOUT);
	CHECK(ms_since(&t0) >= 190);
	CHECK(mq_timedreceive(q, buf, sizeof buf, NULL, &bad) == 4 && !strcmp(buf, "one"));
	/* A deadline far away does not stop a message that comes. */
	CHECK(mq_send(q, "three", 6, 0) == 0);
	at = in_ms(100000);
	CHECK(mq_timedreceive(q, buf, sizeof buf, NULL, &at) == 6);
	mq_close(q);
	mq_unlink("/pxmq-t");
	end("PXL303", "mq_timedreceive/mq_timedsend: ETIMEDOUT at the deadline and at once for a "
	              "past one; an invalid timeout is EINVAL only when the call must wait");
}

static void
t_nonblock(void)
{
	char buf[64];
	struct mq_attr a, old;

	mqd_t q = mk("/pxmq-nb", O_RDWR | O_NONBLOCK, 2, 32);
	CHECK(q >= 0);
	CHECK(mq_getattr(q, &a) == 0 && (a.mq_flags & O_NONBLOCK));
	errno = 0;
	CHECK(mq_receive(q, buf, sizeof buf, NULL) == -1 && errno == EAGAIN);
	CHECK(mq_send(q, "1", 2, 0) == 0 && mq_send(q, "2", 2, 0) == 0);
	errno = 0;
	CHECK(mq_send(q, "3", 2, 0) == -1 && errno == EAGAIN);
	a.mq_flags = 0;
	CHECK(mq_setattr(q, &a, &old) == 0 && (old.mq_flags & O_NONBLOCK));
	CHECK(old.mq_curmsgs == 2 && old.mq_maxmsg == 2 && old.mq_msgsize == 32);
	CHECK(mq_getattr(q, &a) == 0 && !(a.mq_flags & O_NONBLOCK));
	a.mq_flags = O_NONBLOCK | O_APPEND;
	errno = 0;
	CHECK(mq_setattr(q, &a, NULL) == -1 && errno == EINVAL);
	a.mq_flags = O_NONBLOCK;
	CHECK(mq_setattr(q, &a, NULL) == 0);
	errno = 0;
	CHECK(mq_send(q, "3", 2, 0) == -1 && errno == EAGAIN);
	/* The flag belongs to the description: another open is blocking. */
	mqd_t q2 = mq_open("/pxmq-nb", O_RDWR);
	CHECK(q2 >= 0 && mq_getattr(q2, &a) == 0 && !(a.mq_flags & O_NONBLOCK));
	mq_close(q2);
	mq_close(q);
	mq_unlink("/pxmq-nb");
	end("PXL304", "O_NONBLOCK: EAGAIN on an empty and a full queue; mq_setattr changes it "
	              "(other flags EINVAL) and returns the old attributes");
}

static volatile sig_atomic_t got_sig, got_code, got_pid;
static volatile long got_value;
static void
on_notify(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_sig = sig;
	got_code = si->si_code;
	got_pid = si->si_pid;
	got_value = (long)si->si_value.sival_ptr;
}

static void
t_notify(void)
{
	char buf[64];
	struct sigaction sa;
	struct sigevent ev;
	int st;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_notify;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	mqd_t q = mk("/pxmq-ntf", O_RDWR, 4, 32);
	CHECK(q >= 0);
	memset(&ev, 0, sizeof ev);
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = SIGUSR1;
	ev.sigev_value.sival_ptr = (void *)0x5eed;
	CHECK(mq_notify(q, &ev) == 0);
	errno = 0;
	CHECK(mq_notify(q, &ev) == -1 && errno == EBUSY);
	pid_t c = fork();
	if (c == 0) {
		/* Another process: EBUSY; its removal does not touch ours. */
		int ok = mq_notify(q, &ev) == -1 && errno == EBUSY && mq_notify(q, NULL) == 0;
		ok = ok && mq_send(q, "hi", 3, 0) == 0;
		_exit(ok ? 0 : 1);
	}
	CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	for (int i = 0; i < 200 && !got_sig; i++)
		usleep(10000);
	CHECK(got_sig == SIGUSR1 && got_code == SI_MESGQ && got_pid == c && got_value == 0x5eed);
	/* Once only: the registration is gone. */
	got_sig = 0;
	CHECK(mq_receive(q, buf, sizeof buf, NULL) == 3);
	CHECK(mq_send(q, "again", 6, 0) == 0);
	usleep(100000);
	CHECK(got_sig == 0);
	/* Not for a queue that was not empty. */
	CHECK(mq_notify(q, &ev) == 0);
	CHECK(mq_send(q, "more", 5, 0) == 0);
	usleep(100000);
	CHECK(got_sig == 0);
	CHECK(mq_notify(q, NULL) == 0);
	CHECK(mq_notify(q, &ev) == 0); /* removed: may register again */
	CHECK(mq_notify(q, NULL) == 0);
	ev.sigev_notify = SIGEV_NONE;
	CHECK(mq_notify(q, &ev) == 0);
	errno = 0;
	CHECK(mq_notify(q, &ev) == -1 && errno == EBUSY);
	CHECK(mq_notify(q, NULL) == 0);
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = 65;
	errno = 0;
	CHECK(mq_notify(q, &ev) == -1 && errno == EINVAL);
	/* Signal 0, as Linux: registered (EBUSY for another), nothing sent. */
	CHECK(mq_receive(q, buf, sizeof buf, NULL) == 6 &&
	      mq_receive(q, buf, sizeof buf, NULL) == 5);
	ev.sigev_signo = 0;
	CHECK(mq_notify(q, &ev) == 0);
	errno = 0;
	CHECK(mq_notify(q, &ev) == -1 && errno == EBUSY);
	CHECK(mq_send(q, "zero", 5, 0) == 0);
	CHECK(mq_notify(q, &ev) == 0); /* it fired: free again */
	CHECK(mq_notify(q, NULL) == 0);
	/* Notifying ourselves: the handler has run when mq_send returns. */
	CHECK(mq_receive(q, buf, sizeof buf, NULL) == 5);
	ev.sigev_signo = SIGUSR1;
	ev.sigev_value.sival_ptr = (void *)0x5e1f;
	got_sig = 0;
	CHECK(mq_notify(q, &ev) == 0);
	CHECK(mq_send(q, "self", 5, 0) == 0);
	CHECK(got_sig == SIGUSR1 && got_pid == getpid() && got_value == 0x5e1f);
	ev.sigev_notify = 77;
	errno = 0;
	CHECK(mq_notify(q, &ev) == -1 && errno == EINVAL);
	mq_close(q);
	mq_unlink("/pxmq-ntf");
	signal(SIGUSR1, SIG_DFL);
	end("PXL305", "mq_notify: SIGEV_SIGNAL on a send to the empty queue, si_code SI_MESGQ, "
	              "si_value and the sender's si_pid, once; EBUSY for a second registration "
	              "(another process too), removal, SIGEV_NONE, signal 0, EINVAL signal and "
	              "kind; a process notifying itself runs the handler before mq_send returns");
}

static void
t_poll(void)
{
	char buf[64];
	struct pollfd pf;

	mqd_t q = mk("/pxmq-p", O_RDWR, 1, 32);
	CHECK(q >= 0);
	pf = (struct pollfd){q, POLLIN | POLLOUT, 0};
	CHECK(poll(&pf, 1, 0) == 1 && pf.revents == POLLOUT);
	CHECK(mq_send(q, "x", 2, 0) == 0);
	CHECK(poll(&pf, 1, 0) == 1 && pf.revents == POLLIN);
	CHECK(mq_receive(q, buf, sizeof buf, NULL) == 2);
	/* A poll that waits is woken by a send from another process. */
	pid_t c = fork();
	if (c == 0) {
		usleep(150000);
		_exit(mq_send(q, "y", 2, 0) == 0 ? 0 : 1);
	}
	pf = (struct pollfd){q, POLLIN, 0};
	CHECK(poll(&pf, 1, 5000) == 1 && (pf.revents & POLLIN));
	int st;
	CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	fd_set r;
	FD_ZERO(&r);
	FD_SET(q, &r);
	struct timeval tv = {0, 0};
	CHECK(select(q + 1, &r, NULL, NULL, &tv) == 1 && FD_ISSET(q, &r));
	mq_close(q);
	mq_unlink("/pxmq-p");
	end("PXL306", "poll/select: writable when not full, readable when not empty; a waiting "
	              "poll is woken by another process's send");
}

static void
t_unlink_open(void)
{
	char buf[64];
	struct stat st;

	mqd_t q = mk("/pxmq-u", O_RDWR, 2, 32);
	CHECK(q >= 0);
	CHECK(mq_send(q, "kept", 5, 0) == 0);
	CHECK(mq_unlink("/pxmq-u") == 0);
	errno = 0;
	CHECK(mq_open("/pxmq-u", O_RDWR) == (mqd_t)-1 && errno == ENOENT);
	mqd_t q2 = mq_open("/pxmq-u", O_RDWR | O_CREAT | O_EXCL, 0600, NULL);
	CHECK(q2 >= 0);
	CHECK(fstat(q, &st) == 0 && st.st_nlink == 0);
	CHECK(mq_receive(q, buf, sizeof buf, NULL) == 5 && !strcmp(buf, "kept"));
	CHECK(mq_send(q, "old", 4, 0) == 0 && mq_receive(q, buf, sizeof buf, NULL) == 4);
	struct mq_attr a;
	CHECK(mq_getattr(q2, &a) == 0 && a.mq_curmsgs == 0 && a.mq_msgsize == 8192);
	mq_close(q);
	mq_close(q2);
	CHECK(mq_unlink("/pxmq-u") == 0);
	end("PXL307", "unlink while open: the name is gone (a new queue may take it), the old "
	              "queue keeps working until its last close");
}

static void
t_limit(void)
{
	static mqd_t qs[300];
	char name[32];
	int n = 0, err = 0;

	for (n = 0; n < 300; n++) {
		struct mq_attr a = attr(1, 8);
		snprintf(name, sizeof name, "/pxmq-l%d", n);
		mq_unlink(name);
		qs[n] = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &a);
		if (qs[n] == (mqd_t)-1) {
			err = errno;
			break;
		}
	}
	CHECK(n == 256 && err == ENOSPC);
	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof name, "/pxmq-l%d", i);
		mq_close(qs[i]);
		CHECK(mq_unlink(name) == 0);
	}
	/* All back: as many again. */
	int again = 0;
	for (again = 0; again < n; again++) {
		struct mq_attr a = attr(1, 8);
		snprintf(name, sizeof name, "/pxmq-l%d", again);
		qs[again] = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &a);
		if (qs[again] == (mqd_t)-1)
			break;
	}
	CHECK(again == n);
	for (int i = 0; i < again; i++) {
		snprintf(name, sizeof name, "/pxmq-l%d", i);
		mq_close(qs[i]);
		mq_unlink(name);
	}
	printf("  %d queues\n", n);
	end("PXL308", "256 queues, then ENOSPC; closing and unlinking them frees every slot");
}

static void
t_dead_waiters(void)
{
	char buf[64];
	int st;

	mqd_t q = mk("/pxmq-d", O_RDWR, 1, 32);
	CHECK(q >= 0);
	pid_t c = fork();
	if (c == 0) {
		mq_receive(q, buf, sizeof buf, NULL);
		_exit(3);
	}
	usleep(150000);
	kill(c, SIGKILL);
	CHECK(waitpid(c, &st, 0) == c && WIFSIGNALED(st));
	/* The dead receiver must not swallow the message. */
	CHECK(mq_send(q, "live", 5, 0) == 0);
	CHECK(mq_receive(q, buf, sizeof buf, NULL) == 5 && !strcmp(buf, "live"));
	/* A sender that dies blocked on a full queue adds nothing. */
	CHECK(mq_send(q, "full", 5, 0) == 0);
	c = fork();
	if (c == 0) {
		mq_send(q, "dead", 5, 0);
		_exit(3);
	}
	usleep(150000);
	kill(c, SIGKILL);
	CHECK(waitpid(c, &st, 0) == c && WIFSIGNALED(st));
	CHECK(mq_receive(q, buf, sizeof buf, NULL) == 5 && !strcmp(buf, "full"));
	struct mq_attr a;
	CHECK(mq_getattr(q, &a) == 0 && a.mq_curmsgs == 0);
	struct timespec at = in_ms(100);
	errno = 0;
	CHECK(mq_timedreceive(q, buf, sizeof buf, NULL, &at) == -1 && errno == ETIMEDOUT);
	mq_close(q);
	mq_unlink("/pxmq-d");
	end("PXL309", "callers killed while blocked: a dead receiver takes no message, a dead "
	              "sender's message never enters the queue");
}

static volatile sig_atomic_t alarms;
static void
on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void
t_eintr(void)
{
	char buf[64];
	struct sigaction sa;
	int st;

	mqd_t q = mk("/pxmq-i", O_RDWR, 1, 32);
	CHECK(q >= 0);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	alarm(1);
	errno = 0;
	CHECK(mq_receive(q, buf, sizeof buf, NULL) == -1 && errno == EINTR && alarms == 1);
	/* SA_RESTART: the call goes on and gets the message sent later. */
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	pid_t c = fork();
	if (c == 0) {
		usleep(1500000);
		_exit(mq_send(q, "late", 5, 1) == 0 ? 0 : 1);
	}
	alarm(1);
	CHECK(mq_receive(q, buf, sizeof buf, NULL) == 5 && !strcmp(buf, "late") && alarms == 2);
	CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	signal(SIGALRM, SIG_DFL);
	mq_close(q);
	mq_unlink("/pxmq-i");
	end("PXL310", "a signal breaks a blocked mq_receive with EINTR; with SA_RESTART the "
	              "receive goes on and nothing is lost");
}

static void
t_perm(void)
{
	int st;

	mqd_t q = mk("/pxmq-perm", O_RDWR, 1, 8);
	CHECK(q >= 0);
	mqd_t r = mq_open("/pxmq-r", O_RDWR | O_CREAT, 0644, NULL);
	CHECK(r >= 0);
	pid_t c = fork();
	if (c == 0) {
		int ok = setuid(1000) == 0;
		errno = 0;
		ok = ok && mq_open("/pxmq-perm", O_RDONLY) == (mqd_t)-1 && errno == EACCES;
		mqd_t rr = mq_open("/pxmq-r", O_RDONLY);
		ok = ok && rr >= 0;
		errno = 0;
		ok = ok && mq_open("/pxmq-r", O_WRONLY) == (mqd_t)-1 && errno == EACCES;
		errno = 0;
		ok = ok && mq_unlink("/pxmq-r") == -1 && errno == EACCES;
		/* 819200 bytes of queues per user (RLIMIT_MSGQUEUE's default):
		 * ten of 10 x 8192, then EMFILE. */
		char name[32];
		int n, err = 0;
		for (n = 0; n < 20; n++) {
			snprintf(name, sizeof name, "/pxmq-user%d", n);
			if (mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, NULL) == (mqd_t)-1) {
				err = errno;
				break;
			}
		}
		ok = ok && n == 10 && err == EMFILE;
		for (int i = 0; i < n; i++) {
			snprintf(name, sizeof name, "/pxmq-user%d", i);
			ok = ok && mq_unlink(name) == 0;
		}
		_exit(ok ? 0 : 1);
	}
	CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	mq_close(q);
	mq_close(r);
	CHECK(mq_unlink("/pxmq-perm") == 0 && mq_unlink("/pxmq-r") == 0);
	end("PXL311", "permissions: another user is refused a 0600 queue and writing to a 0644 "
	              "one (EACCES), may read it, and may not unlink it; a user's queues are "
	              "limited to 819200 bytes (EMFILE)");
}

static volatile int thr_calls;
static volatile long thr_value;
static pthread_t thr_self, main_self;
static void
on_thread_notify(union sigval v)
{
	thr_value = (long)v.sival_ptr;
	thr_self = pthread_self();
	__atomic_add_fetch(&thr_calls, 1, __ATOMIC_SEQ_CST);
}

static int
wait_calls(int n)
{
	for (int i = 0; i < 300 && thr_calls < n; i++)
		usleep(10000);
	return thr_calls;
}

static void
t_notify_thread(void)
{
	char buf[64];
	struct sigevent ev;
	int st;

	main_self = pthread_self();
	mqd_t q = mk("/pxmq-thr", O_RDWR, 4, 32);
	CHECK(q >= 0);
	memset(&ev, 0, sizeof ev);
	ev.sigev_notify = SIGEV_THREAD;
	ev.sigev_notify_function = on_thread_notify;
	ev.sigev_value.sival_ptr = (void *)0x7ead;
	CHECK(mq_notify(q, &ev) == 0);
	struct sigevent sig;
	memset(&sig, 0, sizeof sig);
	sig.sigev_notify = SIGEV_SIGNAL;
	sig.sigev_signo = SIGUSR2;
	errno = 0;
	CHECK(mq_notify(q, &sig) == -1 && errno == EBUSY);
	pid_t c = fork();
	if (c == 0)
		_exit(mq_send(q, "t", 2, 0) == 0 ? 0 : 1);
	CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK(wait_calls(1) == 1 && thr_value == 0x7ead);
	CHECK(!pthread_equal(thr_self, main_self));
	/* Once: another message to the empty queue calls nobody. */
	CHECK(mq_receive(q, buf, sizeof buf, NULL) == 2);
	CHECK(mq_send(q, "u", 2, 0) == 0);
	usleep(100000);
	CHECK(thr_calls == 1);
	CHECK(mq_receive(q, buf, sizeof buf, NULL) == 2);
	/* Removed, or its description closed: nothing is called. */
	CHECK(mq_notify(q, &ev) == 0);
	CHECK(mq_notify(q, NULL) == 0);
	CHECK(mq_notify(q, &ev) == 0);
	mq_close(q);
	q = mq_open("/pxmq-thr", O_RDWR);
	CHECK(q >= 0);
	CHECK(mq_notify(q, &sig) == 0); /* free again: the close ended it */
	CHECK(mq_notify(q, NULL) == 0);
	CHECK(mq_send(q, "v", 2, 0) == 0);
	usleep(100000);
	CHECK(thr_calls == 1);
	/* A thread registration without its port (a raw call): EINVAL. */
	memset(&sig, 0, sizeof sig);
	sig.sigev_notify = SIGEV_THREAD;
	errno = 0;
	CHECK(syscall(SYS_mq_notify, q, &sig) == -1 && errno == EINVAL);
	mq_close(q);
	mq_unlink("/pxmq-thr");
	end("PXL312",
	    "mq_notify SIGEV_THREAD: the function runs once, on another thread, with "
	    "sigev_value; EBUSY while registered; removal and closing the description end "
	    "it; a raw call without the port is EINVAL");
}

/* A raw MQ_OPEN of name (O_RDWR) with handle h (0: none) as the token:
 * the status, and the port it answers with closed. */
static int
raw_open(const char *name, handle_t h)
{
	struct ferry_msg m;
	struct mq_name_req r;
	int32_t status = -1;

	memset(&m, 0, sizeof m);
	memset(&r, 0, sizeof r);
	r.flags = MQ_O_RDWR;
	r.namelen = (uint32_t)strlen(name);
	memcpy(r.name, name, r.namelen);
	m.op = MQ_OPEN;
	m.len = sizeof r;
	memcpy(m.data, &r, sizeof r);
	m.handles[0] = h;
	m.nhandles = h ? 1 : 0;
	if (ferry_sys_msg_call((handle_t)getauxval(AT_FERRY_POSIXSRV), &m, FERRY_TIME_INFINITE))
		return 1;
	for (unsigned i = 0; i < m.nhandles; i++)
		ferry_sys_handle_close(m.handles[i]);
	memcpy(&status, m.data, sizeof status);
	return status;
}

static void
t_cred(void)
{
	int st;
	handle_t fake;

	mqd_t q = mq_open("/pxmq-cred", O_RDWR | O_CREAT, 0600, NULL);
	CHECK(q >= 0);
	/* Ids a client only states count for nothing: without a token, or
	 * with a port that is not a process's, even root's calls are
	 * nobody's. */
	CHECK(raw_open("pxmq-cred", 0) == -FERRY_EACCES);
	CHECK(ferry_sys_queue_create(1, &fake) == 0);
	handle_t send;
	CHECK(ferry_sys_port_create(fake, 0, &send) == 0);
	CHECK(raw_open("pxmq-cred", send) == -FERRY_EACCES);
	CHECK(raw_open("pxmq-nosuch", 0) == -FERRY_ENOENT);
	ferry_sys_handle_close(fake);
	/* The table is posixsrv's to ask for, on procmgr's control port. */
	struct ferry_msg m;
	int32_t status = 0;
	memset(&m, 0, sizeof m);
	m.op = PROC_CTL_CREDS;
	m.len = sizeof(struct proc_none_req);
	CHECK(ferry_sys_msg_call((handle_t)getauxval(AT_FERRY_PROCMGR), &m, FERRY_TIME_INFINITE) ==
	      0);
	memcpy(&status, m.data, sizeof status);
	CHECK(status == -FERRY_EACCES && m.nhandles == 0);
	/* A process whose ids changed is checked with its ids now. */
	pid_t c = fork();
	if (c == 0) {
		int ok = mq_open("/pxmq-cred", O_RDWR) >= 0; /* still root */
		ok = ok && setuid(1000) == 0;
		errno = 0;
		ok = ok && mq_open("/pxmq-cred", O_RDWR) == (mqd_t)-1 && errno == EACCES;
		errno = 0;
		ok = ok && mq_unlink("/pxmq-cred") == -1 && errno == EACCES;
		mqd_t own = mq_open("/pxmq-own", O_RDWR | O_CREAT | O_EXCL, 0600, NULL);
		ok = ok && own >= 0 && mq_unlink("/pxmq-own") == 0;
		_exit(ok ? 0 : 1);
	}
	CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	mq_close(q);
	CHECK(mq_unlink("/pxmq-cred") == 0);
	end("PXL313", "message-queue credentials come from procmgr's table: a raw MQ_OPEN "
	              "without a token or with a port that is no process's is nobody's (EACCES "
	              "for root's 0600 queue); setuid takes effect for the next open and unlink; "
	              "PROC_CTL_CREDS off the control port is EACCES");
}

/* Runs fn (which ends with its own end()) when id matches the filter. */
#define RUN(fn, id)                                                                                \
	do {                                                                                       \
		if (!strncmp(id, filter, strlen(filter)))                                          \
			fn();                                                                      \
	} while (0)

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1)
		filter = argv[1];
	RUN(t_names, "PXL300");
	RUN(t_order, "PXL301");
	RUN(t_block_other_process, "PXL302");
	RUN(t_timed, "PXL303");
	RUN(t_nonblock, "PXL304");
	RUN(t_notify, "PXL305");
	RUN(t_poll, "PXL306");
	RUN(t_unlink_open, "PXL307");
	RUN(t_limit, "PXL308");
	RUN(t_dead_waiters, "PXL309");
	RUN(t_eintr, "PXL310");
	RUN(t_perm, "PXL311");
	RUN(t_notify_thread, "PXL312");
	RUN(t_cred, "PXL313");
	printf("%d passed, %d failed\nSUITE-END pxmq\n", passed, failed);
	return failed ? 1 : 0;
}
