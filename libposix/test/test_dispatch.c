/* SPDX-License-Identifier: MIT */
/*
 * HOST-LPDISPATCH-*: __ferry_syscall (syscall.c) routes every call listed
 * in dispatch.def to its handler and nothing else; everything else is
 * ENOSYS, traced when asked.  The handlers here are stubs generated from
 * the same list, so the test follows the list without restating it.
 */
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include "libposix.h"
#include "test.h"

static const char *called;
static char logged[256];

#define SYS(name, note)                                                                            \
	long __ferry_sys_##name(long a, long b, long c, long d, long e, long f)                    \
	{                                                                                          \
		called = #name;                                                                    \
		return a + b + c + d + e + f;                                                      \
	}
#define ALIAS(name, other, note)
#include "dispatch.def"
#undef SYS
#undef ALIAS

struct ferry_proc __ferry_proc;
static int inits;

void
__ferry_init(void)
{
	inits++;
	__ferry_proc.ready = 1;
}

int
__ferry_cancel_pending(void)
{
	return 0;
}

void
__ferry_log(const char *s)
{
	strncat(logged, s, sizeof logged - strlen(logged) - 1);
}

const char *const __ferry_syscall_names[] = {[SYS_ptrace] = "ptrace"};
const unsigned __ferry_syscall_names_count = sizeof __ferry_syscall_names / sizeof(char *);

static const struct {
	long nr;
	const char *handler;
} listed[] = {
#define SYS(name, note)          {SYS_##name, #name},
#define ALIAS(name, other, note) {SYS_##name, #other},
#include "dispatch.def"
#undef SYS
#undef ALIAS
};

static int
is_listed(long nr)
{
	for (size_t i = 0; i < sizeof listed / sizeof listed[0]; i++)
		if (listed[i].nr == nr)
			return 1;
	return 0;
}

TEST(HOST_LPDISPATCH_001, "each listed call reaches its handler with all six arguments")
{
	for (size_t i = 0; i < sizeof listed / sizeof listed[0]; i++) {
		called = 0;
		EXPECT_EQ(__ferry_syscall(listed[i].nr, 1, 2, 4, 8, 16, 32), 63);
		ASSERT_NOT_NULL(called);
		EXPECT_STR_EQ(called, listed[i].handler);
	}
	EXPECT_EQ(inits, 1);
}

TEST(HOST_LPDISPATCH_002, "every other number, negative and huge ones too, is ENOSYS")
{
	for (long nr = -2; nr < 1024; nr++) {
		if (is_listed(nr))
			continue;
		called = 0;
		EXPECT_EQ(__ferry_syscall(nr, 0, 0, 0, 0, 0, 0), -ENOSYS);
		EXPECT_NULL(called);
	}
	EXPECT_EQ(__ferry_syscall(0x7fffffffffffffffL, 0, 0, 0, 0, 0, 0), -ENOSYS);
	EXPECT_EQ(logged[0], 0); /* not traced unless FERRY_TRACE */
}

TEST(HOST_LPDISPATCH_003, "FERRY_TRACE logs unsupported calls by name and number")
{
	__ferry_proc.trace = 1;
	logged[0] = 0;
	EXPECT_EQ(__ferry_syscall(SYS_ptrace, 0, 0, 0, 0, 0, 0), -ENOSYS);
	EXPECT_STR_EQ(logged, "ferry: unsupported syscall ptrace (101)\n");
	logged[0] = 0;
	EXPECT_EQ(__ferry_syscall(100000, 0, 0, 0, 0, 0, 0), -ENOSYS);
	EXPECT_STR_EQ(logged, "ferry: unsupported syscall ? (100000)\n");
	logged[0] = 0;
	EXPECT_EQ(__ferry_syscall(-5, 0, 0, 0, 0, 0, 0), -ENOSYS);
	EXPECT_STR_EQ(logged, "ferry: unsupported syscall ? (-5)\n");
	__ferry_proc.trace = 0;
}
