/* SPDX-License-Identifier: MIT */
/*
 * vfs enforces the caller's credentials (docs/proto/vfs.md "Credentials"),
 * seen from musl programs on the whole system (suite fscred: run through
 * cmd=, with procmgr, so set*id, setgroups, fork and exec are real).
 * Each test forks children that drop root and checks what vfs lets them
 * do.  The protocol-level tests (tokens, the table) are FS0070..FS0074 in
 * fstest.c.  Prints PASS/FAIL per test and SUITE-END.
 *
 * Run as "fscred suid PATH" it is the set-user-ID helper of FS0064:
 * exits 0 if it runs with euid 0 and can read PATH, root's 0600 file.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../pxcheck.h"

#define DIR0    "/tmp/fscred"
#define SECRET  DIR0 "/secret"  /* root's, 0600 */
#define PUBLIC  DIR0 "/public"  /* root's, 0644 */
#define PRIVDIR DIR0 "/private" /* root's, 0700, with a file inside */
#define USER    1000
#define OTHER   1001

static const char *self_path = "/bin/fs/fscred";

/* Runs fn in a child that has become uid (and gid) u; its exit code is fn's. */
static int
as_user(uid_t u, int (*fn)(void))
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (setgid(u) || setuid(u))
			_exit(100);
		_exit(fn());
	}
	int st;
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* In a child: the first failed condition's line as the exit code, 0 if none. */
#define REQUIRE(c)                                                                                 \
	do {                                                                                       \
		if (!(c)) {                                                                        \
			printf("  child check failed: %s (line %d, errno %d)\n", #c, __LINE__,     \
			       errno);                                                             \
			fflush(stdout);                                                            \
			return __LINE__ % 200 + 1;                                                 \
		}                                                                                  \
	} while (0)

static int
put(const char *path, mode_t mode, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) && chmod(path, mode) == 0 ? 0 : -1;
}

static void
setup(void)
{
	mkdir(DIR0, 0755);
	chmod(DIR0, 0755);
	mkdir(PRIVDIR, 0700);
	CHECK(put(SECRET, 0600, "secret\n") == 0);
	CHECK(put(PUBLIC, 0644, "public\n") == 0);
	CHECK(put(PRIVDIR "/f", 0644, "inside\n") == 0);
}

/* ---- FS0060: reads of root's 0600 file ---- */

static int
c_read_secret(void)
{
	errno = 0;
	REQUIRE(open(SECRET, O_RDONLY) < 0 && errno == EACCES);
	REQUIRE(open(SECRET, O_WRONLY) < 0 && errno == EACCES);
	int fd = open(PUBLIC, O_RDONLY);
	REQUIRE(fd >= 0);
	close(fd);
	REQUIRE(open(PUBLIC, O_RDWR) < 0 && errno == EACCES);
	/* Its own 0600 file: the owner reads and writes it. */
	REQUIRE(put("/tmp/fscred-own", 0600, "mine\n") == 0);
	fd = open("/tmp/fscred-own", O_RDWR);
	REQUIRE(fd >= 0);
	close(fd);
	struct stat st;
	REQUIRE(stat("/tmp/fscred-own", &st) == 0 && st.st_uid == USER && st.st_gid == USER);
	return 0;
}

static int
c_other_reads_own(void)
{
	REQUIRE(open("/tmp/fscred-own", O_RDONLY) < 0 && errno == EACCES);
	return 0;
}

static void
t_read(void)
{
	CHECK(as_user(USER, c_read_secret) == 0);
	CHECK(as_user(OTHER, c_other_reads_own) == 0);
	int fd = open(SECRET, O_RDWR); /* root still may */
	CHECK(fd >= 0);
	close(fd);
	fd = open("/tmp/fscred-own", O_RDWR);
	CHECK(fd >= 0);
	close(fd);
	unlink("/tmp/fscred-own");
}

/* ---- FS0061: writes to root's directories ---- */

static int
c_write_dirs(void)
{
	REQUIRE(open("/etc/fscred", O_WRONLY | O_CREAT, 0644) < 0 && errno == EACCES);
	REQUIRE(mkdir(DIR0 "/d", 0755) < 0 && errno == EACCES);
	REQUIRE(unlink(PUBLIC) < 0 && errno == EACCES);
	REQUIRE(rename(PUBLIC, DIR0 "/moved") < 0 && errno == EACCES);
	REQUIRE(link(PUBLIC, DIR0 "/l") < 0 && errno == EACCES);
	REQUIRE(symlink("x", DIR0 "/s") < 0 && errno == EACCES);
	REQUIRE(truncate(PUBLIC, 0) < 0 && errno == EACCES);
	/* Search permission on every component: a 0700 directory stops the walk. */
	struct stat st;
	REQUIRE(stat(PRIVDIR "/f", &st) < 0 && errno == EACCES);
	REQUIRE(open(PRIVDIR "/f", O_RDONLY) < 0 && errno == EACCES);
	REQUIRE(symlink(PRIVDIR "/f", "/tmp/fscred-link") == 0);
	REQUIRE(open("/tmp/fscred-link", O_RDONLY) < 0 && errno == EACCES);
	REQUIRE(unlink("/tmp/fscred-link") == 0);
	REQUIRE(mount("none", "/tmp", "tmpfs", 0, NULL) < 0 && errno == EPERM);
	/* /dev nodes keep their modes: null is 0666 for everyone. */
	int fd = open("/dev/null", O_RDWR);
	REQUIRE(fd >= 0);
	close(fd);
	return 0;
}

static void
t_write_dirs(void)
{
	CHECK(as_user(USER, c_write_dirs) == 0);
	struct stat st;
	CHECK(stat(PUBLIC, &st) == 0 && st.st_size == 7);
	CHECK(access("/etc/fscred", F_OK) < 0);
}

/* ---- FS0062: chmod, chown, utimensat of others' files ---- */

static int
c_chmod_chown(void)
{
	REQUIRE(chmod(PUBLIC, 0666) < 0 && errno == EPERM);
	REQUIRE(chown(PUBLIC, USER, USER) < 0 && errno == EPERM);
	struct timespec ts[2] = {{1, 0}, {1, 0}};
	REQUIRE(utimensat(AT_FDCWD, PUBLIC, ts, 0) < 0 && errno == EPERM);
	REQUIRE(utimensat(AT_FDCWD, PUBLIC, NULL, 0) < 0 && errno == EACCES);
	/* Its own file: chmod yes, chown to another uid no, to its own group yes. */
	REQUIRE(put("/tmp/fscred-mine", 0644, "x") == 0);
	REQUIRE(chmod("/tmp/fscred-mine", 0600) == 0);
	REQUIRE(chown("/tmp/fscred-mine", OTHER, -1) < 0 && errno == EPERM);
	REQUIRE(chown("/tmp/fscred-mine", -1, OTHER) < 0 && errno == EPERM);
	REQUIRE(chown("/tmp/fscred-mine", USER, USER) == 0);
	REQUIRE(utimensat(AT_FDCWD, "/tmp/fscred-mine", ts, 0) == 0);
	/* Set-group-ID of a group it is not in goes on chmod. */
	REQUIRE(chmod("/tmp/fscred-mine", 02755) == 0);
	struct stat st;
	REQUIRE(stat("/tmp/fscred-mine", &st) == 0 && (st.st_mode & 07777) == 02755);
	/* fchmod through a descriptor: the same rules (the fd's port is not a bound one). */
	int fd = open(PUBLIC, O_RDONLY);
	REQUIRE(fd >= 0);
	REQUIRE(fchmod(fd, 0666) < 0 && errno == EPERM);
	close(fd);
	fd = open("/tmp/fscred-mine", O_RDONLY);
	REQUIRE(fd >= 0 && fchmod(fd, 0640) == 0);
	close(fd);
	return 0;
}

static int
c_sgid_drop(void)
{
	REQUIRE(chmod("/tmp/fscred-mine", 02755) == 0);
	return 0;
}

static void
t_chmod_chown(void)
{
	CHECK(as_user(USER, c_chmod_chown) == 0);
	struct stat st;
	CHECK(stat(PUBLIC, &st) == 0 && (st.st_mode & 07777) == 0644 && st.st_uid == 0);
	CHECK(stat("/tmp/fscred-mine", &st) == 0 && (st.st_mode & 07777) == 0640);
	/* root: chown to anyone; set-id bits go with it. */
	CHECK(chmod("/tmp/fscred-mine", 06755) == 0);
	CHECK(chown("/tmp/fscred-mine", OTHER, OTHER) == 0);
	CHECK(stat("/tmp/fscred-mine", &st) == 0 && st.st_uid == OTHER && st.st_gid == OTHER &&
	      (st.st_mode & 07777) == 0755);
	/* A non-member's chmod drops set-group-ID (its group is 1001, the caller 1000). */
	CHECK(chown("/tmp/fscred-mine", USER, OTHER) == 0);
	CHECK(as_user(USER, c_sgid_drop) == 0);
	CHECK(stat("/tmp/fscred-mine", &st) == 0 && (st.st_mode & 07777) == 0755);
	unlink("/tmp/fscred-mine");
}

/* ---- FS0063: sticky /tmp ---- */

static int
c_make_in_tmp(void)
{
	REQUIRE(put("/tmp/fscred-sticky", 0666, "x") == 0);
	return 0;
}

static int
c_unlink_others(void)
{
	/* World-writable, but the sticky /tmp: only its owner, the
	 * directory's owner or root may remove or rename it. */
	int fd = open("/tmp/fscred-sticky", O_WRONLY);
	REQUIRE(fd >= 0);
	close(fd);
	REQUIRE(unlink("/tmp/fscred-sticky") < 0 && errno == EPERM);
	REQUIRE(rename("/tmp/fscred-sticky", "/tmp/fscred-x") < 0 && errno == EPERM);
	return 0;
}

static int
c_unlink_own(void)
{
	REQUIRE(unlink("/tmp/fscred-sticky") == 0);
	return 0;
}

static void
t_sticky(void)
{
	CHECK(as_user(USER, c_make_in_tmp) == 0);
	CHECK(as_user(OTHER, c_unlink_others) == 0);
	CHECK(as_user(USER, c_unlink_own) == 0);
	CHECK(access("/tmp/fscred-sticky", F_OK) < 0 && errno == ENOENT);
	CHECK(as_user(USER, c_make_in_tmp) == 0);
	CHECK(unlink("/tmp/fscred-sticky") == 0); /* root may */
}

/* ---- FS0064: set-user-ID exec ---- */

static int
c_exec_suid(void)
{
	REQUIRE(geteuid() == USER);
	REQUIRE(open(SECRET, O_RDONLY) < 0 && errno == EACCES);
	execl("/tmp/fscred-suid", "fscred", "suid", SECRET, (char *)NULL);
	return 99;
}

static int
copy(const char *from, const char *to)
{
	char buf[8192];
	int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	ssize_t n;
	int rc = in >= 0 && out >= 0 ? 0 : -1;
	while (!rc && (n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n)
			rc = -1;
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return rc;
}

static void
t_suid(void)
{
	CHECK(copy(self_path, "/tmp/fscred-suid") == 0);
	CHECK(chmod("/tmp/fscred-suid", 04755) == 0);
	CHECK(as_user(USER, c_exec_suid) == 0);
	/* Without the bit the same program runs as the caller. */
	CHECK(chmod("/tmp/fscred-suid", 0755) == 0);
	CHECK(as_user(USER, c_exec_suid) == 3);
	unlink("/tmp/fscred-suid");
}

static int
suid_main(const char *path)
{
	if (geteuid() != 0)
		return getuid() == USER ? 3 : 4;
	if (getuid() != USER)
		return 5;
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return 6;
	close(fd);
	/* access() checks the real ids, AT_EACCESS the effective ones. */
	if (access(path, R_OK) == 0 || errno != EACCES)
		return 7;
	if (faccessat(AT_FDCWD, path, R_OK, AT_EACCESS) != 0)
		return 8;
	return 0;
}

/* ---- FS0068: exec walks to the program with the caller's ids ---- */

#define XDIR DIR0 "/xdir" /* root's; mode varies */

/* Runs XDIR/prog (a copy of this program, "suid" mode: exit 3 as USER). */
static int
c_exec_in_dir(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = {"fscred", "suid", SECRET, NULL};
		execv(XDIR "/prog", argv);
		_exit(errno == EACCES ? 40 : 41);
	}
	int st;
	REQUIRE(waitpid(pid, &st, 0) == pid && WIFEXITED(st));
	return WEXITSTATUS(st);
}

static void
t_exec_search(void)
{
	CHECK(mkdir(XDIR, 0755) == 0 || errno == EEXIST);
	CHECK(copy(self_path, XDIR "/prog") == 0 && chmod(XDIR "/prog", 0755) == 0);
	CHECK(chmod(XDIR, 0755) == 0);
	CHECK(as_user(USER, c_exec_in_dir) == 3); /* runs, as USER */
	CHECK(chmod(XDIR, 0754) == 0);            /* others may list it, not search it */
	CHECK(as_user(USER, c_exec_in_dir) == 40);
	CHECK(c_exec_in_dir() == 5); /* root: any directory (suid_main: 5, not USER) */
	CHECK(chmod(XDIR, 0755) == 0 && chmod(XDIR "/prog", 0744) == 0);
	CHECK(as_user(USER, c_exec_in_dir) == 40); /* no x bit for others */
	unlink(XDIR "/prog");
	rmdir(XDIR);
}

/* ---- FS0065: access vs faccessat(AT_EACCESS); changes seen at once ---- */

static int
c_access(void)
{
	/* Real 1000, effective 0 (then back and forth through the saved id). */
	REQUIRE(access(SECRET, R_OK) < 0 && errno == EACCES);
	REQUIRE(faccessat(AT_FDCWD, SECRET, R_OK, AT_EACCESS) == 0);
	int fd = open(SECRET, O_RDONLY);
	REQUIRE(fd >= 0);
	close(fd);
	REQUIRE(seteuid(USER) == 0);
	REQUIRE(open(SECRET, O_RDONLY) < 0 && errno == EACCES);
	REQUIRE(faccessat(AT_FDCWD, SECRET, R_OK, AT_EACCESS) < 0 && errno == EACCES);
	REQUIRE(seteuid(0) == 0);
	fd = open(SECRET, O_RDONLY);
	REQUIRE(fd >= 0);
	close(fd);
	return 0;
}

static void
t_access(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		if (setresuid(USER, 0, 0))
			_exit(100);
		_exit(c_access());
	}
	int st;
	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK(access(SECRET, R_OK | W_OK) == 0);
}

/* ---- FS0066: supplementary groups ---- */

static int
c_groups(void)
{
	gid_t g[4];
	REQUIRE(getgroups(4, g) == 1 && g[0] == 500);
	int fd = open(DIR0 "/group", O_RDONLY);
	REQUIRE(fd >= 0);
	close(fd);
	REQUIRE(setgroups(0, NULL) < 0 && errno == EPERM);
	return 0;
}

static int
c_nogroups(void)
{
	REQUIRE(getgroups(0, NULL) == 0);
	REQUIRE(open(DIR0 "/group", O_RDONLY) < 0 && errno == EACCES);
	return 0;
}

static int
c_sgid_dir(void)
{
	struct stat st;
	REQUIRE(put(DIR0 "/sgid/f", 0644, "x") == 0);
	REQUIRE(stat(DIR0 "/sgid/f", &st) == 0 && st.st_uid == USER && st.st_gid == 500);
	REQUIRE(mkdir(DIR0 "/sgid/d", 0755) == 0);
	REQUIRE(stat(DIR0 "/sgid/d", &st) == 0 && st.st_gid == 500 && (st.st_mode & 02000));
	return 0;
}

#define PROC_GROUPS_TOO_MANY 17 /* procmgr keeps 16 */

static void
t_groups(void)
{
	CHECK(put(DIR0 "/group", 0640, "group\n") == 0);
	CHECK(chown(DIR0 "/group", 0, 500) == 0);
	gid_t g[PROC_GROUPS_TOO_MANY];
	for (unsigned i = 0; i < PROC_GROUPS_TOO_MANY; i++)
		g[i] = 2000 + i;
	CHECK(setgroups(PROC_GROUPS_TOO_MANY, g) < 0 && errno == EINVAL);
	pid_t pid = fork();
	if (pid == 0) {
		gid_t one = 500;
		if (setgroups(1, &one) || setgid(USER) || setuid(USER))
			_exit(100);
		_exit(c_groups());
	}
	int st;
	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK(as_user(USER, c_nogroups) == 0);
	/* A set-group-ID directory gives its group to what is made in it. */
	CHECK(mkdir(DIR0 "/sgid", 02777) == 0 && chmod(DIR0 "/sgid", 02777) == 0);
	CHECK(chown(DIR0 "/sgid", 0, 500) == 0);
	CHECK(as_user(USER, c_sgid_dir) == 0);
}

/* ---- FS0067: descriptors and the working directory give no one else's rights ---- */

static int dirfd_priv = -1;

static int
c_dirfd(void)
{
	/* Opened by root before the ids changed: the check is the caller's now. */
	REQUIRE(openat(dirfd_priv, "f", O_RDONLY) < 0 && errno == EACCES);
	struct stat st;
	REQUIRE(fstatat(dirfd_priv, "f", &st, 0) < 0 && errno == EACCES);
	/* The working directory inherited from root: the same. */
	REQUIRE(open("f", O_RDONLY) < 0 && errno == EACCES);
	int fd = open(PUBLIC, O_RDONLY);
	REQUIRE(fd >= 0);
	/* A descriptor of a file: fstat on it works, fchmod is the owner's. */
	REQUIRE(fstat(fd, &st) == 0 && st.st_uid == 0);
	REQUIRE(fchown(fd, USER, USER) < 0 && errno == EPERM);
	close(fd);
	return 0;
}

static void
t_dirfd(void)
{
	dirfd_priv = open(PRIVDIR, O_RDONLY | O_DIRECTORY);
	CHECK(dirfd_priv >= 0);
	CHECK(chdir(PRIVDIR) == 0);
	CHECK(as_user(USER, c_dirfd) == 0);
	int fd = openat(dirfd_priv, "f", O_RDONLY); /* root, in the same descriptors */
	CHECK(fd >= 0);
	close(fd);
	fd = open("f", O_RDONLY);
	CHECK(fd >= 0);
	close(fd);
	CHECK(chdir("/") == 0);
	close(dirfd_priv);
}

int
main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "suid"))
		return suid_main(argv[2]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1)
		filter = argv[1];
	setup();
	TEST(t_read, "FS0060",
	     "a non-root process is refused root's 0600 file (EACCES), reads its own; root reads "
	     "both");
	TEST(t_write_dirs, "FS0061",
	     "no create/mkdir/unlink/rename/link/symlink/truncate in root's directories, /etc; "
	     "search permission on every component and through symlinks; mount EPERM");
	TEST(t_chmod_chown, "FS0062",
	     "chmod/chown/utimensat/fchmod of others' files EPERM/EACCES; the owner's chmod, chgrp "
	     "to its group; root's chown clears set-id; set-group-ID dropped for non-members");
	TEST(t_sticky, "FS0063",
	     "sticky /tmp: another user's unlink and rename EPERM; the owner's and root's unlink");
	TEST(t_suid, "FS0064",
	     "set-user-ID exec: euid 0 for vfs's checks at once; access() with the real ids, "
	     "AT_EACCESS with the effective");
	TEST(t_access, "FS0065",
	     "access vs faccessat(AT_EACCESS) with real 1000 / effective 0; seteuid changes seen "
	     "at the next request");
	TEST(t_groups, "FS0066",
	     "setgroups: a supplementary group opens a 0640 file, none does not; getgroups; EPERM "
	     "for non-root, EINVAL over the limit; set-group-ID directory");
	TEST(t_dirfd, "FS0067",
	     "a root-opened directory descriptor and working directory give a child that dropped "
	     "root no rights (openat, fstatat, open); fchown EPERM");
	TEST(t_exec_search, "FS0068",
	     "exec as a non-root user: EACCES without search permission on the program's "
	     "directory or its x bit; runs with both; root runs it either way");
	printf("%d passed, %d failed\nSUITE-END fscred\n", passed, failed);
	return failed ? 1 : 0;
}
