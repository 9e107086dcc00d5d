/* SPDX-License-Identifier: MIT */
/*
 * Terminal objects, shared by tty.c (the console, its waiters and
 * descriptions) and tty_msg.c (the file protocol and ioctls on them).
 */
#ifndef POSIXSRV_TTY_INT_H
#define POSIXSRV_TTY_INT_H

#include "posixsrv.h"
#include "ldisc.h"

#define TTY_WAITERS 8
#define TTY_ARMS 4

struct tty_waiter {
	uint64_t token;
	uint32_t desc;
	uint32_t len;
	uint32_t done;     /* writes: source bytes already queued */
	uint8_t *xfer;     /* caller's transfer area, or NULL: inline */
	uint64_t deadline; /* reads under VTIME: 0 = none */
	uint8_t inl[FILE_WRITE_INLINE_MAX];
};

struct tty {
	bool present;
	struct ldisc ld;
	int32_t pgrp, sid;
	struct tty_winsize ws;
	uint64_t last_input; /* ns of the last byte received (VTIME between bytes) */
	struct tty_waiter rd[TTY_WAITERS], wr[TTY_WAITERS];
	uint32_t nrd, nwr;
};

struct tty_arm {
	handle_t port;
	uint32_t events;
	uint64_t cookie;
};

struct tty_desc {
	bool used;
	uint32_t tty;
	handle_t mgr;
	uint32_t flags; /* O_ACCMODE | O_NONBLOCK */
	struct xfer_set xfer;
	struct tty_arm arms[TTY_ARMS];
};

struct tty_desc *tty_desc_of(uint32_t index, struct tty **t);
void tty_kick(struct tty *t);
int tty_read(struct tty *t, uint32_t desc, uint32_t len, bool nonblock, uint8_t *xfer, uint64_t token,
	     struct file_read_rep *rep);
int tty_write(struct tty *t, uint32_t desc, uint32_t len, bool nonblock, const uint8_t *src,
	      bool inline_src, uint64_t token, struct file_write_rep *rep);
uint32_t tty_revents(const struct tty *t);
int tty_poll(struct tty_desc *d, struct tty *t, uint32_t events, uint64_t cookie, handle_t port,
	     uint32_t *revents);

#endif
