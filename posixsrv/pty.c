// SPDX-License-Identifier: MIT
/*
 * Pseudo-terminals.  A pty is a pair: the slave (/dev/pts/N) is an
 * ordinary terminal of tty.c, line discipline included, whose device is
 * this file's ring `out`; the master (what /dev/ptmx opens) reads that
 * ring (slave output after output processing) and writes the slave's
 * input (it goes through the line discipline as if typed: echo, editing,
 * signal characters).  The master is one port (KEY_PTM, index N); the
 * slave's descriptions are tty descriptions.
 *
 * Life: TTY_OPEN_PTMX makes a locked pty and its /dev/pts/N node in vfs;
 * unlockpt (TIOCSPTLCK 0) lets slaves open.  When every slave description
 * is closed, master reads give EIO once the ring is empty (if a slave
 * was ever opened); when the master closes, the slave hangs up (reads 0,
 * writes EIO, SIGHUP to its foreground group) and the node goes.  The
 * pty is freed when both sides are closed.
 *
 * The master's blocked reads and writes are calls answered later, like
 * the slave's; pty_kick serves them after every change (guarded against
 * re-entry, since feeding the slave may echo into the ring).
 */
#include "posixsrv.h"
#include "tty_int.h"

static struct pty ptys[PTY_MAX];

struct pty *
pty_of(uint32_t index)
{
	return index < PTY_MAX && ptys[index].used && ptys[index].master_open ? &ptys[index] : NULL;
}

struct tty *
pty_tty(uint32_t index)
{
	return index < PTY_MAX && ptys[index].used ? &ptys[index].tty : NULL;
}

static size_t
out_write(struct tty *t, const uint8_t *s, size_t n)
{
	struct pty *p = t->pty;
	if (!p->master_open)
		return n; /* nobody will read it */
	size_t k = ring_put(&p->out, s, (uint32_t)n);
	if (k)
		pty_kick(p);
	return k;
}

static size_t
out_space(const struct tty *t)
{
	const struct pty *p = t->pty;
	return p->master_open ? ring_space(&p->out) : PTY_OUT;
}

static const struct tty_dev pty_dev = {out_write, out_space};

/* ---- /dev/pts/N in vfs ---- */

/* VFS_MKNOD or VFS_UNLINK of /dev/pts/N on vfs's root, when vfs runs. */
static void
pts_node(uint32_t op, uint32_t n)
{
	handle_t root;
	if (bringup_vfs_sys(&root))
		return; /* test mode: no vfs */
	struct ferry_msg m;
	memset(&m, 0, sizeof(m));
	m.op = op;
	char path[24];
	int len = usnprintf(path, sizeof(path), "/dev/pts/%u", n);
	if (op == VFS_MKNOD) {
		struct vfs_mode_req *r = (void *)m.data;
		r->n.len = (uint16_t)len;
		r->mode = PX_S_IFCHR | 0620;
		r->dev = (136u << 8) | n;
		memcpy(r->names, path, (size_t)len);
		m.len = sizeof(*r);
	} else {
		struct vfs_path_req *r = (void *)m.data;
		r->n.len = (uint16_t)len;
		memcpy(r->names, path, (size_t)len);
		m.len = sizeof(*r);
	}
	long rc = ferry_sys_msg_call(root, &m, 2000000000ull);
	int32_t st = 0;
	if (!rc)
		memcpy(&st, m.data, 4);
	if ((rc || (st && st != -FERRY_EEXIST && st != -FERRY_ENOENT)))
		uprintf("posixsrv: %s %s: %s\n", op == VFS_MKNOD ? "mknod" : "unlink", path,
		        ferry_strerror(rc ? (int)rc : st));
	ferry_sys_handle_close(root);
}

/* ---- life ---- */

static const char *const pty_names[PTY_MAX] = {
        "pts/0", "pts/1", "pts/2",  "pts/3",  "pts/4",  "pts/5",  "pts/6",  "pts/7",
        "pts/8", "pts/9", "pts/10", "pts/11", "pts/12", "pts/13", "pts/14", "pts/15",
};
_Static_assert(PTY_MAX == 16, "one name per pty");

int
pty_open_master(uint32_t flags, handle_t *port)
{
	uint32_t i;
	for (i = 0; i < PTY_MAX && ptys[i].used; i++)
		;
	if (i == PTY_MAX)
		return -FERRY_EAGAIN; /* posix_openpt: EAGAIN, out of ptys */
	struct pty *p = &ptys[i];
	memset(p, 0, sizeof(*p));
	int rc = px_make_port(KEY(KEY_PTM, i), port, &p->mgr);
	if (rc)
		return rc;
	p->used = p->master_open = p->locked = true;
	p->n = i;
	p->mflags = PX_O_RDWR | (flags & PX_O_NONBLOCK);
	ring_init(&p->out, p->outbuf, PTY_OUT);
	tty_init(&p->tty, &pty_dev, p, pty_names[i]);
	pts_node(VFS_MKNOD, i);
	return 0;
}

int
pty_open_slave(uint32_t n, uint32_t flags, handle_t *port)
{
	struct pty *p = pty_of(n);
	if (!p)
		return -FERRY_ENXIO;
	if (p->locked)
		return -FERRY_EIO; /* as Linux: unlockpt first */
	int rc = tty_desc_new(&p->tty, flags, port);
	if (rc == 0)
		p->slave_seen = true;
	return rc;
}

static void
pty_free(struct pty *p)
{
	p->used = false;
}

static void
drop_arms(struct tty_arm *a)
{
	for (unsigned i = 0; i < TTY_ARMS; i++)
		if (a[i].port)
			ferry_sys_handle_close(a[i].port);
	memset(a, 0, sizeof(*a) * TTY_ARMS);
}

void
pty_master_closed(uint32_t index)
{
	struct pty *p = pty_of(index);
	if (!p)
		return;
	p->master_open = false;
	ferry_sys_port_destroy(p->mgr);
	ferry_sys_handle_close(p->mgr);
	p->mgr = 0;
	drop_arms(p->arms);
	p->nrd = p->nwr = 0; /* their callers held the master: gone */
	xfer_release(&p->xfer);
	pts_node(VFS_UNLINK, p->n);
	/* Hang up the slave: the session it controls loses it (its leader gets
	 * SIGHUP and SIGCONT, its foreground group SIGHUP, through procmgr),
	 * readers see end of file, writers EIO. */
	tty_event(&p->tty, PROC_TTY_HANGUP);
	if (!tty_desc_count(&p->tty)) {
		pty_free(p);
		return;
	}
	p->tty.hungup = true;
	tty_kick(&p->tty);
}

void
pty_slave_closed(struct pty *p)
{
	if (!p->master_open) {
		pty_free(p);
		return;
	}
	pty_kick(p); /* master readers: EIO once the ring is empty */
}

/* ---- the master's data path ---- */

static bool
slave_gone(const struct pty *p)
{
	return p->slave_seen && !tty_desc_count(&p->tty);
}

uint32_t
pty_master_revents(const struct pty *p)
{
	uint32_t r = 0;
	if (ring_used(&p->out))
		r |= PX_POLLIN | PX_POLLRDNORM;
	if (slave_gone(p))
		r |= PX_POLLHUP;
	else if (ring_space(&p->tty.ld.in) > 1 && !p->nwr)
		r |= PX_POLLOUT | PX_POLLWRNORM;
	return r;
}

/*
 * Feeds master bytes to the slave's line discipline.  Stops (the writer
 * waits) when the input queue is full and a reader has something to take;
 * a full canonical line with no end is dropped instead, as Linux does, so
 * a master can never be stuck behind it.
 */
static uint32_t
feed(struct pty *p, const uint8_t *s, uint32_t n)
{
	struct ldisc *ld = &p->tty.ld;
	uint32_t i;
	for (i = 0; i < n; i++) {
		if (ring_space(&ld->in) <= 1 && ldisc_readable(ld))
			break;
		ldisc_input(ld, s[i]);
	}
	if (i)
		p->tty.last_input = unow_ns();
	return i;
}

static void
pop(struct tty_waiter *q, uint32_t *n)
{
	for (uint32_t i = 1; i < *n; i++)
		q[i - 1] = q[i];
	(*n)--;
}

static int
reply_read(struct pty *p, const struct tty_waiter *w)
{
	struct file_read_rep rep;
	uint32_t cap = w->xfer ? w->len : (w->len < FILE_INLINE_MAX ? w->len : FILE_INLINE_MAX);
	uint32_t n = ring_used(&p->out);
	if (n > cap)
		n = cap;
	ring_peek(&p->out, 0, w->xfer ? w->xfer : rep.data, n);
	rep.len = n;
	int rc = srv_reply(w->token, 0, &rep, 8 + (w->xfer ? 0 : n), NULL, 0);
	if (rc == 0)
		ring_get(&p->out, NULL, n); /* consumed only if delivered */
	return rc;
}

static void
poll_check(struct pty *p)
{
	uint32_t now = pty_master_revents(p);
	for (unsigned j = 0; j < TTY_ARMS; j++) {
		struct tty_arm *a = &p->arms[j];
		uint32_t r = now & (a->events | PX_POLLERR | PX_POLLHUP);
		if (!a->port || !r)
			continue;
		stream_ready(&a->port, a->cookie, r);
	}
}

void
pty_kick(struct pty *p)
{
	if (!p->master_open)
		return;
	if (p->kicking) {
		p->again = true;
		return;
	}
	p->kicking = true;
	bool fed;
	do {
		p->again = false;
		fed = false;
		while (p->nrd && (ring_used(&p->out) || slave_gone(p))) {
			if (ring_used(&p->out)) {
				reply_read(p, &p->rd[0]);
			} else {
				struct file_read_rep rep = {-FERRY_EIO, 0, {0}};
				srv_reply(p->rd[0].token, -FERRY_EIO, &rep, 8, NULL, 0);
			}
			pop(p->rd, &p->nrd);
		}
		while (p->nwr) {
			struct tty_waiter *w = &p->wr[0];
			const uint8_t *src = w->xfer ? w->xfer : w->inl;
			uint32_t k = feed(p, src + w->done, w->len - w->done);
			w->done += k;
			fed |= k != 0;
			if (w->done < w->len)
				break;
			struct file_write_rep rep = {0, w->len};
			srv_reply(w->token, 0, &rep, sizeof(rep), NULL, 0);
			pop(p->wr, &p->nwr);
		}
		if (fed)
			tty_kick(&p->tty); /* slave readers; re-enters us through again */
	} while (p->again);
	poll_check(p);
	p->kicking = false;
}

int
pty_master_read(struct pty *p, uint32_t len, bool nonblock, uint8_t *xfer, uint64_t token,
                struct file_read_rep *rep)
{
	rep->len = 0;
	if (len == 0)
		return 0;
	if (ring_used(&p->out) && !p->nrd) {
		uint32_t cap = xfer ? len : (len < FILE_INLINE_MAX ? len : FILE_INLINE_MAX);
		rep->len = ring_get(&p->out, xfer ? xfer : rep->data, cap);
		tty_kick(&p->tty); /* room for the slave's writers */
		return 0;
	}
	if (slave_gone(p))
		return -FERRY_EIO;
	if (nonblock || p->nrd == TTY_WAITERS)
		return -FERRY_EAGAIN;
	p->rd[p->nrd++] = (struct tty_waiter){.token = token, .len = len, .xfer = xfer};
	return FERRY_REPLY_LATER;
}

int
pty_master_write(struct pty *p, uint32_t len, bool nonblock, const uint8_t *src, bool inline_src,
                 uint64_t token, struct file_write_rep *rep)
{
	uint32_t k = p->nwr ? 0 : feed(p, src, len);
	if (k)
		tty_kick(&p->tty);
	if (k == len || (nonblock && k)) {
		rep->len = k;
		return 0;
	}
	if (nonblock || p->nwr == TTY_WAITERS) {
		rep->len = k;
		return k ? 0 : -FERRY_EAGAIN;
	}
	struct tty_waiter *w = &p->wr[p->nwr++];
	*w = (struct tty_waiter){.token = token, .len = len, .done = k};
	if (inline_src)
		memcpy(w->inl, src, len);
	else
		w->xfer = (uint8_t *)src;
	return FERRY_REPLY_LATER;
}

int
pty_master_poll(struct pty *p, uint32_t events, uint64_t cookie, handle_t port, uint32_t *revents)
{
	uint32_t r = pty_master_revents(p) & (events | PX_POLLERR | PX_POLLHUP);
	*revents = r;
	if (r) {
		ferry_sys_handle_close(port);
		return 0;
	}
	for (unsigned i = 0; i < TTY_ARMS; i++) {
		if (!p->arms[i].port) {
			p->arms[i] = (struct tty_arm){port, events, cookie};
			return 0;
		}
	}
	ferry_sys_handle_close(port);
	return -FERRY_ENOSPC;
}
