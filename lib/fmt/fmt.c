/* SPDX-License-Identifier: MIT */
/*
 * printf-style formatting (see lib/include/lib/fmt.h).  One engine,
 * fmt_vcallback(), parses the format and hands output to a sink function
 * in runs (literal text, padding, digits); fmt_vsnprintf() is that engine
 * with a sink that fills a bounded buffer.  Nothing here allocates or
 * touches floating-point registers, so the kernel may call it anywhere.
 */
#include <stdbool.h>
#include <stdint.h>
#include <lib/fmt.h>

/* Where output goes, and how much has gone there so far. */
struct sink {
	fmt_out_fn *out;
	void *ctx;
	size_t total;
};

/* One parsed conversion specification. */
struct spec {
	bool left, zero, plus, space, alt;
	int width; /* 0 when absent */
	int prec;  /* -1 when absent */
};

static void
emit(struct sink *k, const char *s, size_t n)
{
	if (n == 0)
		return;
	k->out(k->ctx, s, n);
	k->total += n;
}

static void
pad(struct sink *k, char c, size_t n)
{
	static const char spaces[16] = "                ";
	static const char zeros[16] = "0000000000000000";
	const char *run = c == '0' ? zeros : spaces;

	while (n) {
		size_t m = n < sizeof(spaces) ? n : sizeof(spaces);

		emit(k, run, m);
		n -= m;
	}
}

static size_t
bounded_len(const char *s, int prec)
{
	size_t n = 0;

	/* With a precision, s need not be terminated: never read past it. */
	while ((prec < 0 || n < (size_t)prec) && s[n])
		n++;
	return n;
}

static void
put_text(struct sink *k, const char *s, size_t n, const struct spec *sp)
{
	size_t fill = sp->width > 0 && (size_t)sp->width > n ? (size_t)sp->width - n : 0;

	if (!sp->left)
		pad(k, ' ', fill);
	emit(k, s, n);
	if (sp->left)
		pad(k, ' ', fill);
}

/*
 * Print magnitude v in base with an optional sign or radix prefix, honouring
 * width, precision (minimum digits) and the '-', '0' and '#' flags.
 */
static void
put_number(struct sink *k, uintmax_t v, bool neg, unsigned base, bool upper, bool ptr,
           const struct spec *sp)
{
	const char *digitset = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char digits[24]; /* 22 octal digits hold 64 bits */
	char prefix[2];
	size_t nd = 0, np = 0, zeros = 0, body, fill = 0;

	while (v) {
		digits[sizeof(digits) - 1 - nd++] = digitset[v % base];
		v /= base;
	}
	/* A zero value prints "0" unless an explicit precision of 0 says none. */
	if (nd == 0 && sp->prec != 0)
		digits[sizeof(digits) - 1 - nd++] = '0';

	if (neg)
		prefix[np++] = '-';
	else if (sp->plus && base == 10 && !ptr)
		prefix[np++] = '+';
	else if (sp->space && base == 10 && !ptr)
		prefix[np++] = ' ';
	if (base == 16 && (ptr || (sp->alt && nd && digits[sizeof(digits) - nd] != '0'))) {
		prefix[np++] = '0';
		prefix[np++] = upper ? 'X' : 'x';
	}

	if (sp->prec >= 0 && (size_t)sp->prec > nd)
		zeros = (size_t)sp->prec - nd;
	if (base == 8 && sp->alt && zeros == 0 && (nd == 0 || digits[sizeof(digits) - nd] != '0'))
		zeros = 1;
	body = np + zeros + nd;
	if (sp->width > 0 && (size_t)sp->width > body)
		fill = (size_t)sp->width - body;
	/* C: the '0' flag is ignored with '-' or with an explicit precision. */
	if (sp->zero && !sp->left && sp->prec < 0) {
		zeros += fill;
		fill = 0;
	}

	if (!sp->left)
		pad(k, ' ', fill);
	emit(k, prefix, np);
	pad(k, '0', zeros);
	emit(k, digits + sizeof(digits) - nd, nd);
	if (sp->left)
		pad(k, ' ', fill);
}

/* Parse a decimal field; saturates instead of overflowing. */
static int
parse_int(const char **pp)
{
	const char *p = *pp;
	int v = 0;

	while (*p >= '0' && *p <= '9') {
		int d = *p++ - '0';

		v = v > (INT32_MAX - d) / 10 ? INT32_MAX : v * 10 + d;
	}
	*pp = p;
	return v;
}

int
fmt_vcallback(fmt_out_fn *out, void *ctx, const char *fmt, va_list ap)
{
	struct sink k = {.out = out, .ctx = ctx, .total = 0};
	va_list args;
	const char *p = fmt;

	va_copy(args, ap);
	while (*p) {
		const char *start = p;
		struct spec sp = {.prec = -1};
		enum { L_INT, L_CHAR, L_SHORT, L_LONG, L_LLONG, L_SIZE, L_MAX, L_PTRDIFF } len;
		uintmax_t u;
		intmax_t s;
		bool is_signed = false;
		unsigned base;
		char c;

		while (*p && *p != '%')
			p++;
		emit(&k, start, (size_t)(p - start));
		if (*p == 0)
			break;
		start = p++; /* remember the '%' in case the conversion is unknown */

		for (;; p++) {
			if (*p == '-')
				sp.left = true;
			else if (*p == '0')
				sp.zero = true;
			else if (*p == '+')
				sp.plus = true;
			else if (*p == ' ')
				sp.space = true;
			else if (*p == '#')
				sp.alt = true;
			else
				break;
		}
		if (*p == '*') {
			int w = va_arg(args, int);

			p++;
			if (w < 0) {
				sp.left = true;
				w = w == INT32_MIN ? INT32_MAX : -w;
			}
			sp.width = w;
		} else {
			sp.width = parse_int(&p);
		}
		if (*p == '.') {
			p++;
			if (*p == '*') {
				p++;
				sp.prec = va_arg(args, int);
				if (sp.prec < 0)
					sp.prec = -1;
			} else {
				sp.prec = parse_int(&p);
			}
		}

		len = L_INT;
		switch (*p) {
		case 'h':
			len = *++p == 'h' ? (p++, L_CHAR) : L_SHORT;
			break;
		case 'l':
			len = *++p == 'l' ? (p++, L_LLONG) : L_LONG;
			break;
		case 'z':
			p++;
			len = L_SIZE;
			break;
		case 'j':
			p++;
			len = L_MAX;
			break;
		case 't':
			p++;
			len = L_PTRDIFF;
			break;
		}

		c = *p;
		if (c == 0) {
			/* A format ending inside a conversion: show what was there. */
			emit(&k, start, (size_t)(p - start));
			break;
		}
		p++;
		switch (c) {
		case '%':
			emit(&k, "%", 1);
			continue;
		case 'c': {
			char ch = (char)va_arg(args, int);

			put_text(&k, &ch, 1, &sp);
			continue;
		}
		case 's': {
			const char *str = va_arg(args, const char *);

			if (str == NULL)
				str = "(null)";
			put_text(&k, str, bounded_len(str, sp.prec), &sp);
			continue;
		}
		case 'p':
			put_number(&k, (uintptr_t)va_arg(args, void *), false, 16, false, true,
			           &sp);
			continue;
		case 'd':
		case 'i':
			is_signed = true;
			base = 10;
			break;
		case 'u':
			base = 10;
			break;
		case 'x':
		case 'X':
			base = 16;
			break;
		case 'o':
			base = 8;
			break;
		default:
			emit(&k, start, (size_t)(p - start));
			continue;
		}

		if (is_signed) {
			switch (len) {
			case L_CHAR:
				s = (signed char)va_arg(args, int);
				break;
			case L_SHORT:
				s = (short)va_arg(args, int);
				break;
			case L_LONG:
				s = va_arg(args, long);
				break;
			case L_LLONG:
				s = va_arg(args, long long);
				break;
			case L_SIZE:
			case L_PTRDIFF:
				s = va_arg(args, ptrdiff_t);
				break;
			case L_MAX:
				s = va_arg(args, intmax_t);
				break;
			default:
				s = va_arg(args, int);
				break;
			}
			/* Negate in unsigned arithmetic so INTMAX_MIN is exact. */
			u = s < 0 ? -(uintmax_t)s : (uintmax_t)s;
			put_number(&k, u, s < 0, base, false, false, &sp);
		} else {
			switch (len) {
			case L_CHAR:
				u = (unsigned char)va_arg(args, unsigned);
				break;
			case L_SHORT:
				u = (unsigned short)va_arg(args, unsigned);
				break;
			case L_LONG:
				u = va_arg(args, unsigned long);
				break;
			case L_LLONG:
				u = va_arg(args, unsigned long long);
				break;
			case L_SIZE:
			case L_PTRDIFF:
				u = va_arg(args, size_t);
				break;
			case L_MAX:
				u = va_arg(args, uintmax_t);
				break;
			default:
				u = va_arg(args, unsigned);
				break;
			}
			sp.plus = sp.space = false; /* signs are for signed conversions */
			put_number(&k, u, false, base, c == 'X', false, &sp);
		}
	}
	va_end(args);
	return k.total > INT32_MAX ? INT32_MAX : (int)k.total;
}

int
fmt_callback(fmt_out_fn *out, void *ctx, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vcallback(out, ctx, fmt, ap);
	va_end(ap);
	return n;
}

/* A bounded buffer; pos counts bytes stored, never more than size - 1. */
struct buf {
	char *p;
	size_t size;
	size_t pos;
};

static void
buf_out(void *ctx, const char *s, size_t n)
{
	struct buf *b = ctx;
	size_t room;

	if (b->size == 0)
		return;
	room = b->size - 1 - b->pos;
	if (n > room)
		n = room;
	for (size_t i = 0; i < n; i++)
		b->p[b->pos + i] = s[i];
	b->pos += n;
}

int
fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct buf b = {.p = buf, .size = size, .pos = 0};
	int n;

	n = fmt_vcallback(buf_out, &b, fmt, ap);
	if (size)
		buf[b.pos] = 0;
	return n;
}

int
fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
