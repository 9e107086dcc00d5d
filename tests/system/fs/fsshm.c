/* SPDX-License-Identifier: MIT */
/*
 * POSIX shared memory, named semaphores and file mappings seen from musl
 * programs on the whole system (suite fsshm: run by posixsrv through cmd=,
 * with procmgr, so fork is real): the tmpfs on /dev/shm, shm_open and
 * shm_unlink, sem_open across fork, MAP_SHARED/MAP_PRIVATE of files,
 * msync and the times it marks, and futexes in a shared file mapping
 * between processes.  Prints PASS/FAIL per test and SUITE-END.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../pxcheck.h"

#define PAGE 4096
/* Linux futex ops (the SDK has no <linux/futex.h>). */
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1

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
ts_after(struct timespec a, struct timespec b)
{
	return a.tv_sec > b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec > b.tv_nsec);
}

static int
ts_equal(struct timespec a, struct timespec b)
{
	return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

/* The text of /proc/mounts (NUL-terminated) into buf. */
static int
read_mounts(char *buf, size_t size)
{
	int fd = open("/proc/mounts", O_RDONLY);
	ssize_t n, got = 0;
	if (fd < 0)
		return -1;
	while ((n = read(fd, buf + got, size - 1 - (size_t)got)) > 0)
		got += n;
	close(fd);
	buf[got] = 0;
	return 0;
}

static void
t_devshm(void)
{
	struct stat st, root;
	char text[2048];
	CHECK(stat("/dev/shm", &st) == 0);
	CHECK(S_ISDIR(st.st_mode) && (st.st_mode & 07777) == 01777);
	CHECK(stat("/", &root) == 0);
	CHECK(st.st_dev != root.st_dev); /* its own tmpfs instance */
	CHECK(read_mounts(text, sizeof text) == 0);
	CHECK(strstr(text, "tmpfs /dev/shm tmpfs ") != NULL);
	end("FS0041", "/dev/shm: a tmpfs of its own, mode 01777, listed in /proc/mounts");
}

static void
t_shm_open(void)
{
	struct stat st;
	mode_t old = umask(022);
	shm_unlink("/fs41");
	int fd = shm_open("/fs41", O_RDWR | O_CREAT | O_EXCL, 0666);
	CHECK(fd >= 0);
	CHECK(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0777) == 0644);
	CHECK(st.st_size == 0);
	CHECK(fcntl(fd, F_GETFD) == FD_CLOEXEC); /* POSIX: FD_CLOEXEC is set */
	CHECK(stat("/dev/shm/fs41", &st) == 0);  /* where musl keeps it */
	errno = 0;
	CHECK(shm_open("fs41", O_RDWR | O_CREAT | O_EXCL, 0600) == -1 && errno == EEXIST);
	CHECK(ftruncate(fd, 3 * PAGE + 5) == 0);
	CHECK(write(fd, "abc", 3) == 3);
	int fd2 = shm_open("fs41", O_RDWR | O_CREAT, 0600); /* exists: opened, mode kept */
	CHECK(fd2 >= 0);
	CHECK(fstat(fd2, &st) == 0 && st.st_size == 3 * PAGE + 5 && (st.st_mode & 0777) == 0644);
	char b[4] = {0};
	CHECK(pread(fd2, b, 3, 0) == 3 && memcmp(b, "abc", 3) == 0);
	close(fd2);
	fd2 = shm_open("fs41", O_RDWR | O_TRUNC, 0);
	CHECK(fd2 >= 0);
	CHECK(fstat(fd, &st) == 0 && st.st_size == 0); /* one object */
	close(fd2);
	fd2 = shm_open("fs41", O_RDONLY, 0);
	CHECK(fd2 >= 0);
	errno = 0;
	CHECK(write(fd2, "x", 1) == -1 && errno == EBADF);
	close(fd2);
	close(fd);
	errno = 0;
	CHECK(shm_open("/fs41-none", O_RDWR, 0) == -1 && errno == ENOENT);
	CHECK(shm_unlink("/fs41") == 0);
	umask(old);
	end("FS0042", "shm_open: O_CREAT|O_EXCL creates (mode & ~umask, FD_CLOEXEC), EEXIST after; "
	              "O_CREAT opens the existing object; O_TRUNC; O_RDONLY; ENOENT");
}

static void
t_shm_fork(void)
{
	shm_unlink("fs43");
	int fd = shm_open("fs43", O_RDWR | O_CREAT | O_EXCL, 0600);
	CHECK(fd >= 0);
	CHECK(ftruncate(fd, 2 * PAGE) == 0);
	char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED)
		return;
	strcpy(p + PAGE, "from the parent");
	pid_t pid = fork();
	if (pid == 0) {
		/* A second mapping of its own, by name, at another address. */
		int cfd = shm_open("fs43", O_RDWR, 0);
		char *q =
		        cfd < 0 ? MAP_FAILED
		                : mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, cfd, 0);
		if (q == MAP_FAILED || strcmp(q + PAGE, "from the parent"))
			_exit(1);
		strcpy(q, "from the child");
		p[PAGE + 100] = 'i'; /* through the inherited mapping too */
		_exit(0);
	}
	CHECK(pid > 0 && waitcode(pid) == 0);
	CHECK(strcmp(p, "from the child") == 0);
	CHECK(p[PAGE + 100] == 'i');
	char b[16] = {0};
	CHECK(pread(fd, b, 14, 0) == 14 && memcmp(b, "from the child", 14) == 0);
	munmap(p, 2 * PAGE);
	close(fd);
	CHECK(shm_unlink("fs43") == 0);
	end("FS0043", "shm_open + ftruncate + mmap MAP_SHARED: a forked child's stores (through "
	              "the inherited mapping and its own) reach the parent and read()");
}

static void
t_shm_unlink(void)
{
	shm_unlink("fs44");
	int fd = shm_open("fs44", O_RDWR | O_CREAT | O_EXCL, 0600);
	CHECK(fd >= 0);
	CHECK(ftruncate(fd, PAGE) == 0);
	char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED);
	close(fd);
	CHECK(shm_unlink("fs44") == 0);
	errno = 0;
	CHECK(shm_unlink("fs44") == -1 && errno == ENOENT);
	errno = 0;
	CHECK(shm_open("fs44", O_RDWR, 0) == -1 && errno == ENOENT);
	if (p == MAP_FAILED)
		return;
	strcpy(p, "still mapped");
	pid_t pid = fork();
	if (pid == 0)
		_exit(strcmp(p, "still mapped") ? 1 : (p[100] = 'c', 0));
	CHECK(pid > 0 && waitcode(pid) == 0);
	CHECK(p[100] == 'c');
	/* A new object under the old name is another object. */
	fd = shm_open("fs44", O_RDWR | O_CREAT | O_EXCL, 0600);
	CHECK(fd >= 0);
	CHECK(ftruncate(fd, PAGE) == 0);
	char *q = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(q != MAP_FAILED && q[0] == 0);
	munmap(q, PAGE);
	close(fd);
	shm_unlink("fs44");
	munmap(p, PAGE);
	end("FS0044",
	    "shm_unlink: ENOENT for open and unlink after it; the mapping stays valid and "
	    "shared with a child; the name can be made anew");
}

static void
t_shm_names(void)
{
	char longname[NAME_MAX + 3];
	memset(longname, 'n', sizeof longname - 1);
	longname[0] = '/';
	longname[sizeof longname - 1] = 0;
	const char *bad[] = {"", "/", "//", "a/b", "/a/b", ".", "..", "/.."};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		errno = 0;
		CHECK(shm_open(bad[i], O_RDWR | O_CREAT, 0600) == -1 && errno == EINVAL);
		errno = 0;
		CHECK(shm_unlink(bad[i]) == -1 && errno == EINVAL);
		errno = 0;
		CHECK(sem_open(bad[i], O_CREAT, 0600, 0) == SEM_FAILED && errno == EINVAL);
	}
	errno = 0;
	CHECK(shm_open(longname, O_RDWR | O_CREAT, 0600) == -1 && errno == ENAMETOOLONG);
	errno = 0;
	CHECK(shm_unlink(longname) == -1 && errno == ENAMETOOLONG);
	longname[NAME_MAX + 1] = 0; /* "/" + NAME_MAX characters: allowed */
	int fd = shm_open(longname, O_RDWR | O_CREAT | O_EXCL, 0600);
	CHECK(fd >= 0);
	close(fd);
	CHECK(shm_unlink(longname) == 0);
	/* A read-only object cannot be mapped shared and writable. */
	fd = shm_open("fs45", O_RDWR | O_CREAT, 0600);
	CHECK(fd >= 0 && ftruncate(fd, PAGE) == 0);
	close(fd);
	fd = shm_open("fs45", O_RDONLY, 0);
	errno = 0;
	CHECK(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED &&
	      errno == EACCES);
	void *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED); /* private: its writes never reach the object */
	munmap(p, PAGE);
	close(fd);
	shm_unlink("fs45");
	end("FS0045",
	    "bad names: empty, '/' alone, inner '/', '.', '..' EINVAL; over NAME_MAX "
	    "ENAMETOOLONG (NAME_MAX fits); O_RDONLY object: MAP_SHARED+PROT_WRITE EACCES");
}

static void
t_sem(void)
{
	int v = -1;
	sem_unlink("fs46");
	sem_unlink("fs46b");
	sem_t *s = sem_open("/fs46", O_CREAT | O_EXCL, 0600, 0);
	sem_t *back = sem_open("fs46b", O_CREAT, 0600, 0);
	CHECK(s != SEM_FAILED && back != SEM_FAILED && s != back);
	if (s == SEM_FAILED || back == SEM_FAILED)
		return;
	errno = 0;
	CHECK(sem_open("/fs46", O_CREAT | O_EXCL, 0600, 0) == SEM_FAILED && errno == EEXIST);
	CHECK(sem_open("/fs46", 0) == s); /* the same semaphore, mapped once */
	CHECK(sem_close(s) == 0);
	errno = 0;
	CHECK(sem_open("/fs46-none", 0) == SEM_FAILED && errno == ENOENT);
	errno = 0;
	CHECK(sem_open("/fs46-big", O_CREAT, 0600, (unsigned)SEM_VALUE_MAX + 1) == SEM_FAILED &&
	      errno == EINVAL);
	pid_t pid = fork();
	if (pid == 0) {
		/* A fresh open of the name in the child and the inherited mapping: one semaphore. */
		sem_t *c = sem_open("/fs46", 0);
		struct timespec at;
		if (c == SEM_FAILED)
			_exit(1);
		msleep(100); /* let the parent block first */
		if (sem_post(c) || sem_post(s))
			_exit(2);
		clock_gettime(CLOCK_REALTIME, &at);
		at.tv_sec += 10;
		if (sem_timedwait(back, &at)) /* the parent posts back */
			_exit(3);
		_exit(0);
	}
	CHECK(pid > 0);
	/* Bounded waits, so that a lost wake fails the test instead of hanging it. */
	struct timespec at;
	clock_gettime(CLOCK_REALTIME, &at);
	at.tv_sec += 10;
	CHECK(sem_timedwait(s, &at) == 0);
	CHECK(sem_timedwait(s, &at) == 0);
	CHECK(sem_getvalue(s, &v) == 0 && v == 0);
	msleep(100); /* let the child block */
	CHECK(sem_post(back) == 0);
	int code = waitcode(pid);
	CHECK(code == 0);
	if (code)
		printf("  child: %d\n", code);
	CHECK(sem_getvalue(back, &v) == 0 && v == 0);
	errno = 0;
	CHECK(sem_trywait(s) == -1 && errno == EAGAIN);
	CHECK(sem_unlink("/fs46") == 0 && sem_unlink("fs46b") == 0);
	errno = 0;
	CHECK(sem_unlink("/fs46") == -1 && errno == ENOENT);
	errno = 0;
	CHECK(sem_open("/fs46", 0) == SEM_FAILED && errno == ENOENT);
	CHECK(sem_post(s) == 0 && sem_getvalue(s, &v) == 0 && v == 1); /* still usable */
	CHECK(sem_close(s) == 0 && sem_close(back) == 0);
	end("FS0046",
	    "sem_open/sem_post/sem_wait across fork (blocking waits woken by the other "
	    "process, both ways); EEXIST, ENOENT, EINVAL (value); sem_unlink then ENOENT");
}

static long
futex(volatile uint32_t *w, int op, uint32_t val, const struct timespec *ts)
{
	return syscall(SYS_futex, w, op, val, ts, NULL, 0);
}

struct shared {
	volatile uint32_t word;
	uint32_t woken;
	pthread_mutex_t m;
	pthread_cond_t cv;
	int ready, go;
};

static void
t_futex_file(void)
{
	const char *path = "/tmp/fs47";
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0);
	CHECK(ftruncate(fd, 2 * PAGE) == 0);
	struct shared *sh = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(sh != MAP_FAILED);
	if (sh == MAP_FAILED)
		return;
	sh->word = 0;
	pid_t pid = fork();
	if (pid == 0) {
		/* Its own mapping of the file, at an address of its choosing. */
		int cfd = open(path, O_RDWR);
		struct shared *c = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, cfd, 0);
		if (c == MAP_FAILED)
			_exit(1);
		struct timespec ts = {10, 0}; /* a lost wake fails instead of hanging */
		if (c->word == 0)
			futex(&c->word, FUTEX_WAIT, 0, &ts);
		if (c->word == 0)
			_exit(2);
		c->woken = 1;
		_exit(0);
	}
	CHECK(pid > 0);
	msleep(100);
	sh->word = 1;
	long n = 0;
	for (int i = 0; i < 100 && n == 0; i++) { /* until the child is queued and woken */
		n = futex(&sh->word, FUTEX_WAKE, 1, NULL);
		if (n == 0)
			msleep(10);
	}
	CHECK(n == 1);
	CHECK(waitcode(pid) == 0);
	CHECK(sh->woken == 1);
	/* A process-shared mutex and condition variable between processes. */
	pthread_mutexattr_t ma;
	pthread_condattr_t ca;
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	pthread_condattr_init(&ca);
	pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
	CHECK(pthread_mutex_init(&sh->m, &ma) == 0);
	CHECK(pthread_cond_init(&sh->cv, &ca) == 0);
	sh->ready = sh->go = 0;
	pid_t kids[2];
	for (int k = 0; k < 2; k++) {
		kids[k] = fork();
		if (kids[k] == 0) {
			struct timespec at;
			int rc = 0;
			clock_gettime(CLOCK_REALTIME, &at);
			at.tv_sec += 10;
			pthread_mutex_lock(&sh->m);
			sh->ready++;
			while (!sh->go && rc == 0)
				rc = pthread_cond_timedwait(&sh->cv, &sh->m, &at);
			pthread_mutex_unlock(&sh->m);
			_exit(rc ? 3 : 0);
		}
	}
	for (int i = 0; i < 200; i++) {
		pthread_mutex_lock(&sh->m);
		int r = sh->ready;
		pthread_mutex_unlock(&sh->m);
		if (r == 2)
			break;
		msleep(10);
	}
	pthread_mutex_lock(&sh->m);
	CHECK(sh->ready == 2);
	sh->go = 1;
	CHECK(pthread_cond_broadcast(&sh->cv) == 0);
	pthread_mutex_unlock(&sh->m);
	for (int k = 0; k < 2; k++)
		CHECK(kids[k] > 0 && waitcode(kids[k]) == 0);
	munmap(sh, 2 * PAGE);
	close(fd);
	unlink(path);
	end("FS0047", "futex in a MAP_SHARED file mapped by two processes at their own addresses: "
	              "FUTEX_WAKE wakes the other's FUTEX_WAIT; process-shared cond broadcast");
}

static void
t_map_semantics(void)
{
	const char *path = "/tmp/fs48";
	struct stat st;
	char b[8];
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0);
	CHECK(write(fd, "aaaa", 4) == 4);
	char *s = mmap(NULL, 4, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char *p = mmap(NULL, 4, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(s != MAP_FAILED && p != MAP_FAILED);
	if (s == MAP_FAILED || p == MAP_FAILED)
		return;
	s[0] = 'S';
	CHECK(pread(fd, b, 4, 0) == 4 && memcmp(b, "Saaa", 4) == 0);
	CHECK(p[0] == 'S'); /* a private page not written yet sees the file */
	p[1] = 'P';
	CHECK(pread(fd, b, 4, 0) == 4 && memcmp(b, "Saaa", 4) == 0); /* private: not in the file */
	CHECK(s[1] == 'a');
	CHECK(pwrite(fd, "W", 1, 2) == 1);
	CHECK(s[2] == 'W'); /* write() is seen by the shared mapping */
	/* The partial page past the end reads zeros and does not grow the file. */
	CHECK(s[100] == 0);
	s[100] = 'z';
	CHECK(fstat(fd, &st) == 0 && st.st_size == 4);
	CHECK(munmap(s, 4) == 0);
	CHECK(munmap(p, 4) == 0);
	s = mmap(NULL, 4, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(s != MAP_FAILED && memcmp(s, "SaWa", 4) == 0); /* survives munmap; private lost */
	munmap(s, 4);
	/* msync's argument checks. */
	s = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(s != MAP_FAILED);
	errno = 0;
	CHECK(msync(s + 1, 1, MS_SYNC) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(msync(s, PAGE, MS_SYNC | MS_ASYNC) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(msync(s, PAGE, 0x100) == -1 && errno == EINVAL);
	CHECK(msync(s, PAGE, MS_ASYNC | MS_INVALIDATE) == 0);
	CHECK(msync(s, 0, MS_SYNC) == 0);
	munmap(s, PAGE);
	close(fd);
	unlink(path);
	end("FS0048", "file mappings: MAP_SHARED stores seen by read() and after munmap, write() "
	              "seen by the mapping, MAP_PRIVATE copy-on-write unseen; msync EINVAL cases");
}

static void
t_map_times(void)
{
	const char *path = "/tmp/fs49";
	struct stat st0, st1, st2;
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0);
	CHECK(write(fd, "abcd", 4) == 4);
	CHECK(fstat(fd, &st0) == 0);
	msleep(20);
	char *s = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(s != MAP_FAILED);
	if (s == MAP_FAILED)
		return;
	CHECK(fstat(fd, &st1) == 0);
	CHECK(ts_after(st1.st_atim, st0.st_atim)); /* mmap reads the file */
	CHECK(ts_equal(st1.st_mtim, st0.st_mtim));
	msleep(20);
	s[0] = 'X';
	CHECK(msync(s, PAGE, MS_SYNC) == 0);
	CHECK(fstat(fd, &st2) == 0);
	CHECK(ts_after(st2.st_mtim, st1.st_mtim) && ts_after(st2.st_ctim, st1.st_ctim));
	/* After close and a partial munmap the mapping still marks its file. */
	close(fd);
	CHECK(munmap(s + PAGE, PAGE) == 0);
	msleep(20);
	s[1] = 'Y';
	CHECK(msync(s, 2 * PAGE, MS_ASYNC) == 0);
	CHECK(stat(path, &st1) == 0);
	CHECK(ts_after(st1.st_mtim, st2.st_mtim));
	/* A read-only mapping and a private one mark nothing. */
	CHECK(munmap(s, PAGE) == 0);
	fd = open(path, O_RDWR);
	char *r = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0);
	char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(r != MAP_FAILED && p != MAP_FAILED && r[0] == 'X' && r[1] == 'Y');
	msleep(20);
	if (p != MAP_FAILED)
		p[0] = 'p';
	CHECK(msync(r, PAGE, MS_SYNC) == 0 && msync(p, PAGE, MS_SYNC) == 0);
	CHECK(stat(path, &st2) == 0);
	CHECK(ts_equal(st2.st_mtim, st1.st_mtim));
	munmap(r, PAGE);
	munmap(p, PAGE);
	/* MAP_FIXED over a recorded mapping replaces its record too. */
	s = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(s != MAP_FAILED);
	CHECK(mmap(s, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
	           0) == s);
	msleep(20);
	CHECK(msync(s, PAGE, MS_SYNC) == 0);
	CHECK(stat(path, &st1) == 0);
	CHECK(ts_equal(st2.st_mtim, st1.st_mtim));
	munmap(s, PAGE);
	close(fd);
	unlink(path);
	end("FS0049",
	    "times: mmap marks st_atime; msync of a shared writable mapping marks "
	    "st_mtime and st_ctime (also after close and a partial munmap), of read-only, "
	    "private or replaced ones nothing");
}

static int
try_flock(const char *path)
{
	int fd = open(path, O_RDWR);
	int r = flock(fd, LOCK_EX | LOCK_NB);
	close(fd);
	return r;
}

static void
t_map_holds(void)
{
	const char *path = "/tmp/fs50";
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0 && ftruncate(fd, 1024) == 0);
	int bad = 0;
	for (int i = 0; i < 2000 && !bad; i++) {
		char *p = mmap(NULL, 1024, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED || munmap(p, 1024))
			bad = 1;
	}
	CHECK(!bad);
	/* The mapping holds the description (as Linux's does): its flock lock stays. */
	CHECK(flock(fd, LOCK_EX) == 0);
	char *p = mmap(NULL, 1024, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED);
	close(fd);
	msleep(50);
	errno = 0;
	CHECK(try_flock(path) == -1 && errno == EWOULDBLOCK);
	CHECK(munmap(p, 1024) == 0);
	int r = -1;
	for (int i = 0; i < 100 && (r = try_flock(path)) != 0; i++)
		msleep(10); /* until vfs takes the no-senders notice */
	CHECK(r == 0);
	unlink(path);
	end("FS0050",
	    "2000 mmap/munmap rounds of a shared writable file mapping; the mapping keeps "
	    "its description (and flock lock) after close, munmap lets it go");
}

static const struct {
	const char *id;
	void (*fn)(void);
} tests[] = {
        {"FS0041", t_devshm},     {"FS0042", t_shm_open},      {"FS0043", t_shm_fork},
        {"FS0044", t_shm_unlink}, {"FS0045", t_shm_names},     {"FS0046", t_sem},
        {"FS0047", t_futex_file}, {"FS0048", t_map_semantics}, {"FS0049", t_map_times},
        {"FS0050", t_map_holds},
};

/* fsshm [ID-PREFIX]: the tests whose ID starts with the prefix (all without one). */
int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1)
		filter = argv[1];
	for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++)
		if (!strncmp(tests[i].id, filter, strlen(filter)))
			tests[i].fn();
	printf("%d passed, %d failed\nSUITE-END fsshm\n", passed, failed);
	return failed ? 1 : 0;
}
