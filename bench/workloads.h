/* SPDX-License-Identifier: MIT */
/*
 * Workloads measured the same way on Ferry (bench/posix.c) and on Linux
 * (bench/linux/linuxbench.c): fork+exit+wait, fork+exec+wait, tmpfs
 * file operations and signals.  Included by both; the includer provides samples[],
 * unit, rdtsc(), die(), median(), report(metric, value, unit),
 * map_anon() and EXIT0_PATH (a static program that exits 0).
 */
#ifndef BENCH_WORKLOADS_H
#define BENCH_WORKLOADS_H

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

#endif
