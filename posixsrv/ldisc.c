// SPDX-License-Identifier: MIT
/*
 * The line discipline (ldisc.h): input mapping, signal characters,
 * canonical editing, echo and output processing.  Decisions follow Linux's
 * n_tty where POSIX leaves room (ECHOCTL, ECHOKE, re-framing on ICANON
 * changes, VEOF on a non-empty line ending it without a newline).
 */
#include "ldisc.h"

void
ldisc_default_termios(struct tty_termios *t)
{
	__builtin_memset(t, 0, sizeof(*t));
	t->c_iflag = TTY_ICRNL | TTY_IXON | TTY_IUTF8;
	t->c_oflag = TTY_OPOST | TTY_ONLCR;
	t->c_cflag = TTY_B38400 | TTY_CS8 | TTY_CREAD | TTY_HUPCL;
	t->c_lflag = TTY_ISIG | TTY_ICANON | TTY_ECHO | TTY_ECHOE | TTY_ECHOK | TTY_ECHOCTL |
	             TTY_ECHOKE | TTY_IEXTEN;
	t->c_cc[TTY_VINTR] = 0x03;
	t->c_cc[TTY_VQUIT] = 0x1c;
	t->c_cc[TTY_VERASE] = 0x7f;
	t->c_cc[TTY_VKILL] = 0x15;
	t->c_cc[TTY_VEOF] = 0x04;
	t->c_cc[TTY_VTIME] = 0;
	t->c_cc[TTY_VMIN] = 1;
	t->c_cc[TTY_VSTART] = 0x11;
	t->c_cc[TTY_VSTOP] = 0x13;
	t->c_cc[TTY_VSUSP] = 0x1a;
	t->c_cc[TTY_VREPRINT] = 0x12;
	t->c_cc[TTY_VWERASE] = 0x17;
	t->c_cc[TTY_VLNEXT] = 0x16;
}

void
ldisc_init(struct ldisc *l, const struct ldisc_ops *ops, void *ctx)
{
	__builtin_memset(l, 0, sizeof(*l));
	ldisc_default_termios(&l->t);
	l->ops = ops;
	l->ctx = ctx;
	ring_init(&l->in, l->inbuf, LDISC_INBUF);
}

static bool
canon(const struct ldisc *l)
{
	return l->t.c_lflag & TTY_ICANON;
}

/* A control character matches c_cc[i] unless that slot is disabled (0). */
static bool
is_cc(const struct ldisc *l, int i, uint8_t c)
{
	return l->t.c_cc[i] != 0 && l->t.c_cc[i] == c;
}

static void
out_raw(struct ldisc *l, const uint8_t *s, size_t n)
{
	if (l->ops && l->ops->output && n)
		l->ops->output(l->ctx, s, n);
}

static void
out_processed(struct ldisc *l, const uint8_t *s, size_t n)
{
	uint8_t buf[64];
	while (n) {
		size_t used;
		size_t k = ldisc_process_output(&l->t, s, n, buf, sizeof(buf), &used);
		out_raw(l, buf, k);
		s += used;
		n -= used;
	}
}

/* Control characters echo as ^X with ECHOCTL (not TAB or NL). */
static bool
echoes_as_ctl(const struct ldisc *l, uint8_t c)
{
	return (l->t.c_lflag & TTY_ECHOCTL) && (c < 0x20 || c == 0x7f) && c != '\t' && c != '\n';
}

static void
echo(struct ldisc *l, uint8_t c)
{
	if (!(l->t.c_lflag & TTY_ECHO)) {
		if (c == '\n' && (l->t.c_lflag & TTY_ECHONL) && canon(l))
			out_processed(l, &c, 1);
		return;
	}
	if (echoes_as_ctl(l, c)) {
		uint8_t s[2] = {'^', (uint8_t)(c == 0x7f ? '?' : c + 0x40)};
		out_raw(l, s, 2);
		return;
	}
	out_processed(l, &c, 1);
}

/* Removes the last byte of the line being edited and rubs it out on screen. */
static bool
erase_one(struct ldisc *l)
{
	if (l->in.tail == l->line_start)
		return false;
	uint8_t c = ring_at(&l->in, ring_used(&l->in) - 1);
	ring_unput(&l->in);
	if ((l->t.c_lflag & (TTY_ECHO | TTY_ECHOE)) == (TTY_ECHO | TTY_ECHOE)) {
		static const uint8_t rub[] = "\b \b\b \b";
		out_raw(l, rub, echoes_as_ctl(l, c) ? 6 : 3);
	} else if (l->t.c_lflag & TTY_ECHO) {
		echo(l, l->t.c_cc[TTY_VERASE]);
	}
	return true;
}

static void
kill_line(struct ldisc *l, uint8_t c)
{
	if ((l->t.c_lflag & TTY_ECHOKE) && (l->t.c_lflag & TTY_ECHOE)) {
		while (erase_one(l))
			;
		return;
	}
	l->in.tail = l->line_start;
	if (l->t.c_lflag & TTY_ECHO) {
		echo(l, c);
		if (l->t.c_lflag & TTY_ECHOK)
			out_processed(l, (const uint8_t *)"\n", 1);
	}
}

static void
word_erase(struct ldisc *l)
{
	while (l->in.tail != l->line_start) {
		uint8_t c = ring_at(&l->in, ring_used(&l->in) - 1);
		if (c != ' ' && c != '\t')
			break;
		erase_one(l);
	}
	while (l->in.tail != l->line_start) {
		uint8_t c = ring_at(&l->in, ring_used(&l->in) - 1);
		if (c == ' ' || c == '\t')
			break;
		erase_one(l);
	}
}

static void
end_line(struct ldisc *l)
{
	if (l->nends == LDISC_LINES)
		return; /* reader far behind: the line keeps growing instead */
	l->ends[l->nends++] = l->in.tail;
	l->line_start = l->in.tail;
}

void
ldisc_flush_input(struct ldisc *l)
{
	l->in.head = l->in.tail = l->line_start = 0;
	l->nends = 0;
}

void
ldisc_input(struct ldisc *l, uint8_t c)
{
	const struct tty_termios *t = &l->t;
	if (t->c_iflag & TTY_ISTRIP)
		c &= 0x7f;
	if (c == '\r') {
		if (t->c_iflag & TTY_IGNCR)
			return;
		if (t->c_iflag & TTY_ICRNL)
			c = '\n';
	} else if (c == '\n' && (t->c_iflag & TTY_INLCR)) {
		c = '\r';
	}
	if (t->c_lflag & TTY_ISIG) {
		int sig = is_cc(l, TTY_VINTR, c)   ? TTY_SIGINT
		          : is_cc(l, TTY_VQUIT, c) ? TTY_SIGQUIT
		          : is_cc(l, TTY_VSUSP, c) ? TTY_SIGTSTP
		                                   : 0;
		if (sig) {
			if (!(t->c_lflag & TTY_NOFLSH))
				ldisc_flush_input(l);
			echo(l, c);
			if (l->ops && l->ops->signal)
				l->ops->signal(l->ctx, sig);
			return;
		}
	}
	if (canon(l)) {
		if (is_cc(l, TTY_VERASE, c)) {
			erase_one(l);
			return;
		}
		if (is_cc(l, TTY_VKILL, c)) {
			kill_line(l, c);
			return;
		}
		if ((t->c_lflag & TTY_IEXTEN) && is_cc(l, TTY_VWERASE, c)) {
			word_erase(l);
			return;
		}
		if (is_cc(l, TTY_VEOF, c)) {
			end_line(l);
			return;
		}
		bool eol = c == '\n' || is_cc(l, TTY_VEOL, c) || is_cc(l, TTY_VEOL2, c);
		/* Keep one byte free so a full line can still be ended. */
		if (ring_space(&l->in) <= (eol ? 0u : 1u))
			return;
		ring_put(&l->in, &c, 1);
		echo(l, c);
		if (eol)
			end_line(l);
		return;
	}
	if (ring_space(&l->in) == 0)
		return;
	ring_put(&l->in, &c, 1);
	echo(l, c);
}

void
ldisc_set_termios(struct ldisc *l, const struct tty_termios *t)
{
	bool was = canon(l);
	l->t = *t;
	if (was && !canon(l)) {
		/* Everything queued, the partial line too, becomes readable. */
		l->nends = 0;
		l->line_start = l->in.tail;
	} else if (!was && canon(l)) {
		/* Queued raw input becomes the start of the line being edited. */
		l->nends = 0;
		l->line_start = l->in.head;
	}
}

bool
ldisc_readable(const struct ldisc *l)
{
	return canon(l) ? l->nends > 0 : ring_used(&l->in) > 0;
}

uint32_t
ldisc_count(const struct ldisc *l)
{
	if (!canon(l))
		return ring_used(&l->in);
	return l->nends ? l->ends[l->nends - 1] - l->in.head : 0;
}

uint32_t
ldisc_read(struct ldisc *l, uint8_t *dst, uint32_t n)
{
	if (!canon(l)) {
		uint32_t k = ring_get(&l->in, dst, n);
		l->line_start = l->in.tail;
		return k;
	}
	if (!l->nends)
		return 0;
	uint32_t avail = l->ends[0] - l->in.head;
	uint32_t k = ring_get(&l->in, dst, n < avail ? n : avail);
	if (k == avail) {
		/* Line (or end-of-file mark) fully consumed. */
		l->nends--;
		for (uint32_t i = 0; i < l->nends; i++)
			l->ends[i] = l->ends[i + 1];
	}
	return k;
}

size_t
ldisc_process_output(const struct tty_termios *t, const uint8_t *src, size_t n, uint8_t *dst,
                     size_t cap, size_t *used)
{
	size_t i = 0, o = 0;
	bool post = t->c_oflag & TTY_OPOST;
	for (; i < n; i++) {
		uint8_t c = src[i];
		if (post && c == '\n' && (t->c_oflag & TTY_ONLCR)) {
			if (cap - o < 2)
				break;
			dst[o++] = '\r';
			dst[o++] = '\n';
			continue;
		}
		if (post && c == '\r' && (t->c_oflag & TTY_OCRNL))
			c = '\n';
		if (cap - o < 1)
			break;
		dst[o++] = c;
	}
	*used = i;
	return o;
}
