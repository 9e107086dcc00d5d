/* SPDX-License-Identifier: MIT */
/*
 * printf-style formatting without libc, for the kernel log and native user
 * programs.
 *
 * Conversions: %d %i %u %x %X %o %p %s %c %%.  Flags: '-' (left-justify),
 * '0' (zero-pad numbers), '+', ' ' and '#' (0x / 0 prefix).  Width and
 * precision are a decimal number or '*'.  Precision limits the bytes taken
 * from %s (which need not be NUL-terminated within that many bytes) and
 * gives the minimum digit count for integers.  Length modifiers: hh h l ll
 * z j t.  There is no floating point (the kernel is built without SSE).
 * An unknown conversion is copied to the output verbatim.  %s of NULL
 * prints "(null)".
 */
#ifndef LIB_FMT_H
#define LIB_FMT_H

#include <stdarg.h>
#include <stddef.h>

/* Receives formatted output in pieces; s[0..n) is not NUL-terminated. */
typedef void fmt_out_fn(void *ctx, const char *s, size_t n);

/*
 * Format into buf[size].  Returns the length the full output would have
 * (excluding the NUL), even when it was truncated; buf is NUL-terminated
 * whenever size > 0.  buf may be NULL when size is 0.
 */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
        __attribute__((format(printf, 3, 0)));
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/*
 * Format with no length limit, handing each piece to out(ctx, s, n).
 * Returns the total number of bytes passed to out (saturating at INT_MAX).
 */
int fmt_vcallback(fmt_out_fn *out, void *ctx, const char *fmt, va_list ap)
        __attribute__((format(printf, 3, 0)));
int fmt_callback(fmt_out_fn *out, void *ctx, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

#endif
