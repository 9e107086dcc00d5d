// SPDX-License-Identifier: MIT
/* The in-kernel test runner: runs every KTEST (or those whose ID starts
 * with the filter) and prints the suite's summary and end marker; and the
 * helpers tests share (ktest.h). */
#include <lib/string.h>
#include <core/task.h>
#include <test/ktest.h>

extern const struct ktest _ktests_start[], _ktests_end[];

void
ktest_run_all(const char *filter)
{
	int passed = 0, failed = 0;
	if (!strcmp(filter, "kernel") || !strcmp(filter, "all"))
		filter = "";
	for (const struct ktest *t = _ktests_start; t < _ktests_end; t++) {
		if (strncmp(t->id, filter, strlen(filter)))
			continue;
		int f = 0;
		t->fn(&f);
		if (f) {
			kprintf("FAIL %s: %s\n", t->id, t->desc);
			failed++;
		} else {
			kprintf("PASS %s %s\n", t->id, t->desc);
			passed++;
		}
	}
	kprintf("%d passed, %d failed\nSUITE-END kernel\n", passed, failed);
}

struct task *
ktest_task(const char *name)
{
	struct task *t = NULL;
	if (task_create(name, kernel_task(), &t))
		return NULL;
	return t;
}

void
ktest_task_end(struct task *t)
{
	task_exit(t, 0);
	kobj_unref(&t->obj);
}
