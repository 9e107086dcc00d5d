/* SPDX-License-Identifier: MIT */
/*
 * ulib: the small runtime for Ferry's native programs (servers, test
 * runners, benchmarks) that run on the kernel API directly, without musl.
 * Entry: crt0.S calls main() with the start argument; printing goes to the
 * kernel log; uspawn*() start new tasks from ELF files in the boot archive.
 */
#ifndef ULIB_H
#define ULIB_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <ferry/bootinfo.h>
#include <ferry/errors.h>
#include <ferry/syscall.h>
#include <lib/string.h>

/* What a task started by uspawn() finds at its start argument. */
#define USTART_MAGIC   0x5553544152543031ull /* "USTART01" */
#define USTART_HANDLES 8
struct ustart {
	uint64_t magic;
	uint64_t archive_addr, archive_size; /* boot archive, mapped read-only (or 0) */
	handle_t archive;                    /* its memory object (or 0) */
	handle_t self_task;
	handle_t handles[USTART_HANDLES]; /* given by the spawner */
	uint64_t words[8];                /* free-form arguments */
	char cmd[128];                    /* free-form command string */
};

/* Set by crt0 from the start argument: exactly one of them is non-NULL
 * for tasks started by the kernel or by uspawn. */
extern const struct ferry_bootinfo *ubootinfo;
extern const struct ustart *ustart;

int main(void);

void uwrite(const char *s, size_t n);
int uprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int usnprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
__attribute__((noreturn)) void uexit(int code);
__attribute__((noreturn)) void upanic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
uint64_t unow_ns(void);
uint64_t urdtsc(void);

/* The boot archive as seen by this task (from bootinfo or ustart). */
bool uarchive(const void **base, size_t *size, handle_t *memobj);

/* Maps size bytes of fresh anonymous memory read-write; 0 on failure. */
void *umap_anon(size_t size);
int uunmap(void *addr, size_t size);

/*
 * Starts the ELF at path (in the boot archive) as a new task named after it.
 * Native mode: the thread starts with rdi = address of a struct ustart
 * filled from *start (magic, archive and self_task are set by uspawn).
 * POSIX mode (uspawn_posix): the SysV stack with argv, envp and auxv (plus
 * the AT_FERRY_* handles given in auxh[] as type/value pairs, already
 * valid in the child) so musl's _start runs unchanged.
 * Handles in start->handles / auxh are this task's and are given (copied)
 * to the child; the child's values are substituted.  On success *task is
 * a handle to the new task.
 */
int uspawn(const char *path, const struct ustart *start, handle_t *task);
/* Maps a parsed ELF image (lib/elf.h) into task at bias, private per page run. */
struct elf_info;
int umap_elf(handle_t task, const void *image, const struct elf_info *ei, uint64_t bias);
int uspawn_posix(const char *path, char *const argv[], char *const envp[], const uint64_t *auxh,
                 size_t nauxh, handle_t *task);

/* Benchmarks (lib/ulib/bench.c): "insns" under -icount, else "cycles";
 * the median of n samples (sorts them); one "BENCH metric value unit" line. */
const char *ubench_unit(void);
uint64_t ubench_median(uint64_t *samples, int n);
void ubench_report(const char *metric, uint64_t value, const char *unit);

/* Test framework for system tests: UTEST registers into .utests. */
struct utest {
	const char *id;
	const char *desc;
	void (*fn)(int *failed);
};
#define UTEST(ident, id_str, description)                                                          \
	static void utest_##ident(int *utest_failed);                                              \
	static const struct utest utest_desc_##ident                                               \
	        __attribute__((used, section("utests"), aligned(8))) = {id_str, description,       \
	                                                                utest_##ident};            \
	static void utest_##ident(int *utest_failed)
#define UEXPECT(cond)                                                                              \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			uprintf("  check failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__);        \
			*utest_failed = 1;                                                         \
		}                                                                                  \
	} while (0)
#define UEXPECT_EQ(a, b)                                                                           \
	do {                                                                                       \
		long long ua_ = (long long)(a), ub_ = (long long)(b);                              \
		if (ua_ != ub_) {                                                                  \
			uprintf("  check failed: %s == %s (%lld != %lld) (%s:%d)\n", #a, #b, ua_,  \
			        ub_, __FILE__, __LINE__);                                          \
			*utest_failed = 1;                                                         \
		}                                                                                  \
	} while (0)

/* Runs every UTEST whose ID starts with filter ("" = all), prints PASS/FAIL
 * lines, the summary and "SUITE-END <suite>"; returns the failure count. */
int utest_run(const char *suite, const char *filter);
/* Value of key=... in the kernel command line (bootinfo); NULL if absent. */
const char *ucmdline_get(const char *key, char *buf, size_t size);

#endif
