/* SPDX-License-Identifier: MIT */
/*
 * Bring-up diagnostics on the kernel log, usable before TLS and stdio.
 */
#include <ferry/syscall.h>
#include "libposix.h"

void
__ferry_log(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	(void)ferry_sys_debug_write(s, n);
}
