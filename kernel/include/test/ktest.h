/* SPDX-License-Identifier: MIT */
/*
 * In-kernel tests, registered by KTEST() into the .ktests section and run
 * at boot when the command line says test=kernel.  Each has a stable ID
 * and a one-line description; the runner prints PASS/FAIL lines.
 */
#ifndef KERNEL_TEST_KTEST_H
#define KERNEL_TEST_KTEST_H

#include <lib/klog.h>

struct ktest {
	const char *id;
	const char *desc;
	void (*fn)(int *failed);
};

#define KTEST(ident, id_str, description)                                                          \
	static void ktest_##ident(int *ktest_failed);                                              \
	static const struct ktest ktest_desc_##ident                                               \
	        __attribute__((used, section(".ktests"), aligned(8))) = {id_str, description,      \
	                                                                 ktest_##ident};           \
	static void ktest_##ident(int *ktest_failed)

#define KEXPECT(cond)                                                                              \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			kprintf("  check failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__);        \
			*ktest_failed = 1;                                                         \
		}                                                                                  \
	} while (0)

#define KEXPECT_EQ(a, b)                                                                           \
	do {                                                                                       \
		long long ka_ = (long long)(a), kb_ = (long long)(b);                              \
		if (ka_ != kb_) {                                                                  \
			kprintf("  check failed: %s == %s (%lld != %lld) (%s:%d)\n", #a, #b, ka_,  \
			        kb_, __FILE__, __LINE__);                                          \
			*ktest_failed = 1;                                                         \
		}                                                                                  \
	} while (0)

void ktest_run_all(const char *filter);

struct task;
/* A fresh user task for a test (NULL when it cannot be made), and its end. */
struct task *ktest_task(const char *name);
void ktest_task_end(struct task *t);

#endif
