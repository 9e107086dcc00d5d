/* SPDX-License-Identifier: MIT */
/*
 * The line discipline: what a terminal does between the wire and its
 * readers.  Input bytes go through input mapping (ISTRIP, IGNCR, ICRNL,
 * INLCR), signal characters (ISIG: VINTR, VQUIT, VSUSP), canonical
 * editing (ICANON: VERASE, VKILL, VWERASE, VEOF, line ends) and echo
 * (ECHO, ECHOE, ECHOK, ECHOKE, ECHONL, ECHOCTL); output goes through
 * OPOST/ONLCR/OCRNL.  Pure code, no system calls: the owner supplies the
 * device output and the signal hook, and decides when a blocked reader is
 * satisfied (VMIN/VTIME need a clock).  Host-tested in
 * tests/host/test_ldisc.c.
 */
#ifndef POSIXSRV_LDISC_H
#define POSIXSRV_LDISC_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <ferry/proto/tty.h>
#include "ring.h"

#define LDISC_INBUF 4096 /* input queue, also MAX_CANON / MAX_INPUT */
#define LDISC_LINES 64   /* completed canonical lines not yet read */

struct ldisc_ops {
	/* Bytes for the device (echo), already output-processed. */
	void (*output)(void *ctx, const uint8_t *s, size_t n);
	/* A signal character arrived (TTY_SIGINT, TTY_SIGQUIT, TTY_SIGTSTP). */
	void (*signal)(void *ctx, int sig);
};

struct ldisc {
	struct tty_termios t;
	const struct ldisc_ops *ops;
	void *ctx;
	struct ring in;
	uint8_t inbuf[LDISC_INBUF];
	/* Canonical mode: ends of completed lines (ring positions, oldest
	 * first); the line being edited runs from line_start to in.tail.
	 * A line that ends where it starts is an end-of-file mark (VEOF on an
	 * empty line).  Invariant: in.head <= ends[*] <= line_start <= in.tail. */
	uint32_t ends[LDISC_LINES];
	uint32_t nends;
	uint32_t line_start;
	/* Columns echoed per edited byte are recomputed on erase (see erase_one). */
};

/* Fills t with the Linux defaults of a freshly opened terminal. */
void ldisc_default_termios(struct tty_termios *t);
void ldisc_init(struct ldisc *l, const struct ldisc_ops *ops, void *ctx);
/* Replaces the settings (TCSETS); a switch to or from ICANON re-frames
 * the queued input as Linux does. */
void ldisc_set_termios(struct ldisc *l, const struct tty_termios *t);
/* One byte from the device. */
void ldisc_input(struct ldisc *l, uint8_t c);
/* Discards queued input (TCIFLUSH, TCSETSF, signals without NOFLSH). */
void ldisc_flush_input(struct ldisc *l);
/* Whether a read would return now (data, or an end-of-file mark). */
bool ldisc_readable(const struct ldisc *l);
/* Bytes a read could return now (FIONREAD; VMIN counting). */
uint32_t ldisc_count(const struct ldisc *l);
/* Reads up to n bytes: at most one line in canonical mode.  Returns the
 * count; 0 means end of file in canonical mode, nothing queued otherwise. */
uint32_t ldisc_read(struct ldisc *l, uint8_t *dst, uint32_t n);
/*
 * Output processing of src[0..n) into dst (room cap): returns bytes
 * produced and sets *used to the source bytes consumed (a byte is never
 * split from its expansion).
 */
size_t ldisc_process_output(const struct tty_termios *t, const uint8_t *src, size_t n, uint8_t *dst,
                            size_t cap, size_t *used);

#endif
