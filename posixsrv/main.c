// SPDX-License-Identifier: MIT
/*
 * posixsrv: the personality's root and the first task the kernel starts.
 * Today it announces itself and, when the kernel command line carries
 * cmd=PROGRAM ARGS..., runs that program from the boot archive (as a musl
 * program with the SysV start-up stack), waits for it and reports
 * "FERRY-EXIT <status>" so `./ferry run -c` can return the status.
 * Bringing up procmgr and vfs, the registry, pipes and terminals is the
 * posixsrv issue's work (see docs/gaps.md).
 */
#include <ulib.h>

#define MAX_ARGS 32

/* Splits s in place on spaces, honouring single quotes. */
static int
split_args(char *s, char **argv, int max)
{
	int n = 0;
	while (*s && n < max - 1) {
		while (*s == ' ')
			s++;
		if (!*s)
			break;
		char *out = s;
		argv[n++] = out;
		bool quoted = false;
		while (*s && (quoted || *s != ' ')) {
			if (*s == '\'')
				quoted = !quoted;
			else
				*out++ = *s;
			s++;
		}
		if (*s)
			s++;
		*out = 0;
	}
	argv[n] = NULL;
	return n;
}

static int
run_command(char *cmd)
{
	char *argv[MAX_ARGS];
	if (split_args(cmd, argv, MAX_ARGS) == 0)
		return 0;
	char *envp[] = { "PATH=/bin:/sbin", "HOME=/", "TERM=vt100", NULL };
	const char *path = argv[0][0] == '/' ? argv[0] + 1 : argv[0];
	handle_t task;
	int rc = uspawn_posix(path, argv, envp, NULL, 0, &task);
	if (rc) {
		uprintf("posixsrv: cannot run %s: %s\n", argv[0], ferry_strerror(rc));
		return 127;
	}
	int code = 0;
	rc = (int)ferry_sys_task_wait(task, &code, FERRY_TIME_INFINITE);
	ferry_sys_handle_close(task);
	if (rc)
		return 126;
	return code < 0 ? 128 + ((-code - 128) & 0x7f) : code & 0xff;
}

int
main(void)
{
	if (!ubootinfo)
		upanic("posixsrv must be the first task");
	uprintf("posixsrv: Ferry POSIX personality (boot archive %lu KiB)\n",
		(unsigned long)(ubootinfo->archive_size / 1024));
	static char cmd[FERRY_BOOTINFO_CMDLINE_MAX];
	if (ucmdline_get("cmd", cmd, sizeof(cmd))) {
		int code = run_command(cmd);
		uprintf("FERRY-EXIT %d\n", code);
		return code;
	}
	uprintf("posixsrv: no init yet (procmgr, vfs and the shell are still to come); "
		"run a program with: ./ferry run -c '/path/in/archive args'\n");
	return 0;
}
