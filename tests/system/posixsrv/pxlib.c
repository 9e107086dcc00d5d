/* SPDX-License-Identifier: MIT */
/*
 * The posixsrv suite seen from a musl program (suite pxlib: run by
 * posixsrv itself through cmd=, so the whole boot path is exercised:
 * posixsrv as first task, vfs started, the console as stdio).  Pipes
 * through libposix's pipe/pipe2 and the fd layer, terminal calls on the
 * console, uname/sethostname.  Prints PASS/FAIL per test and SUITE-END.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <termios.h>
#include <unistd.h>

static int passed, failed, cur_failed;

#define CHECK(c)                                                                    \
	do {                                                                        \
		if (!(c)) {                                                         \
			printf("  check failed: %s (line %d, errno %d)\n", #c, __LINE__, errno); \
			cur_failed = 1;                                             \
		}                                                                   \
	} while (0)

static void
end(const char *id, const char *what)
{
	if (cur_failed) {
		printf("FAIL %s: %s\n", id, what);
		failed++;
	} else {
		printf("PASS %s %s\n", id, what);
		passed++;
	}
	cur_failed = 0;
	fflush(stdout);
}

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
	end("PXL002", "pipe2(O_NONBLOCK|O_CLOEXEC): EAGAIN on empty, flags visible; bad flags EINVAL");
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
	int rc = 0;
	for (int i = 0; i < 100 && (rc = (int)write(p[1], "y", 1)) == 1; i++)
		usleep(1000);
	CHECK(rc == -1 && errno == EPIPE);
	close(p[1]);
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
	end("PXL004", "200000 bytes through a non-blocking pipe arrive intact (transfer-area path)");
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
	end("PXL005", "console: isatty, tcgetattr/cfmakeraw/tcsetattr round trip, TIOCGWINSZ, tcsetpgrp");
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

int
main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	t_pipe_basic();
	t_pipe_nonblock();
	t_pipe_eof_epipe();
	t_pipe_bulk();
	t_tty();
	t_uname();
	printf("%d passed, %d failed\nSUITE-END pxlib\n", passed, failed);
	return failed ? 1 : 0;
}
