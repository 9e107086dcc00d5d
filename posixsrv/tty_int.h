/* SPDX-License-Identifier: MIT */
/*
 * Terminal objects, shared by tty.c (terminals, their waiters and
 * descriptions), tty_msg.c (the file protocol and ioctls on them) and
 * pty.c / pty_msg.c (pseudo-terminals: the master side).  A terminal is
 * the console (device: the UART) or a pty slave (device: the master's
 * ring); struct tty_dev is the difference.
 */
#ifndef POSIXSRV_TTY_INT_H
#define POSIXSRV_TTY_INT_H

#include <ferry/proto/proc.h>
#include "posixsrv.h"
#include "ldisc.h"

#define TTY_WAITERS 8
#define TTY_ARMS    4

struct tty_waiter {
	uint64_t token;
	uint32_t desc;
	uint32_t len;
	uint32_t done;     /* writes: source bytes already queued */
	uint8_t *xfer;     /* caller's transfer area, or NULL: inline */
	uint64_t deadline; /* reads under VTIME: 0 = none */
	uint8_t inl[FILE_WRITE_INLINE_MAX];
};

struct tty;
struct pty;

/* Where a terminal's output goes. */
struct tty_dev {
	/* Output-processed bytes toward the device; returns how many fitted. */
	size_t (*write)(struct tty *t, const uint8_t *s, size_t n);
	/* Bytes write() would take now. */
	size_t (*space)(const struct tty *t);
};

struct tty {
	bool present;
	bool hungup; /* pty whose master closed: reads 0, writes EIO */
	const struct tty_dev *dev;
	struct pty *pty;  /* NULL: the console */
	const char *name; /* for log lines */
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
	struct tty *t;
	handle_t mgr;
	uint32_t flags; /* O_ACCMODE | O_NONBLOCK */
	struct xfer_set xfer;
	struct tty_arm arms[TTY_ARMS];
};

struct tty_desc *tty_desc_of(uint32_t index, struct tty **t);
/* A new description of t (its own O_NONBLOCK) as a KEY_TTY port. */
int tty_desc_new(struct tty *t, uint32_t flags, handle_t *port);
/* Open descriptions of t. */
uint32_t tty_desc_count(const struct tty *t);
void tty_init(struct tty *t, const struct tty_dev *dev, struct pty *pty, const char *name);
void tty_kick(struct tty *t);
/* Sends kill(-pgrp, sig) through procmgr, one-way (logged when it cannot). */
void tty_signal_pgrp(struct tty *t, int32_t pgrp, int sig);
/* t's device number: 5:1 the console, 136:N pty slave N. */
uint32_t tty_rdev(const struct tty *t);
/* Tells procmgr (one-way) that t's foreground group changed (PROC_TTY_FG)
 * or that t hung up (PROC_TTY_HANGUP; include/ferry/proto/proc.h). */
void tty_event(struct tty *t, uint32_t what);
/* Ioctls common to a terminal's descriptions and a pty master. */
int tty_ioctl(struct tty *t, const struct file_ioctl_req *req, struct file_ioctl_rep *rep);
/* Background check (SIGTTIN/SIGTTOU): 0, or the status telling libposix
 * to raise sig in its group (docs/proto/tty.md). */
int tty_job_check(struct tty *t, int32_t pgrp, bool write);
int tty_read(struct tty *t, uint32_t desc, uint32_t len, bool nonblock, uint8_t *xfer,
             uint64_t token, struct file_read_rep *rep);
int tty_write(struct tty *t, uint32_t desc, uint32_t len, bool nonblock, const uint8_t *src,
              bool inline_src, uint64_t token, struct file_write_rep *rep);
uint32_t tty_revents(const struct tty *t);
int tty_poll(struct tty_desc *d, struct tty *t, uint32_t events, uint64_t cookie, handle_t port,
             uint32_t *revents);

/* pty.c: the master side. */
#define PTY_MAX TTY_PTY_MAX
#define PTY_OUT 8192 /* bytes of slave output the master has not read */
struct pty {
	bool used;
	bool locked; /* TIOCSPTLCK: slave opens fail with EIO */
	bool master_open;
	bool slave_seen; /* a slave was opened: its last close gives the master EIO */
	bool kicking, again;
	uint32_t n;      /* /dev/pts/N */
	handle_t mgr;    /* MANAGE handle of the master port */
	uint32_t mflags; /* the master's O_NONBLOCK */
	struct tty tty;  /* the slave */
	struct ring out; /* slave output, output-processed, for the master to read */
	uint8_t outbuf[PTY_OUT];
	struct tty_waiter rd[TTY_WAITERS], wr[TTY_WAITERS];
	uint32_t nrd, nwr;
	struct xfer_set xfer;
	struct tty_arm arms[TTY_ARMS];
};
struct pty *pty_of(uint32_t index);
struct tty *pty_tty(uint32_t index); /* NULL when unused */
void pty_kick(struct pty *p);
void pty_slave_closed(struct pty *p);
int pty_master_read(struct pty *p, uint32_t len, bool nonblock, uint8_t *xfer, uint64_t token,
                    struct file_read_rep *rep);
int pty_master_write(struct pty *p, uint32_t len, bool nonblock, const uint8_t *src,
                     bool inline_src, uint64_t token, struct file_write_rep *rep);
uint32_t pty_master_revents(const struct pty *p);
int pty_master_poll(struct pty *p, uint32_t events, uint64_t cookie, handle_t port,
                    uint32_t *revents);

#endif
