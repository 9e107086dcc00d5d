// SPDX-License-Identifier: MIT
/*
 * A musl program using files the POSIX way (run by bin/fstest with the
 * vfs root and cwd in its auxv): open/read/write/lseek/stat/mkdir/
 * rename/unlink/readdir/dup/stdio on tmpfs.  Prints PASS/FAIL FSP-NNN
 * lines and exits with the number of failures.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

static int failed;
static int cur_failed;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			printf("  check failed: %s (line %d, errno %d)\n", #cond, __LINE__,        \
			       errno);                                                             \
			cur_failed = 1;                                                            \
		}                                                                                  \
	} while (0)

static void
report(const char *id, const char *desc)
{
	printf("%s %s%s%s\n", cur_failed ? "FAIL" : "PASS", id, cur_failed ? ": " : " ", desc);
	failed += cur_failed;
	cur_failed = 0;
}

static char big[20000], back[20000];

static void
t_bulk(void)
{
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (char)(i * 31 + 7);
	int fd = open("/tmp/p1", O_CREAT | O_RDWR | O_TRUNC, 0644);
	CHECK(fd >= 0);
	CHECK(write(fd, big, sizeof big) == (ssize_t)sizeof big);
	CHECK(close(fd) == 0);
	fd = open("/tmp/p1", O_RDONLY);
	CHECK(fd >= 0);
	CHECK(read(fd, back, sizeof back) == (ssize_t)sizeof back);
	CHECK(memcmp(big, back, sizeof big) == 0);
	CHECK(read(fd, back, 10) == 0);
	close(fd);
	report("FSP-001", "write and read back 20000 bytes (transfer area)");
}

static void
t_seek(void)
{
	char b[8];
	int fd = open("/tmp/p1", O_RDWR);
	CHECK(lseek(fd, 0, SEEK_END) == (off_t)sizeof big);
	CHECK(lseek(fd, 100, SEEK_SET) == 100);
	CHECK(read(fd, b, 4) == 4 && memcmp(b, big + 100, 4) == 0);
	CHECK(lseek(fd, 0, SEEK_CUR) == 104);
	CHECK(pwrite(fd, "abcd", 4, 10) == 4);
	CHECK(pread(fd, b, 4, 10) == 4 && memcmp(b, "abcd", 4) == 0);
	CHECK(lseek(fd, 0, SEEK_CUR) == 104);
	CHECK(lseek(fd, -1, SEEK_SET) == -1 && errno == EINVAL);
	close(fd);
	CHECK(lseek(fd, 0, SEEK_SET) == -1 && errno == EBADF);
	report("FSP-002", "lseek, pread, pwrite; EINVAL, EBADF");
}

static void
t_stat(void)
{
	struct stat st, st2;
	CHECK(stat("/tmp/p1", &st) == 0);
	CHECK(S_ISREG(st.st_mode) && st.st_size == (off_t)sizeof big);
	int fd = open("/tmp/p1", O_RDONLY);
	CHECK(fstat(fd, &st2) == 0 && st2.st_ino == st.st_ino);
	close(fd);
	CHECK(symlink("/tmp/p1", "/tmp/p1link") == 0);
	CHECK(lstat("/tmp/p1link", &st2) == 0 && S_ISLNK(st2.st_mode));
	CHECK(stat("/tmp/p1link", &st2) == 0 && st2.st_ino == st.st_ino);
	CHECK(stat("/tmp/none", &st2) == -1 && errno == ENOENT);
	CHECK(stat("/", &st2) == 0 && S_ISDIR(st2.st_mode));
	report("FSP-003", "stat, fstat, lstat");
}

static void
t_dirs(void)
{
	char cwd[256];
	CHECK(mkdir("/tmp/pd", 0755) == 0);
	CHECK(mkdir("/tmp/pd/sub", 0755) == 0);
	CHECK(chdir("/tmp/pd") == 0);
	CHECK(getcwd(cwd, sizeof cwd) && strcmp(cwd, "/tmp/pd") == 0);
	int fd = open("rel", O_CREAT | O_WRONLY, 0644);
	CHECK(fd >= 0);
	close(fd);
	CHECK(access("/tmp/pd/rel", F_OK) == 0);
	CHECK(chdir("sub") == 0);
	CHECK(getcwd(cwd, sizeof cwd) && strcmp(cwd, "/tmp/pd/sub") == 0);
	CHECK(access("../rel", F_OK) == 0);
	int dfd = open("/tmp", O_RDONLY | O_DIRECTORY);
	CHECK(dfd >= 0 && fchdir(dfd) == 0);
	CHECK(getcwd(cwd, sizeof cwd) && strcmp(cwd, "/tmp") == 0);
	CHECK(faccessat(dfd, "pd/rel", F_OK, 0) == 0);
	int fd2 = openat(dfd, "pd/at", O_CREAT | O_WRONLY, 0600);
	CHECK(fd2 >= 0);
	close(fd2);
	CHECK(access("/tmp/pd/at", F_OK) == 0);
	close(dfd);
	CHECK(chdir("/tmp/p1") == -1 && errno == ENOTDIR);
	CHECK(getcwd(cwd, 3) == NULL && errno == ERANGE);
	report("FSP-004", "mkdir, chdir, getcwd, relative paths, fchdir, openat");
}

static void
t_rename(void)
{
	int fd = open("/tmp/pr1", O_CREAT | O_WRONLY, 0644);
	CHECK(write(fd, "x", 1) == 1);
	close(fd);
	CHECK(rename("/tmp/pr1", "/tmp/pd/pr2") == 0);
	CHECK(access("/tmp/pr1", F_OK) == -1 && errno == ENOENT);
	CHECK(access("/tmp/pd/pr2", F_OK) == 0);
	CHECK(renameat(AT_FDCWD, "/tmp/pd/pr2", AT_FDCWD, "pr3") == 0); /* cwd is /tmp */
	CHECK(unlink("/tmp/pr3") == 0);
	CHECK(unlink("/tmp/pr3") == -1 && errno == ENOENT);
	report("FSP-005", "rename, renameat, unlink");
}

static void
t_readdir(void)
{
	char name[64];
	CHECK(mkdir("/tmp/pmany", 0755) == 0);
	for (int i = 0; i < 200; i++) {
		snprintf(name, sizeof name, "/tmp/pmany/file-with-a-longish-name-%03d", i);
		int fd = open(name, O_CREAT | O_WRONLY, 0644);
		CHECK(fd >= 0);
		close(fd);
	}
	DIR *d = opendir("/tmp/pmany");
	CHECK(d != NULL);
	int n = 0, dots = 0;
	static char seen[200];
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) {
			dots++;
			continue;
		}
		int i = atoi(e->d_name + strlen("file-with-a-longish-name-"));
		if (i >= 0 && i < 200 && !seen[i] && e->d_type == DT_REG)
			seen[i] = 1, n++;
	}
	CHECK(n == 200 && dots == 2);
	if (d) {
		rewinddir(d);
		CHECK(readdir(d) != NULL);
		closedir(d);
	}
	report("FSP-006", "readdir of 200 entries (getdents64), rewinddir");
}

static void
t_dup(void)
{
	char b[4];
	int fd = open("/tmp/p1", O_RDONLY);
	int fd2 = dup(fd);
	CHECK(fd2 > fd);
	CHECK(read(fd, b, 2) == 2);
	CHECK(lseek(fd2, 0, SEEK_CUR) == 2); /* one description, one offset */
	CHECK(dup2(fd, 40) == 40);
	CHECK(lseek(40, 0, SEEK_CUR) == 2);
	CHECK(fcntl(40, F_GETFD) == 0);
	CHECK(fcntl(40, F_SETFD, FD_CLOEXEC) == 0 && fcntl(40, F_GETFD) == FD_CLOEXEC);
	CHECK((fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDONLY);
	int fd3 = fcntl(fd, F_DUPFD_CLOEXEC, 50);
	CHECK(fd3 == 50 && fcntl(50, F_GETFD) == FD_CLOEXEC);
	close(fd);
	CHECK(read(fd2, b, 2) == 2); /* the description lives on */
	close(fd2);
	close(40);
	close(50);
	CHECK(dup(77) == -1 && errno == EBADF);
	report("FSP-007", "dup, dup2, fcntl (FD_CLOEXEC, F_GETFL, F_DUPFD_CLOEXEC)");
}

static void
t_errno(void)
{
	CHECK(open("/tmp/nope", O_RDONLY) == -1 && errno == ENOENT);
	CHECK(mkdir("/tmp/pd", 0755) == -1 && errno == EEXIST);
	CHECK(rmdir("/tmp/pd") == -1 && errno == ENOTEMPTY);
	CHECK(open("/tmp", O_WRONLY) == -1 && errno == EISDIR);
	CHECK(open("/tmp/p1/x", O_RDONLY) == -1 && errno == ENOTDIR);
	CHECK(open("/tmp/p1", O_CREAT | O_EXCL | O_RDWR, 0644) == -1 && errno == EEXIST);
	CHECK(unlink("/tmp/pd") == -1 && errno == EISDIR);
	CHECK(rmdir("/tmp/p1") == -1 && errno == ENOTDIR);
	char longname[300];
	memset(longname, 'n', sizeof longname);
	memcpy(longname, "/tmp/", 5);
	longname[299] = 0;
	CHECK(open(longname, O_CREAT | O_RDWR, 0644) == -1 && errno == ENAMETOOLONG);
	int fd = open("/tmp/p1", O_RDONLY);
	CHECK(write(fd, "x", 1) == -1 && errno == EBADF);
	close(fd);
	report("FSP-008", "errno: ENOENT, EEXIST, ENOTEMPTY, EISDIR, ENOTDIR, ENAMETOOLONG, EBADF");
}

static void
t_stdio(void)
{
	FILE *f = fopen("/tmp/stdio.txt", "w");
	CHECK(f != NULL);
	if (f) {
		for (int i = 0; i < 100; i++)
			fprintf(f, "line %d\n", i);
		CHECK(fclose(f) == 0);
	}
	f = fopen("/tmp/stdio.txt", "r");
	CHECK(f != NULL);
	char line[32];
	int n = 0, ok = 1;
	while (f && fgets(line, sizeof line, f)) {
		char want[32];
		snprintf(want, sizeof want, "line %d\n", n);
		ok &= strcmp(line, want) == 0;
		n++;
	}
	CHECK(n == 100 && ok);
	if (f)
		fclose(f);
	report("FSP-009", "stdio: fopen, fprintf, fgets on a file");
}

static void
t_links(void)
{
	char buf[256];
	const char *target =
	        "/tmp/pd/a-target-name-that-is-longer-than-sixty-four-bytes-so-it-goes-by-area";
	int fd = open(target, O_CREAT | O_WRONLY, 0644);
	CHECK(fd >= 0);
	close(fd);
	CHECK(symlink(target, "/tmp/longlink") == 0);
	ssize_t n = readlink("/tmp/longlink", buf, sizeof buf);
	CHECK(n == (ssize_t)strlen(target) && memcmp(buf, target, n) == 0);
	CHECK(readlink("/tmp/longlink", buf, 4) == 4);
	CHECK(readlink("/tmp/p1", buf, sizeof buf) == -1 && errno == EINVAL);
	CHECK(link(target, "/tmp/hard") == 0);
	struct stat st;
	CHECK(stat("/tmp/hard", &st) == 0 && st.st_nlink == 2);
	report("FSP-010", "symlink, readlink (long target), link");
}

static void
t_umask_attrs(void)
{
	struct stat st;
	mode_t old = umask(027);
	int fd = open("/tmp/um", O_CREAT | O_RDWR, 0666);
	CHECK(fstat(fd, &st) == 0 && (st.st_mode & 0777) == 0640);
	CHECK(ftruncate(fd, 1000) == 0 && fstat(fd, &st) == 0 && st.st_size == 1000);
	close(fd);
	umask(old);
	CHECK(truncate("/tmp/um", 10) == 0 && stat("/tmp/um", &st) == 0 && st.st_size == 10);
	CHECK(chmod("/tmp/um", 0755) == 0 && stat("/tmp/um", &st) == 0 &&
	      (st.st_mode & 0777) == 0755);
	CHECK(access("/tmp/um", X_OK) == 0);
	struct timespec ts[2] = {{1000, 0}, {2000, 5}};
	CHECK(utimensat(AT_FDCWD, "/tmp/um", ts, 0) == 0);
	CHECK(stat("/tmp/um", &st) == 0 && st.st_mtim.tv_sec == 2000 && st.st_mtim.tv_nsec == 5);
	CHECK(st.st_atim.tv_sec == 1000);
	report("FSP-011", "umask, ftruncate, truncate, chmod, access, utimensat");
}

static void
t_dev(void)
{
	char b[16];
	int fd = open("/dev/null", O_RDWR);
	CHECK(fd >= 0 && write(fd, "x", 1) == 1 && read(fd, b, 16) == 0);
	close(fd);
	fd = open("/dev/zero", O_RDONLY);
	memset(b, 1, sizeof b);
	CHECK(read(fd, b, 16) == 16 && b[0] == 0 && b[15] == 0);
	close(fd);
	struct statfs sf;
	CHECK(statfs("/tmp", &sf) == 0 && sf.f_type == 0x01021994);
	report("FSP-012", "/dev/null, /dev/zero, statfs");
}

int
main(void)
{
	t_bulk();
	t_seek();
	t_stat();
	t_dirs();
	t_rename();
	t_readdir();
	t_dup();
	t_errno();
	t_stdio();
	t_links();
	t_umask_attrs();
	t_dev();
	return failed;
}
