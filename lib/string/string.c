/* SPDX-License-Identifier: MIT */
/*
 * Memory and string routines for freestanding Ferry code (see
 * lib/include/lib/string.h).  The memory routines move eight bytes at a
 * time through an alias-safe, alignment-1 word type, which x86_64 handles
 * at full speed, and finish with single bytes.  This file must not be
 * compiled in a way that lets the compiler turn these loops back into
 * calls to the same functions (the kernel build uses -ffreestanding and
 * -fno-builtin, which prevents it).
 */
#include <stdint.h>
#include <lib/string.h>

/* An unaligned machine word that may alias any object. */
typedef uint64_t __attribute__((may_alias, aligned(1))) word_t;

#define WORD sizeof(word_t)

void *
LIB_STRING_NAME(memcpy)(void *restrict dst, const void *restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

#if defined(__x86_64__)
	/* One instruction for the bulk: fast on hardware and a single
	 * iteration count under QEMU's instruction counting. */
	if (n >= 4 * WORD) {
		size_t q = n / WORD;
		__asm__ volatile("rep movsq" : "+D"(d), "+S"(s), "+c"(q) : : "memory");
		n %= WORD;
	}
#endif
	for (; n >= WORD; n -= WORD, d += WORD, s += WORD)
		*(word_t *)d = *(const word_t *)s;
	while (n--)
		*d++ = *s++;
	return dst;
}

void *
LIB_STRING_NAME(memmove)(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if ((uintptr_t)d == (uintptr_t)s || n == 0)
		return dst;
	/*
	 * Copying forward is safe when the destination starts below the
	 * source: each word is read before any store can reach it.  The
	 * mirror argument holds for copying backward otherwise.
	 */
	if ((uintptr_t)d < (uintptr_t)s) {
		for (; n >= WORD; n -= WORD, d += WORD, s += WORD)
			*(word_t *)d = *(const word_t *)s;
		while (n--)
			*d++ = *s++;
	} else {
		d += n;
		s += n;
		for (; n >= WORD; n -= WORD) {
			d -= WORD;
			s -= WORD;
			*(word_t *)d = *(const word_t *)s;
		}
		while (n--)
			*--d = *--s;
	}
	return dst;
}

void *
LIB_STRING_NAME(memset)(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	uint64_t w = (unsigned char)c * 0x0101010101010101ull;

#if defined(__x86_64__)
	if (n >= 4 * WORD) {
		size_t q = n / WORD;
		__asm__ volatile("rep stosq" : "+D"(d), "+c"(q) : "a"(w) : "memory");
		n %= WORD;
	}
#endif
	for (; n >= WORD; n -= WORD, d += WORD)
		*(word_t *)d = w;
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

int
LIB_STRING_NAME(memcmp)(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	/* Skip equal words quickly; the differing word is resolved bytewise. */
	for (; n >= WORD && *(const word_t *)x == *(const word_t *)y; n -= WORD) {
		x += WORD;
		y += WORD;
	}
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x < *y ? -1 : 1;
	return 0;
}

size_t
LIB_STRING_NAME(strlen)(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t
LIB_STRING_NAME(strnlen)(const char *s, size_t max)
{
	size_t i;

	for (i = 0; i < max && s[i]; i++)
		;
	return i;
}

int
LIB_STRING_NAME(strcmp)(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	while (*x && *x == *y) {
		x++;
		y++;
	}
	return (*x > *y) - (*x < *y);
}

int
LIB_STRING_NAME(strncmp)(const char *a, const char *b, size_t n)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	for (; n; n--, x++, y++) {
		if (*x != *y)
			return *x < *y ? -1 : 1;
		if (*x == 0)
			break;
	}
	return 0;
}

size_t
LIB_STRING_NAME(strlcpy)(char *restrict dst, const char *restrict src, size_t size)
{
	size_t len = LIB_STRING_NAME(strlen)(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;

		LIB_STRING_NAME(memcpy)(dst, src, n);
		dst[n] = 0;
	}
	return len;
}

char *
LIB_STRING_NAME(strchr)(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (*s == 0)
			return NULL;
	}
}
