/* SPDX-License-Identifier: MIT */
/*
 * The posixsrv suite seen from a musl program (suite pxlib: run by
 * posixsrv itself through cmd=, so the whole boot path is exercised:
 * posixsrv as first task, vfs started, the console as stdio).  Pipes
 * through libposix's pipe/pipe2 and the fd layer, terminal calls on the
 * console, uname/sethostname.  Prints PASS/FAIL per test and SUITE-END.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <termios.h>
#include <unistd.h>

#include "../pxcheck.h"

static void
t_pipe_basic(void)
{
	int p[2];
	char buf[32];
	CHECK(pipe(p) == 0);
	CHECK(write(p[1], "hello pipe", 10) == 10);
	CHECK(read(p[0], buf, sizeof buf) == 10);
	CHECK(memcmp(buf, "hello pipe", 10) == 0);
	struct stat st;
	CHECK(fstat(p[0], &st) == 0 && S_ISFIFO(st.st_mode));
	close(p[0]);
	close(p[1]);
	end("PXL001", "pipe(): bytes written come out of the read end; fstat says FIFO");
}

static void
t_pipe_nonblock(void)
{
	int p[2];
	char buf[8];
	CHECK(pipe2(p, O_NONBLOCK | O_CLOEXEC) == 0);
	errno = 0;
	CHECK(read(p[0], buf, sizeof buf) == -1 && errno == EAGAIN);
	CHECK(fcntl(p[0], F_GETFL) & O_NONBLOCK);
	CHECK(fcntl(p[0], F_GETFD) & FD_CLOEXEC);
	CHECK(pipe2(p, 0x12345) == -1 && errno == EINVAL);
	close(p[0]);
	close(p[1]);
	end("PXL002",
	    "pipe2(O_NONBLOCK|O_CLOEXEC): EAGAIN on empty, flags visible; bad flags EINVAL");
}

static void
t_pipe_eof_epipe(void)
{
	int p[2];
	char buf[8];
	CHECK(pipe(p) == 0);
	CHECK(write(p[1], "x", 1) == 1);
	close(p[1]);
	CHECK(read(p[0], buf, 8) == 1);
	CHECK(read(p[0], buf, 8) == 0);
	close(p[0]);
	CHECK(pipe(p) == 0);
	close(p[0]);
	signal(SIGPIPE, SIG_IGN); /* EPIPE, not death */
	int rc = 0;
	for (int i = 0; i < 100 && (rc = (int)write(p[1], "y", 1)) == 1; i++)
		usleep(1000);
	CHECK(rc == -1 && errno == EPIPE);
	close(p[1]);
	signal(SIGPIPE, SIG_DFL);
	end("PXL003", "EOF after the last writer closes; EPIPE after the last reader closes");
}

static void
t_pipe_bulk(void)
{
	int p[2];
	size_t n = 200000;
	unsigned char *out = malloc(n), *in = malloc(n);
	for (size_t i = 0; i < n; i++)
		out[i] = (unsigned char)(i * 13 + 1);
	CHECK(pipe2(p, O_NONBLOCK) == 0);
	size_t wr = 0, rd = 0;
	int rounds = 0;
	while (rd < n && rounds++ < 10000) {
		if (wr < n) {
			ssize_t k = write(p[1], out + wr, n - wr);
			if (k > 0)
				wr += (size_t)k;
			else
				CHECK(errno == EAGAIN);
		}
		ssize_t k = read(p[0], in + rd, n - rd);
		if (k > 0)
			rd += (size_t)k;
	}
	CHECK(rd == n);
	CHECK(memcmp(in, out, n) == 0);
	close(p[0]);
	close(p[1]);
	free(in);
	free(out);
	end("PXL004",
	    "200000 bytes through a non-blocking pipe arrive intact (transfer-area path)");
}

/*
 * Every poll and select round makes a port of its own; none may outlive
 * the call.  More rounds than a task has handles (4096): a leak of one per
 * call ends in failing polls, then in failing opens.
 */
static void
t_poll_no_leak(void)
{
	int p[2], fd, bad = 0;
	CHECK(pipe(p) == 0);
	CHECK((fd = open("/tmp/pxl007", O_RDWR | O_CREAT | O_TRUNC, 0600)) >= 0);
	CHECK(write(p[1], "x", 1) == 1);
	for (int i = 0; i < 2500 && !bad; i++) {
		struct pollfd pf[2] = {{p[0], POLLIN, 0}, {fd, POLLIN, 0}};
		fd_set rd;
		struct timeval tv = {0, 0};
		FD_ZERO(&rd);
		FD_SET(p[0], &rd);
		if (poll(pf, 2, -1) != 2 || !(pf[0].revents & POLLIN) || !(pf[1].revents & POLLIN))
			bad = 1;
		if (select(p[0] + 1, &rd, NULL, NULL, &tv) != 1 || !FD_ISSET(p[0], &rd))
			bad = 2;
	}
	CHECK(bad == 0);
	/* A round that waits (the pipe is empty) and times out. */
	char c;
	CHECK(read(p[0], &c, 1) == 1);
	struct pollfd pf = {p[0], POLLIN, 0};
	CHECK(poll(&pf, 1, 10) == 0 && pf.revents == 0);
	int q[2];
	CHECK(pipe(q) == 0);
	close(q[0]);
	close(q[1]);
	close(fd);
	CHECK(unlink("/tmp/pxl007") == 0);
	close(p[0]);
	close(p[1]);
	end("PXL007", "5,000 polls and selects that find a pipe and a file ready leak nothing: "
	              "pipes and opens still work after");
}

/* Reads exactly n bytes from fd (blocking); false on EOF or error. */
static int
read_full(int fd, char *buf, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, buf + got, n - got);
		if (r <= 0)
			return 0;
		got += (size_t)r;
	}
	return 1;
}

/*
 * Transfer areas of a shared description (posixsrv keeps 4 per pipe end):
 * with all 4 held by live writers, a 100-byte line through stdio goes out
 * inline in short writes (writev must stop at a short write or the line is
 * garbled); once those writers are gone, their slots are reused and a
 * 100-byte write() is one whole write.
 */
static void
t_many_writers(void)
{
	enum { HOLDERS = 4, LINE = 100 };
	char line[LINE + 1], got[LINE];
	int p[2], hold[2];
	pid_t kids[HOLDERS];
	CHECK(pipe(p) == 0 && pipe(hold) == 0);
	for (int i = 0; i < HOLDERS; i++) {
		if ((kids[i] = fork()) == 0) {
			char c;
			close(hold[1]);
			memset(line, 'a' + i, LINE);
			_exit(write(p[1], line, LINE) == LINE && read(hold[0], &c, 1) == 0 ? 0 : 1);
		}
		CHECK(kids[i] > 0);
		CHECK(read_full(p[0], got, LINE) && got[0] == 'a' + i && got[LINE - 1] == 'a' + i);
	}
	FILE *w = fdopen(dup(p[1]), "w");
	CHECK(w && setvbuf(w, NULL, _IOLBF, 0) == 0);
	memset(line, 'p', LINE - 1);
	line[LINE - 1] = 0;
	/* The newline is a second buffer of one writev after 99 buffered bytes. */
	CHECK(w && fprintf(w, "%s\n", line) == LINE);
	CHECK(read_full(p[0], got, LINE) && !memcmp(got, line, LINE - 1) && got[LINE - 1] == '\n');
	close(hold[1]);
	for (int i = 0; i < HOLDERS; i++) {
		int st = -1;
		CHECK(waitpid(kids[i], &st, 0) == kids[i] && st == 0);
	}
	memset(line, 'z', LINE);
	CHECK(write(p[1], line, LINE) == LINE);
	CHECK(read_full(p[0], got, LINE) && !memcmp(got, line, LINE));
	if (w)
		fclose(w);
	close(hold[0]);
	close(p[0]);
	close(p[1]);
	end("PXL008", "a pipe end's 4 transfer areas held by live writers: a 100-byte stdio line "
	              "goes out whole in short writes; the gone writers' areas are reused");
}

/*
 * A regular file's description shared by more live processes than vfs
 * keeps transfer areas for (4): reads and writes of the last one are
 * still whole, not short.
 */
static void
t_file_shared(void)
{
	enum { HOLDERS = 4, LEN = 3000 };
	static char buf[LEN], got[LEN];
	int fd, hold[2];
	pid_t kids[HOLDERS];
	CHECK((fd = open("/tmp/pxl009", O_RDWR | O_CREAT | O_TRUNC, 0600)) >= 0);
	CHECK(pipe(hold) == 0);
	for (int i = 0; i < HOLDERS; i++) {
		if ((kids[i] = fork()) == 0) {
			char c;
			close(hold[1]);
			memset(buf, 'a' + i, 100);
			_exit(pwrite(fd, buf, 100, 100 * i) == 100 && read(hold[0], &c, 1) == 0
			              ? 0
			              : 1);
		}
		CHECK(kids[i] > 0);
		while (kids[i] > 0 && pread(fd, got, 1, 100 * i) == 1 && got[0] != 'a' + i)
			usleep(1000);
	}
	for (int i = 0; i < LEN; i++)
		buf[i] = (char)(i * 7);
	CHECK(pwrite(fd, buf, LEN, 0) == LEN);
	CHECK(pread(fd, got, LEN, 0) == LEN && !memcmp(got, buf, LEN));
	close(hold[1]);
	for (int i = 0; i < HOLDERS; i++) {
		int st = -1;
		CHECK(waitpid(kids[i], &st, 0) == kids[i] && st == 0);
	}
	CHECK(pread(fd, got, LEN, 0) == LEN && !memcmp(got, buf, LEN));
	close(hold[0]);
	close(fd);
	CHECK(unlink("/tmp/pxl009") == 0);
	end("PXL009", "a file description whose 4 transfer areas are held by live processes: "
	              "3,000-byte pread/pwrite still whole");
}

static void
t_tty(void)
{
	struct termios t, raw, back;
	int p[2];
	/* fd 0 is the console description posixsrv passed; fds 1 and 2 stay on
	 * the kernel log until libposix's start-up uses the ports given for them. */
	CHECK(isatty(0) == 1);
	CHECK(pipe(p) == 0);
	errno = 0;
	CHECK(isatty(p[0]) == 0 && errno == ENOTTY);
	close(p[0]);
	close(p[1]);
	CHECK(tcgetattr(0, &t) == 0);
	CHECK(t.c_lflag & ICANON);
	raw = t;
	cfmakeraw(&raw);
	CHECK(tcsetattr(0, TCSANOW, &raw) == 0);
	CHECK(tcgetattr(0, &back) == 0);
	CHECK(!(back.c_lflag & (ICANON | ECHO)));
	CHECK(tcsetattr(0, TCSAFLUSH, &t) == 0);
	CHECK(tcgetattr(0, &back) == 0 && (back.c_lflag & ICANON));
	struct winsize ws;
	CHECK(ioctl(0, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0);
	pid_t pg = 0;
	CHECK(tcsetpgrp(0, 7) == 0);
	CHECK((pg = tcgetpgrp(0)) == 7);
	end("PXL005",
	    "console: isatty, tcgetattr/cfmakeraw/tcsetattr round trip, TIOCGWINSZ, tcsetpgrp");
}

static void
t_uname(void)
{
	struct utsname u;
	char name[65];
	CHECK(uname(&u) == 0);
	CHECK(strcmp(u.sysname, "Ferry") == 0);
	CHECK(strcmp(u.nodename, "ferry") == 0);
	CHECK(sethostname("pxlib-host", 10) == 0);
	CHECK(uname(&u) == 0 && strcmp(u.nodename, "pxlib-host") == 0);
	CHECK(gethostname(name, sizeof name) == 0 && strcmp(name, "pxlib-host") == 0);
	CHECK(sethostname("ferry", 5) == 0);
	end("PXL006", "uname identity; sethostname changes the nodename");
}

/* ---- UNIX-domain sockets ---- */

static struct sockaddr_un
un_addr(const char *path, socklen_t *len)
{
	struct sockaddr_un a;
	memset(&a, 0, sizeof a);
	a.sun_family = AF_UNIX;
	if (path[0] == '@') { /* abstract */
		memcpy(a.sun_path + 1, path + 1, strlen(path + 1));
		*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path));
	} else {
		strcpy(a.sun_path, path);
		*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1);
	}
	return a;
}

static void
t_sock_pair(void)
{
	int sv[2];
	char buf[100000];
	static char big[100000];
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	CHECK(write(sv[0], "ping", 4) == 4);
	CHECK(read(sv[1], buf, sizeof buf) == 4 && memcmp(buf, "ping", 4) == 0);
	CHECK(send(sv[1], "pong", 4, 0) == 4);
	CHECK(recv(sv[0], buf, sizeof buf, 0) == 4 && memcmp(buf, "pong", 4) == 0);
	struct stat st;
	CHECK(fstat(sv[0], &st) == 0 && S_ISSOCK(st.st_mode));
	errno = 0;
	CHECK(recv(sv[0], buf, 4, MSG_DONTWAIT) == -1 && errno == EAGAIN);
	/* Bulk through the transfer area, with a forked reader. */
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (char)(i * 7 + 3);
	pid_t pid = fork();
	if (pid == 0) {
		size_t got = 0;
		while (got < sizeof big) {
			ssize_t k = read(sv[1], buf + got, sizeof buf - got);
			if (k <= 0)
				_exit(2);
			got += (size_t)k;
		}
		_exit(memcmp(buf, big, sizeof big) ? 3 : 0);
	}
	CHECK(pid > 0);
	CHECK(write(sv[0], big, sizeof big) == (ssize_t)sizeof big);
	int status = -1;
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(sv[0]);
	CHECK(read(sv[1], buf, 4) == 0);
	close(sv[1]);
	end("PXL101",
	    "socketpair STREAM: both directions, S_ISSOCK, EAGAIN, 100000 bytes to a child, EOF");
}

static void
t_sock_dgram(void)
{
	int sv[2];
	char buf[64];
	CHECK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0);
	CHECK(send(sv[0], "one", 3, 0) == 3);
	CHECK(send(sv[0], "", 0, 0) == 0);
	CHECK(send(sv[0], "three33", 7, 0) == 7);
	CHECK(recv(sv[1], buf, sizeof buf, 0) == 3);
	CHECK(recv(sv[1], buf, sizeof buf, 0) == 0);
	struct iovec iov = {buf, 5};
	struct msghdr mh;
	memset(&mh, 0, sizeof mh);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	CHECK(recvmsg(sv[1], &mh, 0) == 5 && (mh.msg_flags & MSG_TRUNC));
	errno = 0;
	CHECK(recv(sv[1], buf, sizeof buf, MSG_DONTWAIT) == -1 && errno == EAGAIN);
	close(sv[0]);
	close(sv[1]);
	/* Named datagram sockets: recvfrom tells the sender. */
	socklen_t la, lb, lf = sizeof(struct sockaddr_un);
	struct sockaddr_un a = un_addr("/tmp/pxl-dg-a", &la), b = un_addr("@pxl-dg-b", &lb), from;
	int sa = socket(AF_UNIX, SOCK_DGRAM, 0), sb = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK(sa >= 0 && sb >= 0);
	CHECK(bind(sa, (struct sockaddr *)&a, la) == 0);
	CHECK(bind(sb, (struct sockaddr *)&b, lb) == 0);
	CHECK(sendto(sa, "hi b", 4, 0, (struct sockaddr *)&b, lb) == 4);
	memset(&from, 0, sizeof from);
	CHECK(recvfrom(sb, buf, sizeof buf, 0, (struct sockaddr *)&from, &lf) == 4);
	CHECK(lf == la && strcmp(from.sun_path, "/tmp/pxl-dg-a") == 0);
	CHECK(sendto(sb, "hi a", 4, 0, (struct sockaddr *)&a, la) == 4);
	CHECK(recv(sa, buf, sizeof buf, 0) == 4 && memcmp(buf, "hi a", 4) == 0);
	errno = 0;
	CHECK(send(sa, "x", 1, 0) == -1 && errno == ENOTCONN);
	close(sa);
	close(sb);
	errno = 0;
	CHECK(sendto(socket(AF_UNIX, SOCK_DGRAM, 0), "x", 1, 0, (struct sockaddr *)&a, la) == -1 &&
	      errno == ECONNREFUSED);
	unlink("/tmp/pxl-dg-a");
	end("PXL102", "DGRAM: record boundaries, empty datagrams, MSG_TRUNC, sendto/recvfrom "
	              "names, ENOTCONN, ECONNREFUSED");
}

static void
t_sock_listen(void)
{
	socklen_t len;
	struct sockaddr_un a = un_addr("/tmp/pxl-stream", &len), got;
	char buf[32];
	int l = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	CHECK(l >= 0);
	CHECK(bind(l, (struct sockaddr *)&a, len) == 0);
	struct stat st;
	CHECK(stat("/tmp/pxl-stream", &st) == 0 && S_ISSOCK(st.st_mode));
	int l2 = socket(AF_UNIX, SOCK_STREAM, 0);
	errno = 0;
	CHECK(bind(l2, (struct sockaddr *)&a, len) == -1 && errno == EADDRINUSE);
	errno = 0;
	CHECK(connect(l2, (struct sockaddr *)&a, len) == -1 &&
	      errno == ECONNREFUSED); /* not listening yet */
	close(l2);
	CHECK(listen(l, 4) == 0);
	int one;
	socklen_t ol = sizeof one;
	CHECK(getsockopt(l, SOL_SOCKET, SO_ACCEPTCONN, &one, &ol) == 0 && one == 1);
	errno = 0;
	CHECK(fcntl(l, F_SETFL, O_NONBLOCK) == 0);
	CHECK(accept4(l, NULL, NULL, SOCK_NONBLOCK) == -1 && errno == EAGAIN);
	CHECK(fcntl(l, F_SETFL, 0) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		int c = socket(AF_UNIX, SOCK_STREAM, 0);
		if (connect(c, (struct sockaddr *)&a, len) != 0)
			_exit(2);
		struct ucred cr;
		socklen_t cl = sizeof cr;
		if (getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cr, &cl) != 0 || cr.pid != getppid())
			_exit(3);
		if (write(c, "from child", 10) != 10)
			_exit(4);
		char b[8];
		if (read(c, b, sizeof b) != 2 || memcmp(b, "ok", 2))
			_exit(5);
		_exit(0);
	}
	CHECK(pid > 0);
	socklen_t gl = sizeof got;
	int c = accept(l, (struct sockaddr *)&got, &gl);
	CHECK(c >= 0);
	CHECK(gl == offsetof(struct sockaddr_un, sun_path)); /* the client is unnamed */
	CHECK(read(c, buf, sizeof buf) == 10 && memcmp(buf, "from child", 10) == 0);
	struct ucred cr;
	socklen_t cl = sizeof cr;
	CHECK(getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cr, &cl) == 0 && cr.pid == pid);
	gl = sizeof got;
	CHECK(getsockname(c, (struct sockaddr *)&got, &gl) == 0 &&
	      strcmp(got.sun_path, "/tmp/pxl-stream") == 0);
	CHECK(write(c, "ok", 2) == 2);
	int status = -1;
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(read(c, buf, sizeof buf) == 0);
	close(c);
	close(l);
	CHECK(unlink("/tmp/pxl-stream") == 0);
	int d = socket(AF_UNIX, SOCK_STREAM, 0);
	errno = 0;
	CHECK(connect(d, (struct sockaddr *)&a, len) == -1 && errno == ENOENT);
	close(d);
	end("PXL103", "bind/listen/accept/connect on a path: node in vfs, EADDRINUSE, "
	              "ECONNREFUSED, SO_PEERCRED, names, ENOENT after unlink");
}

static void
t_sock_rights(void)
{
	int sv[2], p[2];
	char buf[16], cbuf[CMSG_SPACE(2 * sizeof(int))];
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	CHECK(pipe(p) == 0);
	struct iovec iov = {"R", 1};
	struct msghdr mh;
	memset(&mh, 0, sizeof mh);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = CMSG_SPACE(2 * sizeof(int));
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(2 * sizeof(int));
	memcpy(CMSG_DATA(cm), p, 2 * sizeof(int));
	CHECK(sendmsg(sv[0], &mh, 0) == 1);
	close(p[0]);
	close(p[1]);
	memset(cbuf, 0, sizeof cbuf);
	iov.iov_base = buf;
	iov.iov_len = sizeof buf;
	mh.msg_controllen = sizeof cbuf;
	CHECK(recvmsg(sv[1], &mh, MSG_CMSG_CLOEXEC) == 1 && buf[0] == 'R');
	cm = CMSG_FIRSTHDR(&mh);
	CHECK(cm && cm->cmsg_type == SCM_RIGHTS && cm->cmsg_len == CMSG_LEN(2 * sizeof(int)));
	int q[2] = {-1, -1};
	if (cm)
		memcpy(q, CMSG_DATA(cm), sizeof q);
	CHECK(q[0] >= 0 && q[1] >= 0 && (fcntl(q[0], F_GETFD) & FD_CLOEXEC));
	CHECK(write(q[1], "via", 3) == 3);
	CHECK(read(q[0], buf, sizeof buf) == 3 && memcmp(buf, "via", 3) == 0);
	close(q[0]);
	close(q[1]);
	/* No room for the descriptor: MSG_CTRUNC, and it is closed. */
	CHECK(pipe(p) == 0);
	iov.iov_base = "S";
	iov.iov_len = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = CMSG_SPACE(sizeof(int));
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &p[0], sizeof(int));
	CHECK(sendmsg(sv[0], &mh, 0) == 1);
	close(p[0]);
	iov.iov_base = buf;
	mh.msg_control = NULL;
	mh.msg_controllen = 0;
	CHECK(recvmsg(sv[1], &mh, 0) == 1 && (mh.msg_flags & MSG_CTRUNC));
	signal(SIGPIPE, SIG_IGN);
	int rc = 0;
	for (int i = 0; i < 100 && (rc = (int)write(p[1], "x", 1)) == 1; i++)
		usleep(1000);
	CHECK(rc == -1 && errno == EPIPE); /* the passed read end is gone */
	signal(SIGPIPE, SIG_DFL);
	close(p[1]);
	close(sv[0]);
	close(sv[1]);
	end("PXL104", "SCM_RIGHTS: a pipe's two ends travel through a socket and work; "
	              "MSG_CMSG_CLOEXEC; MSG_CTRUNC closes");
}

static volatile int sigpipes;
static void
on_sigpipe(int sig)
{
	(void)sig;
	sigpipes++;
}

static void
t_sock_shutdown_sigpipe(void)
{
	int sv[2];
	char buf[8];
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	CHECK(write(sv[0], "ab", 2) == 2);
	CHECK(shutdown(sv[0], SHUT_WR) == 0);
	CHECK(read(sv[1], buf, sizeof buf) == 2);
	CHECK(read(sv[1], buf, sizeof buf) == 0);
	struct pollfd pf = {sv[1], POLLIN, 0};
	CHECK(poll(&pf, 1, 0) == 1 && (pf.revents & POLLIN));
	signal(SIGPIPE, on_sigpipe);
	errno = 0;
	CHECK(write(sv[0], "x", 1) == -1 && errno == EPIPE);
	CHECK(sigpipes == 1);
	errno = 0;
	CHECK(send(sv[0], "x", 1, MSG_NOSIGNAL) == -1 && errno == EPIPE);
	CHECK(sigpipes == 1);
	int p[2];
	CHECK(pipe(p) == 0);
	close(p[0]);
	int rc = 0;
	/* The reader's close reaches posixsrv as a no-senders notice, asynchronously. */
	for (int i = 0; i < 100 && (rc = (int)write(p[1], "x", 1)) == 1; i++)
		usleep(1000);
	CHECK(rc == -1 && errno == EPIPE);
	CHECK(sigpipes == 2);
	close(p[1]);
	signal(SIGPIPE, SIG_DFL);
	errno = 0;
	CHECK(shutdown(sv[0], 7) == -1 && errno == EINVAL);
	close(sv[0]);
	close(sv[1]);
	int fd = open("/tmp", O_RDONLY);
	errno = 0;
	CHECK(shutdown(fd, SHUT_RD) == -1 && errno == ENOTSOCK);
	close(fd);
	errno = 0;
	CHECK(socket(AF_INET, SOCK_STREAM, 0) == -1 && errno == EAFNOSUPPORT);
	end("PXL105", "shutdown(SHUT_WR): EOF for the peer, EPIPE + SIGPIPE for us (MSG_NOSIGNAL: "
	              "none); pipes SIGPIPE; ENOTSOCK, EAFNOSUPPORT");
}

static void
t_sock_seqpacket(void)
{
	int sv[2];
	char buf[16];
	CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == 0);
	CHECK(write(sv[0], "abc", 3) == 3);
	CHECK(write(sv[0], "defg", 4) == 4);
	CHECK(read(sv[1], buf, sizeof buf) == 3);
	CHECK(read(sv[1], buf, sizeof buf) == 4 && memcmp(buf, "defg", 4) == 0);
	int t;
	socklen_t tl = sizeof t;
	CHECK(getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &t, &tl) == 0 && t == SOCK_SEQPACKET);
	close(sv[1]);
	CHECK(read(sv[0], buf, sizeof buf) == 0);
	close(sv[0]);
	end("PXL106", "SEQPACKET: records on a connection, SO_TYPE, EOF when the peer closes");
}

static void
t_jobctl(void)
{
	int st;
	pid_t pid;
	/* We are the console's foreground group; children in their own groups are not. */
	CHECK(tcsetpgrp(0, getpgrp()) == 0);
	pid = fork();
	if (pid == 0) {
		char c;
		setpgid(0, 0);
		(void)read(0, &c, 1); /* background read: SIGTTIN stops us */
		_exit(3);
	}
	CHECK(waitpid(pid, &st, WUNTRACED) == pid && WIFSTOPPED(st) && WSTOPSIG(st) == SIGTTIN);
	kill(pid, SIGKILL);
	CHECK(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st));
	pid = fork();
	if (pid == 0) {
		char c;
		setpgid(0, 0);
		signal(SIGTTIN, SIG_IGN);
		ssize_t n = read(0, &c, 1);
		_exit(n == -1 && errno == EIO ? 0 : 1);
	}
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* Background writes pass without TOSTOP, stop with it (unless SIGTTOU is ignored). */
	pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		_exit(write(1, "", 0) == 0 && write(1, "[bg write]\n", 11) == 11 ? 0 : 1);
	}
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	struct termios t;
	CHECK(tcgetattr(1, &t) == 0);
	t.c_lflag |= TOSTOP;
	CHECK(tcsetattr(1, TCSANOW, &t) == 0);
	pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		(void)write(1, "[must not print]\n", 17);
		_exit(3);
	}
	CHECK(waitpid(pid, &st, WUNTRACED) == pid && WIFSTOPPED(st) && WSTOPSIG(st) == SIGTTOU);
	kill(pid, SIGKILL);
	CHECK(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st));
	pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		signal(SIGTTOU, SIG_IGN);
		_exit(write(1, "[bg write, SIGTTOU ignored]\n", 28) == 28 ? 0 : 1);
	}
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	t.c_lflag &= ~TOSTOP;
	CHECK(tcsetattr(1, TCSANOW, &t) == 0);
	end("PXL203", "job control: a background read stops with SIGTTIN (EIO when ignored); "
	              "background writes stop with SIGTTOU only under TOSTOP");
}

/* Reads from fd until the bytes read so far contain want (or 2 s pass). */
static int
read_until(int fd, char *buf, size_t cap, const char *want)
{
	size_t got = 0;
	for (int i = 0; i < 200 && got < cap - 1; i++) {
		struct pollfd p = {fd, POLLIN, 0};
		if (poll(&p, 1, 10) <= 0)
			continue;
		ssize_t n = read(fd, buf + got, cap - 1 - got);
		if (n <= 0)
			break;
		got += (size_t)n;
		buf[got] = 0;
		if (strstr(buf, want))
			return 1;
	}
	buf[got] = 0;
	return 0;
}

static void
t_pty(void)
{
	char buf[256], *name;
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	CHECK(m >= 0);
	CHECK(grantpt(m) == 0);
	CHECK(unlockpt(m) == 0);
	CHECK((name = ptsname(m)) != NULL && strncmp(name, "/dev/pts/", 9) == 0);
	int s = name ? open(name, O_RDWR | O_NOCTTY) : -1;
	CHECK(s >= 0);
	struct stat st;
	CHECK(fstat(s, &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == 136);
	CHECK(stat(name ? name : "", &st) == 0 && S_ISCHR(st.st_mode));
	CHECK(isatty(m) && isatty(s));
	pid_t pid = fork();
	if (pid == 0) {
		/* The child runs on the slave: a line in, an answer out. */
		close(m);
		dup2(s, 0);
		dup2(s, 1);
		char line[64];
		ssize_t n = read(0, line, sizeof line - 1);
		if (n <= 0)
			_exit(2);
		line[n] = 0;
		printf("got:%s", line);
		fflush(stdout);
		_exit(0);
	}
	CHECK(pid > 0);
	CHECK(write(m, "hello\n", 6) == 6);
	CHECK(read_until(m, buf, sizeof buf, "got:hello\r\n"));
	CHECK(strncmp(buf, "hello\r\n", 7) == 0); /* the echo comes first */
	int status = -1;
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(s);
	/* Every slave description closed: the master reads EIO. */
	errno = 0;
	CHECK(read(m, buf, sizeof buf) == -1 && errno == EIO);
	close(m);
	end("PXL201", "posix_openpt/grantpt/unlockpt/ptsname, a forked child on the slave: echo "
	              "and output processing reach the master; EIO after the slave closes");
}

static void
t_pty_winsize(void)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	CHECK(m >= 0);
	char *name = ptsname(m);
	errno = 0;
	CHECK(name && open(name, O_RDWR | O_NOCTTY) == -1 && errno == EIO); /* still locked */
	CHECK(unlockpt(m) == 0);
	int s = name ? open(name, O_RDWR | O_NOCTTY) : -1;
	CHECK(s >= 0);
	struct winsize ws = {33, 99, 0, 0}, back;
	CHECK(ioctl(m, TIOCSWINSZ, &ws) == 0);
	CHECK(ioctl(s, TIOCGWINSZ, &back) == 0 && back.ws_row == 33 && back.ws_col == 99);
	struct termios t;
	CHECK(tcgetattr(s, &t) == 0);
	cfmakeraw(&t);
	CHECK(tcsetattr(s, TCSANOW, &t) == 0);
	CHECK(write(m, "\x03x", 2) == 2); /* raw: ^C is data */
	char buf[4];
	CHECK(read(s, buf, sizeof buf) == 2 && buf[0] == 3);
	close(s);
	close(m);
	end("PXL202", "ptys: a locked slave opens with EIO; TIOCSWINSZ on the master reaches the "
	              "slave; raw mode on the slave");
}

/* A new pty, unlocked: the master (O_NOCTTY), its slave's path in name. */
static int
new_pty(char *name, size_t cap)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m < 0 || unlockpt(m) || ptsname_r(m, name, cap)) {
		if (m >= 0)
			close(m);
		return -1;
	}
	return m;
}

/* Reads up to n bytes from fd within about 3 s (fewer if the writers close). */
static size_t
read_bytes(int fd, char *buf, size_t n)
{
	size_t got = 0;
	for (int i = 0; i < 300 && got < n; i++) {
		struct pollfd p = {fd, POLLIN, 0};
		if (poll(&p, 1, 10) <= 0)
			continue;
		ssize_t r = read(fd, buf + got, n - got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	return got;
}

static int note_fd = -1; /* where the signal handlers below write */
static void
note_hup(int sig)
{
	(void)sig;
	(void)write(note_fd, "H", 1);
}
static void
note_cont(int sig)
{
	(void)sig;
	(void)write(note_fd, "C", 1);
}

/* The acquisition rules, in a new session (the child of t_ctty). */
static int
ctty_session(const char *name)
{
	struct stat st, ts;
	int s, t, fd, status;
	CHECK(setsid() == getpid());
	errno = 0;
	CHECK(open("/dev/tty", O_RDWR) == -1 && errno == ENXIO); /* no terminal yet */
	s = open(name, O_RDWR | O_NOCTTY);
	CHECK(s >= 0);
	errno = 0;
	CHECK(open("/dev/tty", O_RDWR) == -1 && errno == ENXIO); /* O_NOCTTY took nothing */
	errno = 0;
	CHECK(tcgetsid(s) == -1 && errno == ENOTTY);
	errno = 0;
	CHECK(ioctl(s, TIOCNOTTY) == -1 && errno == ENOTTY);
	fd = open("/dev/null", O_RDWR);
	errno = 0;
	CHECK(ioctl(fd, TIOCSCTTY, 0) == -1 && errno == ENOTTY); /* not a terminal */
	close(fd);
	/* A session leader without a terminal opening one takes it. */
	t = open(name, O_RDWR);
	CHECK(t >= 0);
	close(t);
	t = open("/dev/tty", O_RDWR);
	CHECK(t >= 0);
	CHECK(fstat(s, &st) == 0 && fstat(t, &ts) == 0 && ts.st_rdev == st.st_rdev);
	CHECK(tcgetsid(s) == getpid() && tcgetsid(t) == getpid());
	CHECK(tcgetpgrp(t) == getpgrp());   /* its group came to the foreground */
	CHECK(ioctl(s, TIOCSCTTY, 0) == 0); /* already ours */
	/* A process that leads no session cannot take one; another session
	 * cannot take ours, unless root steals it (arg 1). */
	pid_t c = fork();
	if (c == 0) {
		errno = 0;
		CHECK(ioctl(s, TIOCSCTTY, 0) == -1 && errno == EPERM);
		CHECK(setsid() > 0);
		int u = open(name, O_RDWR); /* another session's: not taken */
		CHECK(u >= 0);
		errno = 0;
		CHECK(open("/dev/tty", O_RDWR) == -1 && errno == ENXIO);
		errno = 0;
		CHECK(ioctl(u, TIOCSCTTY, 0) == -1 && errno == EPERM);
		CHECK(ioctl(u, TIOCSCTTY, 1) == 0);
		int v = open("/dev/tty", O_RDWR);
		CHECK(v >= 0 && tcgetsid(v) == getpid());
		_exit(cur_failed);
	}
	CHECK(c > 0 && waitpid(c, &status, 0) == c && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0);
	errno = 0;
	CHECK(open("/dev/tty", O_RDWR) == -1 && errno == ENXIO); /* stolen, then gone */
	errno = 0;
	CHECK(ioctl(t, TIOCNOTTY) == -1 && errno == ENOTTY);
	/* Taken back; TIOCNOTTY by the leader: SIGHUP and SIGCONT to the foreground group. */
	CHECK(ioctl(s, TIOCSCTTY, 0) == 0);
	int p[2];
	CHECK(pipe(p) == 0);
	note_fd = p[1];
	signal(SIGHUP, note_hup);
	signal(SIGCONT, note_cont);
	c = fork();
	if (c == 0) {
		setpgid(0, 0);
		alarm(5);
		for (;;)
			pause();
	}
	CHECK(c > 0 && setpgid(c, c) == 0);
	CHECK(tcsetpgrp(s, c) == 0);
	signal(SIGHUP, SIG_DFL);
	CHECK(ioctl(s, TIOCNOTTY) == 0);
	char got[4] = "";
	/* Both, in either order: handlers of signals that arrive together nest. */
	CHECK(read_bytes(p[0], got, 2) == 2 && strchr(got, 'H') && strchr(got, 'C'));
	kill(c, SIGKILL);
	waitpid(c, &status, 0);
	errno = 0;
	CHECK(open("/dev/tty", O_RDWR) == -1 && errno == ENXIO);
	return cur_failed;
}

static void
t_ctty(void)
{
	char name[32];
	int m = new_pty(name, sizeof name), status = -1;
	CHECK(m >= 0);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0)
		_exit(ctty_session(name));
	CHECK(c > 0 && waitpid(c, &status, 0) == c && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0);
	close(m);
	end("PXL220", "controlling terminal: /dev/tty ENXIO without one; a session leader's open "
	              "without O_NOCTTY takes a pty slave (foreground, tcgetsid), /dev/tty opens "
	              "it; TIOCSCTTY EPERM (not a leader, another session's), steal as root, "
	              "ENOTTY (not a terminal); TIOCNOTTY hangs up the foreground group");
}

/* Session leader with the slave as terminal and a foreground child f
 * that notes SIGHUP (and SIGCONT) on pipe p. */
static int
leader_with_fg(const char *name, int p[2], pid_t *f)
{
	CHECK(setsid() > 0);
	int s = open(name, O_RDWR);
	CHECK(s >= 0);
	note_fd = p[1];
	signal(SIGHUP, note_hup);
	*f = fork();
	if (*f == 0) {
		setpgid(0, 0);
		alarm(5);
		for (;;)
			pause();
	}
	CHECK(*f > 0 && setpgid(*f, *f) == 0);
	CHECK(tcsetpgrp(s, *f) == 0);
	signal(SIGHUP, SIG_DFL);
	return s;
}

static void
t_leader_exit(void)
{
	char name[32], got[4] = "";
	int m = new_pty(name, sizeof name), p[2], status;
	CHECK(m >= 0 && pipe(p) == 0);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		pid_t f;
		close(m);
		(void)leader_with_fg(name, p, &f);
		_exit(cur_failed); /* the foreground group gets SIGHUP */
	}
	CHECK(c > 0 && waitpid(c, &status, 0) == c && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0);
	CHECK(read_bytes(p[0], got, 1) == 1 && got[0] == 'H');
	close(p[0]);
	close(p[1]);
	close(m);
	end("PXL221", "a session leader's exit sends SIGHUP to its terminal's foreground group");
}

static void
t_master_hangup(void)
{
	char name[32], got[4] = "";
	int m = new_pty(name, sizeof name), p[2], q[2], status;
	CHECK(m >= 0 && pipe(p) == 0 && pipe(q) == 0);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		pid_t f;
		close(m);
		close(q[0]);
		int s = leader_with_fg(name, p, &f);
		/* The leader notes its own SIGHUP on q. */
		note_fd = q[1];
		struct sigaction sa = {0};
		sa.sa_handler = note_hup;
		sigaction(SIGHUP, &sa, NULL);
		(void)write(q[1], "R", 1); /* ready */
		for (int i = 0, d; i < 300 && (d = open("/dev/tty", O_RDWR | O_NOCTTY)) >= 0; i++) {
			close(d);
			usleep(10000);
		}
		errno = 0;
		CHECK(open("/dev/tty", O_RDWR) == -1 && errno == ENXIO);
		char b[4];
		CHECK(read(s, b, sizeof b) == 0); /* hung up: end of file */
		errno = 0;
		CHECK(write(s, "x", 1) == -1 && errno == EIO);
		kill(f, SIGKILL);
		_exit(cur_failed);
	}
	close(q[1]);
	CHECK(read_bytes(q[0], got, 1) == 1 && got[0] == 'R');
	close(m);                                              /* hang up */
	CHECK(read_bytes(p[0], got, 1) == 1 && got[0] == 'H'); /* the foreground group */
	CHECK(read_bytes(q[0], got, 1) == 1 && got[0] == 'H'); /* the leader */
	CHECK(c > 0 && waitpid(c, &status, 0) == c && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0);
	close(p[0]);
	close(p[1]);
	close(q[0]);
	end("PXL222", "closing a pty master hangs up the slave: SIGHUP to its foreground group "
	              "and its session leader, the session loses it (/dev/tty ENXIO), reads "
	              "0, writes EIO");
}

/* In a new session: a group orphaned by its parent's exit. */
static int
orphan_session(const char *name, int p[2], int stopped)
{
	CHECK(setsid() > 0);
	int s = name ? open(name, O_RDWR) : -1;
	pid_t b = fork();
	if (b == 0) {
		setpgid(0, 0);
		pid_t m = stopped ? 0 : fork();
		if (m == 0) {
			note_fd = p[1];
			signal(SIGHUP, note_hup);
			signal(SIGCONT, note_cont);
			alarm(5);
			if (stopped) {
				raise(SIGSTOP); /* continued by the orphaning */
				_exit(0);
			}
			/* Orphaned background group: a read is EIO, not a stop. */
			while (getppid() == b)
				usleep(10000);
			char c;
			errno = 0;
			ssize_t n = read(s, &c, 1);
			(void)write(p[1], n == -1 && errno == EIO ? "E" : "?", 1);
			_exit(0);
		}
		_exit(0);
	}
	int st;
	if (stopped)
		CHECK(waitpid(b, &st, WUNTRACED) == b && WIFSTOPPED(st));
	else
		CHECK(waitpid(b, &st, 0) == b);
	return cur_failed; /* our exit orphans b's group */
}

static void
t_orphaned(void)
{
	char name[32], got[4] = "";
	int m = new_pty(name, sizeof name), p[2], status;
	CHECK(m >= 0 && pipe(p) == 0);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0)
		_exit(orphan_session(NULL, p, 1));
	CHECK(c > 0 && waitpid(c, &status, 0) == c && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0);
	CHECK(read_bytes(p[0], got, 2) == 2 && strchr(got, 'H') && strchr(got, 'C'));
	c = fork();
	if (c == 0)
		_exit(orphan_session(name, p, 0));
	CHECK(c > 0 && waitpid(c, &status, 0) == c && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0);
	CHECK(read_bytes(p[0], got, 1) == 1 && got[0] == 'E');
	/* A stopped child whose group is not orphaned by its parent's exit
	 * (same group as the parent): no SIGHUP. */
	int r[2];
	CHECK(pipe(r) == 0);
	c = fork();
	if (c == 0) {
		CHECK(setsid() > 0);
		pid_t k = fork();
		if (k == 0) {
			note_fd = p[1];
			signal(SIGHUP, note_hup);
			raise(SIGSTOP);
			_exit(0);
		}
		int st;
		CHECK(waitpid(k, &st, WUNTRACED) == k && WIFSTOPPED(st));
		(void)write(r[1], &k, sizeof k);
		_exit(cur_failed);
	}
	pid_t k = 0;
	CHECK(read_bytes(r[0], (char *)&k, sizeof k) == sizeof k && k > 0);
	CHECK(c > 0 && waitpid(c, &status, 0) == c && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0);
	struct pollfd pf = {p[0], POLLIN, 0};
	CHECK(poll(&pf, 1, 300) == 0); /* nothing noted */
	if (k > 0)
		kill(k, SIGKILL);
	close(r[0]);
	close(r[1]);
	close(p[0]);
	close(p[1]);
	close(m);
	end("PXL223", "a group orphaned by an exit gets SIGHUP then SIGCONT when a member is "
	              "stopped (not when it stays joined to its parent); an orphaned background "
	              "group reads EIO from its terminal instead of stopping");
}

static void
t_fifo(void)
{
	const char *path = "/tmp/pxl-fifo";
	char buf[16];
	unlink(path);
	CHECK(mkfifo(path, 0644) == 0);
	struct stat st;
	CHECK(stat(path, &st) == 0 && S_ISFIFO(st.st_mode));
	errno = 0;
	CHECK(open(path, O_WRONLY | O_NONBLOCK) == -1 && errno == ENXIO);
	pid_t pid = fork();
	if (pid == 0) {
		int w = open(path, O_WRONLY); /* waits for the parent's open */
		if (w < 0 || write(w, "fifo!", 5) != 5)
			_exit(2);
		_exit(0);
	}
	int r = open(path, O_RDONLY); /* waits for the child's */
	CHECK(r >= 0);
	CHECK(fstat(r, &st) == 0 && S_ISFIFO(st.st_mode));
	CHECK(read(r, buf, sizeof buf) == 5 && memcmp(buf, "fifo!", 5) == 0);
	int status = -1;
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(read(r, buf, sizeof buf) == 0); /* the writer is gone */
	int rn = open(path, O_RDONLY | O_NONBLOCK);
	CHECK(rn >= 0);
	int w = open(path, O_WRONLY | O_NONBLOCK);
	CHECK(w >= 0);
	CHECK(write(w, "xy", 2) == 2);
	CHECK(read(rn, buf, sizeof buf) == 2);
	close(w);
	close(rn);
	close(r);
	CHECK(unlink(path) == 0);
	end("PXL211", "mkfifo: blocking opens meet across fork, O_WRONLY|O_NONBLOCK without a "
	              "reader ENXIO, data, EOF, S_ISFIFO");
}

/* Memory locking: ranges checked as Linux does; nothing is ever paged out. */
static void
t_mlock(void)
{
	size_t len = 3 * 4096 + 100;
	char *buf = malloc(len);
	CHECK(buf != NULL);
	CHECK(mlock(buf + 1, len - 1) == 0); /* unaligned start: rounded down */
	CHECK(munlock(buf + 1, len - 1) == 0);
	CHECK(mlock(buf, 0) == 0);
	char *m = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(m != MAP_FAILED);
	CHECK(munmap(m + 4096, 4096) == 0); /* a hole in the middle */
	errno = 0;
	CHECK(mlock(m, 3 * 4096) == -1 && errno == ENOMEM);
	errno = 0;
	CHECK(munlock(m, 3 * 4096) == -1 && errno == ENOMEM);
	CHECK(mlock(m, 4096) == 0 && mlock(m + 2 * 4096, 4096) == 0);
	m[0] = 1;
	CHECK(m[0] == 1);
	errno = 0;
	CHECK(mlock((void *)0x7ffffffffffff000ul, 8192) == -1 && errno == ENOMEM);
	errno = 0;
	CHECK(mlock((void *)-4096l, 8192) == -1 && errno == EINVAL); /* wraps */
	errno = 0;
	CHECK(mlockall(0) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(mlockall(MCL_ONFAULT) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(mlockall(0x100) == -1 && errno == EINVAL);
	CHECK(mlockall(MCL_CURRENT | MCL_FUTURE) == 0);
	CHECK(munlockall() == 0);
	munmap(m, 4096);
	munmap(m + 2 * 4096, 4096);
	free(buf);
	end("PXL270", "mlock/munlock: mapped ranges 0, a hole or outside user space ENOMEM, a "
	              "wrap EINVAL; mlockall flags EINVAL; munlockall");
}

/*
 * The area limit (FERRY_VM_MAX_AREAS, Linux's vm.max_map_count): run in a
 * child, whose address space it fills.  Read-only shared file mappings,
 * so that neither a memory object per map nor libposix's msync table
 * (which has a bound of its own) is involved: only the kernel's count.
 */
static void
map_limit_child(int fd)
{
	const size_t max = 65530, pg = 4096;
	char **maps = malloc((max + 1) * sizeof(*maps));
	size_t n = 0;
	CHECK(maps != NULL);
	char *big = mmap(NULL, 4 * pg, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(big != MAP_FAILED);
	char *p;
	while (n <= max && (p = mmap(NULL, pg, PROT_READ, MAP_SHARED, fd, 0)) != MAP_FAILED)
		maps[n++] = p;
	CHECK(n <= max && errno == ENOMEM);
	/* The program's own areas (text, data, stack, heap...) are the rest. */
	CHECK(n > max - 200);
	char *last = maps[n - 1];
	/* A hole would make one area two: ENOMEM, and nothing changes. */
	errno = 0;
	CHECK(munmap(big + pg, pg) == -1 && errno == ENOMEM);
	errno = 0;
	CHECK(mprotect(big + pg, pg, PROT_NONE) == -1 && errno == ENOMEM);
	errno = 0;
	CHECK(mmap(big + pg, pg, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 0) == MAP_FAILED &&
	      errno == ENOMEM);
	CHECK(big[pg] == 'b');
	/* No growth, no error: replacing a whole mapping, trimming an end. */
	CHECK(mmap(last, pg, PROT_READ, MAP_SHARED | MAP_FIXED, fd, pg) == last && last[0] == 'b');
	CHECK(mprotect(big, 4 * pg, PROT_NONE) == 0);
	CHECK(munmap(big + 3 * pg, pg) == 0);
	/* One mapping fewer is room for exactly one more. */
	CHECK(munmap(big, 3 * pg) == 0);
	CHECK((p = mmap(NULL, pg, PROT_READ, MAP_SHARED, fd, 0)) != MAP_FAILED);
	errno = 0;
	CHECK(mmap(NULL, pg, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED && errno == ENOMEM);
	/* After unmapping them all, mapping works again (nothing leaked). */
	munmap(p, pg);
	for (size_t i = 0; i < n; i++)
		CHECK(munmap(maps[i], pg) == 0);
	for (int i = 0; i < 100; i++) {
		CHECK((p = mmap(NULL, 2 * pg, PROT_READ, MAP_SHARED, fd, 0)) != MAP_FAILED);
		CHECK(p[pg] == 'b' && munmap(p, 2 * pg) == 0);
	}
	free(maps);
}

static void
t_map_limit(void)
{
	int fd, st = -1;
	char page[4096];
	CHECK((fd = open("/tmp/pxl320", O_RDWR | O_CREAT | O_TRUNC, 0600)) >= 0);
	memset(page, 'a', sizeof page);
	CHECK(write(fd, page, sizeof page) == sizeof page);
	memset(page, 'b', sizeof page);
	for (int i = 0; i < 3; i++)
		CHECK(write(fd, page, sizeof page) == sizeof page);
	pid_t pid = fork();
	if (pid == 0) {
		map_limit_child(fd);
		_exit(cur_failed);
	}
	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && st == 0);
	close(fd);
	CHECK(unlink("/tmp/pxl320") == 0);
	end("PXL320",
	    "mmap: at most 65530 mappings (ENOMEM past it, as Linux's max_map_count); "
	    "munmap/mprotect/MAP_FIXED that would split past it ENOMEM; room again after");
}

/* msync(MS_INVALIDATE) of [p, p + len): 0 or the errno. */
static int
invalidate(char *p, size_t len)
{
	errno = 0;
	return msync(p, len, MS_INVALIDATE) == 0 ? 0 : errno;
}

/* Locked pages refuse msync(MS_INVALIDATE) with EBUSY (POSIX, Linux). */
static void
t_mlock_msync(void)
{
	const size_t pg = 4096;
	char *m = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(m != MAP_FAILED);
	CHECK(invalidate(m, 4 * pg) == 0);
	CHECK(mlock(m + pg, 2 * pg) == 0);
	CHECK(invalidate(m, pg) == 0 && invalidate(m + 3 * pg, pg) == 0);
	CHECK(invalidate(m, 4 * pg) == EBUSY && invalidate(m + 2 * pg, pg) == EBUSY);
	CHECK(msync(m, 4 * pg, MS_SYNC) == 0 && msync(m, 4 * pg, MS_ASYNC) == 0);
	CHECK(munlock(m + pg, pg) == 0); /* splits the locked range */
	CHECK(invalidate(m + pg, pg) == 0 && invalidate(m + 2 * pg, pg) == EBUSY);
	CHECK(munmap(m + 2 * pg, pg) == 0); /* unmapping drops the lock */
	char *again = mmap(m + 2 * pg, pg, PROT_READ | PROT_WRITE,
	                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(again == m + 2 * pg && invalidate(m, 4 * pg) == 0);
	CHECK(mlock(m, 4 * pg) == 0 && munlockall() == 0 && invalidate(m, 4 * pg) == 0);
	end("PXL330", "msync(MS_INVALIDATE) on mlock'ed pages: EBUSY; MS_SYNC/MS_ASYNC 0; munlock "
	              "of part, munmap and munlockall unlock");

	/* mlockall(MCL_CURRENT): what is mapped now, not what is mapped later. */
	CHECK(mlockall(MCL_CURRENT) == 0);
	CHECK(invalidate(m, pg) == EBUSY);
	char *later = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(later != MAP_FAILED && invalidate(later, pg) == 0);
	CHECK(munmap(m + pg, pg) == 0 && invalidate(m, pg) == EBUSY);
	char *fixed = mmap(m + pg, pg, PROT_READ | PROT_WRITE,
	                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(fixed == m + pg && invalidate(fixed, pg) == 0 && invalidate(m, 2 * pg) == EBUSY);
	/* MCL_FUTURE: later mappings are locked too. */
	CHECK(mlockall(MCL_CURRENT | MCL_FUTURE) == 0);
	char *fut = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(fut != MAP_FAILED && invalidate(fut, pg) == EBUSY);
	CHECK(munlockall() == 0 && invalidate(fut, pg) == 0 && invalidate(m, 4 * pg) == 0);
	fut = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(fut != MAP_FAILED && invalidate(fut, pg) == 0); /* munlockall ended MCL_FUTURE */
	end("PXL331", "mlockall(MCL_CURRENT) locks what is mapped, not later mappings (nor a "
	              "MAP_FIXED one over an unmapped page); MCL_FUTURE locks those; munlockall");

	/* A fork's child has no locks (POSIX), the parent keeps its own. */
	CHECK(mlock(m, pg) == 0);
	pid_t pid = fork();
	if (pid == 0)
		_exit(invalidate(m, pg) == 0 && invalidate(later, pg) == 0 ? 0 : 1);
	int st = -1;
	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK(invalidate(m, pg) == EBUSY);
	CHECK(munlockall() == 0);
	end("PXL332", "a fork's child has no memory locks; the parent keeps them");

	/* A hostile lock pattern: every other page of 600 locked overflows the
	 * table (ENOMEM) without losing what it holds. */
	char *big =
	        mmap(NULL, 600 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(big != MAP_FAILED);
	int rc = 0, i;
	for (i = 0; i < 600 && rc == 0; i += 2)
		rc = mlock(big + i * pg, pg);
	CHECK(rc == -1 && errno == ENOMEM && i > 2);
	CHECK(invalidate(big, pg) == EBUSY && invalidate(big + pg, pg) == 0);
	CHECK(munlockall() == 0 && invalidate(big, pg) == 0);
	munmap(big, 600 * pg);
	munmap(m, 4 * pg);
	munmap(later, pg);
	munmap(fut, pg);
	end("PXL333", "mlock of more separate ranges than the table holds: ENOMEM, the locks held "
	              "stay");
}

static void *
sched_thread(void *arg)
{
	struct sched_param sp = {.sched_priority = 3};
	int policy = -1;
	(void)arg;
	if (pthread_getschedparam(pthread_self(), &policy, &sp) || sp.sched_priority != 0)
		return (void *)-1l;
	return (void *)(long)policy;
}

/*
 * Scheduling policy calls: one policy (SCHED_OTHER), Linux's ranges.
 * musl's sched_getscheduler & co. are ENOSYS by design (Linux's calls act
 * on one thread, POSIX's on a process): the raw calls are what musl's
 * pthread_*schedparam use, so they are tested through syscall().
 */
static void
t_sched(void)
{
	struct sched_param sp = {.sched_priority = 7};
	struct timespec ts = {-1, -1};
	CHECK(sched_get_priority_max(SCHED_FIFO) == 99 && sched_get_priority_min(SCHED_RR) == 1);
	CHECK(sched_get_priority_max(SCHED_OTHER) == 0 && sched_get_priority_min(SCHED_OTHER) == 0);
	errno = 0;
	CHECK(sched_get_priority_max(42) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(sched_get_priority_min(-1) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(sched_getscheduler(0) == -1 && errno == ENOSYS); /* musl's own answer */
	CHECK(syscall(SYS_sched_getscheduler, 0) == SCHED_OTHER &&
	      syscall(SYS_sched_getscheduler, getpid()) == SCHED_OTHER);
	CHECK(syscall(SYS_sched_getparam, 0, &sp) == 0 && sp.sched_priority == 0);
	errno = 0;
	CHECK(syscall(SYS_sched_getscheduler, -3) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(syscall(SYS_sched_getscheduler, 99999) == -1 && errno == ESRCH);
	errno = 0;
	CHECK(syscall(SYS_sched_getparam, 99999, &sp) == -1 && errno == ESRCH);
	errno = 0;
	CHECK(syscall(SYS_sched_getparam, 0, NULL) == -1 && errno == EINVAL);
	CHECK(sched_rr_get_interval(0, &ts) == 0 && ts.tv_sec == 0 && ts.tv_nsec == 10000000);
	errno = 0;
	CHECK(sched_rr_get_interval(99999, &ts) == -1 && errno == ESRCH);
	errno = 0;
	CHECK(sched_rr_get_interval(-1, &ts) == -1 && errno == EINVAL);
	/* setting: SCHED_OTHER 0 yes; a bad priority EINVAL; real time EPERM */
	sp.sched_priority = 0;
	CHECK(syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, &sp) == 0 &&
	      syscall(SYS_sched_setparam, 0, &sp) == 0);
	sp.sched_priority = 5;
	errno = 0;
	CHECK(syscall(SYS_sched_setparam, 0, &sp) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(syscall(SYS_sched_setscheduler, 0, SCHED_FIFO, &sp) == -1 && errno == EPERM);
	sp.sched_priority = 100;
	errno = 0;
	CHECK(syscall(SYS_sched_setscheduler, 0, SCHED_RR, &sp) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(syscall(SYS_sched_setscheduler, 0, 77, &sp) == -1 && errno == EINVAL);
	/* threads: pthread_*schedparam (musl: the raw calls by thread id) */
	int policy = -1;
	CHECK(pthread_getschedparam(pthread_self(), &policy, &sp) == 0 && policy == SCHED_OTHER &&
	      sp.sched_priority == 0);
	sp.sched_priority = 10;
	CHECK(pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp) == EPERM);
	pthread_t t;
	void *res = NULL;
	CHECK(pthread_create(&t, NULL, sched_thread, NULL) == 0 && pthread_join(t, &res) == 0 &&
	      (long)res == SCHED_OTHER);
	end("PXL271", "sched_*: SCHED_OTHER priority 0 for processes and threads, Linux's ranges, "
	              "the 10 ms slice; EINVAL, ESRCH, EPERM for real time");
}

/* readlink of /proc/<pid>/fd/<fd> into buf ("" on error). */
static const char *
fd_link(pid_t pid, int fd, char *buf, size_t cap)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/fd/%d", (int)pid, fd);
	ssize_t n = readlink(path, buf, cap - 1);
	buf[n > 0 ? n : 0] = 0;
	return buf;
}

/* How many of pid's descriptors (listing /proc/<pid>/fd) read name. */
static int
fd_count(pid_t pid, const char *name)
{
	char path[64], buf[256];
	int n = 0;
	snprintf(path, sizeof path, "/proc/%d/fd", (int)pid);
	DIR *d = opendir(path);
	struct dirent *e;
	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' &&
		    !strcmp(fd_link(pid, atoi(e->d_name), buf, sizeof buf), name))
			n++;
	closedir(d);
	return n;
}

static void
t_fdpub_exec(void)
{
	char buf[256], rfd[12], wfd[12];
	int go[2], ready[2], st = -1;
	int f = open("/tmp/pxl260-kept", O_RDWR | O_CREAT | O_TRUNC, 0644);
	int g = open("/tmp/pxl260-cloexec", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	CHECK(f >= 0 && g >= 0);
	CHECK(pipe(go) == 0 && pipe(ready) == 0);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		char b;
		/* Touches no descriptor before the parent has looked. */
		if (read(go[0], &b, 1) != 1)
			_exit(80);
		snprintf(rfd, sizeof rfd, "%d", go[0]);
		snprintf(wfd, sizeof wfd, "%d", ready[1]);
		char *argv[] = {"echoargs", "--hold", rfd, wfd, NULL};
		execv("/bin/proc/echoargs", argv);
		_exit(81);
	}
	CHECK(c > 0);
	/* The child's own table, a copy of ours, before it did anything. */
	CHECK(!strcmp(fd_link(c, f, buf, sizeof buf), "/tmp/pxl260-kept"));
	CHECK(!strcmp(fd_link(c, g, buf, sizeof buf), "/tmp/pxl260-cloexec"));
	CHECK(fd_count(c, "/tmp/pxl260-kept") == 1);
	/* Ours changes; the child's does not. */
	close(f);
	CHECK(fd_link(getpid(), f, buf, sizeof buf)[0] == 0);
	CHECK(!strcmp(fd_link(c, f, buf, sizeof buf), "/tmp/pxl260-kept"));
	CHECK(write(go[1], "g", 1) == 1);
	CHECK(read(ready[0], buf, 1) == 1);
	/* After its exec: inherited names stay, the close-on-exec one is gone,
	 * and what the new image opened has its own name. */
	CHECK(!strcmp(fd_link(c, f, buf, sizeof buf), "/tmp/pxl260-kept"));
	CHECK(strcmp(fd_link(c, g, buf, sizeof buf), "/tmp/pxl260-cloexec") != 0);
	CHECK(fd_count(c, "/tmp/pxl260-cloexec") == 0);
	CHECK(fd_count(c, "/tmp/pxl260-kept") == 1);
	CHECK(fd_count(c, "/dev/null") == 1);
	CHECK(write(go[1], "x", 1) == 1);
	CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	if (WIFEXITED(st) && WEXITSTATUS(st))
		printf("  child exited %d\n", WEXITSTATUS(st));
	/* Gone with the process. */
	errno = 0;
	CHECK(readlink("/proc/999999/fd/0", buf, sizeof buf) == -1 && errno == ENOENT);
	close(g);
	close(go[0]), close(go[1]), close(ready[0]), close(ready[1]);
	unlink("/tmp/pxl260-kept");
	unlink("/tmp/pxl260-cloexec");
	end("PXL260",
	    "/proc/<pid>/fd of a forked child that touched nothing (its own copy), then "
	    "after its exec (the table kept: inherited names stay, close-on-exec ones go, "
	    "the new image's opens appear)");
}

int
main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	t_pipe_basic();
	t_pipe_nonblock();
	t_pipe_eof_epipe();
	t_pipe_bulk();
	t_poll_no_leak();
	t_many_writers();
	t_file_shared();
	t_tty();
	t_uname();
	t_sock_pair();
	t_sock_dgram();
	t_sock_listen();
	t_sock_rights();
	t_sock_shutdown_sigpipe();
	t_sock_seqpacket();
	t_jobctl();
	t_pty();
	t_pty_winsize();
	t_fifo();
	t_ctty();
	t_leader_exit();
	t_master_hangup();
	t_orphaned();
	t_mlock();
	t_map_limit();
	t_mlock_msync();
	t_sched();
	t_fdpub_exec();
	printf("%d passed, %d failed\nSUITE-END pxlib\n", passed, failed);
	return failed ? 1 : 0;
}
