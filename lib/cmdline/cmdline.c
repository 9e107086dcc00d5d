// SPDX-License-Identifier: MIT
/* Command-line lookup shared by the kernel (boot.c) and ulib. */
#include <lib/cmdline.h>
#include <lib/string.h>

const char *
cmdline_get(const char *line, const char *key, bool to_end, char *buf, size_t size)
{
	size_t klen = strlen(key);
	if (!size)
		return NULL;
	for (const char *p = line; *p;) {
		while (*p == ' ')
			p++;
		if (!strncmp(p, key, klen) && p[klen] == '=') {
			p += klen + 1;
			size_t i = 0;
			while (p[i] && (to_end || p[i] != ' ') && i + 1 < size) {
				buf[i] = p[i];
				i++;
			}
			buf[i] = 0;
			return buf;
		}
		while (*p && *p != ' ')
			p++;
	}
	return NULL;
}
