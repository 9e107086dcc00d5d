// SPDX-License-Identifier: MIT
/*
 * The kernel log: formatted output to the boot serial line, panic (with a
 * backtrace, then power-off so test runs end instead of hanging), and the
 * symbolized backtrace used by panic and by exception reports.
 */
#include <stdint.h>
#include <stdarg.h>
#include <arch.h>
#include <lib/fmt.h>
#include <lib/klog.h>

static void
klog_out(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	arch_console_write(s, n);
}

void
kvprintf(const char *fmt, va_list ap)
{
	fmt_vcallback(klog_out, NULL, fmt, ap);
}

void
kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}

/* Walks the frame-pointer chain (the kernel is built with frame pointers). */
void
kbacktrace(uintptr_t rbp, uintptr_t rip)
{
	kprintf("backtrace:\n");
	for (int depth = 0; depth < 24 && rip; depth++) {
		uintptr_t off = 0;
		const char *name = arch_symbolize(rip, &off);
		kprintf("  #%d %016lx %s+0x%lx\n", depth, (unsigned long)rip, name ? name : "?",
		        (unsigned long)off);
		if (rbp < 0xffff800000000000ull || (rbp & 7))
			break;
		uintptr_t *frame = (uintptr_t *)rbp;
		rip = frame[1];
		rbp = frame[0];
	}
}

void
panic(const char *fmt, ...)
{
	__asm__ volatile("cli");
	va_list ap;
	va_start(ap, fmt);
	kprintf("\nPANIC: ");
	kvprintf(fmt, ap);
	kprintf("\n");
	va_end(ap);
	kbacktrace((uintptr_t)__builtin_frame_address(0), (uintptr_t)__builtin_return_address(0));
	arch_poweroff(1);
}

/* The allocators report corruption here (double free, foreign pointer). */
void
mm_bug(const char *what, const void *p)
{
	panic("mm: %s (%p)", what, p);
}
