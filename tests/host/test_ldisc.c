// SPDX-License-Identifier: MIT
/*
 * HOST-LDISC-*: posixsrv's line discipline (posixsrv/ldisc.c): canonical
 * editing, echo, signal characters, input and output mapping, mode
 * switches.  The device output and the signal hook are captured.
 */
#include <string.h>
#include "ldisc.h"
#include "test.h"

static char echoed[1024];
static size_t nechoed;
static int sigs[16], nsigs;

static void
cap_out(void *ctx, const uint8_t *s, size_t n)
{
	(void)ctx;
	memcpy(echoed + nechoed, s, n);
	nechoed += n;
	echoed[nechoed] = 0;
}

static void
cap_sig(void *ctx, int sig)
{
	(void)ctx;
	sigs[nsigs++] = sig;
}

static const struct ldisc_ops ops = {cap_out, cap_sig};
static struct ldisc l;

static void
fresh(void)
{
	ldisc_init(&l, &ops, NULL);
	nechoed = 0;
	echoed[0] = 0;
	nsigs = 0;
}

static void
type(const char *s)
{
	while (*s)
		ldisc_input(&l, (uint8_t)*s++);
}

static int
read_str(char *buf, uint32_t n)
{
	uint32_t k = ldisc_read(&l, (uint8_t *)buf, n);
	buf[k] = 0;
	return (int)k;
}

TEST(HOST_LDISC_001, "canonical: nothing readable until a line ends; CR becomes NL (ICRNL)")
{
	char buf[64];
	fresh();
	type("hello");
	EXPECT_EQ(ldisc_readable(&l), 0);
	EXPECT_EQ(ldisc_count(&l), 0);
	type("\r");
	EXPECT_EQ(ldisc_readable(&l), 1);
	EXPECT_EQ(ldisc_count(&l), 6);
	EXPECT_EQ(read_str(buf, sizeof(buf) - 1), 6);
	EXPECT_EQ(strcmp(buf, "hello\n"), 0);
	EXPECT_EQ(strcmp(echoed, "hello\r\n"), 0); /* echo goes through ONLCR */
}

TEST(HOST_LDISC_002, "canonical: a read returns at most one line, and a short read leaves the rest")
{
	char buf[64];
	fresh();
	type("ab\ncd\n");
	EXPECT_EQ(read_str(buf, 1), 1);
	EXPECT_EQ(strcmp(buf, "a"), 0);
	EXPECT_EQ(read_str(buf, 63), 2);
	EXPECT_EQ(strcmp(buf, "b\n"), 0);
	EXPECT_EQ(read_str(buf, 63), 3);
	EXPECT_EQ(strcmp(buf, "cd\n"), 0);
	EXPECT_EQ(ldisc_readable(&l), 0);
}

TEST(HOST_LDISC_003, "erase (DEL) removes a character and rubs it out; kill (^U) the line")
{
	char buf[64];
	fresh();
	type("abx\x7f"
	     "c\n");
	EXPECT_EQ(read_str(buf, 63), 4);
	EXPECT_EQ(strcmp(buf, "abc\n"), 0);
	EXPECT_NE(strstr(echoed, "x\b \bc") != NULL, 0);
	type("junk\x15ok\n");
	EXPECT_EQ(read_str(buf, 63), 3);
	EXPECT_EQ(strcmp(buf, "ok\n"), 0);
	type("\x7f\x7fz\n"); /* erase at the start of a line does nothing */
	EXPECT_EQ(read_str(buf, 63), 2);
}

TEST(HOST_LDISC_004, "word erase (^W) removes the last word and the blanks after it")
{
	char buf[64];
	fresh();
	type("one two  \x17three\n");
	EXPECT_EQ(read_str(buf, 63), 10);
	EXPECT_EQ(strcmp(buf, "one three\n"), 0);
}

TEST(HOST_LDISC_005,
     "^D on an empty line is end of file; on a partial line it ends the line without NL")
{
	char buf[64];
	fresh();
	type("abc\x04");
	EXPECT_EQ(ldisc_readable(&l), 1);
	EXPECT_EQ(read_str(buf, 63), 3);
	EXPECT_EQ(strcmp(buf, "abc"), 0);
	type("\x04");
	EXPECT_EQ(ldisc_readable(&l), 1);
	EXPECT_EQ(read_str(buf, 63), 0); /* EOF */
	EXPECT_EQ(ldisc_readable(&l), 0);
}

TEST(HOST_LDISC_006, "^C, ^\\ and ^Z raise SIGINT, SIGQUIT, SIGTSTP, echo as ^X and flush the line")
{
	char buf[64];
	fresh();
	type("partial\x03");
	type("x\x1cy\x1a");
	EXPECT_EQ(nsigs, 3);
	EXPECT_EQ(sigs[0], TTY_SIGINT);
	EXPECT_EQ(sigs[1], TTY_SIGQUIT);
	EXPECT_EQ(sigs[2], TTY_SIGTSTP);
	EXPECT_NE(strstr(echoed, "^C") != NULL, 0);
	type("\n");
	EXPECT_EQ(read_str(buf, 63), 1); /* only the newline survived */
	struct tty_termios t = l.t;
	t.c_lflag &= ~TTY_ISIG;
	ldisc_set_termios(&l, &t);
	type("\x03\n");
	EXPECT_EQ(nsigs, 3);
	EXPECT_EQ(read_str(buf, 63), 2);
	EXPECT_EQ(buf[0], 3);
}

TEST(HOST_LDISC_007,
     "raw mode: bytes readable at once, no echo without ECHO, no CR mapping without ICRNL")
{
	char buf[64];
	fresh();
	struct tty_termios t = l.t;
	t.c_lflag &= ~(TTY_ICANON | TTY_ECHO);
	t.c_iflag &= ~TTY_ICRNL;
	ldisc_set_termios(&l, &t);
	type("a\r\x7f");
	EXPECT_EQ(ldisc_readable(&l), 1);
	EXPECT_EQ(ldisc_count(&l), 3);
	EXPECT_EQ(read_str(buf, 63), 3);
	EXPECT_EQ(memcmp(buf, "a\r\x7f", 3), 0);
	EXPECT_EQ(nechoed, 0);
}

TEST(HOST_LDISC_008,
     "switching to raw makes a partial line readable; back to canonical re-frames it")
{
	char buf[64];
	fresh();
	type("par");
	struct tty_termios canon = l.t, raw = l.t;
	raw.c_lflag &= ~TTY_ICANON;
	ldisc_set_termios(&l, &raw);
	EXPECT_EQ(ldisc_count(&l), 3);
	EXPECT_EQ(read_str(buf, 2), 2);
	ldisc_set_termios(&l, &canon);
	EXPECT_EQ(ldisc_readable(&l), 0); /* "r" is now the start of a line being edited */
	type("\x7fz\n");
	EXPECT_EQ(read_str(buf, 63), 2);
	EXPECT_EQ(strcmp(buf, "z\n"), 0);
}

TEST(HOST_LDISC_009,
     "output: ONLCR maps NL to CR NL, never split; without OPOST bytes pass unchanged")
{
	struct tty_termios t;
	ldisc_default_termios(&t);
	uint8_t out[8];
	size_t used;
	size_t n = ldisc_process_output(&t, (const uint8_t *)"ab\ncd", 5, out, 3, &used);
	EXPECT_EQ(n, 2);
	EXPECT_EQ(used, 2); /* "\r\n" did not fit in the third byte */
	n = ldisc_process_output(&t, (const uint8_t *)"\ncd", 3, out, 8, &used);
	EXPECT_EQ(n, 4);
	EXPECT_EQ(memcmp(out, "\r\ncd", 4), 0);
	t.c_oflag &= ~TTY_OPOST;
	n = ldisc_process_output(&t, (const uint8_t *)"\n", 1, out, 8, &used);
	EXPECT_EQ(n, 1);
	EXPECT_EQ(out[0], '\n');
}

TEST(HOST_LDISC_010,
     "IGNCR drops CR; INLCR maps NL to CR; ISTRIP clears bit 7; ECHONL echoes NL alone")
{
	char buf[64];
	fresh();
	struct tty_termios t = l.t;
	t.c_iflag = TTY_IGNCR | TTY_ISTRIP;
	t.c_lflag = TTY_ICANON | TTY_ECHONL;
	ldisc_set_termios(&l, &t);
	type("a\r\xe2\n");
	EXPECT_EQ(read_str(buf, 63), 3);
	EXPECT_EQ(buf[1], 0x62);
	EXPECT_EQ(strcmp(echoed, "\r\n"), 0);
	t.c_iflag = TTY_INLCR;
	t.c_lflag = 0;
	ldisc_set_termios(&l, &t);
	type("\n");
	EXPECT_EQ(read_str(buf, 63), 1);
	EXPECT_EQ(buf[0], '\r');
}

TEST(HOST_LDISC_011,
     "a full input queue drops bytes but still accepts the line end; flush empties it")
{
	char big[LDISC_INBUF + 100];
	fresh();
	struct tty_termios t = l.t;
	t.c_lflag &= ~TTY_ECHO;
	ldisc_set_termios(&l, &t);
	for (int i = 0; i < LDISC_INBUF + 50; i++)
		ldisc_input(&l, 'x');
	EXPECT_EQ(ldisc_readable(&l), 0);
	ldisc_input(&l, '\n');
	EXPECT_EQ(ldisc_readable(&l), 1);
	EXPECT_EQ(ldisc_count(&l), LDISC_INBUF);
	EXPECT_EQ(ldisc_read(&l, (uint8_t *)big, sizeof(big)), LDISC_INBUF);
	EXPECT_EQ(big[LDISC_INBUF - 1], '\n');
	type("abc\n");
	ldisc_flush_input(&l);
	EXPECT_EQ(ldisc_readable(&l), 0);
}
