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
 *   file_mmap_munmap mmap (MAP_SHARED, PROT_WRITE) of a 4 KiB tmpfs file
 *                    and munmap; median of 200
 *   file_msync       msync(MS_SYNC) of that mapping (FILE_MSYNC); median of 200
 *   signal_raise, signal_mask, signal_queue_wait   raise to a handler,
 *                    block+unblock, sigqueue+sigwaitinfo; medians of 200
 *   signal_fault     a load from an unmapped page caught by a SIGSEGV
 *                    handler that returns past it; median of 200
 * With the argument "fs" (bench fs) it runs workloads.h's bench_fs
 * instead: file_open_close, file_stat, file_create_write_unlink_4k,
 * file_seq_write_16m / file_seq_read_16m (MiB/s), readdir_1000.
 * With "boot" (bench boot) it reports how far into the boot it started:
 * boot_to_command (TSC since the machine's reset) and kernel_to_command
 * (the monotonic clock, from the kernel's clock set-up), for a command
 * run through /bin/sh -c as `./ferry run -c` does.
 * Prints "BENCH <metric> <value> <unit>" and "SUITE-END posix".  The unit
 * is instructions under ./ferry bench (-icount: the TSC counts guest
 * instructions); run without -icount the figures are TSC cycles.
 */
#define _GNU_SOURCE /* mcontext_t's gregs (signal_fault) */
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "measure.h"

#define KIB 1024
static uint64_t samples[256];
static const char *const unit = "insns";

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

/* A shared writable file mapping: mmap + munmap (FILE_MMAP and libposix's mapping table), msync. */
static void
bench_file_map(void)
{
	const int n = 200;
	int fd = open("/tmp/bench_map", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, 4 * KIB))
		die("map file");
	for (int i = 0; i < n; i++) {
		uint64_t a = rdtsc();
		void *p = mmap(0, 4 * KIB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED || munmap(p, 4 * KIB))
			die("mmap file");
		samples[i] = rdtsc() - a;
	}
	report("file_mmap_munmap", median(samples, n), unit);
	char *p = mmap(0, 4 * KIB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap file");
	for (int i = 0; i < n; i++) {
		p[0] = (char)i;
		uint64_t a = rdtsc();
		if (msync(p, 4 * KIB, MS_SYNC))
			die("msync");
		samples[i] = rdtsc() - a;
	}
	report("file_msync", median(samples, n), unit);
	munmap(p, 4 * KIB);
	close(fd);
	unlink("/tmp/bench_map");
}

static void *
map_anon(size_t size)
{
	void *p = mmap(0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		die("mmap %zu", size);
	return p;
}

#define EXIT0_PATH "/bin/bench/exit0"
#include "workloads.h"

int
main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "boot")) {
		/* Started by posixsrv through /bin/sh -c, as `./ferry run -c`:
		 * the TSC counts from the machine's reset (firmware included),
		 * the monotonic clock from the kernel's clock set-up. */
		struct timespec ts;
		uint64_t tsc = rdtsc();
		clock_gettime(CLOCK_MONOTONIC, &ts);
		report("boot_to_command", tsc, unit);
		report("kernel_to_command",
		       (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec, "ns");
		printf("SUITE-END boot\n");
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "fs")) {
		bench_fs();
		printf("SUITE-END fs\n");
		return 0;
	}
	bench_fork();
	bench_file();
	bench_file_map();
	bench_signal();
	bench_fault();
	printf("SUITE-END posix\n");
	return 0;
}
