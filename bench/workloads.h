/* SPDX-License-Identifier: MIT */
/*
 * Workloads measured the same way on Ferry (bench/posix.c) and on Linux
 * (bench/linux/linuxbench.c): fork+exit+wait, fork+exec+wait, tmpfs
 * file operations, the file-system set and signals.  Included by both; the
 * includer provides samples[] (at least 256), unit, rdtsc(), die(),
 * median(), report(metric, value, unit), map_anon() and EXIT0_PATH (a
 * static program that exits 0).
 */
#ifndef BENCH_WORKLOADS_H
#define BENCH_WORKLOADS_H

#include <dirent.h>
#include <sys/stat.h>

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
	report("fork_exit_wait", median(samples, n), unit);

	char *argv[] = {"exit0", NULL};
	char *envp[] = {NULL};
	for (int i = 0; i < n + 10; i++) {
		uint64_t a = rdtsc();
		pid_t pid = fork();
		if (pid == 0) {
			execve(EXIT0_PATH, argv, envp);
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
	report("fork_exec_wait", median(samples, n), unit);
}

static void
bench_file(void)
{
	const int n = 200;
	char name[64];
	char *buf = map_anon(64 * KIB);
	memset(buf, 0x33, 64 * KIB);

	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "/tmp/c%d", i);
		uint64_t a = rdtsc();
		int fd = open(name, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0 || close(fd))
			die("create %s", name);
		samples[i] = rdtsc() - a;
	}
	report("file_create", median(samples, n), unit);

	static const size_t sizes[] = {4 * KIB, 64 * KIB};
	for (int s = 0; s < 2; s++) {
		size_t sz = sizes[s];
		int fds[64];
		/* Write into new, empty files: the page cache allocation counts. */
		for (int i = 0; i < 64; i++) {
			snprintf(name, sizeof(name), "/tmp/w%zu_%d", sz, i);
			fds[i] = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
			if (fds[i] < 0)
				die("open %s", name);
		}
		for (int i = 0; i < 64; i++) {
			uint64_t a = rdtsc();
			if (pwrite(fds[i], buf, sz, 0) != (ssize_t)sz)
				die("pwrite");
			samples[i] = rdtsc() - a;
		}
		snprintf(name, sizeof(name), "file_write_%zuk", sz / KIB);
		report(name, median(samples, 64), unit);
		for (int i = 0; i < 64; i++) {
			uint64_t a = rdtsc();
			if (pread(fds[i], buf, sz, 0) != (ssize_t)sz)
				die("pread");
			samples[i] = rdtsc() - a;
		}
		snprintf(name, sizeof(name), "file_read_%zuk", sz / KIB);
		report(name, median(samples, 64), unit);
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
	report("file_unlink", median(samples, n), unit);
	munmap(buf, 64 * KIB);
}

/* MiB per guest second of bytes moved in t instructions (one insn = one guest ns). */
static uint64_t
mib_per_s(uint64_t bytes, uint64_t t)
{
	return t ? (uint64_t)((double)bytes / (1024.0 * 1024.0) / ((double)t / 1e9)) : 0;
}

/*
 * The file-system set (bench fs): open+close and stat of an existing file,
 * a whole create + 4 KiB write + close + unlink cycle (medians of 200),
 * sequential write and read bandwidth of a 16 MiB file in 64 KiB calls
 * (MiB per guest second), and reading a directory of 1,000 entries with
 * opendir/readdir/closedir (median of 11 passes).
 */
static void
bench_fs(void)
{
	const int n = 200;
	const size_t chunk = 64 * KIB, total = 16 * 1024 * KIB;
	char name[64];
	struct stat st;
	char *buf = map_anon(chunk);
	memset(buf, 0x5a, chunk);

	int fd = open("/tmp/fs_a", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || close(fd))
		die("create /tmp/fs_a");
	for (int i = 0; i < n + 10; i++) {
		uint64_t a = rdtsc();
		fd = open("/tmp/fs_a", O_RDONLY);
		if (fd < 0 || close(fd))
			die("open /tmp/fs_a");
		if (i >= 10)
			samples[i - 10] = rdtsc() - a;
	}
	report("file_open_close", median(samples, n), unit);
	for (int i = 0; i < n + 10; i++) {
		uint64_t a = rdtsc();
		if (stat("/tmp/fs_a", &st))
			die("stat /tmp/fs_a");
		if (i >= 10)
			samples[i - 10] = rdtsc() - a;
	}
	report("file_stat", median(samples, n), unit);
	unlink("/tmp/fs_a");

	for (int i = 0; i < n + 10; i++) {
		snprintf(name, sizeof(name), "/tmp/cwu%d", i);
		uint64_t a = rdtsc();
		fd = open(name, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0 || write(fd, buf, 4 * KIB) != (ssize_t)(4 * KIB) || close(fd) ||
		    unlink(name))
			die("create+write+unlink %s", name);
		if (i >= 10)
			samples[i - 10] = rdtsc() - a;
	}
	report("file_create_write_unlink_4k", median(samples, n), unit);

	fd = open("/tmp/fs_big", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die("open /tmp/fs_big");
	uint64_t t0 = rdtsc();
	for (size_t done = 0; done < total; done += chunk)
		if (write(fd, buf, chunk) != (ssize_t)chunk)
			die("write /tmp/fs_big");
	uint64_t t = rdtsc() - t0;
	report("file_seq_write_16m", mib_per_s(total, t), "MiB/s");
	if (lseek(fd, 0, SEEK_SET))
		die("lseek");
	t0 = rdtsc();
	for (size_t done = 0; done < total; done += chunk)
		if (read(fd, buf, chunk) != (ssize_t)chunk)
			die("read /tmp/fs_big");
	t = rdtsc() - t0;
	report("file_seq_read_16m", mib_per_s(total, t), "MiB/s");
	if (close(fd) || unlink("/tmp/fs_big"))
		die("unlink /tmp/fs_big");

	const int entries = 1000, passes = 11;
	if (mkdir("/tmp/fs_dir", 0755))
		die("mkdir /tmp/fs_dir");
	for (int i = 0; i < entries; i++) {
		snprintf(name, sizeof(name), "/tmp/fs_dir/entry%04d", i);
		fd = open(name, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0 || close(fd))
			die("create %s", name);
	}
	for (int p = 0; p < passes; p++) {
		uint64_t a = rdtsc();
		DIR *d = opendir("/tmp/fs_dir");
		int count = 0;
		if (!d)
			die("opendir");
		while (readdir(d))
			count++;
		closedir(d);
		samples[p] = rdtsc() - a;
		if (count != entries + 2)
			die("readdir: %d entries", count);
	}
	report("readdir_1000", median(samples, passes), unit);
	for (int i = 0; i < entries; i++) {
		snprintf(name, sizeof(name), "/tmp/fs_dir/entry%04d", i);
		if (unlink(name))
			die("unlink %s", name);
	}
	if (rmdir("/tmp/fs_dir"))
		die("rmdir /tmp/fs_dir");
	munmap(buf, chunk);
}

static volatile int bench_sig_hits;

static void
bench_on_signal(int s)
{
	(void)s;
	bench_sig_hits++;
}

/*
 * signal_raise: raise(SIGUSR1) to an empty handler, the handler run
 * included; signal_mask: sigprocmask blocking then unblocking SIGUSR1;
 * signal_queue_wait: sigqueue of a blocked real-time signal to ourselves
 * and sigwaitinfo taking it.  Medians of 200.
 */
static void
bench_signal(void)
{
	const int n = 200;
	struct sigaction sa;
	sigset_t one, rt;
	siginfo_t si;
	union sigval v = {.sival_int = 1};

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = bench_on_signal;
	if (sigaction(SIGUSR1, &sa, NULL))
		die("sigaction");
	for (int i = 0; i < n + 10; i++) {
		uint64_t a = rdtsc();
		raise(SIGUSR1);
		if (i >= 10)
			samples[i - 10] = rdtsc() - a;
	}
	if (bench_sig_hits != n + 10)
		die("raise: %d handler runs", bench_sig_hits);
	report("signal_raise", median(samples, n), unit);

	sigemptyset(&one);
	sigaddset(&one, SIGUSR1);
	for (int i = 0; i < n + 10; i++) {
		uint64_t a = rdtsc();
		sigprocmask(SIG_BLOCK, &one, NULL);
		sigprocmask(SIG_UNBLOCK, &one, NULL);
		if (i >= 10)
			samples[i - 10] = rdtsc() - a;
	}
	report("signal_mask", median(samples, n), unit);

	sigemptyset(&rt);
	sigaddset(&rt, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &rt, NULL);
	for (int i = 0; i < n + 10; i++) {
		uint64_t a = rdtsc();
		if (sigqueue(getpid(), SIGRTMIN, v) || sigwaitinfo(&rt, &si) != SIGRTMIN)
			die("sigqueue/sigwaitinfo");
		if (i >= 10)
			samples[i - 10] = rdtsc() - a;
	}
	sigprocmask(SIG_UNBLOCK, &rt, NULL);
	report("signal_queue_wait", median(samples, n), unit);
	signal(SIGUSR1, SIG_DFL);
}

static volatile unsigned long bench_fault_resume;

static void
bench_on_fault(int s, siginfo_t *si, void *ctx)
{
	(void)s, (void)si;
	((ucontext_t *)ctx)->uc_mcontext.gregs[REG_RIP] = (greg_t)bench_fault_resume;
	bench_sig_hits++;
}

/*
 * signal_fault: a load from an unmapped address caught by an SA_SIGINFO
 * SIGSEGV handler that moves rip past it and returns (fault, delivery,
 * handler, return to the next instruction).  Median of 200.
 */
static void
bench_fault(void)
{
	const int n = 200;
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = bench_on_fault;
	sa.sa_flags = SA_SIGINFO;
	if (sigaction(SIGSEGV, &sa, NULL))
		die("sigaction");
	bench_sig_hits = 0;
	for (int i = 0; i < n + 10; i++) {
		uint64_t a = rdtsc();
		__asm__ volatile("lea 1f(%%rip), %%rax\n\t"
		                 "mov %%rax, %0\n\t"
		                 "mov 8, %%eax\n\t"
		                 "1:"
		                 : "=m"(bench_fault_resume)
		                 :
		                 : "rax", "memory");
		if (i >= 10)
			samples[i - 10] = rdtsc() - a;
	}
	if (bench_sig_hits != n + 10)
		die("fault: %d handler runs", bench_sig_hits);
	report("signal_fault", median(samples, n), unit);
	signal(SIGSEGV, SIG_DFL);
}

#endif
