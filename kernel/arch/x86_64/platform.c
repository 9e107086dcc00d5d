// SPDX-License-Identifier: MIT
/*
 * The PC platform devices the kernel itself needs: the COM1 serial line for
 * the kernel log, the legacy 8259 PICs, the PIT as the scheduler tick, the
 * TSC (calibrated against the PIT) as the clock, the CMOS RTC for the wall
 * clock at boot, and power-off (QEMU's isa-debug-exit, then ACPI on PIIX4).
 * Device drivers for everything else live in user space.
 */
#include <stdint.h>
#include <stdbool.h>
#include <arch.h>
#include "cpu.h"

#define COM1 0x3f8

void
arch_console_init(void)
{
	outb(COM1 + 1, 0x00); /* no interrupts: the user-space driver enables them */
	outb(COM1 + 3, 0x80);
	outb(COM1 + 0, 0x01); /* 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03); /* 8N1 */
	outb(COM1 + 2, 0xc7);
	outb(COM1 + 4, 0x03);
}

static void
serial_putc(char c)
{
	for (int i = 0; i < 100000 && !(inb(COM1 + 5) & 0x20); i++)
		;
	outb(COM1, (uint8_t)c);
}

void
arch_console_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
}

/* ---- 8259 PIC: lines 0-15 -> vectors 32-47 ---- */

static uint16_t pic_mask = 0xffff;

static void
pic_write_mask(void)
{
	outb(0x21, pic_mask & 0xff);
	outb(0xa1, pic_mask >> 8);
}

void
pic_init(void)
{
	outb(0x20, 0x11);
	outb(0xa0, 0x11);
	outb(0x21, 32);
	outb(0xa1, 40);
	outb(0x21, 4);
	outb(0xa1, 2);
	outb(0x21, 1);
	outb(0xa1, 1);
	pic_mask = 0xffff & ~(1u << 2); /* cascade line stays open */
	pic_write_mask();
}

void
arch_irq_mask(unsigned line)
{
	pic_mask |= (uint16_t)(1u << line);
	pic_write_mask();
}

void
arch_irq_unmask(unsigned line)
{
	pic_mask &= (uint16_t) ~(1u << line);
	pic_write_mask();
}

void
pic_eoi(unsigned line)
{
	if (line >= 8)
		outb(0xa0, 0x20);
	outb(0x20, 0x20);
}

/* ---- PIT tick and TSC clock ---- */

#define PIT_HZ 1193182u
static uint64_t tsc_hz;
static uint64_t tsc_boot;

void
pit_init(void)
{
	uint16_t div = (uint16_t)(PIT_HZ / (1000000000ull / TICK_NS));
	outb(0x43, 0x34); /* channel 0, lo/hi, rate generator */
	outb(0x40, div & 0xff);
	outb(0x40, div >> 8);
	arch_irq_unmask(0);
}

/* TSC ticks while PIT channel 2 counts down 10 ms. */
static uint64_t
tsc_per_10ms(void)
{
	const uint16_t count = PIT_HZ / 100;
	outb(0x61, (inb(0x61) & ~0x02) | 0x01); /* gate on, speaker off */
	outb(0x43, 0xb0);                       /* channel 2, lo/hi, mode 0 */
	outb(0x42, count & 0xff);
	outb(0x42, count >> 8);
	uint64_t t0 = rdtsc();
	while (!(inb(0x61) & 0x20))
		;
	return rdtsc() - t0;
}

/*
 * Measures the TSC rate against the PIT.  The smallest of several samples
 * wins: on an emulator whose host is busy, a sample during which the
 * virtual CPU was descheduled counts too many TSC ticks.
 */
void
tsc_calibrate(void)
{
	uint64_t best = UINT64_MAX;
	tsc_boot = rdtsc();
	for (int i = 0; i < 5; i++) {
		uint64_t d = tsc_per_10ms();
		if (d && d < best)
			best = d;
	}
	tsc_hz = best == UINT64_MAX ? 1000000000ull : best * 100;
}

uint64_t
arch_tsc(void)
{
	return rdtsc();
}

uint64_t
arch_tsc_hz(void)
{
	return tsc_hz;
}

uint64_t
arch_time_ns(void)
{
	uint64_t d = rdtsc() - tsc_boot;
	/* d * 1e9 / hz without overflow for uptimes of centuries. */
	return (d / tsc_hz) * 1000000000ull + (d % tsc_hz) * 1000000000ull / tsc_hz;
}

/* ---- RTC ---- */

static uint8_t
cmos(uint8_t reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

static unsigned
bcd(uint8_t v, bool is_bcd)
{
	return is_bcd ? (v & 0x0f) + (v >> 4) * 10 : v;
}

static uint64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (uint64_t)(era * 146097 + (int64_t)doe - 719468);
}

uint64_t
arch_realtime_boot_ns(void)
{
	/* Read the RTC once: it only has whole seconds, and reading it at
	 * every call would make the wall clock stand still within a second. */
	static uint64_t boot_ns;
	if (boot_ns)
		return boot_ns;
	while (cmos(0x0a) & 0x80)
		;
	bool is_bcd = !(cmos(0x0b) & 0x04);
	unsigned sec = bcd(cmos(0x00), is_bcd), min = bcd(cmos(0x02), is_bcd);
	unsigned hour = bcd(cmos(0x04) & 0x7f, is_bcd), day = bcd(cmos(0x07), is_bcd);
	unsigned mon = bcd(cmos(0x08), is_bcd), year = bcd(cmos(0x09), is_bcd) + 2000;
	uint64_t days = days_from_civil(year, mon, day);
	uint64_t secs = days * 86400 + hour * 3600 + min * 60 + sec;
	boot_ns = secs * 1000000000ull - arch_time_ns();
	return boot_ns;
}

/* ---- power ---- */

void
arch_poweroff(int failed)
{
	__asm__ volatile("cli");
	outb(0xf4, failed ? 1 : 0); /* QEMU isa-debug-exit */
	outw(0x604, 0x2000);        /* QEMU PIIX4 ACPI S5 */
	outw(0xb004, 0x2000);       /* older QEMU/Bochs */
	arch_halt_forever();
}

void
arch_halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

void
arch_idle(void)
{
	__asm__ volatile("sti; hlt; cli" ::: "memory");
}
