// SPDX-License-Identifier: MIT
/*
 * The libc suite's runner (first=bin/libctest): starts each musl test
 * program from the boot archive with its arguments and environment, and
 * checks its exit status.  The programs print their own PASS/FAIL lines.
 */
#include <ulib.h>

struct libc_case {
	const char *id, *path;
	char *argv[6];
	char *envp[3];
	int status;
};

static const struct libc_case cases[] = {
        {"LIBC-EXIT-hello", "bin/libc/hello", {"hello", NULL}, {NULL}, 3},
        {"LIBC-EXIT-stdio", "bin/libc/stdio", {"stdio", NULL}, {NULL}, 0},
        {"LIBC-EXIT-malloc", "bin/libc/malloc", {"malloc", NULL}, {NULL}, 0},
        {"LIBC-EXIT-errno", "bin/libc/errno", {"errno", NULL}, {NULL}, 0},
        {"LIBC-EXIT-env",
         "bin/libc/env",
         {"env", NULL},
         {"FERRY_TEST_ENV=ferry-env-ok", "HOME=/", NULL},
         0},
        {"LIBC-EXIT-args", "bin/libc/args", {"args", "alpha", "beta gamma", "", NULL}, {NULL}, 0},
        {"LIBC-EXIT-exit", "bin/libc/exit", {"exit", NULL}, {NULL}, 7},
};

int
main(void)
{
	int passed = 0, failed = 0;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct libc_case *c = &cases[i];
		handle_t t;
		int code = -1;
		int rc = uspawn_posix(c->path, c->argv, c->envp, NULL, 0, &t);
		if (rc == 0) {
			rc = (int)ferry_sys_task_wait(t, &code, 60000000000ull);
			ferry_sys_handle_close(t);
		}
		if (rc) {
			uprintf("FAIL %s: could not run %s: %s\n", c->id, c->path,
			        ferry_strerror(rc));
			failed++;
		} else if (code != c->status) {
			uprintf("FAIL %s: %s exited %d, expected %d\n", c->id, c->path, code,
			        c->status);
			failed++;
		} else {
			uprintf("PASS %s %s exits with %d\n", c->id, c->path, c->status);
			passed++;
		}
	}
	uprintf("%d passed, %d failed\nSUITE-END libc\n", passed, failed);
	return failed ? 1 : 0;
}
