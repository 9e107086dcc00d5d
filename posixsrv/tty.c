// SPDX-License-Identifier: MIT
/*
 * Terminals: the system console (a line discipline, ldisc.c, over the
 * COM1 UART, uart.c) and pty slaves (the same line discipline over the
 * master's ring, pty.c).  Each open of a terminal is a description port;
 * reads that cannot be satisfied wait as calls answered later, and are
 * re-examined on input, on settings changes and at VTIME deadlines.
 * Writes go through output processing to the device (struct tty_dev) and
 * wait when it is full.  Signal characters go to the foreground process
 * group through procmgr once it exists; until then they are logged.
 * Entry points: tty_console_init, tty_open, tty_input, tty_tx_space,
 * tty_desc_closed, tty_next_timeout, tty_timers and those of tty_int.h.
 */
#include "posixsrv.h"
#include "tty_int.h"

#define NS_PER_DECISECOND 100000000ull

static struct tty console;
static struct tty_desc descs[TTY_DESC_MAX];

static size_t
uart_dev_write(struct tty *t, const uint8_t *s, size_t n)
{
	(void)t;
	return uart_write(s, n);
}

static size_t
uart_dev_space(const struct tty *t)
{
	(void)t;
	return uart_tx_space();
}

static const struct tty_dev uart_dev = {uart_dev_write, uart_dev_space};

static void
echo_out(void *ctx, const uint8_t *s, size_t n)
{
	struct tty *t = ctx;
	t->dev->write(t, s, n); /* echo is dropped when the device is full, as on Linux */
}

static const char *
signame(int sig)
{
	switch (sig) {
	case TTY_SIGHUP:
		return "SIGHUP";
	case TTY_SIGINT:
		return "SIGINT";
	case TTY_SIGQUIT:
		return "SIGQUIT";
	case TTY_SIGTSTP:
		return "SIGTSTP";
	case TTY_SIGWINCH:
		return "SIGWINCH";
	}
	return "signal";
}

void
tty_signal_pgrp(struct tty *t, int32_t pgrp, int sig)
{
	if (px.procmgr_ctl && pgrp > 0) {
		/* One-way: posixsrv never waits on procmgr, which calls us. */
		struct ferry_msg m;
		struct px_proc_kill_req req = {-pgrp, sig};
		memset(&m, 0, sizeof(m));
		m.op = PX_PROC_CTL_KILL;
		m.len = sizeof(req);
		memcpy(m.data, &req, sizeof(req));
		if (ferry_sys_msg_send(px.procmgr_ctl, &m, FERRY_IPC_NONBLOCK) == 0)
			return;
	}
	if (sig == TTY_SIGWINCH || (sig == TTY_SIGHUP && pgrp <= 0))
		return; /* nobody to tell: not worth a line */
	uprintf("posixsrv: %s: %s for process group %d not delivered (%s)\n", t->name, signame(sig),
	        (int)pgrp, px.procmgr_ctl ? "procmgr unreachable" : "no procmgr");
}

uint32_t
tty_rdev(const struct tty *t)
{
	return t->pty ? (136u << 8) | t->pty->n : (5u << 8) | 1;
}

/*
 * Tells procmgr, one-way, what happened to t (PROC_CTL_TTY): its new
 * foreground group, or its hangup (procmgr then signals the session's
 * leader and the foreground group).  A hangup procmgr cannot be told
 * about still reaches the foreground group.
 */
void
tty_event(struct tty *t, uint32_t what)
{
	if (px.procmgr_ctl) {
		struct ferry_msg m;
		struct proc_ctl_tty_req req = {what, tty_rdev(t), t->pgrp, 0};
		memset(&m, 0, sizeof(m));
		m.op = PROC_CTL_TTY;
		m.len = sizeof(req);
		memcpy(m.data, &req, sizeof(req));
		if (ferry_sys_msg_send(px.procmgr_ctl, &m, FERRY_IPC_NONBLOCK) == 0)
			return;
	}
	if (what == PROC_TTY_HANGUP)
		tty_signal_pgrp(t, t->pgrp, TTY_SIGHUP);
}

static void
raise_signal(void *ctx, int sig)
{
	struct tty *t = ctx;
	tty_signal_pgrp(t, t->pgrp, sig);
}

static const struct ldisc_ops tty_ldisc_ops = {echo_out, raise_signal};

void
tty_init(struct tty *t, const struct tty_dev *dev, struct pty *pty, const char *name)
{
	memset(t, 0, sizeof(*t));
	ldisc_init(&t->ld, &tty_ldisc_ops, t);
	t->ws = (struct tty_winsize){24, 80, 0, 0};
	t->dev = dev;
	t->pty = pty;
	t->name = name;
	t->present = true;
}

int
tty_console_init(void)
{
	tty_init(&console, &uart_dev, NULL, "console");
	console.present = uart_present();
	return console.present ? 0 : -FERRY_ENODEV;
}

bool
tty_console_present(void)
{
	return console.present;
}

struct tty_desc *
tty_desc_of(uint32_t index, struct tty **t)
{
	if (index >= TTY_DESC_MAX || !descs[index].used)
		return NULL;
	*t = descs[index].t;
	return &descs[index];
}

uint32_t
tty_desc_count(const struct tty *t)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < TTY_DESC_MAX; i++)
		n += descs[i].used && descs[i].t == t;
	return n;
}

int
tty_desc_new(struct tty *t, uint32_t flags, handle_t *port)
{
	uint32_t i;
	for (i = 0; i < TTY_DESC_MAX && descs[i].used; i++)
		;
	if (i == TTY_DESC_MAX)
		return -FERRY_ENFILE;
	struct tty_desc *d = &descs[i];
	memset(d, 0, sizeof(*d));
	int rc = px_make_port(KEY(KEY_TTY, i), port, &d->mgr);
	if (rc)
		return rc;
	d->used = true;
	d->t = t;
	d->flags = PX_O_RDWR | (flags & PX_O_NONBLOCK);
	return 0;
}

int
tty_open(uint32_t tty, uint32_t flags, handle_t *port)
{
	/* /dev/tty: the caller's controlling terminal; posixsrv does not know
	 * the caller's session yet, so it is the console (docs/proto/tty.md). */
	if ((tty != TTY_CONSOLE && tty != TTY_CTTY) || !console.present)
		return -FERRY_ENODEV;
	return tty_desc_new(&console, flags, port);
}

static void
drop_waiters(struct tty_waiter *q, uint32_t *n, uint32_t desc)
{
	uint32_t k = 0;
	for (uint32_t i = 0; i < *n; i++)
		if (q[i].desc != desc)
			q[k++] = q[i];
	*n = k;
}

void
tty_desc_closed(uint32_t index)
{
	struct tty *t;
	struct tty_desc *d = tty_desc_of(index, &t);
	if (!d)
		return;
	ferry_sys_port_destroy(d->mgr);
	ferry_sys_handle_close(d->mgr);
	for (unsigned i = 0; i < TTY_ARMS; i++)
		if (d->arms[i].port)
			ferry_sys_handle_close(d->arms[i].port);
	drop_waiters(t->rd, &t->nrd, index);
	drop_waiters(t->wr, &t->nwr, index);
	xfer_release(&d->xfer);
	d->used = false;
	tty_kick(t);
	if (t->pty && !tty_desc_count(t))
		pty_slave_closed(t->pty);
}

uint32_t
tty_revents(const struct tty *t)
{
	uint32_t r = 0;
	if (ldisc_readable(&t->ld))
		r |= PX_POLLIN | PX_POLLRDNORM;
	if (t->hungup)
		return r | PX_POLLIN | PX_POLLRDNORM | PX_POLLHUP;
	if (t->dev->space(t) >= 256 && !t->nwr)
		r |= PX_POLLOUT | PX_POLLWRNORM;
	return r;
}

static void
poll_check(struct tty *t)
{
	uint32_t now = tty_revents(t);
	for (uint32_t i = 0; i < TTY_DESC_MAX; i++) {
		if (!descs[i].used || descs[i].t != t)
			continue;
		for (unsigned j = 0; j < TTY_ARMS; j++) {
			struct tty_arm *a = &descs[i].arms[j];
			uint32_t r = now & (a->events | PX_POLLERR | PX_POLLHUP);
			if (!a->port || !r)
				continue;
			stream_ready(&a->port, a->cookie, r);
		}
	}
}

int
tty_poll(struct tty_desc *d, struct tty *t, uint32_t events, uint64_t cookie, handle_t port,
         uint32_t *revents)
{
	uint32_t r = tty_revents(t) & (events | PX_POLLERR | PX_POLLHUP);
	*revents = r;
	if (r) {
		ferry_sys_handle_close(port);
		return 0;
	}
	for (unsigned i = 0; i < TTY_ARMS; i++) {
		if (!d->arms[i].port) {
			d->arms[i] = (struct tty_arm){port, events, cookie};
			return 0;
		}
	}
	ferry_sys_handle_close(port);
	return -FERRY_ENOSPC;
}

/*
 * Whether a read of len bytes is complete now (POSIX 11.1.7): canonical
 * mode needs a line; otherwise VMIN and VTIME decide.  Sets *deadline
 * when a VTIME timer should run.
 */
static bool
read_ready(struct tty *t, uint32_t len, uint64_t now, uint64_t *deadline)
{
	const struct tty_termios *tio = &t->ld.t;
	if (tio->c_lflag & TTY_ICANON)
		return ldisc_readable(&t->ld);
	uint32_t vmin = tio->c_cc[TTY_VMIN], count = ldisc_count(&t->ld);
	uint64_t vtime = tio->c_cc[TTY_VTIME] * NS_PER_DECISECOND;
	uint32_t want = vmin < len ? vmin : len;
	if (vmin == 0 && vtime == 0)
		return true;
	if (vmin > 0 && count >= want)
		return true;
	if (vtime == 0)
		return false;
	if (vmin == 0) {
		if (count)
			return true;
		if (!*deadline)
			*deadline = now + vtime;
		return now >= *deadline;
	}
	if (!count)
		return false; /* the inter-byte timer starts with the first byte */
	*deadline = t->last_input + vtime;
	return now >= *deadline;
}

/* Answers a waiting read; the input is consumed only if the caller is
 * still there to receive it (an interrupted reader loses nothing). */
static int
reply_read(struct tty *t, const struct tty_waiter *w)
{
	struct file_read_rep rep;
	uint32_t cap = w->xfer ? w->len : (w->len < FILE_INLINE_MAX ? w->len : FILE_INLINE_MAX);
	struct ring in = t->ld.in;
	uint32_t ends[LDISC_LINES], nends = t->ld.nends, line_start = t->ld.line_start;
	memcpy(ends, t->ld.ends, sizeof(ends));
	rep.len = t->hungup ? 0 : ldisc_read(&t->ld, w->xfer ? w->xfer : rep.data, cap);
	int rc = srv_reply(w->token, 0, &rep, 8 + (w->xfer ? 0 : rep.len), NULL, 0);
	if (rc) {
		t->ld.in = in;
		memcpy(t->ld.ends, ends, sizeof(ends));
		t->ld.nends = nends;
		t->ld.line_start = line_start;
	}
	return rc;
}

/* Output-processes and queues src; returns source bytes taken. */
static uint32_t
put_output(struct tty *t, const uint8_t *src, uint32_t n)
{
	uint32_t taken = 0;
	while (taken < n) {
		uint8_t buf[128];
		size_t room = t->dev->space(t), used;
		if (room > sizeof(buf))
			room = sizeof(buf);
		size_t k = ldisc_process_output(&t->ld.t, src + taken, n - taken, buf, room, &used);
		if (!used)
			break;
		t->dev->write(t, buf, k);
		taken += (uint32_t)used;
	}
	return taken;
}

static void
pop(struct tty_waiter *q, uint32_t *n)
{
	for (uint32_t i = 1; i < *n; i++)
		q[i - 1] = q[i];
	(*n)--;
}

void
tty_kick(struct tty *t)
{
	uint64_t now = unow_ns();
	while (t->nrd && (t->hungup || read_ready(t, t->rd[0].len, now, &t->rd[0].deadline))) {
		reply_read(t, &t->rd[0]);
		pop(t->rd, &t->nrd);
	}
	while (t->nwr && t->hungup) {
		struct file_write_rep rep = {-FERRY_EIO, 0};
		srv_reply(t->wr[0].token, -FERRY_EIO, &rep, sizeof(rep), NULL, 0);
		pop(t->wr, &t->nwr);
	}
	while (t->nwr) {
		struct tty_waiter *w = &t->wr[0];
		const uint8_t *src = w->xfer ? w->xfer : w->inl;
		w->done += put_output(t, src + w->done, w->len - w->done);
		if (w->done < w->len)
			break;
		struct file_write_rep rep = {0, w->len};
		srv_reply(w->token, 0, &rep, sizeof(rep), NULL, 0);
		pop(t->wr, &t->nwr);
	}
	poll_check(t);
	if (t->pty)
		pty_kick(t->pty);
}

int
tty_job_check(struct tty *t, int32_t pgrp, bool write)
{
	/* Sessions are procmgr's and not known here: any group other than the
	 * foreground one is in the background. */
	if (pgrp <= 0 || t->pgrp <= 0 || pgrp == t->pgrp || t->hungup)
		return 0;
	if (write && !(t->ld.t.c_lflag & TTY_TOSTOP))
		return 0;
	return TTY_BACKGROUND;
}

int
tty_read(struct tty *t, uint32_t desc, uint32_t len, bool nonblock, uint8_t *xfer, uint64_t token,
         struct file_read_rep *rep)
{
	uint64_t deadline = 0;
	if (t->hungup) {
		rep->len = 0; /* the master is gone: end of file */
		return 0;
	}
	if (len == 0 || (!t->nrd && read_ready(t, len, unow_ns(), &deadline))) {
		uint32_t cap = xfer ? len : (len < FILE_INLINE_MAX ? len : FILE_INLINE_MAX);
		rep->len = ldisc_read(&t->ld, xfer ? xfer : rep->data, cap);
		return 0;
	}
	if (nonblock || !token)
		return -FERRY_EAGAIN;
	if (t->nrd == TTY_WAITERS)
		return -FERRY_EAGAIN;
	t->rd[t->nrd++] = (struct tty_waiter){
	        .token = token, .desc = desc, .len = len, .xfer = xfer, .deadline = deadline};
	return FERRY_REPLY_LATER;
}

int
tty_write(struct tty *t, uint32_t desc, uint32_t len, bool nonblock, const uint8_t *src,
          bool inline_src, uint64_t token, struct file_write_rep *rep)
{
	if (t->hungup)
		return -FERRY_EIO;
	uint32_t k = t->nwr ? 0 : put_output(t, src, len);
	if (k == len || (nonblock && k)) {
		rep->len = k;
		return 0;
	}
	if (nonblock || !token || t->nwr == TTY_WAITERS) {
		rep->len = k;
		return k ? 0 : -FERRY_EAGAIN;
	}
	struct tty_waiter *w = &t->wr[t->nwr++];
	*w = (struct tty_waiter){.token = token, .desc = desc, .len = len, .done = k};
	if (inline_src)
		memcpy(w->inl, src, len);
	else
		w->xfer = (uint8_t *)src;
	return FERRY_REPLY_LATER;
}

void
tty_input(const uint8_t *s, size_t n)
{
	if (!console.present)
		return;
	for (size_t i = 0; i < n; i++)
		ldisc_input(&console.ld, s[i]);
	console.last_input = unow_ns();
	tty_kick(&console);
}

void
tty_tx_space(void)
{
	if (console.present && (console.nwr || console.nrd))
		tty_kick(&console);
	else if (console.present)
		poll_check(&console);
}

/* The console, then each pty slave in use. */
static struct tty *
tty_nth(uint32_t i)
{
	if (i == 0)
		return console.present ? &console : NULL;
	return pty_tty(i - 1);
}

ferry_time_t
tty_next_timeout(uint64_t now)
{
	ferry_time_t best = FERRY_TIME_INFINITE;
	for (uint32_t k = 0; k <= PTY_MAX; k++) {
		struct tty *t = tty_nth(k);
		for (uint32_t i = 0; t && i < t->nrd; i++) {
			uint64_t d = t->rd[i].deadline;
			if (d)
				best = d <= now ? 0 : (d - now < best ? d - now : best);
		}
	}
	return best;
}

void
tty_timers(uint64_t now)
{
	(void)now;
	for (uint32_t k = 0; k <= PTY_MAX; k++) {
		struct tty *t = tty_nth(k);
		if (t && t->nrd)
			tty_kick(t);
	}
}
