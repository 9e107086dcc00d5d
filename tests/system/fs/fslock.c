/* SPDX-License-Identifier: MIT */
/*
 * Record locks, flock and /dev/std* seen from musl programs on the whole
 * system (suite fslock: run by posixsrv through cmd=, with procmgr, so
 * fork, signals and process death are real).  The protocol-level tests
 * are FS0027..FS0029 in fstest.c.  Prints PASS/FAIL per test and
 * SUITE-END.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../pxcheck.h"

static int
setlk(int fd, int cmd, short type, off_t start, off_t len)
{
	struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
	return fcntl(fd, cmd, &fl);
}

/* The type another process sees at [start, start+len) (F_GETLK for a write lock). */
static short
probe(int fd, off_t start, off_t len, pid_t *pid)
{
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
	if (fcntl(fd, F_GETLK, &fl))
		return -1;
	if (pid)
		*pid = fl.l_pid;
	return fl.l_type;
}

/*
 * probe() until it sees want, for up to a second: locks of a process that
 * ended go when vfs takes the no-senders notice of its owner port, which
 * a call made right after wait() may overtake.
 */
static short
probe_settle(int fd, short want)
{
	short t = -1;
	for (int i = 0; i < 100 && (t = probe(fd, 0, 0, NULL)) != want; i++) {
		struct timespec ts = {0, 10000000};
		nanosleep(&ts, NULL);
	}
	return t;
}

static int
waitcode(pid_t pid)
{
	int st;
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void
msleep(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
	nanosleep(&ts, NULL);
}

static int
mkfile(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0 && write(fd, "0123456789", 10) != 10) {
		close(fd);
		return -1;
	}
	return fd;
}

static void
t_conflict_wait(void)
{
	int fd = mkfile("/tmp/l1"), p[2];
	char c;
	CHECK(fd >= 0 && pipe(p) == 0);
	CHECK(setlk(fd, F_SETLK, F_WRLCK, 0, 5) == 0);
	pid_t me = getpid(), pid = fork();
	if (pid == 0) {
		int bad = 0;
		pid_t who = 0;
		/* Not inherited: the parent's lock conflicts with ours. */
		bad |= probe(fd, 0, 1, &who) != F_WRLCK || who != me;
		bad |= setlk(fd, F_SETLK, F_RDLCK, 2, 1) != -1 || errno != EAGAIN;
		bad |= setlk(fd, F_SETLK, F_WRLCK, 5, 5) != 0; /* past the parent's */
		if (write(p[1], "w", 1) != 1)
			bad = 1;
		/* Blocks until the parent unlocks. */
		bad |= setlk(fd, F_SETLKW, F_WRLCK, 0, 5) != 0;
		if (write(p[1], "g", 1) != 1)
			bad = 1;
		_exit(bad ? 1 : 0);
	}
	CHECK(pid > 0);
	CHECK(read(p[0], &c, 1) == 1 && c == 'w');
	pid_t who = 0;
	CHECK(probe(fd, 5, 1, &who) == F_WRLCK && who == pid);
	msleep(100);
	CHECK(setlk(fd, F_SETLK, F_UNLCK, 0, 0) == 0);
	CHECK(read(p[0], &c, 1) == 1 && c == 'g');
	CHECK(waitcode(pid) == 0);
	/* The child's locks went with it. */
	CHECK(probe_settle(fd, F_UNLCK) == F_UNLCK);
	close(p[0]);
	close(p[1]);
	close(fd);
	end("FS0030",
	    "fcntl locks across processes: EAGAIN, l_pid, not inherited by fork, F_SETLKW "
	    "woken by the unlock, released at exit");
}

static void
t_close_any(void)
{
	int fd = mkfile("/tmp/l2"), other = open("/tmp/l2", O_RDONLY), d = dup(fd);
	CHECK(fd >= 0 && other >= 0 && d >= 0);
	CHECK(setlk(fd, F_SETLK, F_WRLCK, 0, 0) == 0);
	pid_t pid = fork();
	if (pid == 0)
		_exit(probe(fd, 0, 0, NULL) == F_WRLCK ? 0 : 1);
	CHECK(waitcode(pid) == 0);
	/* Closing a dup keeps nothing: any descriptor of the file drops them. */
	close(d);
	pid = fork();
	if (pid == 0)
		_exit(probe(fd, 0, 0, NULL) == F_UNLCK ? 0 : 1);
	CHECK(waitcode(pid) == 0);
	CHECK(setlk(fd, F_SETLK, F_WRLCK, 0, 0) == 0);
	close(other); /* another open file description of the same file */
	pid = fork();
	if (pid == 0)
		_exit(probe(fd, 0, 0, NULL) == F_UNLCK ? 0 : 1);
	CHECK(waitcode(pid) == 0);
	close(fd);
	end("FS0031", "closing any descriptor of a file (a dup, another open) drops the process's "
	              "record locks on it");
}

static void
t_death(void)
{
	int fd = mkfile("/tmp/l3"), p[2];
	char c;
	CHECK(fd >= 0 && pipe(p) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		if (setlk(fd, F_SETLK, F_WRLCK, 0, 0) == 0 && write(p[1], "l", 1) == 1)
			for (;;)
				pause();
		_exit(1);
	}
	CHECK(read(p[0], &c, 1) == 1);
	CHECK(probe(fd, 0, 0, NULL) == F_WRLCK);
	kill(pid, SIGKILL);
	CHECK(waitcode(pid) == 128 + SIGKILL);
	/* The owner's port closes with the task; vfs drops its locks. */
	CHECK(probe_settle(fd, F_UNLCK) == F_UNLCK);
	CHECK(setlk(fd, F_SETLK, F_WRLCK, 0, 0) == 0);
	close(p[0]);
	close(p[1]);
	close(fd);
	end("FS0032", "a process killed with locks held: its locks are released");
}

/* Record locks survive exec (POSIX): the new image keeps the process's. */
static void
t_exec(void)
{
	int fd = mkfile("/tmp/l7"), p[2];
	char c;
	pid_t who = 0;
	CHECK(fd >= 0 && pipe(p) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		if (setlk(fd, F_SETLK, F_WRLCK, 2, 3) == 0 && dup2(p[1], 4) == 4)
			execl("/bin/busybox", "sh", "-c", "echo x >&4; exec sleep 100",
			      (char *)NULL);
		_exit(1);
	}
	CHECK(read(p[0], &c, 1) == 1 && c == 'x');
	CHECK(probe(fd, 0, 0, &who) == F_WRLCK && who == pid);
	msleep(300); /* and after the shell's own exec of sleep */
	CHECK(probe(fd, 3, 1, &who) == F_WRLCK && who == pid);
	CHECK(setlk(fd, F_SETLK, F_WRLCK, 0, 2) == 0); /* outside the range */
	CHECK(setlk(fd, F_SETLK, F_RDLCK, 4, 1) == -1 && errno == EAGAIN);
	kill(pid, SIGKILL);
	CHECK(waitcode(pid) == 128 + SIGKILL);
	CHECK(probe_settle(fd, F_UNLCK) == F_UNLCK);
	close(p[0]);
	close(p[1]);
	close(fd);
	end("FS0040", "record locks survive exec, twice (the owner port is handed to the new "
	              "image); they go with the process");
}

static void
t_deadlock(void)
{
	int fd = mkfile("/tmp/l4"), p[2];
	char c;
	CHECK(fd >= 0 && pipe(p) == 0);
	CHECK(setlk(fd, F_SETLK, F_WRLCK, 0, 1) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		int bad = setlk(fd, F_SETLK, F_WRLCK, 1, 1) != 0;
		if (write(p[1], "b", 1) != 1)
			bad = 1;
		bad |= setlk(fd, F_SETLKW, F_WRLCK, 0, 1) != 0; /* waits for the parent */
		_exit(bad);
	}
	CHECK(read(p[0], &c, 1) == 1);
	/* Wait until the child is blocked (F_GETLK cannot tell; give it time). */
	msleep(200);
	errno = 0;
	CHECK(setlk(fd, F_SETLKW, F_WRLCK, 1, 1) == -1 && errno == EDEADLK);
	CHECK(setlk(fd, F_SETLK, F_UNLCK, 0, 1) == 0);
	CHECK(waitcode(pid) == 0);
	close(p[0]);
	close(p[1]);
	close(fd);
	end("FS0033", "F_SETLKW that would close a two-process cycle fails with EDEADLK");
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
	int fd = mkfile("/tmp/l5"), p[2];
	char c;
	CHECK(fd >= 0 && pipe(p) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		if (setlk(fd, F_SETLK, F_WRLCK, 0, 0) == 0 && write(p[1], "l", 1) == 1 &&
		    read(p[0], &c, 1) == 1) {
			/* The parent was interrupted: nothing was granted to it. */
			_exit(probe(fd, 0, 0, NULL) == F_UNLCK ? 0 : 2);
		}
		_exit(1);
	}
	CHECK(read(p[0], &c, 1) == 1);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm; /* no SA_RESTART */
	sigaction(SIGALRM, &sa, NULL);
	alarm(1);
	errno = 0;
	CHECK(setlk(fd, F_SETLKW, F_WRLCK, 0, 0) == -1 && errno == EINTR);
	CHECK(alarms == 1);
	/* flock waits are interrupted the same way. */
	int f1 = open("/tmp/l5", O_RDONLY), f2 = open("/tmp/l5", O_RDONLY);
	CHECK(flock(f1, LOCK_EX) == 0);
	alarm(1);
	errno = 0;
	CHECK(flock(f2, LOCK_EX) == -1 && errno == EINTR);
	CHECK(alarms == 2);
	CHECK(write(p[1], "x", 1) == 1);
	CHECK(waitcode(pid) == 0);
	CHECK(flock(f1, LOCK_UN) == 0);
	CHECK(flock(f2, LOCK_EX | LOCK_NB) == 0);
	signal(SIGALRM, SIG_DFL);
	close(f1);
	close(f2);
	close(p[0]);
	close(p[1]);
	close(fd);
	end("FS0034", "a signal interrupts F_SETLKW and flock with EINTR; the lock is not granted "
	              "afterwards");
}

static void
t_flock(void)
{
	int fd = mkfile("/tmp/l6"), p[2];
	char c;
	CHECK(fd >= 0 && pipe(p) == 0);
	CHECK(flock(fd, LOCK_EX) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		int bad = 0, mine = open("/tmp/l6", O_RDONLY);
		/* The description is shared with the parent: its lock is ours. */
		bad |= flock(fd, LOCK_EX | LOCK_NB) != 0;
		bad |= flock(mine, LOCK_SH | LOCK_NB) != -1 || errno != EWOULDBLOCK;
		close(fd); /* our copy of the description */
		if (write(p[1], "w", 1) != 1)
			bad = 1;
		bad |= flock(mine, LOCK_SH) != 0; /* woken when the description's last fd closes */
		_exit(bad);
	}
	CHECK(read(p[0], &c, 1) == 1);
	int d = dup(fd);
	msleep(100);
	close(fd); /* d still holds the description: the lock stays */
	msleep(100);
	int other = open("/tmp/l6", O_RDONLY);
	CHECK(flock(other, LOCK_EX | LOCK_NB) == -1 && errno == EWOULDBLOCK);
	close(d);
	CHECK(waitcode(pid) == 0);
	/* Record locks and flock locks do not conflict. */
	CHECK(flock(other, LOCK_EX) == 0);
	int fd2 = open("/tmp/l6", O_RDWR);
	CHECK(setlk(fd2, F_SETLK, F_WRLCK, 0, 0) == 0);
	/* Errors: bad operations, bad descriptors, objects without locks. */
	errno = 0;
	CHECK(flock(other, LOCK_SH | LOCK_EX) == -1 && errno == EINVAL);
	CHECK(flock(other, 0) == -1 && errno == EINVAL);
	CHECK(flock(999, LOCK_SH) == -1 && errno == EBADF);
	CHECK(flock(p[0], LOCK_SH) == -1 && errno == EINVAL);
	close(fd2);
	close(other);
	close(p[0]);
	close(p[1]);
	end("FS0035",
	    "flock: shared by fork and dup, released when the last descriptor of the "
	    "description closes, EWOULDBLOCK, independent of record locks, EINVAL, EBADF");
}

static void
t_flock_convert(void)
{
	int fd = mkfile("/tmp/l8"), p[2];
	char c;
	CHECK(fd >= 0 && pipe(p) == 0);
	close(fd);
	int a = open("/tmp/l8", O_RDONLY);
	CHECK(flock(a, LOCK_SH) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		close(a);
		int b = open("/tmp/l8", O_RDONLY), bad = 0;
		bad |= flock(b, LOCK_SH) != 0;
		if (write(p[1], "a", 1) != 1)
			bad = 1;
		bad |= flock(b, LOCK_EX) != 0; /* both convert: one drops, one waits */
		_exit(bad);
	}
	CHECK(read(p[0], &c, 1) == 1);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	alarms = 0;
	alarm(10); /* a deadlock would end here with EINTR */
	CHECK(flock(a, LOCK_EX) == 0);
	CHECK(flock(a, LOCK_UN) == 0);
	CHECK(waitcode(pid) == 0);
	alarm(0);
	CHECK(alarms == 0);
	signal(SIGALRM, SIG_DFL);
	close(a);
	close(p[0]);
	close(p[1]);
	end("FS0038", "flock: two shared holders converting to exclusive at once do not deadlock "
	              "(a blocking conversion drops the old lock first)");
}

static void
t_fcntl_errors(void)
{
	int rd, p[2];
	int fd = mkfile("/tmp/l7");
	close(fd);
	rd = open("/tmp/l7", O_RDONLY);
	CHECK(rd >= 0 && pipe(p) == 0);
	errno = 0;
	CHECK(setlk(rd, F_SETLK, F_WRLCK, 0, 0) == -1 && errno == EBADF);
	CHECK(setlk(rd, F_SETLK, F_RDLCK, 0, 0) == 0);
	CHECK(setlk(999, F_SETLK, F_RDLCK, 0, 0) == -1 && errno == EBADF);
	struct flock fl = {.l_type = F_RDLCK, .l_whence = 7};
	CHECK(fcntl(rd, F_SETLK, &fl) == -1 && errno == EINVAL);
	fl.l_whence = SEEK_SET;
	fl.l_type = 9;
	CHECK(fcntl(rd, F_SETLK, &fl) == -1 && errno == EINVAL);
	fl.l_type = F_UNLCK;
	CHECK(fcntl(rd, F_GETLK, &fl) == -1 && errno == EINVAL);
	CHECK(setlk(rd, F_SETLK, F_RDLCK, -1, 1) == -1 && errno == EINVAL);
	CHECK(setlk(p[0], F_SETLK, F_RDLCK, 0, 0) == -1 && errno == EINVAL);
	CHECK(setlk(rd, F_SETLK, F_UNLCK, 0, 0) == 0);
	close(rd);
	close(p[0]);
	close(p[1]);
	end("FS0036", "fcntl lock errors through libc: EBADF (mode, fd), EINVAL (whence, type, "
	              "F_GETLK of F_UNLCK, start < 0, a pipe)");
}

/* ---- open-file-description locks (F_OFD_*) ---- */

static int
ofd(int fd, int cmd, short type, off_t start, off_t len, pid_t *pid)
{
	struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
	int rc = fcntl(fd, cmd, &fl);
	if (rc == 0 && pid)
		*pid = fl.l_pid;
	if (rc == 0 && cmd == F_OFD_GETLK)
		return fl.l_type;
	return rc;
}

static void
t_ofd(void)
{
	int a = mkfile("/tmp/l8");
	int b = open("/tmp/l8", O_RDWR);
	pid_t pid = 0;
	CHECK(a >= 0 && b >= 0);
	/* Owned by the description: a second open of the same file conflicts,
	 * even in the same process; a dup shares it. */
	CHECK(ofd(a, F_OFD_SETLK, F_WRLCK, 0, 10, NULL) == 0);
	errno = 0;
	CHECK(ofd(b, F_OFD_SETLK, F_WRLCK, 5, 1, NULL) == -1 && errno == EAGAIN);
	CHECK(ofd(b, F_OFD_GETLK, F_RDLCK, 0, 0, &pid) == F_WRLCK && pid == -1);
	int a2 = dup(a);
	CHECK(ofd(a2, F_OFD_GETLK, F_WRLCK, 0, 0, NULL) == F_UNLCK);
	CHECK(ofd(a2, F_OFD_SETLK, F_RDLCK, 0, 5, NULL) == 0); /* downgrade through the dup */
	CHECK(ofd(b, F_OFD_SETLK, F_RDLCK, 0, 5, NULL) == 0);
	/* Closing one descriptor keeps them (unlike a process's locks). */
	close(a2);
	CHECK(ofd(b, F_OFD_GETLK, F_WRLCK, 5, 5, NULL) == F_WRLCK);
	/* Process locks and description locks conflict, in one process too;
	 * F_GETLK reports a description's lock with l_pid -1. */
	errno = 0;
	CHECK(setlk(b, F_SETLK, F_WRLCK, 5, 1) == -1 && errno == EAGAIN);
	CHECK(probe(b, 5, 1, &pid) == F_WRLCK && pid == -1);
	CHECK(setlk(b, F_SETLK, F_WRLCK, 20, 1) == 0);
	errno = 0;
	CHECK(ofd(a, F_OFD_SETLK, F_RDLCK, 20, 1, NULL) == -1 && errno == EAGAIN);
	CHECK(ofd(a, F_OFD_GETLK, F_RDLCK, 20, 1, &pid) == F_WRLCK && pid == getpid());
	/* Inherited by fork: the child holds the same lock, and its unlock is ours. */
	pid_t c = fork();
	if (c == 0)
		_exit(ofd(a, F_OFD_GETLK, F_WRLCK, 5, 5, NULL) == F_UNLCK &&
		                      ofd(a, F_OFD_SETLK, F_UNLCK, 5, 5, NULL) == 0
		              ? 0
		              : 1);
	CHECK(waitcode(c) == 0);
	CHECK(ofd(b, F_OFD_SETLK, F_WRLCK, 5, 5, NULL) == 0);
	/* The description's last close drops its locks (when vfs takes the
	 * no-senders notice: see probe_settle). */
	CHECK(ofd(b, F_OFD_SETLK, F_UNLCK, 5, 5, NULL) == 0);
	close(a);
	int rc = -1;
	for (int i = 0; i < 100 && (rc = ofd(b, F_OFD_SETLK, F_WRLCK, 0, 10, NULL)) != 0; i++) {
		struct timespec ts = {0, 10000000};
		nanosleep(&ts, NULL);
	}
	CHECK(rc == 0);
	close(b);
	end("FS0080",
	    "F_OFD_SETLK/GETLK: owned by the description (dup and fork share it, a second "
	    "open conflicts), l_pid -1, conflicts with process locks both ways, kept by "
	    "closing a dup, dropped by the last close");
}

static void
t_ofd_wait(void)
{
	int a = mkfile("/tmp/l9"), p[2];
	char ch;
	CHECK(a >= 0 && pipe(p) == 0);
	CHECK(ofd(a, F_OFD_SETLK, F_WRLCK, 0, 0, NULL) == 0);
	pid_t c = fork();
	if (c == 0) {
		/* A description of its own: waits until the parent unlocks. */
		int b = open("/tmp/l9", O_RDWR);
		if (b < 0 || write(p[1], "w", 1) != 1)
			_exit(1);
		_exit(ofd(b, F_OFD_SETLKW, F_WRLCK, 0, 0, NULL) == 0 ? 0 : 2);
	}
	CHECK(read(p[0], &ch, 1) == 1);
	struct timespec ts = {0, 100000000};
	nanosleep(&ts, NULL);
	CHECK(ofd(a, F_OFD_SETLK, F_UNLCK, 0, 0, NULL) == 0);
	CHECK(waitcode(c) == 0);
	/* The child's description is gone with it: its lock too. */
	CHECK(ofd(a, F_OFD_SETLK, F_WRLCK, 0, 0, NULL) == 0 ||
	      (nanosleep(&ts, NULL), ofd(a, F_OFD_SETLK, F_WRLCK, 0, 0, NULL) == 0));
	/* A signal breaks F_OFD_SETLKW with EINTR and nothing is granted. */
	int b = open("/tmp/l9", O_RDWR);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	int before = alarms;
	alarm(1);
	errno = 0;
	CHECK(ofd(b, F_OFD_SETLKW, F_WRLCK, 0, 0, NULL) == -1 && errno == EINTR);
	CHECK(alarms == before + 1);
	signal(SIGALRM, SIG_DFL);
	CHECK(ofd(a, F_OFD_SETLK, F_UNLCK, 0, 0, NULL) == 0);
	CHECK(ofd(a, F_OFD_GETLK, F_WRLCK, 0, 0, NULL) == F_UNLCK);
	close(a);
	close(b);
	close(p[0]);
	close(p[1]);
	end("FS0081", "F_OFD_SETLKW waits for another description's lock and is granted on unlock; "
	              "a child's description lock goes with it; EINTR leaves nothing granted");
}

static void
t_ofd_errors(void)
{
	int rd = open("/tmp/l8", O_RDONLY), p[2];
	CHECK(rd >= 0 && pipe(p) == 0);
	struct flock fl = {.l_type = F_RDLCK, .l_whence = SEEK_SET, .l_pid = 1};
	errno = 0;
	CHECK(fcntl(rd, F_OFD_SETLK, &fl) == -1 && errno == EINVAL); /* l_pid != 0 */
	errno = 0;
	CHECK(fcntl(rd, F_OFD_GETLK, &fl) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(ofd(rd, F_OFD_SETLK, F_WRLCK, 0, 0, NULL) == -1 && errno == EBADF);
	errno = 0;
	CHECK(ofd(rd, F_OFD_GETLK, F_UNLCK, 0, 0, NULL) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(ofd(rd, F_OFD_SETLK, 9, 0, 0, NULL) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(ofd(rd, F_OFD_SETLK, F_RDLCK, -1, 1, NULL) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(ofd(p[0], F_OFD_SETLK, F_RDLCK, 0, 0, NULL) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(ofd(999, F_OFD_SETLK, F_RDLCK, 0, 0, NULL) == -1 && errno == EBADF);
	CHECK(ofd(rd, F_OFD_SETLK, F_RDLCK, 0, 0, NULL) == 0);
	close(rd);
	close(p[0]);
	close(p[1]);
	end("FS0082", "F_OFD_* errors: EINVAL (l_pid != 0, F_UNLCK to GETLK, type, start < 0, a "
	              "pipe), EBADF (write lock on a read-only description, a bad fd)");
}

/* Runs sh -c cmd with stdin from `in` and returns what it wrote to stdout in out. */
static int
shell(const char *cmd, const char *in, char *out, size_t size)
{
	int ip[2], op[2];
	if (pipe(ip) || pipe(op))
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		dup2(ip[0], 0);
		dup2(op[1], 1);
		close(ip[0]);
		close(ip[1]);
		close(op[0]);
		close(op[1]);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(ip[0]);
	close(op[1]);
	if (in && write(ip[1], in, strlen(in)) != (ssize_t)strlen(in))
		return -1;
	close(ip[1]);
	size_t got = 0;
	ssize_t k;
	while (got + 1 < size && (k = read(op[0], out + got, size - 1 - got)) > 0)
		got += (size_t)k;
	out[got] = 0;
	close(op[0]);
	return waitcode(pid);
}

static void
t_devfd(void)
{
	char out[128], link[64];
	CHECK(shell("echo hi > /dev/stdout", NULL, out, sizeof out) == 0);
	CHECK(strcmp(out, "hi\n") == 0);
	CHECK(shell("cat /dev/stdin", "piped data\n", out, sizeof out) == 0);
	CHECK(strcmp(out, "piped data\n") == 0);
	CHECK(shell("echo via fd > /dev/fd/1", NULL, out, sizeof out) == 0);
	CHECK(strcmp(out, "via fd\n") == 0);
	CHECK(shell("exec 2>&1; echo err > /dev/stderr", NULL, out, sizeof out) == 0);
	CHECK(strcmp(out, "err\n") == 0);
	ssize_t n = readlink("/dev/stdin", link, sizeof link - 1);
	CHECK(n == 15 && memcmp(link, "/proc/self/fd/0", 15) == 0);
	n = readlink("/dev/fd", link, sizeof link - 1);
	CHECK(n == 13 && memcmp(link, "/proc/self/fd", 13) == 0);
	/* /dev/fd/N names the caller's own descriptor N. */
	int fd = open("/dev/fd/0", O_RDONLY);
	CHECK(fd >= 0);
	if (fd >= 0)
		close(fd);
	errno = 0;
	CHECK(open("/dev/fd/77", O_RDONLY) == -1 && errno == ENOENT);
	end("FS0037", "/dev/stdout, /dev/stdin, /dev/stderr, /dev/fd/N through /proc/self/fd in "
	              "the busybox shell; an fd not open: ENOENT");
}

static void
t_flock_applet(void)
{
	char out[128];
	CHECK(shell("touch /tmp/l9; flock /tmp/l9 -c 'echo inside'", NULL, out, sizeof out) == 0);
	CHECK(strcmp(out, "inside\n") == 0);
	CHECK(shell("(flock -x 9; echo held; sleep 1) 9>/tmp/l9 & sleep 0.3; "
	            "flock -n /tmp/l9 true || echo busy; wait; flock -n /tmp/l9 true && echo free",
	            NULL, out, sizeof out) == 0);
	CHECK(strcmp(out, "held\nbusy\nfree\n") == 0);
	end("FS0039", "busybox flock: -c runs under the lock, -n fails while another process holds "
	              "it, succeeds after");
}

int
main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	t_conflict_wait();
	t_close_any();
	t_death();
	t_exec();
	t_deadlock();
	t_eintr();
	t_flock();
	t_flock_convert();
	t_fcntl_errors();
	t_devfd();
	t_flock_applet();
	t_ofd();
	t_ofd_wait();
	t_ofd_errors();
	printf("%d passed, %d failed\nSUITE-END fslock\n", passed, failed);
	return failed ? 1 : 0;
}
