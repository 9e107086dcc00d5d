// SPDX-License-Identifier: MIT
/*
 * The proc suite's tests, a musl program spawned by the runner (runner.c)
 * through procmgr.  Each test prints PASS/FAIL with its PROC0NN ID; the
 * exit status is the number of failures.  argv[1], if given, selects the
 * tests whose ID starts with it.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

#include "../pxcheck.h"

static void
msleep(int ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* Forks a child running fn; the child's exit status is fn's result. */
static pid_t
child(int (*fn)(void))
{
	fflush(stdout);
	pid_t p = fork();
	if (p == 0)
		_exit(fn());
	return p;
}

static int
ret42(void)
{
	return 42;
}

static void
t_ids(void)
{
	CHECK(getpid() > 1);
	CHECK(getppid() == 0); /* spawned through procmgr's control port */
	CHECK(getpgid(0) == getpid());
	CHECK(getsid(0) == getpid());
	CHECK(getuid() == 0 && geteuid() == 0 && getgid() == 0);
}

static void
t_fork_wait(void)
{
	int st = -1;
	pid_t p = child(ret42);
	CHECK(p > 0);
	CHECK(waitpid(p, &st, 0) == p);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 42);
}

static int parent_pid;
static int shared_var = 5;
static int
child_ids(void)
{
	if (getpid() == parent_pid)
		return 1;
	if (getppid() != parent_pid)
		return 2;
	shared_var = 99;
	return shared_var == 99 ? 0 : 3;
}

static void
t_fork_ids(void)
{
	int st = -1;
	parent_pid = getpid();
	pid_t p = child(child_ids);
	CHECK(waitpid(p, &st, 0) == p);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK(shared_var == 5);
}

static int
slow(void)
{
	msleep(200);
	return 7;
}

static void
t_wnohang(void)
{
	int st = -1;
	pid_t p = child(slow);
	CHECK(waitpid(p, &st, WNOHANG) == 0);
	CHECK(waitpid(p, &st, 0) == p);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 7);
}

static void
t_echild(void)
{
	errno = 0;
	CHECK(waitpid(-1, NULL, 0) == -1 && errno == ECHILD);
	errno = 0;
	CHECK(waitpid(1, NULL, WNOHANG) == -1 && errno == ECHILD); /* not our child */
	errno = 0;
	CHECK(waitpid(30000, NULL, 0) == -1 && errno == ECHILD);
}

static void
t_zombies(void)
{
	pid_t pids[20];
	for (int i = 0; i < 20; i++) {
		fflush(stdout);
		pids[i] = fork();
		if (pids[i] == 0)
			_exit(i + 1);
		CHECK(pids[i] > 0);
	}
	msleep(100); /* all exited: zombies now */
	for (int i = 19; i >= 0; i--) {
		int st = -1;
		CHECK(waitpid(pids[i], &st, 0) == pids[i]);
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) == i + 1);
	}
	CHECK(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD);
}

static void
t_many(void)
{
	int n = 0, bad = 0;
	for (int i = 0; i < 200; i++) {
		fflush(stdout);
		pid_t p = fork();
		if (p == 0)
			_exit(i & 0xff);
		if (p < 0) {
			printf("  fork %d: errno %d\n", i, errno);
			break;
		}
		n++;
	}
	for (int i = 0; i < n; i++) {
		int st;
		if (wait(&st) < 0 || !WIFEXITED(st))
			bad++;
	}
	CHECK(n == 200);
	CHECK(bad == 0);
	CHECK(wait(NULL) == -1 && errno == ECHILD);
}

static int orphan_top;
static int
orphan_child(void)
{
	fflush(stdout);
	pid_t g = fork();
	if (g == 0) {
		/* The grandchild: wait to be reparented to init, report by signal. */
		for (int i = 0; i < 500 && getppid() != 1; i++)
			msleep(10);
		kill(orphan_top, getppid() == 1 ? SIGUSR1 : SIGUSR2);
		_exit(0);
	}
	return g > 0 ? 0 : 1;
}

static void
t_orphan(void)
{
	sigset_t set;
	int st = -1;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	orphan_top = getpid();
	pid_t p = child(orphan_child);
	CHECK(waitpid(p, &st, 0) == p && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	struct timespec to = {10, 0};
	int sig = sigtimedwait(&set, NULL, &to);
	CHECK(sig == SIGUSR1);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

static int
exec_args(void)
{
	char pid[16];
	snprintf(pid, sizeof pid, "%d", getpid());
	char *argv[] = {"echoargs", "--args", pid, "alpha", "beta gamma", NULL};
	char *envp[] = {"PROC_ENV=ok", NULL};
	execve("/bin/proc/echoargs", argv, envp);
	return 100 + errno;
}

static void
t_exec(void)
{
	int st = -1;
	pid_t p = child(exec_args);
	CHECK(waitpid(p, &st, 0) == p);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	if (WIFEXITED(st) && WEXITSTATUS(st))
		printf("  echoargs exited %d\n", WEXITSTATUS(st));
}

static void
t_exec_fail(void)
{
	char *argv[] = {"x", NULL};
	char *envp[] = {NULL};
	int marker = 1234;
	errno = 0;
	CHECK(execve("/bin/proc/nonexistent", argv, envp) == -1 && errno == ENOENT);
	errno = 0;
	CHECK(execve("/bin/proc/notelf", argv, envp) == -1 && errno == ENOEXEC);
	errno = 0;
	CHECK(execve("/bin/proc", argv, envp) == -1 && errno == EACCES);
	CHECK(marker == 1234);
	CHECK(getpid() > 1);
	CHECK(write(1, "", 0) == 0); /* descriptors intact */
}

static int
exec_script(void)
{
	char *argv[] = {"script", "one", NULL};
	char *envp[] = {NULL};
	execve("/bin/proc/script", argv, envp);
	return 100 + errno;
}

static void
t_script(void)
{
	int st = -1;
	pid_t p = child(exec_script);
	CHECK(waitpid(p, &st, 0) == p);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	if (WIFEXITED(st) && WEXITSTATUS(st))
		printf("  script exited %d\n", WEXITSTATUS(st));
}

static int
exec_fds(void)
{
	if (dup2(1, 5) != 5 || dup2(1, 6) != 6 || fcntl(6, F_SETFD, FD_CLOEXEC) != 0)
		return 50;
	char *argv[] = {"echoargs", "--fds", NULL};
	char *envp[] = {NULL};
	execve("/bin/proc/echoargs", argv, envp);
	return 100 + errno;
}

static void
t_cloexec(void)
{
	int st = -1;
	pid_t p = child(exec_fds);
	CHECK(waitpid(p, &st, 0) == p);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	if (WIFEXITED(st) && WEXITSTATUS(st))
		printf("  echoargs --fds exited %d\n", WEXITSTATUS(st));
}

static int
forever(void)
{
	for (;;)
		msleep(1000);
}

static void
t_kill_child(void)
{
	int st = -1;
	pid_t p = child(forever);
	msleep(20);
	CHECK(kill(p, SIGTERM) == 0);
	CHECK(waitpid(p, &st, 0) == p);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	p = child(forever);
	CHECK(kill(p, SIGKILL) == 0);
	CHECK(waitpid(p, &st, 0) == p);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
}

static void
t_kill_errors(void)
{
	errno = 0;
	CHECK(kill(29999, 0) == -1 && errno == ESRCH);
	CHECK(kill(getpid(), 0) == 0);
	errno = 0;
	CHECK(kill(getpid(), 999) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(kill(-29999, SIGTERM) == -1 && errno == ESRCH);
}

static int
self_term(void)
{
	kill(getpid(), SIGTERM);
	return 1;
}
static int
self_segv(void)
{
	*(volatile int *)8 = 1;
	return 1;
}
static int
self_ign(void)
{
	signal(SIGTERM, SIG_IGN);
	kill(getpid(), SIGTERM);
	return 0;
}

static void
t_default_actions(void)
{
	int st = -1;
	pid_t p = child(self_term);
	CHECK(waitpid(p, &st, 0) == p && WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	p = child(self_segv);
	CHECK(waitpid(p, &st, 0) == p && WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	p = child(self_ign);
	CHECK(waitpid(p, &st, 0) == p && WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static volatile int got, got_info;
static void
on_usr1(int s)
{
	got += s == SIGUSR1;
}
static void
on_info(int s, siginfo_t *si, void *uc)
{
	(void)uc;
	got_info = s == SIGUSR2 && si->si_signo == SIGUSR2;
}

static void
t_handlers(void)
{
	struct sigaction sa = {0};
	sigset_t set, pend;
	sa.sa_handler = on_usr1;
	CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
	got = 0;
	CHECK(kill(getpid(), SIGUSR1) == 0);
	CHECK(got == 1);
	/* Blocked: pending until unblocked, then it runs. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	CHECK(kill(getpid(), SIGUSR1) == 0);
	CHECK(got == 1);
	sigpending(&pend);
	CHECK(sigismember(&pend, SIGUSR1));
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	CHECK(got == 2);
	/* SA_SIGINFO and SA_RESETHAND. */
	sa.sa_sigaction = on_info;
	sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
	CHECK(sigaction(SIGUSR2, &sa, NULL) == 0);
	kill(getpid(), SIGUSR2);
	CHECK(got_info == 1);
	struct sigaction old;
	sigaction(SIGUSR2, NULL, &old);
	CHECK(old.sa_handler == SIG_DFL);
	signal(SIGUSR1, SIG_DFL);
}

static int
notify_parent(void)
{
	msleep(50);
	return kill(getppid(), SIGUSR1) == 0 ? 0 : 1;
}

static void
t_sigsuspend(void)
{
	struct sigaction sa = {0};
	sigset_t block, wait;
	int st;
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, NULL);
	got = 0;
	pid_t p = child(notify_parent);
	sigemptyset(&wait);
	errno = 0;
	CHECK(sigsuspend(&wait) == -1 && errno == EINTR);
	CHECK(got == 1);
	CHECK(waitpid(p, &st, 0) == p && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	signal(SIGUSR1, SIG_DFL);
}

static int
grp_child(void)
{
	if (setpgid(0, 0) != 0)
		return 1;
	if (getpgid(0) != getpid())
		return 2;
	if (setsid() != -1 || errno != EPERM)
		return 3; /* a group leader */
	return 0;
}

static int
sess_child(void)
{
	pid_t ppg = getpgid(0);
	if (setsid() != getpid())
		return 1;
	if (getsid(0) != getpid() || getpgid(0) != getpid())
		return 2;
	if (setpgid(0, ppg) != -1 || errno != EPERM)
		return 3; /* another session */
	return 0;
}

static void
t_pgrp(void)
{
	int st = -1;
	errno = 0;
	CHECK(setsid() == -1 && errno == EPERM); /* we lead a group already */
	errno = 0;
	CHECK(setpgid(0, 0) == -1 && errno == EPERM); /* session leader */
	pid_t p = child(grp_child);
	CHECK(waitpid(p, &st, 0) == p && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	p = child(sess_child);
	CHECK(waitpid(p, &st, 0) == p && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* The parent puts a child into a new group. */
	p = child(forever);
	CHECK(setpgid(p, p) == 0);
	CHECK(getpgid(p) == p);
	errno = 0;
	CHECK(setpgid(29998, 29998) == -1 && errno == ESRCH);
	errno = 0;
	CHECK(setpgid(p, 29997) == -1 && errno == EPERM); /* no such group */
	pid_t q = child(forever);
	CHECK(setpgid(q, p) == 0); /* join the child's group */
	/* kill(-pgrp) reaches both. */
	CHECK(kill(-p, SIGTERM) == 0);
	CHECK(waitpid(p, &st, 0) == p && WIFSIGNALED(st));
	CHECK(waitpid(q, &st, 0) == q && WIFSIGNALED(st));
}

static int
exec_pause(void)
{
	char *argv[] = {"echoargs", "--pause", NULL};
	char *envp[] = {NULL};
	execve("/bin/proc/echoargs", argv, envp);
	return 100 + errno;
}

static void
t_setpgid_execd(void)
{
	int st;
	pid_t p = child(exec_pause);
	msleep(100);
	errno = 0;
	CHECK(setpgid(p, p) == -1 && errno == EACCES);
	kill(p, SIGKILL);
	CHECK(waitpid(p, &st, 0) == p && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
}

static int
nproc_child(void)
{
	struct rlimit rl;
	int n = 0;
	pid_t kids[64];
	getrlimit(RLIMIT_NPROC, &rl);
	rl.rlim_cur = 16;
	if (setrlimit(RLIMIT_NPROC, &rl) != 0)
		return 1;
	for (; n < 64; n++) {
		fflush(stdout);
		kids[n] = fork();
		if (kids[n] == 0)
			for (;;)
				msleep(1000);
		if (kids[n] < 0)
			break;
	}
	int eagain = errno == EAGAIN;
	for (int i = 0; i < n; i++) {
		kill(kids[i], SIGKILL);
		waitpid(kids[i], NULL, 0);
	}
	if (n >= 64 || !eagain)
		return 2;
	/* Usable again afterwards. */
	pid_t p = fork();
	if (p == 0)
		_exit(0);
	return p > 0 && waitpid(p, NULL, 0) == p ? 0 : 3;
}

static void
t_rlimits(void)
{
	struct rlimit rl;
	int st = -1;
	CHECK(getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur == 1024);
	CHECK(getrlimit(RLIMIT_NPROC, &rl) == 0 && rl.rlim_cur > 0);
	pid_t p = child(nproc_child);
	CHECK(waitpid(p, &st, 0) == p && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	if (WIFEXITED(st) && WEXITSTATUS(st))
		printf("  nproc child exited %d\n", WEXITSTATUS(st));
}

static int
setuid_child(void)
{
	if (setuid(1000) != 0)
		return 1;
	if (getuid() != 1000 || geteuid() != 1000)
		return 2;
	if (setuid(0) != -1 || errno != EPERM)
		return 3;
	if (kill(1, 0) != -1 || errno != EPERM)
		return 4; /* init is root's */
	return 0;
}

static void
t_creds(void)
{
	int st = -1;
	pid_t p = child(setuid_child);
	CHECK(waitpid(p, &st, 0) == p && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	if (WIFEXITED(st) && WEXITSTATUS(st))
		printf("  setuid child exited %d\n", WEXITSTATUS(st));
	CHECK(getuid() == 0);
	struct tms t;
	CHECK(times(&t) != (clock_t)-1);
}

/* ---- signals delivered through the kernel's interrupt (upcall) ---- */

static volatile sig_atomic_t got_usr1;

static void
on_usr1_flag(int s)
{
	(void)s;
	got_usr1 = 1;
}

/* Blocks in nanosleep (a kernel wait, not procmgr) until a signal comes. */
static int
sleeper(void)
{
	signal(SIGUSR1, on_usr1_flag);
	struct timespec ts = {30, 0};
	int r = nanosleep(&ts, NULL);
	return r == -1 && errno == EINTR && got_usr1 ? 40 : 1;
}

/* Computes without any system call until the handler sets the flag. */
static int
spinner(void)
{
	signal(SIGUSR1, on_usr1_flag);
	for (unsigned long i = 0; !got_usr1; i++)
		if (i > 4000000000ul)
			return 2;
	return 41;
}

static void
t_sig_interrupt(void)
{
	pid_t p = child(sleeper);
	int st;
	msleep(50);
	CHECK(kill(p, SIGUSR1) == 0);
	CHECK(waitpid(p, &st, 0) == p);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 40);
}

static void
t_sig_async(void)
{
	pid_t p = child(spinner);
	int st;
	msleep(50);
	CHECK(kill(p, SIGUSR1) == 0);
	CHECK(waitpid(p, &st, 0) == p);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 41);
}

/* ---- job control: stop and continue ---- */

/* Sleeps 30 x 10 ms, then exits 7: still running after 500 ms only if stopped. */
static int
slow300(void)
{
	for (int i = 0; i < 30; i++)
		msleep(10);
	return 7;
}

static void
t_stop_cont(void)
{
	int st = -1;
	pid_t p = child(slow300);
	CHECK(kill(p, SIGSTOP) == 0);
	CHECK(waitpid(p, &st, WUNTRACED) == p);
	CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
	msleep(500);
	CHECK(waitpid(p, &st, WNOHANG | WUNTRACED | WCONTINUED) == 0); /* still stopped */
	CHECK(kill(p, SIGCONT) == 0);
	CHECK(waitpid(p, &st, WCONTINUED) == p);
	CHECK(WIFCONTINUED(st));
	CHECK(waitpid(p, &st, 0) == p);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 7);
}

static int
spin_forever(void)
{
	for (;;)
		msleep(1000);
	return 0;
}

static void
t_stop_kill(void)
{
	int st = -1;
	/* SIGTSTP stops; SIGKILL ends a stopped process. */
	pid_t p = child(spin_forever);
	CHECK(kill(p, SIGTSTP) == 0);
	CHECK(waitpid(p, &st, WUNTRACED) == p && WIFSTOPPED(st) && WSTOPSIG(st) == SIGTSTP);
	CHECK(kill(p, SIGKILL) == 0);
	CHECK(waitpid(p, &st, 0) == p && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	/* SIGTERM to a stopped process waits for SIGCONT, then ends it. */
	p = child(spin_forever);
	CHECK(kill(p, SIGTTIN) == 0);
	CHECK(waitpid(p, &st, WUNTRACED) == p && WIFSTOPPED(st) && WSTOPSIG(st) == SIGTTIN);
	CHECK(kill(p, SIGTERM) == 0);
	msleep(100);
	CHECK(waitpid(p, &st, WNOHANG) == 0);
	CHECK(kill(p, SIGCONT) == 0);
	CHECK(waitpid(p, &st, 0) == p && WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
}

static volatile sig_atomic_t chld_count;

static void
on_chld(int s)
{
	(void)s;
	chld_count++;
}

static void
t_stop_sigchld(void)
{
	int st = -1;
	struct sigaction sa, old;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_chld;
	sa.sa_flags = SA_RESTART;
	CHECK(sigaction(SIGCHLD, &sa, &old) == 0);
	chld_count = 0;
	pid_t p = child(spin_forever);
	CHECK(kill(p, SIGSTOP) == 0);
	CHECK(waitpid(p, &st, WUNTRACED) == p && WIFSTOPPED(st));
	CHECK(kill(p, SIGCONT) == 0);
	CHECK(waitpid(p, &st, WCONTINUED) == p && WIFCONTINUED(st));
	CHECK(chld_count == 2);
	/* SA_NOCLDSTOP: no SIGCHLD for stop and continue, one for the exit. */
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	CHECK(sigaction(SIGCHLD, &sa, NULL) == 0);
	chld_count = 0;
	CHECK(kill(p, SIGSTOP) == 0);
	CHECK(waitpid(p, &st, WUNTRACED) == p && WIFSTOPPED(st));
	CHECK(kill(p, SIGCONT) == 0);
	CHECK(waitpid(p, &st, WCONTINUED) == p && WIFCONTINUED(st));
	CHECK(chld_count == 0);
	CHECK(kill(p, SIGKILL) == 0);
	CHECK(waitpid(p, &st, 0) == p && WIFSIGNALED(st));
	CHECK(chld_count == 1);
	sigaction(SIGCHLD, &old, NULL);
}

static volatile sig_atomic_t got_tstp;
static void
on_tstp(int s)
{
	(void)s;
	got_tstp = 1;
}

/* Stops itself (inside its own call to procmgr), then, continued, checks a
 * handled SIGTSTP runs its handler instead of stopping. */
static int
self_stopper(void)
{
	if (raise(SIGSTOP) != 0)
		return 1;
	signal(SIGTSTP, on_tstp);
	if (raise(SIGTSTP) != 0 || !got_tstp)
		return 2;
	return 9;
}

static void
t_self_stop(void)
{
	int st = -1;
	pid_t p = child(self_stopper);
	CHECK(waitpid(p, &st, WUNTRACED) == p && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
	siginfo_t si;
	memset(&si, 0, sizeof si);
	CHECK(kill(p, SIGCONT) == 0);
	CHECK(waitid(P_PID, p, &si, WCONTINUED) == 0 && si.si_pid == p &&
	      si.si_code == CLD_CONTINUED);
	CHECK(waitpid(p, &st, 0) == p && WIFEXITED(st) && WEXITSTATUS(st) == 9);
}

static void
t_stop_waitid(void)
{
	siginfo_t si;
	pid_t p = child(spin_forever);
	CHECK(kill(p, SIGTTOU) == 0);
	memset(&si, 0, sizeof si);
	CHECK(waitid(P_PID, p, &si, WSTOPPED) == 0);
	CHECK(si.si_pid == p && si.si_code == CLD_STOPPED && si.si_status == SIGTTOU);
	/* Ignored stop signals do nothing; the report was consumed. */
	memset(&si, 0, sizeof si);
	CHECK(waitid(P_PID, p, &si, WSTOPPED | WNOHANG) == 0 && si.si_pid == 0);
	CHECK(kill(p, SIGKILL) == 0);
	CHECK(waitpid(p, NULL, 0) == p);
}

/* ---- timers: alarm, setitimer, timer_create ---- */

/* Sleeps ms in all, however many signals break the sleep. */
static void
msleep_all(int ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L}, rem;
	while (nanosleep(&ts, &rem) == -1 && errno == EINTR)
		ts = rem;
}

static volatile sig_atomic_t alarms;
static void
on_alrm(int s)
{
	(void)s;
	alarms++;
}

static void
t_alarm(void)
{
	struct itimerval it, old;
	signal(SIGALRM, on_alrm);
	alarms = 0;
	CHECK(alarm(5) == 0);
	CHECK(alarm(3) == 5);
	CHECK(getitimer(ITIMER_REAL, &old) == 0 && old.it_value.tv_sec <= 3 &&
	      (old.it_value.tv_sec > 0 || old.it_value.tv_usec > 0));
	CHECK(alarm(0) == 3);
	CHECK(getitimer(ITIMER_REAL, &old) == 0 && old.it_value.tv_sec == 0 &&
	      old.it_value.tv_usec == 0);
	memset(&it, 0, sizeof it);
	it.it_value.tv_usec = 50000;
	CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
	errno = 0;
	CHECK(pause() == -1 && errno == EINTR);
	CHECK(alarms == 1);
	/* Periodic: every 20 ms. */
	it.it_interval.tv_usec = 20000;
	it.it_value.tv_usec = 20000;
	CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
	msleep_all(150);
	it.it_value.tv_usec = it.it_interval.tv_usec = 0;
	CHECK(setitimer(ITIMER_REAL, &it, &old) == 0);
	CHECK(old.it_interval.tv_usec == 20000);
	CHECK(alarms >= 4);
	int n = alarms;
	msleep_all(60);
	CHECK(alarms == n);
	CHECK(setitimer(3, &it, NULL) == -1 && errno == EINVAL); /* no such timer */
	signal(SIGALRM, SIG_DFL);
}

static int
alarm_victim(void)
{
	alarm(1);
	for (;;)
		pause();
	return 0;
}

static int
alarm_forked(void)
{
	struct itimerval v;
	/* The parent's alarm is not inherited. */
	return getitimer(ITIMER_REAL, &v) == 0 && v.it_value.tv_sec == 0 && v.it_value.tv_usec == 0
	               ? 0
	               : 1;
}

static void
t_alarm_default(void)
{
	int st = -1;
	pid_t p = child(alarm_victim);
	CHECK(waitpid(p, &st, 0) == p && WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM);
	alarm(30);
	p = child(alarm_forked);
	CHECK(waitpid(p, &st, 0) == p && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	alarm(0);
}

static volatile sig_atomic_t usr2s;
static void
on_usr2(int s)
{
	(void)s;
	usr2s++;
}

static void
t_posix_timers(void)
{
	timer_t t, n;
	struct sigevent sev;
	struct itimerspec its, cur;
	struct timespec now;
	signal(SIGUSR2, on_usr2);
	usr2s = 0;
	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGUSR2;
	CHECK(timer_create(CLOCK_MONOTONIC, &sev, &t) == 0);
	memset(&its, 0, sizeof its);
	clock_gettime(CLOCK_MONOTONIC, &now);
	its.it_value.tv_sec = now.tv_sec;
	its.it_value.tv_nsec = now.tv_nsec + 30000000;
	if (its.it_value.tv_nsec >= 1000000000) {
		its.it_value.tv_sec++;
		its.it_value.tv_nsec -= 1000000000;
	}
	CHECK(timer_settime(t, TIMER_ABSTIME, &its, NULL) == 0);
	CHECK(timer_gettime(t, &cur) == 0 && cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0);
	msleep_all(100);
	CHECK(usr2s == 1);
	/* Relative, periodic 10 ms, on CLOCK_REALTIME. */
	timer_t r;
	CHECK(timer_create(CLOCK_REALTIME, &sev, &r) == 0);
	its.it_value.tv_sec = 0;
	its.it_value.tv_nsec = its.it_interval.tv_nsec = 10000000;
	CHECK(timer_settime(r, 0, &its, NULL) == 0);
	msleep_all(100);
	CHECK(timer_delete(r) == 0);
	int k = usr2s;
	CHECK(k >= 5);
	msleep_all(50);
	CHECK(usr2s == k);
	CHECK(timer_getoverrun(t) == 0);
	/* SIGEV_NONE: counts down, sends nothing. */
	sev.sigev_notify = SIGEV_NONE;
	CHECK(timer_create(CLOCK_MONOTONIC, &sev, &n) == 0);
	its.it_value.tv_sec = 10;
	its.it_value.tv_nsec = its.it_interval.tv_nsec = 0;
	CHECK(timer_settime(n, 0, &its, NULL) == 0);
	CHECK(timer_gettime(n, &cur) == 0 && cur.it_value.tv_sec <= 9 && cur.it_value.tv_sec >= 8);
	CHECK(timer_delete(n) == 0);
	CHECK(timer_delete(t) == 0);
	CHECK(timer_delete(t) != 0); /* musl returns the error itself here */
	signal(SIGUSR2, SIG_DFL);
}

/* ---- SA_RESTART: a wait broken by a signal ---- */

static volatile sig_atomic_t usr1_hits;
static void
on_usr1_count(int s)
{
	(void)s;
	usr1_hits++;
}

/* Forks a grandchild that exits 5 after 150 ms and waits for it while
 * signals arrive; flags: the SIGUSR1 handler's. */
static int
restart_waiter(int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1_count;
	sa.sa_flags = flags;
	sigaction(SIGUSR1, &sa, NULL);
	fflush(stdout);
	pid_t g = fork();
	if (g == 0) {
		msleep(150);
		_exit(5);
	}
	int st = -1;
	pid_t r = waitpid(g, &st, 0);
	if (flags & SA_RESTART)
		return r == g && WIFEXITED(st) && WEXITSTATUS(st) == 5 && usr1_hits == 1 ? 0 : 1;
	if (r != -1 || errno != EINTR || usr1_hits != 1)
		return 2;
	/* The status was not lost to the broken wait. */
	r = waitpid(g, &st, 0);
	return r == g && WIFEXITED(st) && WEXITSTATUS(st) == 5 ? 0 : 3;
}

static int
restart_yes(void)
{
	return restart_waiter(SA_RESTART);
}
static int
restart_no(void)
{
	return restart_waiter(0);
}

/* A SIGCHLD handler runs while we wait: the status must not be lost. */
static int
sigchld_waiter(void)
{
	signal(SIGCHLD, on_chld);
	fflush(stdout);
	pid_t g = fork();
	if (g == 0) {
		msleep(50);
		_exit(6);
	}
	int st = -1;
	pid_t r;
	while ((r = waitpid(g, &st, 0)) == -1 && errno == EINTR)
		;
	return r == g && WIFEXITED(st) && WEXITSTATUS(st) == 6 ? 0 : 1;
}

static void
t_restart_wait(void)
{
	int st = -1;
	pid_t p = child(restart_yes);
	msleep(50);
	CHECK(kill(p, SIGUSR1) == 0);
	CHECK(waitpid(p, &st, 0) == p && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	p = child(restart_no);
	msleep(50);
	CHECK(kill(p, SIGUSR1) == 0);
	CHECK(waitpid(p, &st, 0) == p && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	if (WIFEXITED(st) && WEXITSTATUS(st))
		printf("  no-restart child exited %d\n", WEXITSTATUS(st));
	p = child(sigchld_waiter);
	CHECK(waitpid(p, &st, 0) == p && WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

int
main(int argc, char **argv)
{
	if (argc > 1 && argv[1])
		filter = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	TEST(t_ids, "PROC010", "getpid, getppid, getpgid, getsid, getuid of a spawned process");
	TEST(t_fork_wait, "PROC011", "fork + waitpid: exit status 42");
	TEST(t_fork_ids, "PROC012", "fork: new pid, ppid is the parent, memory copied");
	TEST(t_wnohang, "PROC013", "waitpid WNOHANG: 0 while the child runs");
	TEST(t_echild, "PROC014", "wait without children or for a non-child: ECHILD");
	TEST(t_zombies, "PROC015", "20 zombies reaped with their statuses");
	TEST(t_many, "PROC016", "fork of 200 processes");
	TEST(t_orphan, "PROC017", "orphan reparented to pid 1 (getppid after parent death)");
	TEST(t_exec, "PROC018", "exec of a musl program: argv, envp, pid kept");
	TEST(t_exec_fail, "PROC019",
	     "failed exec (missing, non-ELF, directory) returns, image intact");
	TEST(t_script, "PROC020", "exec of a #! script");
	TEST(t_cloexec, "PROC021", "exec keeps descriptors, closes FD_CLOEXEC ones");
	TEST(t_kill_child, "PROC022", "kill of a child: SIGTERM, SIGKILL statuses");
	TEST(t_kill_errors, "PROC023", "kill: ESRCH, EINVAL, probe with 0");
	TEST(t_default_actions, "PROC024",
	     "default actions: kill(getpid(), SIGTERM), SIGSEGV fault, SIG_IGN");
	TEST(t_handlers, "PROC025",
	     "handlers: raise, blocked then unblocked, SA_SIGINFO, SA_RESETHAND");
	TEST(t_sigsuspend, "PROC026", "sigsuspend woken by a child's kill");
	TEST(t_pgrp, "PROC027", "setpgid/setsid rules, kill of a process group");
	TEST(t_setpgid_execd, "PROC028", "setpgid of a child that exec'd: EACCES");
	TEST(t_rlimits, "PROC029", "rlimits: NOFILE 1024, NPROC stops a fork bomb, system usable");
	TEST(t_creds, "PROC030", "setuid drops privilege for good; times");
	TEST(t_sig_interrupt, "PROC031",
	     "a signal breaks a sleep in another server with EINTR after its handler");
	TEST(t_sig_async, "PROC032", "a signal reaches a process computing without system calls");
	TEST(t_stop_cont, "PROC040", "SIGSTOP stops (WUNTRACED), SIGCONT continues (WCONTINUED)");
	TEST(t_stop_kill, "PROC041",
	     "stopped: SIGKILL ends it, SIGTERM waits for SIGCONT; TSTP/TTIN stop");
	TEST(t_stop_sigchld, "PROC042",
	     "SIGCHLD on a child's stop and continue, none with SA_NOCLDSTOP");
	TEST(t_self_stop, "PROC043",
	     "raise(SIGSTOP) stops the caller; handled SIGTSTP runs its handler");
	TEST(t_stop_waitid, "PROC044", "waitid WSTOPPED: CLD_STOPPED with the signal (SIGTTOU)");
	TEST(t_alarm, "PROC050",
	     "alarm/setitimer/getitimer: remaining time, SIGALRM handler, periodic");
	TEST(t_alarm_default, "PROC051",
	     "SIGALRM default terminates; alarms are not inherited by fork");
	TEST(t_posix_timers, "PROC052",
	     "timer_create/settime (absolute, periodic)/gettime/delete, SIGEV_NONE");
	TEST(t_restart_wait, "PROC060",
	     "waitpid broken by a signal: restarted with SA_RESTART, EINTR without, status kept");
	return failed;
}
