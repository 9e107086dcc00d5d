/* SPDX-License-Identifier: MIT */
/* Parsing of "key=value key2=value2 ..." command lines (kernel and user). */
#ifndef LIB_CMDLINE_H
#define LIB_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Finds key=value in line (words separated by spaces) and copies the value
 * into buf (truncated to size - 1 bytes, always NUL-terminated).  A value
 * ends at the next space, or with to_end at the end of the line (for a
 * last key such as cmd= whose value has spaces).  Returns buf, or NULL if
 * the key is absent or size is 0.
 */
const char *cmdline_get(const char *line, const char *key, bool to_end, char *buf, size_t size);

#endif
