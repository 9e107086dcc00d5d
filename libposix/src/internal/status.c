/* SPDX-License-Identifier: MIT */
/*
 * The single Ferry status -> POSIX errno table, derived from errors.def's
 * third column.  Status codes without an entry (a newer server speaking a
 * code this libc does not know) become EIO rather than a wrong errno.
 */
#include <errno.h>
#include <ferry/errors.h>
#include "libposix.h"

static const unsigned char errno_of[] = {
#define X(name, value, posix, msg) [value] = posix,
#include <ferry/errors.def>
#undef X
};

long
__ferry_status(long status)
{
	unsigned long code;

	if (status >= 0)
		return status;
	code = -(unsigned long)status;
	if (code < sizeof errno_of && errno_of[code])
		return -(long)errno_of[code];
	return -EIO;
}
