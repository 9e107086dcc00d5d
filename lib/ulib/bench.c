// SPDX-License-Identifier: MIT
/*
 * Helpers shared by the benchmark programs in bench/: the unit of a TSC
 * delta, the median of samples, and the "BENCH <metric> <value> <unit>"
 * line ./ferry bench reads.
 */
#include "ulib.h"

const char *
ubench_unit(void)
{
	uint64_t hz = 0;
	ferry_sys_kernel_info(FERRY_INFO_TSC_HZ, &hz);
	/* Under -icount shift=0 the TSC counts guest instructions (1 GHz). */
	return hz >= 990000000ull && hz <= 1010000000ull ? "insns" : "cycles";
}

uint64_t
ubench_median(uint64_t *a, int n)
{
	for (int i = 1; i < n; i++) {
		uint64_t v = a[i];
		int j = i - 1;
		while (j >= 0 && a[j] > v) {
			a[j + 1] = a[j];
			j--;
		}
		a[j + 1] = v;
	}
	return n ? a[n / 2] : 0;
}

void
ubench_report(const char *metric, uint64_t value, const char *unit)
{
	uprintf("BENCH %s %lu %s\n", metric, (unsigned long)value, unit);
}
