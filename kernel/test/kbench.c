// SPDX-License-Identifier: MIT
/*
 * In-kernel benchmarks (kernel command line bench=kernel, run by
 * ./ferry bench under -icount): the transient arena against the slab
 * allocator for short-lived objects.  Prints BENCH lines and SUITE-END.
 */
#include <arch.h>
#include <core/thread.h>
#include <mm/arena.h>
#include <mm/slab.h>
#include <lib/klog.h>

#define N 4096

void
kbench_run(void)
{
	/* Arena: allocate, use, reset (as one kernel entry would). */
	uint64_t t0 = arch_tsc();
	for (int i = 0; i < N; i++) {
		volatile char *p = tarena_alloc(96);
		p[0] = 1;
		if ((i & 31) == 31)
			arena_reset(&current->arena);
	}
	uint64_t arena = (arch_tsc() - t0) / N;
	arena_reset(&current->arena);

	t0 = arch_tsc();
	for (int i = 0; i < N; i++) {
		volatile char *p = kmalloc(96);
		p[0] = 1;
		kfree((void *)p);
	}
	uint64_t slab = (arch_tsc() - t0) / N;
	const char *unit =
	        arch_tsc_hz() > 990000000ull && arch_tsc_hz() < 1010000000ull ? "insns" : "cycles";
	kprintf("BENCH arena_alloc %lu %s\n", (unsigned long)arena, unit);
	kprintf("BENCH slab_alloc_free %lu %s\n", (unsigned long)slab, unit);
	kprintf("SUITE-END kbench\n");
}
