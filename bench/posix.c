// SPDX-License-Identifier: MIT
/*
 * POSIX-level benchmarks, a musl program run as a process
 * (cmd=/bin/bench/posix, through posixsrv and procmgr), defined like their
 * Linux partners in bench/linux/linuxbench.c (bench/linux/pairs.txt):
 *   fork_exit_wait   fork, child _exit(0), waitpid; median of 200
 *   fork_exec_wait   the same with the child exec'ing /bin/bench/exit0
 *   file_create      tmpfs: open(O_CREAT|O_EXCL) + close; median of 200
 *   file_write_4k/64k, file_read_4k/64k   pwrite/pread at offset 0 of
 *                    new files; median of 64
 *   file_unlink      tmpfs: unlink; median of 200
 * Prints "BENCH <metric> <value> <unit>" and "SUITE-END posix".  The unit
 * is instructions under ./ferry bench (-icount: the TSC counts guest
 * instructions); run without -icount the figures are TSC cycles.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define KIB 1024
static uint64_t samples[256];
static const char *const unit = "insns";

static uint64_t
rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static __attribute__((noreturn)) void
die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "posixbench: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

static int
cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static uint64_t
median(uint64_t *s, int n)
{
	qsort(s, (size_t)n, sizeof(*s), cmp);
	return s[n / 2];
}

static void
report(const char *metric, uint64_t value)
{
	printf("BENCH %s %llu %s\n", metric, (unsigned long long)value, unit);
	fflush(stdout);
}

static void
bench_fork(void)
{
	const int n = 200;
	for (int i = 0; i < n + 10; i++) {
		uint64_t a = rdtsc();
		pid_t pid = fork();
		if (pid == 0)
			_exit(0);
		if (pid < 0)
			die("fork");
		int st;
		if (waitpid(pid, &st, 0) != pid)
			die("waitpid");
		if (i >= 10)
			samples[i - 10] = rdtsc() - a;
	}
	report("fork_exit_wait", median(samples, n));

	char *argv[] = {"exit0", NULL};
	char *envp[] = {NULL};
	for (int i = 0; i < n + 10; i++) {
		uint64_t a = rdtsc();
		pid_t pid = fork();
		if (pid == 0) {
			execve("/bin/bench/exit0", argv, envp);
			_exit(127);
		}
		if (pid < 0)
			die("fork");
		int st;
		if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
			die("fork+exec: child status %#x", st);
		if (i >= 10)
			samples[i - 10] = rdtsc() - a;
	}
	report("fork_exec_wait", median(samples, n));
}

static void
bench_file(void)
{
	const int n = 200;
	char name[64];
	char *buf = mmap(0, 64 * KIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		die("mmap");
	memset(buf, 0x33, 64 * KIB);
	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "/tmp/c%d", i);
		uint64_t a = rdtsc();
		int fd = open(name, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0 || close(fd))
			die("create %s", name);
		samples[i] = rdtsc() - a;
	}
	report("file_create", median(samples, n));

	static const size_t sizes[] = {4 * KIB, 64 * KIB};
	for (int s = 0; s < 2; s++) {
		size_t sz = sizes[s];
		int fds[64];
		for (int i = 0; i < 64; i++) {
			snprintf(name, sizeof(name), "/tmp/w%zu_%d", sz, i);
			if ((fds[i] = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644)) < 0)
				die("open %s", name);
		}
		for (int i = 0; i < 64; i++) {
			uint64_t a = rdtsc();
			if (pwrite(fds[i], buf, sz, 0) != (ssize_t)sz)
				die("pwrite");
			samples[i] = rdtsc() - a;
		}
		snprintf(name, sizeof(name), "file_write_%zuk", sz / KIB);
		report(name, median(samples, 64));
		for (int i = 0; i < 64; i++) {
			uint64_t a = rdtsc();
			if (pread(fds[i], buf, sz, 0) != (ssize_t)sz)
				die("pread");
			samples[i] = rdtsc() - a;
		}
		snprintf(name, sizeof(name), "file_read_%zuk", sz / KIB);
		report(name, median(samples, 64));
		for (int i = 0; i < 64; i++)
			close(fds[i]);
	}
	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "/tmp/c%d", i);
		uint64_t a = rdtsc();
		if (unlink(name))
			die("unlink %s", name);
		samples[i] = rdtsc() - a;
	}
	report("file_unlink", median(samples, n));
}

int
main(void)
{
	bench_fork();
	bench_file();
	printf("SUITE-END posix\n");
	return 0;
}
