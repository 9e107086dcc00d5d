// SPDX-License-Identifier: MIT
/*
 * The procpx suite (cmd=/bin/proc/pxtests): procmgr tests that need the
 * whole personality (vfs, posixsrv's pipes): SA_RESTART across a pipe
 * read and write broken by a signal; exec of files written to tmpfs at
 * run time (programs, scripts, hostile ELF files, set-user-ID); the
 * servers listed as processes; posix_spawn, popen, system; the name
 * after exec; calls no signal may break; CPU affinity by pid; pipe reads
 * that a signal breaks lose nothing.  Each test prints PASS/FAIL with its
 * PROC0NN ID, then the summary and SUITE-END procpx; the exit status is
 * the number of failures.  argv[1], if given, selects the tests whose ID
 * starts with it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <dirent.h>
#include <stdint.h>
#include <string.h>
#include <sys/auxv.h>
#include <sched.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <ferry/proto/proc.h>
#include <ferry/startup.h>
#include <ferry/syscall.h>
#include <sys/stat.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../pxcheck.h"

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

/* ---- exec through vfs ---- */

#define ELF_PT_LOAD 1
#define EXEC_ERR    150 /* a child whose exec failed exits EXEC_ERR + errno */

static char *image; /* /bin/proc/echoargs */
static size_t image_len;

static int
read_image(void)
{
	if (image)
		return 0;
	int fd = open("/bin/proc/echoargs", O_RDONLY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || !(image = malloc(st.st_size)))
		return -1;
	ssize_t n;
	while (image_len < (size_t)st.st_size &&
	       (n = read(fd, image + image_len, st.st_size - image_len)) > 0)
		image_len += n;
	close(fd);
	return image_len == (size_t)st.st_size ? 0 : -1;
}

/* Writes path afresh with len bytes of data and mode. */
static int
put_file(const char *path, const void *data, size_t len, mode_t mode)
{
	unlink(path);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return -1;
	size_t off = 0;
	ssize_t n;
	while (off < len && (n = write(fd, (const char *)data + off, len - off)) > 0)
		off += n;
	close(fd);
	return off == len && chmod(path, mode) == 0 ? 0 : -1;
}

/* Runs path in a child with argv (NULL-terminated) as uid (-1: unchanged):
 * its exit status, EXEC_ERR + errno when the exec failed, 1000 + signal. */
static int
run_as(int uid, const char *path, const char *a1, const char *a2, const char *a3)
{
	char *argv[] = {(char *)path, (char *)a1, (char *)a2, (char *)a3, NULL};
	char *envp[] = {"PROC_ENV=ok", NULL};
	int st = -1;
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		if (uid >= 0 && setuid(uid) != 0)
			_exit(3);
		execve(path, argv, envp);
		_exit(EXEC_ERR + errno);
	}
	if (c < 0 || waitpid(c, &st, 0) != c)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1000 + WTERMSIG(st);
}

static int
run(const char *path, const char *a1, const char *a2, const char *a3)
{
	return run_as(-1, path, a1, a2, a3);
}

#define EXPECT_RUN(want, path, a1, a2, a3)                                                         \
	do {                                                                                       \
		int got_ = run(path, a1, a2, a3);                                                  \
		CHECK(got_ == (want));                                                             \
		if (got_ != (want))                                                                \
			printf("  %s: %d, expected %d\n", path, got_, want);                       \
	} while (0)

static void
t_exec_tmpfs(void)
{
	CHECK(read_image() == 0);
	CHECK(put_file("/tmp/ea", image, image_len, 0755) == 0);
	EXPECT_RUN(0, "/tmp/ea", "--ids", "0", "0");
	/* Relative paths: from the working directory. */
	CHECK(chdir("/tmp") == 0);
	EXPECT_RUN(0, "./ea", "--ids", "0", "0");
	EXPECT_RUN(0, "ea", "--ids", "0", "0");
	CHECK(mkdir("/tmp/exd", 0755) == 0 || errno == EEXIST);
	CHECK(chdir("/tmp/exd") == 0);
	EXPECT_RUN(0, "../ea", "--ids", "0", "0");
	CHECK(chdir("/") == 0);
	/* Symbolic links, absolute and relative, resolved by vfs. */
	unlink("/tmp/ea-abs");
	unlink("/tmp/exd/ea-rel");
	CHECK(symlink("/tmp/ea", "/tmp/ea-abs") == 0);
	CHECK(symlink("../ea", "/tmp/exd/ea-rel") == 0);
	EXPECT_RUN(0, "/tmp/ea-abs", "--ids", "0", "0");
	EXPECT_RUN(0, "/tmp/exd/ea-rel", "--ids", "0", "0");
	/* Copied with plain reads and writes in pieces: the same program. */
	int in = open("/tmp/ea", O_RDONLY),
	    out = open("/tmp/ea2", O_WRONLY | O_CREAT | O_TRUNC, 0755);
	char buf[1000];
	ssize_t n;
	CHECK(in >= 0 && out >= 0);
	while ((n = read(in, buf, sizeof buf)) > 0)
		CHECK(write(out, buf, n) == n);
	close(in);
	close(out);
	EXPECT_RUN(0, "/tmp/ea2", "--ids", "0", "0");
	/* /proc/<pid>/exe of a running copy: the link leads back into vfs. */
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		char *argv[] = {"ea", "--pause", NULL};
		execv("/tmp/ea", argv);
		_exit(1);
	}
	char link[64], target[64] = "";
	snprintf(link, sizeof link, "/proc/%d/exe", (int)c);
	for (int i = 0; i < 200 && strcmp(target, "/tmp/ea"); i++) {
		ssize_t k = readlink(link, target, sizeof target - 1);
		target[k > 0 ? k : 0] = 0;
		msleep(10);
	}
	CHECK(!strcmp(target, "/tmp/ea"));
	EXPECT_RUN(0, link, "--ids", "0", "0");
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
	/* A long path (beyond a request's inline room). */
	CHECK(mkdir("/tmp/a-directory-with-a-rather-long-name-for-the-test", 0755) == 0 ||
	      errno == EEXIST);
	CHECK(put_file("/tmp/a-directory-with-a-rather-long-name-for-the-test/and-a-long-file-name",
	               image, image_len, 0755) == 0);
	EXPECT_RUN(0, "/tmp/a-directory-with-a-rather-long-name-for-the-test/and-a-long-file-name",
	           "--ids", "0", "0");
}

static void
t_exec_script(void)
{
	const char s1[] = "#!/bin/sh\nexit 42\n", s2[] = "#!/bin/sh -e\nfalse\nexit 3\n",
	           s3[] = "#!/tmp/ea --ids\n";
	CHECK(read_image() == 0);
	CHECK(put_file("/tmp/ea", image, image_len, 0755) == 0);
	CHECK(put_file("/tmp/s1", s1, sizeof s1 - 1, 0755) == 0);
	CHECK(put_file("/tmp/s2", s2, sizeof s2 - 1, 0755) == 0);
	CHECK(put_file("/tmp/s3", s3, sizeof s3 - 1, 0755) == 0);
	EXPECT_RUN(42, "/tmp/s1", NULL, NULL, NULL);
	EXPECT_RUN(1, "/tmp/s2", NULL, NULL, NULL); /* the argument -e reached sh */
	/* argv: /tmp/ea --ids /tmp/s3 0 -> uid atoi("/tmp/s3") = 0, euid 0. */
	EXPECT_RUN(0, "/tmp/s3", "0", NULL, NULL);
	/* $0 is the path as given, relative or not. */
	const char s5[] = "#!/bin/sh\ncase $0 in ./s5) exit 5;; /tmp/s5) exit 6;; esac; exit 7\n";
	CHECK(put_file("/tmp/s5", s5, sizeof s5 - 1, 0755) == 0);
	EXPECT_RUN(6, "/tmp/s5", NULL, NULL, NULL);
	CHECK(chdir("/tmp") == 0);
	EXPECT_RUN(42, "./s1", NULL, NULL, NULL);
	EXPECT_RUN(5, "./s5", NULL, NULL, NULL);
	CHECK(chdir("/") == 0);
	/* An interpreter that is missing, or not executable. */
	const char s4[] = "#!/tmp/no-such-interpreter\n";
	CHECK(put_file("/tmp/s4", s4, sizeof s4 - 1, 0755) == 0);
	EXPECT_RUN(EXEC_ERR + ENOENT, "/tmp/s4", NULL, NULL, NULL);
	CHECK(chmod("/tmp/s1", 0644) == 0);
	EXPECT_RUN(EXEC_ERR + EACCES, "/tmp/s1", NULL, NULL, NULL);
}

static void
t_exec_errors(void)
{
	CHECK(read_image() == 0);
	CHECK(put_file("/tmp/ea", image, image_len, 0755) == 0);
	EXPECT_RUN(EXEC_ERR + EACCES, "/tmp", NULL, NULL, NULL);
	EXPECT_RUN(EXEC_ERR + EACCES, "/dev/null", NULL, NULL, NULL);
	unlink("/tmp/fifo");
	CHECK(mkfifo("/tmp/fifo", 0777) == 0);
	EXPECT_RUN(EXEC_ERR + EACCES, "/tmp/fifo", NULL, NULL, NULL);
	EXPECT_RUN(EXEC_ERR + EACCES, "/proc", NULL, NULL, NULL);
	EXPECT_RUN(EXEC_ERR + EACCES, "/proc/1/stat", NULL, NULL, NULL);
	CHECK(put_file("/tmp/empty", "", 0, 0755) == 0);
	EXPECT_RUN(EXEC_ERR + ENOEXEC, "/tmp/empty", NULL, NULL, NULL);
	CHECK(put_file("/tmp/text", "hello\n", 6, 0755) == 0);
	EXPECT_RUN(EXEC_ERR + ENOEXEC, "/tmp/text", NULL, NULL, NULL);
	CHECK(put_file("/tmp/nox", image, image_len, 0644) == 0);
	EXPECT_RUN(EXEC_ERR + EACCES, "/tmp/nox", NULL, NULL, NULL);
	EXPECT_RUN(EXEC_ERR + ENOENT, "/tmp/no-such-file", NULL, NULL, NULL);
	EXPECT_RUN(EXEC_ERR + ENOTDIR, "/tmp/ea/x", NULL, NULL, NULL);
	unlink("/tmp/dangle");
	unlink("/tmp/loop1");
	unlink("/tmp/loop2");
	CHECK(symlink("/tmp/nowhere", "/tmp/dangle") == 0);
	CHECK(symlink("/tmp/loop2", "/tmp/loop1") == 0 && symlink("/tmp/loop1", "/tmp/loop2") == 0);
	EXPECT_RUN(EXEC_ERR + ENOENT, "/tmp/dangle", NULL, NULL, NULL);
	EXPECT_RUN(EXEC_ERR + ELOOP, "/tmp/loop1", NULL, NULL, NULL);
	/* Permissions as the caller: another user needs its x bit. */
	CHECK(chmod("/tmp/ea", 0700) == 0);
	int got = run_as(1000, "/tmp/ea", "--ids", "1000", "1000");
	CHECK(got == EXEC_ERR + EACCES);
	/* Its group (gid 0 is still ours) decides before "other". */
	CHECK(chmod("/tmp/ea", 0701) == 0);
	got = run_as(1000, "/tmp/ea", "--ids", "1000", "1000");
	CHECK(got == EXEC_ERR + EACCES);
	CHECK(chmod("/tmp/ea", 0710) == 0);
	got = run_as(1000, "/tmp/ea", "--ids", "1000", "1000");
	CHECK(got == 0);
	/* A failed exec returns to an intact caller. */
	char *argv[] = {"x", NULL}, *envp[] = {NULL};
	int marker = 77;
	errno = 0;
	CHECK(execve("/tmp/empty", argv, envp) == -1 && errno == ENOEXEC);
	CHECK(marker == 77);
	CHECK(chmod("/tmp/ea", 0755) == 0);
	EXPECT_RUN(0, "/tmp/ea", "--ids", "0", "0");
}

/* echoargs with its first PT_LOAD (or every one) changed by fn. */
static void
patched(const char *path, void (*fn)(char *img))
{
	char *copy = malloc(image_len);
	CHECK(copy != NULL);
	if (!copy)
		return;
	memcpy(copy, image, image_len);
	fn(copy);
	CHECK(put_file(path, copy, image_len, 0755) == 0);
	free(copy);
}

static uint64_t
get64(const char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

static void
put64(char *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

/* The program header of the first PT_LOAD (ELF64: phoff at 32, phnum at 56). */
static char *
first_load(char *img)
{
	uint64_t phoff = get64(img + 32);
	uint16_t phnum;
	memcpy(&phnum, img + 56, 2);
	for (unsigned i = 0; i < phnum; i++) {
		char *ph = img + phoff + 56 * i;
		uint32_t type;
		memcpy(&type, ph, 4);
		if (type == ELF_PT_LOAD)
			return ph;
	}
	return NULL;
}

/* Where the file bytes of the last PT_LOAD end. */
static size_t
loads_end(const char *img)
{
	uint64_t phoff = get64(img + 32), end = 0;
	uint16_t phnum;
	memcpy(&phnum, img + 56, 2);
	for (unsigned i = 0; i < phnum; i++) {
		const char *ph = img + phoff + 56 * i;
		uint32_t type;
		memcpy(&type, ph, 4);
		if (type == ELF_PT_LOAD && get64(ph + 8) + get64(ph + 32) > end)
			end = get64(ph + 8) + get64(ph + 32);
	}
	return end < image_len ? end : image_len;
}

static void
beyond_file(char *img)
{
	char *ph = first_load(img);
	put64(ph + 32, (uint64_t)1 << 40); /* p_filesz */
	put64(ph + 40, (uint64_t)1 << 40); /* p_memsz */
}

static void
kernel_half(char *img)
{
	char *ph = first_load(img);
	put64(ph + 16, 0xffff800000000000ull); /* p_vaddr */
}

static void
bad_entry(char *img)
{
	put64(img + 24, 0x10); /* e_entry: no code there */
}

/* A PIE whose segments fit the user half only without the load bias. */
static void
pie_too_high(char *img)
{
	uint64_t shift = 0x7ff000000000ull, phoff = get64(img + 32);
	uint16_t phnum, type = 3; /* ET_DYN */
	memcpy(img + 16, &type, 2);
	memcpy(&phnum, img + 56, 2);
	for (unsigned i = 0; i < phnum; i++) {
		char *ph = img + phoff + 56 * i;
		uint32_t t;
		memcpy(&t, ph, 4);
		if (t == ELF_PT_LOAD)
			put64(ph + 16, get64(ph + 16) + shift);
	}
	put64(img + 24, get64(img + 24) + shift);
}

static void
t_exec_hostile(void)
{
	CHECK(read_image() == 0);
	CHECK(put_file("/tmp/h-head", image, 64, 0755) == 0);
	EXPECT_RUN(EXEC_ERR + ENOEXEC, "/tmp/h-head", NULL, NULL, NULL);
	CHECK(put_file("/tmp/h-cut", image, loads_end(image) - 1, 0755) == 0);
	EXPECT_RUN(EXEC_ERR + ENOEXEC, "/tmp/h-cut", NULL, NULL, NULL);
	patched("/tmp/h-beyond", beyond_file);
	EXPECT_RUN(EXEC_ERR + ENOEXEC, "/tmp/h-beyond", NULL, NULL, NULL);
	patched("/tmp/h-kernel", kernel_half);
	EXPECT_RUN(EXEC_ERR + ENOEXEC, "/tmp/h-kernel", NULL, NULL, NULL);
	patched("/tmp/h-entry", bad_entry);
	EXPECT_RUN(EXEC_ERR + ENOEXEC, "/tmp/h-entry", NULL, NULL, NULL);
	patched("/tmp/h-pie", pie_too_high);
	EXPECT_RUN(EXEC_ERR + ENOEXEC, "/tmp/h-pie", NULL, NULL, NULL);
	/* procmgr still serves, and the good copy still runs. */
	CHECK(put_file("/tmp/ea", image, image_len, 0755) == 0);
	EXPECT_RUN(0, "/tmp/ea", "--ids", "0", "0");
}

/* exec while another process truncates and rewrites the file: every exec
 * ends (runs, fails, or dies of a signal), and procmgr keeps serving. */
static void
t_exec_truncate(void)
{
	CHECK(read_image() == 0);
	CHECK(put_file("/tmp/race", image, image_len, 0755) == 0);
	fflush(stdout);
	pid_t w = fork();
	if (w == 0) {
		for (int i = 0; i < 40; i++) {
			int fd = open("/tmp/race", O_WRONLY | O_TRUNC);
			if (fd < 0)
				_exit(1);
			for (size_t off = 0; off < image_len; off += 4096) {
				size_t k = image_len - off < 4096 ? image_len - off : 4096;
				if (write(fd, image + off, k) != (ssize_t)k)
					_exit(2);
			}
			close(fd);
		}
		_exit(0);
	}
	int ok = 0, failed_exec = 0, died = 0, other = 0;
	for (int i = 0; i < 15; i++) {
		int r = run("/tmp/race", "--ids", "0", "0");
		if (r == 0)
			ok++;
		else if (r == EXEC_ERR + ENOEXEC || r == EXEC_ERR + EACCES)
			failed_exec++;
		else if (r >= 1000)
			died++;
		else
			other++;
	}
	int st = -1;
	CHECK(waitpid(w, &st, 0) == w && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK(other == 0);
	if (other)
		printf("  runs: %d ok, %d exec errors, %d signals, %d other\n", ok, failed_exec,
		       died, other);
	EXPECT_RUN(0, "/tmp/race", "--ids", "0", "0");
}

static void
t_exec_setuid(void)
{
	CHECK(read_image() == 0);
	CHECK(put_file("/tmp/su", image, image_len, 0755) == 0);
	CHECK(chown("/tmp/su", 1000, 1000) == 0);
	CHECK(chmod("/tmp/su", 04755) == 0);
	EXPECT_RUN(0, "/tmp/su", "--ids", "0", "1000");
	/* A set-user-ID exec gets a new /proc/<pid>/fd table, filled from the old. */
	char one[256];
	ssize_t n = readlink("/proc/self/fd/1", one, sizeof one - 1);
	CHECK(n > 0);
	one[n > 0 ? n : 0] = 0;
	EXPECT_RUN(0, "/tmp/su", "--fdlink", "1", one);
	CHECK(chmod("/tmp/su", 0755) == 0);
	EXPECT_RUN(0, "/tmp/su", "--ids", "0", "0");
	/* A set-user-ID script is not honoured (its interpreter's bit would be). */
	const char sc[] = "#!/tmp/ea --ids\n";
	CHECK(put_file("/tmp/ea", image, image_len, 0755) == 0);
	CHECK(put_file("/tmp/sus", sc, sizeof sc - 1, 0755) == 0);
	CHECK(chown("/tmp/sus", 1000, 1000) == 0 && chmod("/tmp/sus", 04755) == 0);
	EXPECT_RUN(0, "/tmp/sus", "0", NULL, NULL);
}

/* The servers are processes of their own in /proc; kill refuses them. */
static void
t_servers(void)
{
	static const char *const names[] = {"vfs", "procmgr", "posixsrv"};
	int pids[3] = {0, 0, 0};
	DIR *d = opendir("/proc");
	struct dirent *e;
	CHECK(d != NULL);
	while (d && (e = readdir(d))) {
		char path[300], comm[32] = "";
		int pid = atoi(e->d_name);
		if (pid <= 0)
			continue;
		snprintf(path, sizeof path, "/proc/%d/comm", pid);
		int fd = open(path, O_RDONLY);
		ssize_t n = fd >= 0 ? read(fd, comm, sizeof comm - 1) : -1;
		if (fd >= 0)
			close(fd);
		comm[n > 0 ? n : 0] = 0;
		for (int i = 0; i < 3; i++)
			if (!strncmp(comm, names[i], strlen(names[i])) &&
			    comm[strlen(names[i])] == '\n')
				pids[i] = pid;
	}
	if (d)
		closedir(d);
	for (int i = 0; i < 3; i++) {
		CHECK(pids[i] > 1);
		if (pids[i] <= 1) {
			printf("  %s not in /proc\n", names[i]);
			continue;
		}
		char path[64], stat[128] = "";
		snprintf(path, sizeof path, "/proc/%d/stat", pids[i]);
		int fd = open(path, O_RDONLY);
		ssize_t n = fd >= 0 ? read(fd, stat, sizeof stat - 1) : -1;
		if (fd >= 0)
			close(fd);
		stat[n > 0 ? n : 0] = 0;
		char want[64];
		snprintf(want, sizeof want, "%d (%s) S 0 ", pids[i], names[i]);
		CHECK(!strncmp(stat, want, strlen(want)));
		errno = 0;
		CHECK(kill(pids[i], SIGKILL) == -1 && errno == EPERM);
		errno = 0;
		CHECK(kill(-pids[i], SIGTERM) == -1 && errno == EPERM);
		CHECK(waitpid(pids[i], NULL, WNOHANG) == -1 && errno == ECHILD);
	}
	/* Everything still works: a child forks, execs and is waited for. */
	CHECK(put_file("/tmp/ea", image ? image : "", image_len, 0755) == 0);
	EXPECT_RUN(0, "/tmp/ea", "--ids", "0", "0");
}

/* utime + stime (clock ticks) of the process named comm in /proc; -1 if none. */
static long
server_ticks(const char *comm)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	long ticks = -1;
	while (d && ticks < 0 && (e = readdir(d))) {
		char path[300], stat[512] = "", want[40];
		int pid = atoi(e->d_name);
		if (pid <= 0)
			continue;
		snprintf(path, sizeof path, "/proc/%d/stat", pid);
		int fd = open(path, O_RDONLY);
		ssize_t n = fd >= 0 ? read(fd, stat, sizeof stat - 1) : -1;
		if (fd >= 0)
			close(fd);
		stat[n > 0 ? n : 0] = 0;
		snprintf(want, sizeof want, "%d (%s) ", pid, comm);
		if (strncmp(stat, want, strlen(want)))
			continue;
		/* Fields 14 and 15 (utime, stime) follow the 11 after "(comm) ". */
		char *p = stat + strlen(want);
		for (int field = 3; field < 14 && p; field++)
			p = strchr(p, ' ') ? strchr(p, ' ') + 1 : NULL;
		unsigned long ut, st;
		if (p && sscanf(p, "%lu %lu", &ut, &st) == 2)
			ticks = (long)(ut + st);
	}
	if (d)
		closedir(d);
	return ticks;
}

/* The servers show CPU time of their own, and vfs's grows while it works. */
static void
t_server_cpu(void)
{
	long before = server_ticks("vfs");
	CHECK(before > 0); /* unpacking the boot archive alone takes longer than a tick */
	CHECK(server_ticks("procmgr") >= 0 && server_ticks("posixsrv") >= 0);
	struct timespec t0, t;
	struct stat sb;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		for (int i = 0; i < 100; i++)
			CHECK(stat("/bin", &sb) == 0);
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 < 500);
	long after = server_ticks("vfs");
	CHECK(after > before);
	if (after <= before)
		printf("  vfs ticks %ld then %ld\n", before, after);
}

/* Computes for ms milliseconds of the monotonic clock. */
static void
spin(int ms)
{
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	do
		clock_gettime(CLOCK_MONOTONIC, &b);
	while ((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < ms);
}

static long
ms_of(struct timeval tv)
{
	return tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

static void
t_cpu_times(void)
{
	struct rusage self0, self1, ch, ru;
	struct tms t0, t1;
	int st = -1;
	CHECK(getrusage(RUSAGE_SELF, &self0) == 0);
	CHECK(getrusage(RUSAGE_CHILDREN, &ch) == 0);
	CHECK(times(&t0) != (clock_t)-1);
	errno = 0;
	CHECK(getrusage(42, &ru) == -1 && errno == EINVAL);
	/* A child computes 300 ms, then execs: its time survives the exec. */
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		spin(300);
		char *argv[] = {"echoargs", "--ids", "0", "0", NULL};
		execv("/bin/proc/echoargs", argv);
		_exit(1);
	}
	/* While it runs, /proc/<pid>/stat shows its utime (field 14) growing. */
	msleep(200);
	char path[64], buf[512] = "";
	snprintf(path, sizeof path, "/proc/%d/stat", (int)c);
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = 0;
	const char *f = strrchr(buf, ')');
	long utime = -1;
	for (int i = 3; f && i <= 14; i++)
		f = strchr(f + 1, ' ');
	if (f)
		utime = atol(f + 1);
	CHECK(utime > 0);
	CHECK(wait4(c, &st, 0, &ru) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK(ms_of(ru.ru_utime) + ms_of(ru.ru_stime) >= 100);
	CHECK(times(&t1) != (clock_t)-1);
	CHECK(t1.tms_cutime + t1.tms_cstime >= t0.tms_cutime + t0.tms_cstime + 10);
	CHECK(getrusage(RUSAGE_CHILDREN, &ru) == 0 &&
	      ms_of(ru.ru_utime) + ms_of(ru.ru_stime) >=
	              ms_of(ch.ru_utime) + ms_of(ch.ru_stime) + 100);
	/* Our own time grows when we compute. */
	spin(100);
	CHECK(getrusage(RUSAGE_SELF, &self1) == 0);
	CHECK(ms_of(self1.ru_utime) + ms_of(self1.ru_stime) >
	      ms_of(self0.ru_utime) + ms_of(self0.ru_stime));
	if (cur_failed)
		printf("  stat utime %ld; child %ld+%ld ms\n", utime, ms_of(ru.ru_utime),
		       ms_of(ru.ru_stime));
}

/* Runs fn in a child and returns its exit status (-1: it did not exit). */
static int
in_child(int (*fn)(void))
{
	fflush(stdout);
	pid_t c = fork();
	if (c == 0)
		_exit(fn());
	int st = 0;
	if (c < 0 || waitpid(c, &st, 0) != c || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* RLIMIT_NOFILE 8 in a child: which call stops where, and the limit's own errors. */
static int
nofile_child(void)
{
	struct rlimit rl = {8, 1024}, got;
	int fd, last = -1, sv[2], p[2];
	if (setrlimit(RLIMIT_NOFILE, &rl))
		return 1;
	if (getrlimit(RLIMIT_NOFILE, &got) || got.rlim_cur != 8 || got.rlim_max != 1024)
		return 2;
	while ((fd = open("/dev/null", O_RDONLY)) >= 0)
		last = fd;
	if (errno != EMFILE || last != 7)
		return 3;
	close(7);
	if (pipe(p) != -1 || errno != EMFILE) /* one slot free, a pipe needs two */
		return 4;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != -1 || errno != EMFILE)
		return 5;
	if ((fd = dup(0)) != 7 || dup(0) != -1 || errno != EMFILE)
		return 6;
	if (dup2(0, 8) != -1 || errno != EBADF)
		return 7;
	if (fcntl(0, F_DUPFD, 8) != -1 || errno != EINVAL)
		return 8;
	if (socket(AF_UNIX, SOCK_STREAM, 0) != -1 || errno != EMFILE)
		return 9;
	/* Above the table: EPERM (as above Linux's nr_open); soft above hard: EINVAL. */
	rl.rlim_cur = rl.rlim_max = 4096;
	if (setrlimit(RLIMIT_NOFILE, &rl) != -1 || errno != EPERM)
		return 10;
	rl.rlim_cur = 100, rl.rlim_max = 50;
	if (setrlimit(RLIMIT_NOFILE, &rl) != -1 || errno != EINVAL)
		return 11;
	/* Raised again: room again. */
	rl.rlim_cur = rl.rlim_max = 1024;
	if (setrlimit(RLIMIT_NOFILE, &rl) || (fd = dup(0)) < 8)
		return 12;
	/* Lowered below open descriptors: they stay, new ones fail; exec carries it. */
	rl.rlim_cur = 6;
	if (setrlimit(RLIMIT_NOFILE, &rl) || fcntl(7, F_GETFD) < 0)
		return 13;
	for (fd = 3; fd < 64; fd++)
		close(fd);
	char *argv[] = {"echoargs", "--nofile", "6", NULL};
	execv("/bin/proc/echoargs", argv);
	return 14;
}

static void
t_nofile(void)
{
	int st = in_child(nofile_child);
	CHECK(st == 0);
	if (st)
		printf("  child said %d\n", st);
	struct rlimit rl;
	CHECK(getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur == 1024); /* the child's own */
}

/* readlink of /proc/<pid>/fd/<fd> into buf ("" on error). */
static const char *
fdlink(const char *pid, int fd, char *buf, size_t cap)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%s/fd/%d", pid, fd);
	ssize_t n = readlink(path, buf, cap - 1);
	buf[n > 0 ? n : 0] = 0;
	return buf;
}

static void
t_proc_fd(void)
{
	char buf[256], want[64], me[16], path[64];
	int p[2], sv[2], st;
	struct stat s, l;
	snprintf(me, sizeof me, "%d", (int)getpid());
	int f = open("/tmp/pfd-file", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(f >= 0 && write(f, "abc", 3) == 3);
	CHECK(pipe(p) == 0 && socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	int d = dup(f);
	CHECK(!strcmp(fdlink("self", f, buf, sizeof buf), "/tmp/pfd-file"));
	CHECK(!strcmp(fdlink(me, d, buf, sizeof buf), "/tmp/pfd-file")); /* a dup, by pid */
	CHECK(fstat(p[0], &s) == 0);
	snprintf(want, sizeof want, "pipe:[%lu]", (unsigned long)s.st_ino);
	CHECK(!strcmp(fdlink("self", p[0], buf, sizeof buf), want));
	CHECK(!strcmp(fdlink("self", p[1], buf, sizeof buf), want));
	CHECK(fstat(sv[0], &s) == 0);
	snprintf(want, sizeof want, "socket:[%lu]", (unsigned long)s.st_ino);
	CHECK(!strcmp(fdlink("self", sv[0], buf, sizeof buf), want));
	/* A relative open is named with the working directory. */
	CHECK(chdir("/tmp") == 0);
	int r = open("pfd-file", O_RDONLY);
	CHECK(r >= 0 && !strcmp(fdlink("self", r, buf, sizeof buf), "/tmp/pfd-file"));
	CHECK(chdir("/") == 0);
	/* The listing has every one of them, as symlinks. */
	DIR *dir = opendir("/proc/self/fd");
	int seen = 0;
	struct dirent *e;
	while (dir && (e = readdir(dir)))
		if (e->d_type == DT_LNK &&
		    (atoi(e->d_name) == f || atoi(e->d_name) == p[1] || atoi(e->d_name) == sv[1]))
			seen++;
	CHECK(dir && seen == 3);
	if (dir)
		closedir(dir);
	/* Following: a pipe reopens as our own description; a file by its path (new offset). */
	snprintf(path, sizeof path, "/proc/self/fd/%d", p[1]);
	int w = open(path, O_WRONLY);
	CHECK(w >= 0 && write(w, "via", 3) == 3 && read(p[0], buf, sizeof buf) == 3);
	snprintf(path, sizeof path, "/proc/%s/fd/%d", me, p[1]);
	int w2 = open(path, O_WRONLY); /* by pid: through our process port */
	CHECK(w2 >= 0 && write(w2, "x", 1) == 1 && read(p[0], buf, sizeof buf) == 1);
	snprintf(path, sizeof path, "/proc/self/fd/%d", f);
	int f2 = open(path, O_RDONLY);
	CHECK(f2 >= 0 && read(f2, buf, sizeof buf) == 3 && !memcmp(buf, "abc", 3));
	snprintf(path, sizeof path, "/proc/self/fd/%d", p[0]);
	CHECK(stat(path, &s) == 0 && S_ISFIFO(s.st_mode) && lstat(path, &l) == 0 &&
	      S_ISLNK(l.st_mode));
	/* Errors. */
	errno = 0;
	CHECK(readlink("/proc/self/fd/abc", buf, sizeof buf) == -1 && errno == ENOENT);
	errno = 0;
	CHECK(readlink("/proc/self/fd/9999", buf, sizeof buf) == -1 && errno == ENOENT);
	close(w2);
	snprintf(path, sizeof path, "/proc/self/fd/%d", w2);
	errno = 0;
	CHECK(readlink(path, buf, sizeof buf) == -1 && errno == ENOENT); /* closed */
	snprintf(path, sizeof path, "/proc/self/fd/%d/x", p[0]);
	errno = 0;
	CHECK(open(path, O_RDONLY) == -1 && errno == ENOTDIR);
	snprintf(path, sizeof path, "/proc/self/fd/%d", p[0]);
	errno = 0;
	CHECK(open(path, O_RDONLY | O_DIRECTORY) == -1 && errno == ENOTDIR);
	errno = 0;
	CHECK(open(path, O_RDONLY | O_NOFOLLOW) == -1 && errno == ELOOP);
	/* A child's table is its own; another process's pipe cannot be opened. */
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		char b2[256], pp[64];
		close(f);
		if (fdlink("self", f, b2, sizeof b2)[0])
			_exit(1);
		if (strcmp(fdlink(me, f, b2, sizeof b2), "/tmp/pfd-file"))
			_exit(2);
		snprintf(pp, sizeof pp, "/proc/%s/fd/%d", me, p[1]);
		errno = 0;
		if (open(pp, O_WRONLY) != -1 || errno != ENXIO)
			_exit(3);
		/* Across exec, inherited descriptors keep their names. */
		dup2(p[1], 5);
		snprintf(pp, sizeof pp, "%s", fdlink("self", 5, b2, sizeof b2));
		char fd5[] = "5", *argv[] = {"echoargs", "--fdlink", fd5, pp, NULL};
		execv("/bin/proc/echoargs", argv);
		_exit(4);
	}
	CHECK(c > 0 && waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	if (cur_failed)
		printf("  child said %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	CHECK(!strcmp(fdlink("self", f, buf, sizeof buf), "/tmp/pfd-file"));
	close(f), close(d), close(r), close(w), close(f2);
	close(p[0]), close(p[1]), close(sv[0]), close(sv[1]);
	unlink("/tmp/pfd-file");
}

/* One raw PROC_CTTY call on our process port: its status. */
static int
ctty_call(uint32_t cmd, uint32_t rdev)
{
	struct ferry_msg m;
	struct proc_ctty_req r = {cmd, rdev, 0, 0};
	int32_t st;
	memset(&m, 0, sizeof m);
	m.op = PROC_CTTY;
	m.len = sizeof r;
	memcpy(m.data, &r, sizeof r);
	if (ferry_sys_msg_call((handle_t)getauxval(AT_FERRY_PROCMGR), &m, FERRY_TIME_INFINITE))
		return 1;
	memcpy(&st, m.data, sizeof st);
	return st;
}

static void
t_ctty_proto(void)
{
	CHECK(getauxval(AT_FERRY_PROCMGR) != 0);
	CHECK(ctty_call(99, (5u << 8) | 1) == -FERRY_EINVAL);            /* unknown cmd */
	CHECK(ctty_call(PROC_CTTY_SET, (1u << 8) | 3) == -FERRY_EINVAL); /* /dev/null */
	CHECK(ctty_call(PROC_CTTY_OPENED, 0) == -FERRY_EINVAL);
	CHECK(ctty_call(PROC_CTTY_SID, (136u << 8) | 200) == -FERRY_ENOTTY); /* nobody's */
	CHECK(ctty_call(PROC_CTTY_DROP, (136u << 8) | 200) == -FERRY_ENOTTY);
	CHECK(ctty_call(PROC_CTTY_GET, 0) == 0);
}

/* posix_spawn and so popen and system: musl clones with CLONE_VM |
 * CLONE_VFORK, which libposix makes a fork (thread/clone.c). */
static void
t_spawn(void)
{
	char *argv_echo[] = {"echo", "spawned", NULL}, *argv_none[] = {"none", NULL};
	char *env[] = {NULL};
	posix_spawn_file_actions_t fa;
	char buf[64] = "";
	int p[2], st = -1;
	pid_t pid = -1;
	FILE *f;

	CHECK(pipe(p) == 0);
	CHECK(posix_spawn_file_actions_init(&fa) == 0);
	CHECK(posix_spawn_file_actions_adddup2(&fa, p[1], 1) == 0);
	CHECK(posix_spawn_file_actions_addclose(&fa, p[0]) == 0);
	CHECK(posix_spawnp(&pid, "echo", &fa, NULL, argv_echo, env) == 0);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	CHECK(pid > 0 && read(p[0], buf, sizeof buf - 1) == 8 && strcmp(buf, "spawned\n") == 0);
	close(p[0]);
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* An exec failure is posix_spawn's result; the child is gone. */
	pid = -1;
	CHECK(posix_spawn(&pid, "/no/such/program", NULL, NULL, argv_none, env) == ENOENT);
	CHECK(posix_spawn(&pid, "/proc", NULL, NULL, argv_none, env) == EACCES);
	CHECK(waitpid(-1, &st, WNOHANG) == -1 && errno == ECHILD);
	f = popen("echo HELLO; exit 3", "r");
	CHECK(f != NULL);
	memset(buf, 0, sizeof buf);
	CHECK(f && fgets(buf, sizeof buf, f) && strcmp(buf, "HELLO\n") == 0);
	st = f ? pclose(f) : -1;
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 3);
	f = popen("cat > /tmp/popen.out", "w");
	CHECK(f && fputs("to the child\n", f) >= 0 && pclose(f) == 0);
	memset(buf, 0, sizeof buf);
	int fd = open("/tmp/popen.out", O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, sizeof buf - 1) == 13 && strcmp(buf, "to the child\n") == 0);
	close(fd);
	unlink("/tmp/popen.out");
	st = system("exit 7");
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 7);
	CHECK(system(NULL) != 0);
}

/* Reads /proc/<pid>/comm into buf (newline cut) until it is not "skip"
 * (the child has exec'd) or about 5 s pass. */
static void
comm_after_exec(pid_t pid, const char *skip, char *buf, size_t len)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/comm", (int)pid);
	for (int i = 0; i < 500; i++) {
		int fd = open(path, O_RDONLY);
		ssize_t n = fd >= 0 ? read(fd, buf, len - 1) : -1;
		if (fd >= 0)
			close(fd);
		buf[n > 0 ? n : 0] = 0;
		if (n > 0 && buf[n - 1] == '\n')
			buf[n - 1] = 0;
		if (n > 0 && strcmp(buf, skip))
			return;
		msleep(10);
	}
}

/* The process name is the basename of the path given to execve (Linux):
 * a symlink's own name, a script's name, not the file found. */
static void
t_comm(void)
{
	const char script[] = "#!/bin/sh\nread x\n";
	char comm[32] = "", self[32] = "";
	int p[2], fd;
	pid_t c;

	fd = open("/proc/self/comm", O_RDONLY);
	CHECK(fd >= 0 && read(fd, self, sizeof self - 1) > 0);
	close(fd);
	self[strcspn(self, "\n")] = 0;
	mkdir("/tmp/commdir", 0755);
	unlink("/tmp/commdir/sleep");
	CHECK(symlink("/bin/busybox", "/tmp/commdir/sleep") == 0);
	CHECK(put_file("/tmp/commdir/a-long-script-name.sh", script, sizeof script - 1, 0755) == 0);
	fflush(stdout);
	c = fork();
	if (c == 0) {
		execl("/tmp/commdir/sleep", "sleep", "5", (char *)NULL);
		_exit(127);
	}
	comm_after_exec(c, self, comm, sizeof comm);
	CHECK(strcmp(comm, "sleep") == 0);
	if (strcmp(comm, "sleep"))
		printf("  comm of /tmp/commdir/sleep -> /bin/busybox: '%s'\n", comm);
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
	CHECK(pipe(p) == 0);
	fflush(stdout);
	c = fork();
	if (c == 0) {
		dup2(p[0], 0);
		close(p[0]);
		close(p[1]);
		CHECK(chdir("/tmp/commdir") == 0);
		execl("./a-long-script-name.sh", "x", (char *)NULL);
		_exit(127);
	}
	close(p[0]);
	comm_after_exec(c, self, comm, sizeof comm);
	CHECK(strcmp(comm, "a-long-script-n") == 0); /* 15 bytes */
	if (strcmp(comm, "a-long-script-n"))
		printf("  comm of ./a-long-script-name.sh: '%s'\n", comm);
	close(p[1]);
	int st = -1;
	CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 1);
	unlink("/tmp/commdir/sleep");
	unlink("/tmp/commdir/a-long-script-name.sh");
	rmdir("/tmp/commdir");
}

/* Child: pipe(), stat() and getcwd() in a loop under a stream of SIGUSR1
 * handled without SA_RESTART; none may fail with EINTR (Linux never
 * breaks them).  Exit 0, or 1 + the first failing call's number. */
static int
unbroken_calls(void)
{
	struct stat sb;
	char cwd[64];
	int p[2];
	for (int i = 0; i < 300; i++) {
		if (pipe(p) != 0)
			return 1;
		close(p[0]);
		close(p[1]);
		if (stat("/bin/busybox", &sb) != 0)
			return 2;
		if (!getcwd(cwd, sizeof cwd))
			return 3;
		if (access("/bin", X_OK) != 0)
			return 4;
	}
	return hits > 0 ? 0 : 5;
}

static void
t_unbroken(void)
{
	int st = -1;
	struct sigaction old;
	sigaction(SIGUSR1, NULL, &old);
	handle_usr1(0); /* before the fork: the first kill may come before the child runs */
	fflush(stdout);
	pid_t c = fork();
	if (c == 0)
		_exit(unbroken_calls());
	sigaction(SIGUSR1, &old, NULL);
	/* Signals until the child exits (it counts at least one). */
	for (int i = 0; i < 4000 && waitpid(c, &st, WNOHANG) == 0; i++) {
		kill(c, SIGUSR1);
		if (i % 8 == 7)
			msleep(1);
	}
	if (waitpid(c, &st, WNOHANG) == 0)
		waitpid(c, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		printf("  child status %#x\n", st);
}

/* sched_getaffinity by pid needs procmgr (libposix asks it whether the
 * process exists): ours, init's, a child's, and one that is gone. */
static void
t_affinity_pid(void)
{
	cpu_set_t set;
	int st;
	CPU_ZERO(&set);
	CHECK(sched_getaffinity(getpid(), sizeof set, &set) == 0 && CPU_COUNT(&set) == 1 &&
	      CPU_ISSET(0, &set));
	CHECK(sched_getaffinity(1, sizeof set, &set) == 0 && CPU_ISSET(0, &set));
	CHECK(sched_setaffinity(1, sizeof set, &set) == 0);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		pause();
		_exit(0);
	}
	CHECK(c > 0 && sched_getaffinity(c, sizeof set, &set) == 0 && CPU_ISSET(0, &set));
	kill(c, SIGKILL);
	CHECK(waitpid(c, &st, 0) == c);
	errno = 0;
	CHECK(sched_getaffinity(c, sizeof set, &set) == -1 && errno == ESRCH);
}

/* ash reads $(...) 128 bytes at a time while its children exit (SIGCHLD
 * without SA_RESTART): posixsrv used to drop the bytes of a pipe read
 * whose caller a signal had taken away (every other time here). */
static void
t_read_no_loss(void)
{
	const char *script =
	        "for i in $(seq 1 40); do export "
	        "V$i=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa; done; "
	        "seq 1 700 | sed 's/^/FEATURE_NAME_/' | xargs > /tmp/px75a; "
	        "for i in 1 2 3 4 5 6; do x=$(cat /tmp/px75a | sed 's/ /:/g'); done; "
	        "seq 1 2000 | xargs > /tmp/px75 && n=$(($(wc -c < /tmp/px75) - 1)) && "
	        "for i in 1 2 3 4 5 6 7 8; do x=$(cat /tmp/px75 | sed 's/ /:/g'); "
	        "[ ${#x} -eq $n ] || { echo \"  got ${#x} of $n bytes\"; exit 1; }; done";
	fflush(stdout);
	int st = system(script);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	unlink("/tmp/px75");
	unlink("/tmp/px75a");
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
	TEST(t_exec_tmpfs, "PROC063",
	     "exec of a program written to tmpfs: absolute, relative, symlinks, a copy, "
	     "/proc/<pid>/exe, a long path");
	TEST(t_exec_script, "PROC064",
	     "#! scripts written to tmpfs: interpreter argument, relative path, missing "
	     "interpreter ENOENT, no x bit EACCES");
	TEST(t_exec_errors, "PROC065",
	     "exec errors through vfs: directory, device, FIFO, /proc, empty, text, no x, "
	     "ENOENT, ENOTDIR, ELOOP, another user's permissions; caller intact");
	TEST(t_exec_hostile, "PROC066",
	     "hostile ELF files in tmpfs (cut, segment beyond the file, kernel half, bad entry, "
	     "PIE above the user half): ENOEXEC, procmgr serves on");
	TEST(t_exec_truncate, "PROC067",
	     "exec of a file being truncated and rewritten: every exec ends cleanly");
	TEST(t_exec_setuid, "PROC068",
	     "set-user-ID file in tmpfs runs with its owner as euid (its /proc/self/fd a new table "
	     "with the inherited names); not for a script");
	TEST(t_servers, "PROC069",
	     "vfs, procmgr, posixsrv are processes in /proc (stat); kill: EPERM; no child");
	TEST(t_server_cpu, "PROC097",
	     "servers show CPU time in /proc/<pid>/stat; vfs's grows while it serves stat");
	TEST(t_cpu_times, "PROC070",
	     "CPU time: /proc/<pid>/stat utime, wait4 rusage across exec, times cutime, "
	     "getrusage SELF/CHILDREN, EINVAL");
	TEST(t_nofile, "PROC071",
	     "RLIMIT_NOFILE below 1024: open, pipe, socketpair, socket, dup EMFILE at the "
	     "limit, dup2 EBADF, F_DUPFD EINVAL, EPERM above 1024, kept across exec");
	TEST(t_proc_fd, "PROC072",
	     "/proc/<pid>/fd: files (absolute and relative), pipes, sockets, dups, listing; "
	     "open follows (pipe: our description, file: reopened), stat follows; ENOENT, "
	     "ENOTDIR, ELOOP, another's pipe ENXIO; fork and exec keep their own");
	TEST(t_ctty_proto, "PROC073",
	     "PROC_CTTY from a hostile client: unknown cmd and non-terminal rdev EINVAL, "
	     "a terminal nobody has ENOTTY (SID, DROP)");
	TEST(t_spawn, "PROC089",
	     "posix_spawn(p) with file actions, exec failure reported (ENOENT, EACCES), popen "
	     "read and write, pclose and system statuses");
	TEST(t_comm, "PROC090",
	     "comm after exec: a symlink's own name, a script's name (15 bytes), not the "
	     "file found or the interpreter");
	TEST(t_unbroken, "PROC091",
	     "pipe, stat, getcwd, access under a stream of signals without SA_RESTART: never "
	     "EINTR");
	TEST(t_affinity_pid, "PROC092",
	     "sched_getaffinity/setaffinity by pid: ours, init, a child; ESRCH once it is reaped");
	TEST(t_read_no_loss, "PROC093",
	     "$(cat f | sed) in ash, 8 times: no pipe read broken by SIGCHLD loses bytes");
	printf("%d passed, %d failed\nSUITE-END procpx\n", passed, failed);
	return failed ? 1 : 0;
}
