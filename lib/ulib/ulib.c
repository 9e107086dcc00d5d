// SPDX-License-Identifier: MIT
/*
 * ulib core: start-up, output to the kernel log, exit, time, anonymous
 * memory, command-line access and the system-test runner.
 */
#include "ulib.h"
#include <lib/cmdline.h>
#include <lib/fmt.h>

const struct ferry_bootinfo *ubootinfo;
const struct ustart *ustart;

__attribute__((noreturn)) void
ulib_start(uint64_t arg)
{
	if (arg && arg < 0x0000800000000000ull && (arg & 7) == 0) {
		/* The start argument points to a mapped page in both conventions. */
		uint64_t magic = *(const uint64_t *)arg;
		if (magic == FERRY_BOOTINFO_MAGIC)
			ubootinfo = (const struct ferry_bootinfo *)arg;
		else if (magic == USTART_MAGIC)
			ustart = (const struct ustart *)arg;
	}
	uexit(main());
}

void
uwrite(const char *s, size_t n)
{
	ferry_sys_debug_write(s, n);
}

struct ubuf {
	char buf[256];
	size_t n;
};

static void
ubuf_out(void *ctx, const char *s, size_t n)
{
	struct ubuf *b = ctx;
	while (n) {
		if (b->n == sizeof(b->buf)) {
			uwrite(b->buf, b->n);
			b->n = 0;
		}
		size_t k = sizeof(b->buf) - b->n < n ? sizeof(b->buf) - b->n : n;
		memcpy(b->buf + b->n, s, k);
		b->n += k;
		s += k;
		n -= k;
	}
}

static int
uvprintf(const char *fmt, va_list ap)
{
	struct ubuf b;
	b.n = 0;
	int r = fmt_vcallback(ubuf_out, &b, fmt, ap);
	if (b.n)
		uwrite(b.buf, b.n);
	return r;
}

int
uprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = uvprintf(fmt, ap);
	va_end(ap);
	return r;
}

int
usnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return r;
}

void
uexit(int code)
{
	ferry_sys_task_exit(code);
}

void
upanic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	uprintf("upanic: ");
	uvprintf(fmt, ap);
	uprintf("\n");
	va_end(ap);
	uexit(250);
}

uint64_t
unow_ns(void)
{
	uint64_t t = 0;
	ferry_sys_clock_get(FERRY_CLOCK_MONOTONIC, &t);
	return t;
}

uint64_t
urdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

bool
uarchive(const void **base, size_t *size, handle_t *memobj)
{
	if (ubootinfo) {
		*base = (const void *)ubootinfo->archive_addr;
		*size = ubootinfo->archive_size;
		*memobj = ubootinfo->archive;
		return true;
	}
	if (ustart && ustart->archive_addr) {
		*base = (const void *)ustart->archive_addr;
		*size = ustart->archive_size;
		*memobj = ustart->archive;
		return true;
	}
	return false;
}

void *
umap_anon(size_t size)
{
	size = (size + 4095) & ~(size_t)4095;
	handle_t mo;
	if (ferry_sys_memobj_create(size, FERRY_MEMOBJ_ANON, &mo))
		return NULL;
	struct ferry_map_req req = {
	        .addr = 0, .len = size, .prot = FERRY_PROT_READ | FERRY_PROT_WRITE};
	uintptr_t addr = 0;
	long rc = ferry_sys_vm_map(0, mo, 0, &req, &addr);
	ferry_sys_handle_close(mo);
	return rc ? NULL : (void *)addr;
}

int
uunmap(void *addr, size_t size)
{
	return (int)ferry_sys_vm_unmap(0, (uintptr_t)addr, (size + 4095) & ~(size_t)4095);
}

const char *
ucmdline_get(const char *key, char *buf, size_t size)
{
	const char *line = ubootinfo ? ubootinfo->cmdline : ustart ? ustart->cmd : "";
	/* cmd= takes the rest of the line; other keys end at a space. */
	return cmdline_get(line, key, !strcmp(key, "cmd"), buf, size);
}

extern const struct utest __start_utests[] __attribute__((weak));
extern const struct utest __stop_utests[] __attribute__((weak));

int
utest_run(const char *suite, const char *filter)
{
	int passed = 0, failed = 0;
	for (const struct utest *t = __start_utests; t < __stop_utests; t++) {
		if (strncmp(t->id, filter, strlen(filter)))
			continue;
		int f = 0;
		t->fn(&f);
		if (f) {
			uprintf("FAIL %s: %s\n", t->id, t->desc);
			failed++;
		} else {
			uprintf("PASS %s %s\n", t->id, t->desc);
			passed++;
		}
	}
	uprintf("%d passed, %d failed\nSUITE-END %s\n", passed, failed, suite);
	return failed;
}
