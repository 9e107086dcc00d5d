// SPDX-License-Identifier: MIT
/*
 * Exec target of the proc suite.  Modes (argv[1]):
 *   --args PID A B     argv, envp (PROC_ENV=ok) and pid kept across exec
 *   --script           run as the interpreter of bin/proc/script
 *   --fds              fd 5 inherited, fd 6 closed on exec
 *   --pause            wait for a signal
 *   --ids UID EUID     real and effective uid (set-user-ID files)
 *   --fdlink FD TEXT   /proc/self/fd/FD reads TEXT after exec
 *   --hold RFD WFD     open /dev/null, write "r" to WFD, wait for a byte on RFD
 *   --nofile N         RLIMIT_NOFILE's soft limit is N across exec, and
 *                      enforced: descriptors stop below it (EMFILE)
 * Exits 0 when everything matched, else the number of the failed check.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "--args")) {
		if (argc != 5)
			return 10;
		if (atoi(argv[2]) != getpid())
			return 11;
		if (strcmp(argv[3], "alpha") || strcmp(argv[4], "beta gamma"))
			return 12;
		const char *e = getenv("PROC_ENV");
		if (!e || strcmp(e, "ok"))
			return 13;
		if (getenv("PROC_SUITE"))
			return 14; /* envp replaced, not merged */
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "--script")) {
		if (argc != 4)
			return 20;
		if (strcmp(argv[0], "/bin/proc/echoargs"))
			return 21;
		if (strcmp(argv[2], "/bin/proc/script"))
			return 22;
		if (strcmp(argv[3], "one"))
			return 23;
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "--fds")) {
		if (fcntl(5, F_GETFD) < 0)
			return 30;
		if (fcntl(6, F_GETFD) != -1 || errno != EBADF)
			return 31;
		if (write(5, "", 0) != 0)
			return 32;
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "--ids")) {
		if (argc != 4)
			return 40;
		if ((int)getuid() != atoi(argv[2]))
			return 41;
		if ((int)geteuid() != atoi(argv[3]))
			return 42;
		return 0;
	}
	if (argc >= 4 && !strcmp(argv[1], "--hold")) {
		/* Opens /dev/null, says "r" on fd argv[3], waits for a byte on
		 * argv[2] (pxlib.c PXL260 reads our /proc/<pid>/fd meanwhile). */
		char c;
		if (open("/dev/null", O_RDONLY) < 0)
			return 70;
		if (write(atoi(argv[3]), "r", 1) != 1)
			return 71;
		return read(atoi(argv[2]), &c, 1) == 1 ? 0 : 72;
	}
	if (argc >= 4 && !strcmp(argv[1], "--fdlink")) {
		char path[64], buf[256];
		snprintf(path, sizeof path, "/proc/self/fd/%s", argv[2]);
		ssize_t n = readlink(path, buf, sizeof buf - 1);
		if (n < 0)
			return 60;
		buf[n] = 0;
		return strcmp(buf, argv[3]) ? 61 : 0;
	}
	if (argc >= 3 && !strcmp(argv[1], "--nofile")) {
		struct rlimit rl;
		int n = atoi(argv[2]), fd, last = -1;
		if (getrlimit(RLIMIT_NOFILE, &rl) || (int)rl.rlim_cur != n)
			return 50;
		while ((fd = open("/dev/null", O_RDONLY)) >= 0)
			last = fd;
		if (errno != EMFILE || last != n - 1)
			return 51;
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "--sigstate")) {
		/* What exec kept: SIGUSR1 blocked, SIGUSR2 ignored (sigtests.c PROC085). */
		sigset_t cur;
		struct sigaction sa;
		if (sigprocmask(SIG_SETMASK, NULL, &cur) || sigismember(&cur, SIGUSR1) != 1 ||
		    sigismember(&cur, SIGUSR2) != 0)
			return 40;
		if (sigaction(SIGUSR2, NULL, &sa) || sa.sa_handler != SIG_IGN)
			return 41;
		if (kill(getpid(), SIGUSR2) != 0) /* ignored: we live on */
			return 42;
		if (kill(getpid(), SIGUSR1) != 0) /* blocked: pending */
			return 43;
		sigemptyset(&cur);
		if (sigpending(&cur) || sigismember(&cur, SIGUSR1) != 1)
			return 44;
		signal(SIGUSR1, SIG_IGN); /* discards it */
		sigemptyset(&cur);
		if (sigpending(&cur) || sigismember(&cur, SIGUSR1) != 0)
			return 45;
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "--pause")) {
		for (;;)
			pause();
	}
	return 99;
}
