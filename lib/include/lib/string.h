/* SPDX-License-Identifier: MIT */
/*
 * Freestanding memory and string routines shared by the kernel and native
 * user programs.  The kernel links these under their standard names because
 * the compiler emits calls to memcpy, memset, memmove and memcmp on its own.
 *
 * Host unit tests cannot replace the host C library's functions, so they
 * build lib/string/string.c with LIB_STRING_TEST_NAMES defined, which gives
 * every routine an "fl_" prefix (fl_memcpy, fl_strlen, ...) while the
 * source stays the same.
 */
#ifndef LIB_STRING_H
#define LIB_STRING_H

#include <stddef.h>

#ifdef LIB_STRING_TEST_NAMES
#define LIB_STRING_NAME(name) fl_##name
#else
#define LIB_STRING_NAME(name) name
#endif

/* Copy n bytes; the ranges must not overlap.  Returns dst. */
void *LIB_STRING_NAME(memcpy)(void *restrict dst, const void *restrict src, size_t n);

/* Copy n bytes; the ranges may overlap in either direction.  Returns dst. */
void *LIB_STRING_NAME(memmove)(void *dst, const void *src, size_t n);

/* Fill n bytes with (unsigned char)c.  Returns dst. */
void *LIB_STRING_NAME(memset)(void *dst, int c, size_t n);

/* Compare n bytes as unsigned char: <0, 0 or >0. */
int LIB_STRING_NAME(memcmp)(const void *a, const void *b, size_t n);

/* Length of a NUL-terminated string. */
size_t LIB_STRING_NAME(strlen)(const char *s);

/* Length of s, but at most max (reads no byte at s[max] or beyond). */
size_t LIB_STRING_NAME(strnlen)(const char *s, size_t max);

/* Compare two strings as unsigned char: <0, 0 or >0. */
int LIB_STRING_NAME(strcmp)(const char *a, const char *b);

/* Compare at most n characters of two strings. */
int LIB_STRING_NAME(strncmp)(const char *a, const char *b, size_t n);

/*
 * Copy src into dst[size], always NUL-terminating when size > 0.  Returns
 * strlen(src); a result >= size means the copy was truncated.
 */
size_t LIB_STRING_NAME(strlcpy)(char *restrict dst, const char *restrict src, size_t size);

/* First occurrence of (char)c in s (c == 0 finds the terminator), or NULL. */
char *LIB_STRING_NAME(strchr)(const char *s, int c);

#endif
