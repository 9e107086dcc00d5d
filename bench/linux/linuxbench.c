// SPDX-License-Identifier: MIT
/*
 * The Linux reference column of Ferry's benchmarks: /init of a Debian kernel
 * booted by tools/linux-bench.sh in the same QEMU -icount configuration as
 * `./ferry bench`.  Built on the host: gcc -static -O2 (glibc).
 *
 * Under -icount shift=0 the TSC advances one tick per guest instruction, so
 * every rdtsc delta below is an instruction count (checked at start-up
 * against the TSC frequency the kernel reports and against CLOCK_MONOTONIC).
 * Each metric mirrors a Ferry one; docs/benchmarks.md pairs them:
 *
 *   linux_null_syscall      getppid, mean of a 2000-call loop, best of 5
 *                           loops (inline syscall instruction; _libc: through
 *                           glibc's syscall())                  (null_syscall)
 *   linux_pipe_pingpong     1 byte there and back between two processes
 *                           over two pipes, median of 2000      (pipe_pingpong,
 *                                                                ipc_roundtrip)
 *   linux_fork_exit_wait    fork, child _exit(0), waitpid; median
 *   linux_fork_exec_wait    fork, child execs /bin/exit0 (static), waitpid
 *   linux_thread_create_join  pthread_create + pthread_join; median
 *   linux_page_fault        first write to an anonymous private 4 KiB page,
 *                           mean over 1024 pages, THP off       (page_fault)
 *   linux_fork_16m          fork() in the parent, 16 MiB touched (fork_16m)
 *   linux_pipe_write_64k    16 MiB in 64 KiB writes to a reader process: mean
 *                           cost per 64 KiB, and linux_pipe_bandwidth in MiB
 *                           per guest second (one insn per ns) (pipe_*)
 *   linux_file_*            tmpfs: create (open O_CREAT + close), write and
 *                           read of 4 KiB and 64 KiB, unlink; medians
 *   linux_file_open_close, _stat, _create_write_unlink_4k, _seq_write_16m,
 *   _seq_read_16m (MiB/s), linux_readdir_1000
 *                           tmpfs: bench_fs of bench/workloads.h
 *   linux_boot_to_init      TSC at the first instruction of /init: the whole
 *                           boot (firmware, decompression, kernel) in insns
 *   linux_rep_stosb_4k, linux_rep_movsb_64k
 *                           calibration: what one rep string instruction
 *                           over 4 KiB / 64 KiB counts as
 *
 * Every line is `BENCH <metric> <value> <unit>`; the last is
 * `SUITE-END linuxbench`, then the machine powers off.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define N    2000
#define KIB  1024ul
#define MIB  (1024 * KIB)
#define PAGE 4096ul

static uint64_t samples[N];
static const char *unit = "insns";

static inline uint64_t
rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static void
die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("FAIL linuxbench: ");
	vprintf(fmt, ap);
	printf(" (errno %d)\n", errno);
	va_end(ap);
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	_exit(1);
}

static void
report(const char *metric, uint64_t value, const char *u)
{
	printf("BENCH linux_%s %llu %s\n", metric, (unsigned long long)value, u);
	fflush(stdout);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static uint64_t
median(uint64_t *a, int n)
{
	qsort(a, n, sizeof(*a), cmp_u64);
	return a[n / 2];
}

/* getppid straight through the syscall instruction, no libc wrapper. */
static inline long
sys_getppid(void)
{
	long r;
	__asm__ volatile("syscall" : "=a"(r) : "0"((long)SYS_getppid) : "rcx", "r11", "memory");
	return r;
}

/* Private anonymous memory in 4 KiB pages, like Ferry's map_private. */
static char *
map_anon(size_t size)
{
	char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		die("mmap %zu", size);
	if (madvise(p, size, MADV_NOHUGEPAGE))
		die("madvise");
	return p;
}

/* ---- set-up ------------------------------------------------------------ */

static void
setup(void)
{
	mkdir("/dev", 0755);
	mkdir("/proc", 0755);
	mkdir("/tmp", 01777);
	/* Without /dev/console in the archive the kernel gave us no console. */
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	int fd = open("/dev/console", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (mount("proc", "/proc", "proc", 0, NULL))
		die("mount /proc");
	if (mount("tmpfs", "/tmp", "tmpfs", 0, "size=64m"))
		die("mount /tmp");
}

/* What the kernel runs with: the mitigations shape every system call. */
static void
show_config(void)
{
	static const char *const vuln[] = {"meltdown", "spectre_v1", "spectre_v2",
	                                   "mds",      "retbleed",   "spec_store_bypass"};
	char path[128], line[256];
	mkdir("/sys", 0755);
	if (mount("sysfs", "/sys", "sysfs", 0, NULL))
		return;
	FILE *f = fopen("/proc/version", "r");
	if (f && fgets(line, sizeof(line), f))
		printf("linuxbench: %s", line);
	if (f)
		fclose(f);
	f = fopen("/proc/cpuinfo", "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "model name", 10) || !strncmp(line, "vendor_id", 9))
			printf("linuxbench: %s", line);
	if (f)
		fclose(f);
	for (size_t i = 0; i < sizeof(vuln) / sizeof(vuln[0]); i++) {
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/vulnerabilities/%s", vuln[i]);
		f = fopen(path, "r");
		if (f && fgets(line, sizeof(line), f))
			printf("linuxbench: %s: %s", vuln[i], line);
		if (f)
			fclose(f);
	}
	f = fopen("/sys/devices/system/clocksource/clocksource0/current_clocksource", "r");
	if (f && fgets(line, sizeof(line), f))
		printf("linuxbench: clocksource: %s", line);
	if (f)
		fclose(f);
}

/* The TSC rate the kernel found: 1000 MHz means one tick per instruction. */
static void
check_tsc(void)
{
	static char log[1 << 17];
	unsigned long khz = 0;
	int n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, log, sizeof(log) - 1);
	if (n > 0) {
		log[n] = 0;
		const char *keys[] = {"tsc: Refined TSC clocksource calibration: ",
		                      "tsc: Detected "};
		for (int k = 0; k < 2 && !khz; k++) {
			char *s = strstr(log, keys[k]);
			if (s) {
				unsigned mhz = 0, frac = 0;
				if (sscanf(s + strlen(keys[k]), "%u.%u", &mhz, &frac) >= 1)
					khz = mhz * 1000ul + frac;
			}
		}
	}
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	uint64_t t0 = rdtsc();
	for (volatile int i = 0; i < 2000000; i++)
		;
	uint64_t t1 = rdtsc();
	clock_gettime(CLOCK_MONOTONIC, &b);
	uint64_t ns = (uint64_t)(b.tv_sec - a.tv_sec) * 1000000000ull + b.tv_nsec - a.tv_nsec;
	uint64_t permille = ns ? (t1 - t0) * 1000 / ns : 0;
	report("tsc_khz", khz, "kHz");
	report("tsc_per_ns_x1000", permille, "ticks/us");
	if (khz && (khz < 990000 || khz > 1010000))
		unit = "cycles";
	if (permille < 990 || permille > 1010)
		unit = "cycles";
}

/*
 * How -icount counts string instructions: each iteration of a rep-prefixed
 * instruction is one count.  Linux clears pages with rep stosb and copies
 * to and from user space with rep movsb (the CPU has ERMS), so these say
 * how much of a figure is bytes moved.
 */
static void
check_rep(void)
{
	char *a = map_anon(64 * KIB), *b = map_anon(64 * KIB);
	memset(a, 1, 64 * KIB);
	memset(b, 2, 64 * KIB);
	size_t n = 4096;
	char *d = a;
	uint64_t t0 = rdtsc();
	__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(0) : "memory");
	uint64_t t1 = rdtsc();
	report("rep_stosb_4k", t1 - t0, unit);
	n = 64 * KIB;
	d = a;
	char *src = b;
	t0 = rdtsc();
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
	t1 = rdtsc();
	report("rep_movsb_64k", t1 - t0, unit);
	munmap(a, 64 * KIB);
	munmap(b, 64 * KIB);
}

/* ---- the benchmarks ---------------------------------------------------- */

/*
 * Best of five loops: a timer interrupt (HZ=250, one every 4M insns) landing
 * in a loop adds a few insns to its mean.
 */
static void
bench_null(void)
{
	uint64_t best = UINT64_MAX, best_libc = UINT64_MAX;
	for (int i = 0; i < 100; i++)
		sys_getppid();
	for (int r = 0; r < 5; r++) {
		uint64_t t0 = rdtsc();
		for (int i = 0; i < N; i++)
			sys_getppid();
		uint64_t t1 = rdtsc();
		if (t1 - t0 < best)
			best = t1 - t0;
		/* The same through glibc's syscall(): the usual way to write it. */
		t0 = rdtsc();
		for (int i = 0; i < N; i++)
			syscall(SYS_getppid);
		t1 = rdtsc();
		if (t1 - t0 < best_libc)
			best_libc = t1 - t0;
	}
	report("null_syscall", best / N, unit);
	report("null_syscall_libc", best_libc / N, unit);
}

static void
bench_pipe_pingpong(void)
{
	int there[2], back[2];
	char buf[1] = {'x'};
	if (pipe(there) || pipe(back))
		die("pipe");
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(there[1]);
		close(back[0]);
		while (read(there[0], buf, sizeof(buf)) == sizeof(buf))
			if (write(back[1], buf, sizeof(buf)) != sizeof(buf))
				break;
		_exit(0);
	}
	close(there[0]);
	close(back[1]);
	for (int i = 0; i < N + 100; i++) {
		uint64_t a = rdtsc();
		if (write(there[1], buf, sizeof(buf)) != sizeof(buf) ||
		    read(back[0], buf, sizeof(buf)) != sizeof(buf))
			die("ping-pong");
		uint64_t d = rdtsc() - a;
		if (i >= 100)
			samples[i - 100] = d;
	}
	close(there[1]);
	close(back[0]);
	waitpid(pid, NULL, 0);
	report("pipe_pingpong", median(samples, N), unit);
}

static void *
thread_fn(void *arg)
{
	return arg;
}

static void
bench_thread(void)
{
	const int n = 500;
	for (int i = 0; i < n + 10; i++) {
		pthread_t t;
		uint64_t a = rdtsc();
		if (pthread_create(&t, NULL, thread_fn, NULL) || pthread_join(t, NULL))
			die("pthread");
		if (i >= 10)
			samples[i - 10] = rdtsc() - a;
	}
	report("thread_create_join", median(samples, n), unit);
}

static void
bench_page_fault(void)
{
	const size_t n = 1024;
	volatile char *p = map_anon(n * PAGE);
	uint64_t t0 = rdtsc();
	for (size_t i = 0; i < n; i++)
		p[i * PAGE] = 1;
	report("page_fault", (rdtsc() - t0) / n, unit);
	munmap((void *)p, n * PAGE);
}

static void
bench_fork_16m(void)
{
	const size_t size = 16 * MIB;
	const int reps = 5;
	volatile char *p = map_anon(size);
	for (size_t off = 0; off < size; off += PAGE)
		p[off] = 1;
	for (int r = 0; r < reps; r++) {
		uint64_t t0 = rdtsc();
		pid_t pid = fork();
		uint64_t t1 = rdtsc();
		if (pid == 0) {
			for (size_t off = 0; off < size; off += PAGE)
				p[off] = 2;
			_exit(0);
		}
		if (pid < 0)
			die("fork");
		waitpid(pid, NULL, 0);
		samples[r] = t1 - t0;
	}
	report("fork_16m", median(samples, reps), unit);
	munmap((void *)p, size);
}

static void
bench_pipe_bw(void)
{
	const size_t chunk = 64 * KIB, total = 16 * MIB;
	int fds[2];
	if (pipe(fds))
		die("pipe");
	char *buf = map_anon(chunk);
	memset(buf, 0x5a, chunk);
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(fds[1]);
		while (read(fds[0], buf, chunk) > 0)
			;
		_exit(0);
	}
	close(fds[0]);
	/* Warm up: the pipe's buffer pages and both processes' buffers. */
	for (int i = 0; i < 8; i++)
		if (write(fds[1], buf, chunk) != (ssize_t)chunk)
			die("pipe write");
	uint64_t t0 = rdtsc();
	for (size_t done = 0; done < total; done += chunk)
		if (write(fds[1], buf, chunk) != (ssize_t)chunk)
			die("pipe write");
	close(fds[1]);
	waitpid(pid, NULL, 0);
	uint64_t t = rdtsc() - t0;
	report("pipe_write_64k", t / (total / chunk), unit);
	/* MiB per guest second: one instruction is one guest nanosecond. */
	report("pipe_bandwidth", (uint64_t)((double)total / MIB / ((double)t / 1e9)), "MiB/s");
	munmap(buf, chunk);
}

#define EXIT0_PATH "/bin/exit0"
#include "../workloads.h"

int
main(void)
{
	uint64_t boot = rdtsc();
	setup();
	printf("linuxbench: Linux reference benchmarks\n");
	show_config();
	check_tsc();
	report("boot_to_init", boot, unit);
	check_rep();
	bench_null();
	bench_pipe_pingpong();
	bench_fork();
	bench_thread();
	bench_page_fault();
	bench_fork_16m();
	bench_pipe_bw();
	bench_file();
	bench_fs();
	bench_signal();
	bench_fault();
	printf("SUITE-END linuxbench\n");
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
