/* SPDX-License-Identifier: MIT */
/*
 * Protocol "tty": terminals served by posixsrv.  A terminal description
 * (what open("/dev/console") or a spawner's stdin/stdout/stderr holds) is a
 * port answering the "file" protocol; terminal control travels in
 * FILE_IOCTL with the Linux request numbers below as cmd and the argument
 * inline, so libposix passes ioctl(2) through unchanged:
 *
 *   TCGETS            rep: struct tty_termios
 *   TCSETS/W/F        req: struct tty_termios (W: after output drains,
 *                     F: and discard pending input)
 *   TIOCGWINSZ        rep: struct tty_winsize
 *   TIOCSWINSZ        req: struct tty_winsize
 *   TIOCGPGRP         rep: int32_t foreground process group
 *   TIOCSPGRP         req: int32_t
 *   TIOCGSID          rep: int32_t session (0 until procmgr sets one)
 *   TIOCSCTTY, TIOCNOTTY  accepted (procmgr will own controlling ttys)
 *   FIONREAD          rep: int32_t bytes ready to read
 *   TCFLSH            req: int32_t queue selector (TCIFLUSH 0, TCOFLUSH 1, TCIOFLUSH 2)
 *   TCSBRK, TCXONC    accepted
 * Anything else: -FERRY_ENOTTY; a short argument: -FERRY_EINVAL.  On every
 * other kind of description (files, pipes) these requests get -FERRY_ENOTTY,
 * which is how isatty() answers.
 *
 * TTY_OPEN (on posixsrv's service port) opens a new description of a
 * terminal (TTY_CONSOLE: the system console; TTY_CTTY: /dev/tty) and
 * replies with its port in handles[0].  Errors: -FERRY_ENODEV (no such
 * terminal, or posixsrv runs without the console), -FERRY_ENFILE
 * (description table full).
 *
 * Pseudo-terminals: TTY_OPEN_PTMX makes a new pty and replies with its
 * master (what open("/dev/ptmx") gives); TTY_OPEN_PTS opens a description
 * of slave `tty` (/dev/pts/N).  Both take the first 8 bytes of vfs's
 * forwarded open (struct vfs_fwd_open_req).  On the master, TIOCGPTN
 * gives N and TIOCSPTLCK locks/unlocks the slave (a new pty is locked;
 * unlockpt).  Errors: -FERRY_EAGAIN (PTMX: all ptys in use), -FERRY_ENXIO
 * (PTS: no such pty or its master closed), -FERRY_EIO (PTS: locked).
 *
 * The termios layout is the Linux kernel's (36 bytes, c_cc[19]); musl's
 * struct termios starts with the same fields, and, like Linux, only these
 * 36 bytes are exchanged.  Flag values are Linux's.  docs/proto/tty.md.
 */
#ifndef FERRY_PROTO_TTY_H
#define FERRY_PROTO_TTY_H

#include <ferry/proto/proto.h>

#define TTY_NCCS 19
struct tty_termios {
	uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
	uint8_t c_line;
	uint8_t c_cc[TTY_NCCS];
};
_Static_assert(sizeof(struct tty_termios) == 36, "Linux kernel termios layout");

struct tty_winsize {
	uint16_t ws_row, ws_col, ws_xpixel, ws_ypixel;
};

/* ioctl requests (Linux). */
#define TTY_TCGETS     0x5401
#define TTY_TCSETS     0x5402
#define TTY_TCSETSW    0x5403
#define TTY_TCSETSF    0x5404
#define TTY_TCSBRK     0x5409
#define TTY_TCXONC     0x540a
#define TTY_TCFLSH     0x540b
#define TTY_TIOCSCTTY  0x540e
#define TTY_TIOCGPGRP  0x540f
#define TTY_TIOCSPGRP  0x5410
#define TTY_TIOCGWINSZ 0x5413
#define TTY_TIOCSWINSZ 0x5414
#define TTY_FIONREAD   0x541b
#define TTY_TIOCNOTTY  0x5422
#define TTY_TIOCGSID   0x5429
#define TTY_TIOCGPTN   0x80045430 /* master: rep uint32_t N of /dev/pts/N */
#define TTY_TIOCSPTLCK 0x40045431 /* master: req int32_t, non-zero locks the slave */

/* c_cc indices. */
#define TTY_VINTR    0
#define TTY_VQUIT    1
#define TTY_VERASE   2
#define TTY_VKILL    3
#define TTY_VEOF     4
#define TTY_VTIME    5
#define TTY_VMIN     6
#define TTY_VSTART   8
#define TTY_VSTOP    9
#define TTY_VSUSP    10
#define TTY_VEOL     11
#define TTY_VREPRINT 12
#define TTY_VWERASE  14
#define TTY_VLNEXT   15
#define TTY_VEOL2    16

/* c_iflag */
#define TTY_IGNBRK 0000001
#define TTY_BRKINT 0000002
#define TTY_ISTRIP 0000040
#define TTY_INLCR  0000100
#define TTY_IGNCR  0000200
#define TTY_ICRNL  0000400
#define TTY_IXON   0002000
#define TTY_IUTF8  0040000
/* c_oflag */
#define TTY_OPOST 0000001
#define TTY_ONLCR 0000004
#define TTY_OCRNL 0000010
/* c_cflag */
#define TTY_B38400 0000017
#define TTY_CS8    0000060
#define TTY_CREAD  0000200
#define TTY_HUPCL  0002000
/* c_lflag */
#define TTY_ISIG    0000001
#define TTY_ICANON  0000002
#define TTY_ECHO    0000010
#define TTY_ECHOE   0000020
#define TTY_ECHOK   0000040
#define TTY_ECHONL  0000100
#define TTY_NOFLSH  0000200
#define TTY_TOSTOP  0000400
#define TTY_ECHOCTL 0001000
#define TTY_ECHOKE  0004000
#define TTY_IEXTEN  0100000

/* Signals terminals raise (Linux numbers). */
#define TTY_SIGHUP   1
#define TTY_SIGINT   2
#define TTY_SIGQUIT  3
#define TTY_SIGTSTP  20
#define TTY_SIGTTIN  21
#define TTY_SIGTTOU  22
#define TTY_SIGWINCH 28

/*
 * Job control: FILE_READ and FILE_WRITE carry the caller's process group
 * (pgrp, 0 = unknown).  A read from a terminal whose foreground group is
 * another one, or such a write with TOSTOP set, is answered with this
 * positive status and no data: the caller (libposix) raises SIGTTIN or
 * SIGTTOU in its group and tries again, or fails with EIO when it ignores
 * or blocks SIGTTIN (a write then goes on with pgrp 0).
 */
#define TTY_BACKGROUND 2

#define TTY_CONSOLE 0
#define TTY_CTTY    0xffff /* /dev/tty: the caller's controlling terminal (the console for now) */
#define TTY_PTY_MAX 16     /* ptys posixsrv serves at once */

struct tty_open_req {
	uint32_t tty;   /* TTY_CONSOLE, TTY_CTTY; TTY_OPEN_PTS: N; TTY_OPEN_PTMX: ignored */
	uint32_t flags; /* Linux open flags: O_NONBLOCK is kept, the rest ignored */
};

#define TTY_PROTO_MESSAGES(X)                                                                      \
	X(TTY_OPEN, tty_open, 0x0601, struct tty_open_req, struct ferry_status_rep, 0)             \
	X(TTY_OPEN_PTMX, tty_open_ptmx, 0x0602, struct tty_open_req, struct ferry_status_rep, 0)   \
	X(TTY_OPEN_PTS, tty_open_pts, 0x0603, struct tty_open_req, struct ferry_status_rep, 0)

FERRY_PROTO_DECLARE(tty, TTY_PROTO_MESSAGES)

#endif
