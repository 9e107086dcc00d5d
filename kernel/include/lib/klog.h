/* SPDX-License-Identifier: MIT */
/* Kernel log, panic and assertions. */
#ifndef KERNEL_LIB_KLOG_H
#define KERNEL_LIB_KLOG_H

#include <stdarg.h>
#include <stdint.h>

void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char *fmt, va_list ap);
__attribute__((noreturn)) void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kbacktrace(uintptr_t rbp, uintptr_t rip);

#define assert(e)                                                                                  \
	((e) ? (void)0                                                                             \
	     : panic("assertion failed: %s (%s:%d, %s)", #e, __FILE__, __LINE__, __func__))

/*
 * A check on input from user space or another task failed: never a panic.
 * Debug builds log which check failed; the caller returns the error.
 */
#ifdef FERRY_DEBUG_USER_ERRORS
#define user_error(fmt, ...)                                                                       \
	kprintf("user error: %s:%d: " fmt "\n", __func__, __LINE__, ##__VA_ARGS__)
#else
#define user_error(fmt, ...) ((void)0)
#endif

#endif
