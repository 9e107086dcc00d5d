// SPDX-License-Identifier: MIT
/*
 * FIFOs (named pipes).  vfs keeps the node and redirects its opens here
 * (PIPE_FIFO_OPEN with the node's identity, docs/proto/vfs.md); posixsrv
 * keeps one pipe of pipe.c per identity while any description of it is
 * open or an open waits, so readers and writers of one node meet there.
 * Each open is a description of its own (KEY_FIFO port: its own
 * O_NONBLOCK and transfer areas); the pipe's ends count the descriptions
 * that read (O_RDONLY, O_RDWR) and write (O_WRONLY, O_RDWR).
 *
 * Opens (POSIX open(), FIFO rules): O_RDONLY waits until a writer exists,
 * O_WRONLY until a reader exists (answered later); a waiting open counts
 * as a reader or writer for the other side, as on Linux, so two blocking
 * opens meet.  O_NONBLOCK: O_RDONLY opens at once, O_WRONLY without a
 * reader fails with ENXIO.  O_RDWR never waits.  Data, EOF, EPIPE and
 * readiness are pipe.c's.  When the last description closes the pipe and
 * its data go.
 */
#include "posixsrv.h"
#include "pipe_int.h"

#define FIFO_MAX      64  /* FIFOs open at once */
#define FIFO_DESC_MAX 128 /* their descriptions */
#define FIFO_WAITING  8   /* opens waiting per FIFO */

struct fifo_opener {
	uint64_t token;
	uint32_t flags;
};

struct fifo {
	bool used;
	uint64_t id;
	struct pipe *p;
	struct fifo_opener wait[FIFO_WAITING];
	uint32_t nwait;
	uint32_t rwait, wwait; /* waiting readers, writers */
};

static struct fifo fifos[FIFO_MAX];
static struct fifo_desc descs[FIFO_DESC_MAX];

struct fifo_desc *
fifo_desc_of(uint32_t index, struct pipe **p)
{
	if (index >= FIFO_DESC_MAX || !descs[index].used)
		return NULL;
	*p = fifos[descs[index].fifo].p;
	return &descs[index];
}

uint64_t
fifo_id(const struct fifo_desc *d)
{
	return fifos[d->fifo].id;
}

static struct fifo *
fifo_find(uint64_t id, int *err)
{
	struct fifo *free = NULL;
	for (uint32_t i = 0; i < FIFO_MAX; i++) {
		if (fifos[i].used && fifos[i].id == id)
			return &fifos[i];
		if (!fifos[i].used && !free)
			free = &fifos[i];
	}
	if (!free) {
		*err = -FERRY_ENFILE;
		return NULL;
	}
	struct pipe *p = pipe_alloc(err);
	if (!p)
		return NULL;
	p->fifo = true;
	memset(free, 0, sizeof(*free));
	free->used = true;
	free->id = id;
	free->p = p;
	return free;
}

static void
fifo_maybe_free(struct fifo *f)
{
	if (f->p->end[0].open || f->p->end[1].open || f->nwait)
		return;
	pipe_free(f->p);
	f->used = false;
}

/* A new description of f with access mode acc (and O_NONBLOCK). */
static int
desc_new(struct fifo *f, uint32_t flags, handle_t *port)
{
	uint32_t i;
	for (i = 0; i < FIFO_DESC_MAX && descs[i].used; i++)
		;
	if (i == FIFO_DESC_MAX)
		return -FERRY_ENFILE;
	struct fifo_desc *d = &descs[i];
	memset(d, 0, sizeof(*d));
	int rc = px_make_port(KEY(KEY_FIFO, i), port, &d->mgr);
	if (rc)
		return rc;
	d->used = true;
	d->fifo = (uint32_t)(f - fifos);
	d->flags = flags & (PX_O_ACCMODE | PX_O_NONBLOCK);
	uint32_t acc = flags & PX_O_ACCMODE;
	if (acc != PX_O_WRONLY)
		f->p->end[0].open++;
	if (acc != 0)
		f->p->end[1].open++;
	pipe_kick(f->p); /* pollers learn of the new peer */
	return 0;
}

static bool
has_reader(const struct fifo *f)
{
	return f->p->end[0].open || f->rwait;
}

static bool
has_writer(const struct fifo *f)
{
	return f->p->end[1].open || f->wwait;
}

/* Answers the waiting opens whose other side now exists. */
static void
wake_openers(struct fifo *f)
{
	uint32_t k = 0;
	for (uint32_t i = 0; i < f->nwait; i++) {
		struct fifo_opener *o = &f->wait[i];
		bool rd = (o->flags & PX_O_ACCMODE) == 0;
		if (rd ? !has_writer(f) : !has_reader(f)) {
			f->wait[k++] = *o;
			continue;
		}
		if (rd)
			f->rwait--;
		else
			f->wwait--;
		handle_t port;
		struct ferry_status_rep rep = {0, 0};
		int rc = desc_new(f, o->flags, &port);
		if (rc) {
			rep.status = rc;
			srv_reply(o->token, rc, &rep, sizeof(rep), NULL, 0);
		} else if (srv_reply(o->token, 0, &rep, sizeof(rep), &port, 1)) {
			ferry_sys_handle_close(port); /* the opener left: no-senders closes it */
		}
	}
	f->nwait = k;
}

int
fifo_open(uint64_t id, uint32_t flags, uint64_t token, handle_t *port)
{
	uint32_t acc = flags & PX_O_ACCMODE;
	if (acc == PX_O_ACCMODE)
		return -FERRY_EINVAL;
	int rc;
	struct fifo *f = fifo_find(id, &rc);
	if (!f)
		return rc;
	bool wait = false;
	if (acc == 0)
		wait = !has_writer(f) && !(flags & PX_O_NONBLOCK);
	else if (acc == PX_O_WRONLY && !has_reader(f)) {
		if (flags & PX_O_NONBLOCK) {
			fifo_maybe_free(f);
			return -FERRY_ENXIO;
		}
		wait = true;
	}
	if (wait) {
		if (!token || f->nwait == FIFO_WAITING) {
			fifo_maybe_free(f);
			return -FERRY_EAGAIN;
		}
		f->wait[f->nwait++] = (struct fifo_opener){token, flags};
		if (acc == 0)
			f->rwait++;
		else
			f->wwait++;
		wake_openers(f); /* a waiting writer meets this reader, or the reverse */
		return FERRY_REPLY_LATER;
	}
	if ((rc = desc_new(f, flags, port))) {
		fifo_maybe_free(f);
		return rc;
	}
	wake_openers(f);
	return 0;
}

void
fifo_desc_closed(uint32_t index)
{
	struct pipe *p;
	struct fifo_desc *d = fifo_desc_of(index, &p);
	if (!d)
		return;
	struct fifo *f = &fifos[d->fifo];
	ferry_sys_port_destroy(d->mgr);
	ferry_sys_handle_close(d->mgr);
	xfer_release(&d->xfer);
	d->used = false;
	uint32_t acc = d->flags & PX_O_ACCMODE;
	if (acc != PX_O_WRONLY)
		pipe_end_drop(p, 0);
	if (acc != 0)
		pipe_end_drop(p, 1);
	fifo_maybe_free(f);
}

uint32_t
fifo_count(void)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < FIFO_MAX; i++)
		n += fifos[i].used;
	return n;
}
