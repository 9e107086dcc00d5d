// SPDX-License-Identifier: MIT
/*
 * A musl program for mounts, file mappings and readiness through libposix
 * (run by bin/fstest): mount/umount2 of tmpfs, mmap of tmpfs files shared
 * and private, poll/select/ppoll/pselect on file descriptors.  Prints
 * PASS/FAIL FSP-1NN lines and exits with the number of failures.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int failed;
static int cur_failed;

#define CHECK(cond)                                                                    \
	do {                                                                           \
		if (!(cond)) {                                                         \
			printf("  check failed: %s (line %d, errno %d)\n", #cond, __LINE__, errno); \
			cur_failed = 1;                                                \
		}                                                                      \
	} while (0)

static void
report(const char *id, const char *desc)
{
	printf("%s %s%s%s\n", cur_failed ? "FAIL" : "PASS", id, cur_failed ? ": " : " ", desc);
	failed += cur_failed;
	cur_failed = 0;
}

static long long
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void
test_mount(void)
{
	struct stat a, b;
	char cwd[64];
	CHECK(mkdir("/mnt2", 0755) == 0);
	CHECK(mount("none", "/mnt2", "tmpfs", 0, NULL) == 0);
	CHECK(mount("none", "/mnt2", "ext4", 0, NULL) == -1 && errno == ENODEV);
	int fd = open("/mnt2/f", O_CREAT | O_RDWR, 0644);
	CHECK(fd >= 0);
	CHECK(write(fd, "x", 1) == 1);
	CHECK(stat("/mnt2/f", &a) == 0 && stat("/", &b) == 0 && a.st_dev != b.st_dev);
	CHECK(rename("/mnt2/f", "/tmp/f") == -1 && errno == EXDEV);
	CHECK(umount("/mnt2") == -1 && errno == EBUSY);
	close(fd);
	CHECK(chdir("/mnt2") == 0 && getcwd(cwd, sizeof cwd) && !strcmp(cwd, "/mnt2"));
	CHECK(chdir("..") == 0 && getcwd(cwd, sizeof cwd) && !strcmp(cwd, "/"));
	usleep(20000);
	CHECK(umount2("/mnt2", 0) == 0);
	CHECK(access("/mnt2/f", F_OK) == -1 && errno == ENOENT);
	CHECK(umount("/mnt2") == -1 && errno == EINVAL);
	FILE *f = fopen("/etc/passwd", "r");
	CHECK(f != NULL);
	if (f)
		fclose(f);
	report("FSP-100", "mount -t tmpfs, st_dev, EXDEV, EBUSY, cd .. out of it, umount");
}

static void
test_mmap(void)
{
	int fd = open("/tmp/m", O_CREAT | O_RDWR | O_TRUNC, 0644);
	char buf[32];
	CHECK(fd >= 0);
	CHECK(ftruncate(fd, 8192) == 0);
	char *s = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(s != MAP_FAILED);
	if (s == MAP_FAILED)
		goto out;
	memcpy(s + 4096, "via map", 7);
	CHECK(pread(fd, buf, 7, 4096) == 7 && !memcmp(buf, "via map", 7));
	CHECK(pwrite(fd, "via write", 9, 10) == 9);
	CHECK(!memcmp(s + 10, "via write", 9));
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED && !memcmp(p + 10, "via write", 9));
	if (p != MAP_FAILED) {
		p[10] = 'V';
		CHECK(s[10] == 'v');
		CHECK(pread(fd, buf, 1, 10) == 1 && buf[0] == 'v');
		munmap(p, 4096);
	}
	/* Offset mapping. */
	char *o = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 4096);
	CHECK(o != MAP_FAILED && !memcmp(o, "via map", 7));
	if (o != MAP_FAILED)
		munmap(o, 4096);
	CHECK(ftruncate(fd, 5) == 0);
	CHECK(s[10] == 0 && s[4096] == 0);
	munmap(s, 8192);
	int ro = open("/tmp/m", O_RDONLY);
	CHECK(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0) == MAP_FAILED && errno == EACCES);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0);
	CHECK(p != MAP_FAILED);
	if (p != MAP_FAILED) {
		p[0] = '!';
		CHECK(pread(ro, buf, 1, 0) == 1 && buf[0] != '!');
		munmap(p, 4096);
	}
	close(ro);
	int d = open("/tmp", O_RDONLY | O_DIRECTORY);
	CHECK(mmap(NULL, 4096, PROT_READ, MAP_SHARED, d, 0) == MAP_FAILED && errno == ENODEV);
	close(d);
	CHECK(mmap(NULL, 4096, PROT_READ, MAP_SHARED, 77, 0) == MAP_FAILED && errno == EBADF);
out:
	close(fd);
	unlink("/tmp/m");
	report("FSP-101", "mmap of a tmpfs file: MAP_SHARED coherent both ways, MAP_PRIVATE copies, offsets, truncate, EACCES/ENODEV/EBADF");
}

static void
test_poll(void)
{
	int r = open("/etc/passwd", O_RDONLY), w = open("/dev/null", O_WRONLY);
	struct pollfd p[3] = { { r, POLLIN | POLLOUT, 0 }, { w, POLLIN | POLLOUT, 0 }, { 99, POLLIN, 0 } };
	CHECK(poll(p, 3, -1) == 3);
	CHECK(p[0].revents == POLLIN && p[1].revents == POLLOUT && p[2].revents == POLLNVAL);
	long long t0 = now_ms();
	CHECK(poll(NULL, 0, 100) == 0);
	CHECK(now_ms() - t0 >= 90);
	fd_set rs, ws;
	FD_ZERO(&rs);
	FD_ZERO(&ws);
	FD_SET(r, &rs);
	FD_SET(w, &ws);
	FD_SET(w, &rs);
	struct timeval tv = { 1, 0 };
	CHECK(select(w + 1, &rs, &ws, NULL, &tv) == 2);
	CHECK(FD_ISSET(r, &rs) && !FD_ISSET(w, &rs) && FD_ISSET(w, &ws));
	FD_ZERO(&rs);
	FD_SET(98, &rs);
	CHECK(select(99, &rs, NULL, NULL, &tv) == -1 && errno == EBADF);
	struct timespec ts = { 0, 50000000 };
	sigset_t mask;
	sigemptyset(&mask);
	t0 = now_ms();
	CHECK(pselect(0, NULL, NULL, NULL, &ts, &mask) == 0 && now_ms() - t0 >= 40);
	p[0].events = POLLIN;
	CHECK(ppoll(p, 1, &ts, &mask) == 1 && p[0].revents == POLLIN);
	ts.tv_nsec = -1;
	CHECK(ppoll(p, 1, &ts, NULL) == -1 && errno == EINVAL);
	close(r);
	close(w);
	report("FSP-102", "poll/select/ppoll/pselect on files and devices, POLLNVAL, EBADF, timeouts");
}

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	test_mount();
	test_mmap();
	test_poll();
	return failed;
}
