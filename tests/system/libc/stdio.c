/* SPDX-License-Identifier: MIT */
/* LIBC-010..016: stdio formatting and buffering on the bring-up console. */
#include <stdint.h>
#include <string.h>
#include "libc_test.h"

static int
fmt_is(const char *want, const char *got)
{
	if (strcmp(want, got) == 0)
		return 1;
	printf("  expected \"%s\", got \"%s\"\n", want, got);
	return 0;
}

int
main(void)
{
	char buf[128];

	CHECK("LIBC-010", "setvbuf line-buffers stdout", setvbuf(stdout, 0, _IOLBF, 0) == 0);
	snprintf(buf, sizeof buf, "%d %i %u %x %X %o", -42, 7, 42u, 0xbeefu, 0xbeefu, 8u);
	CHECK("LIBC-011", "integer conversions", fmt_is("-42 7 42 beef BEEF 10", buf));
	snprintf(buf, sizeof buf, "%lld %llu %jd %zu", -9000000000LL, 18446744073709551615ULL,
	         (intmax_t)-1, (size_t)123);
	CHECK("LIBC-012", "long long, intmax_t, size_t",
	      fmt_is("-9000000000 18446744073709551615 -1 123", buf));
	snprintf(buf, sizeof buf, "[%5s|%-5s|%.2s|%c|%%]", "ab", "cd", "efgh", 'z');
	CHECK("LIBC-013", "strings, width, precision", fmt_is("[   ab|cd   |ef|z|%]", buf));
	snprintf(buf, sizeof buf, "%.3f %e %g %08.2f", 3.14159, 1234.5, 0.0001, -2.5);
	CHECK("LIBC-014", "floating point", fmt_is("3.142 1.234500e+03 0.0001 -0002.50", buf));
	CHECK("LIBC-015", "snprintf truncates and counts",
	      snprintf(buf, 4, "%s", "abcdef") == 6 && fmt_is("abc", buf));
	fprintf(stderr, "stdio: a line on stderr\n");
	CHECK("LIBC-016", "fflush(stdout) and fflush(NULL) succeed",
	      fflush(stdout) == 0 && fflush(NULL) == 0);
	return libc_test_failures;
}
