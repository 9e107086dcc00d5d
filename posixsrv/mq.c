// SPDX-License-Identifier: MIT
/*
 * POSIX message queues: the name registry (Linux's rules), queues with
 * their attributes and buffer, permissions, and open descriptions, each
 * its own port (KEY_MQ).  mq_io.c moves the messages.  Entry points:
 * mq_open_name, mq_unlink_name, mq_desc_of, mq_desc_closed.
 *
 * Ownership: posixsrv keeps a MANAGE-only handle to each description's
 * port, so the no-senders notice means it is closed everywhere.  A queue
 * lives while it has its name or an open description; its buffer is
 * demand-zero memory, so only slots ever used cost pages.
 */
#include "mq_int.h"

struct mq mq_queues[MQ_MAX];
struct mq_desc mq_descs[MQ_DESC_MAX];
static uint32_t next_id;

struct mq_desc *
mq_desc_of(uint32_t index, struct mq **q)
{
	if (index >= MQ_DESC_MAX || !mq_descs[index].used)
		return NULL;
	*q = &mq_queues[mq_descs[index].q];
	return &mq_descs[index];
}

/* Linux's rules for the part after the slash. */
static int
name_check(const char *name, uint32_t len)
{
	if (len > MQ_NAME_MAX)
		return -FERRY_ENAMETOOLONG;
	if (len == 0 || (len == 1 && name[0] == '.') || (len == 2 && !memcmp(name, "..", 2)))
		return -FERRY_EACCES;
	for (uint32_t i = 0; i < len; i++)
		if (name[i] == '/' || name[i] == 0)
			return -FERRY_EACCES;
	return 0;
}

static struct mq *
lookup(const char *name, uint32_t len)
{
	for (uint32_t i = 0; i < MQ_MAX; i++) {
		struct mq *q = &mq_queues[i];
		if (q->used && q->linked && strlen(q->name) == len && !memcmp(q->name, name, len))
			return q;
	}
	return NULL;
}

static uint64_t
buf_size(uint32_t maxmsg, uint32_t msgsize)
{
	return ((uint64_t)maxmsg * msgsize + 4095) & ~4095ull;
}

static uint64_t
user_bytes(uint32_t uid)
{
	uint64_t n = 0;
	for (uint32_t i = 0; i < MQ_MAX; i++)
		if (mq_queues[i].used && mq_queues[i].uid == uid)
			n += mq_queues[i].bufsize;
	return n;
}

static int
create(const char *name, uint32_t len, const struct mq_name_req *r,
       const struct proc_cred_entry *who, struct mq **out)
{
	uint32_t maxmsg = r->maxmsg, msgsize = r->msgsize;
	if (!maxmsg && !msgsize) {
		maxmsg = MQ_MAXMSG_DEFAULT;
		msgsize = MQ_MSGSIZE_DEFAULT;
	}
	if (!maxmsg || !msgsize || maxmsg > MQ_MAXMSG_MAX || msgsize > MQ_MSGSIZE_MAX)
		return -FERRY_EINVAL;
	uint32_t i;
	for (i = 0; i < MQ_MAX && mq_queues[i].used; i++)
		;
	if (i == MQ_MAX)
		return -FERRY_ENOSPC;
	uint64_t size = buf_size(maxmsg, msgsize);
	if (user_bytes(who->euid) + size > MQ_USER_BYTES && who->euid != 0)
		return -FERRY_EMFILE;
	uint8_t *buf = umap_anon(size);
	if (!buf)
		return -FERRY_ENOMEM;
	struct mq *q = &mq_queues[i];
	memset(q, 0, sizeof(*q));
	q->used = q->linked = true;
	memcpy(q->name, name, len);
	q->name[len] = 0;
	q->id = ++next_id;
	q->uid = who->euid;
	q->gid = who->egid;
	q->mode = r->mode & 07777;
	q->maxmsg = maxmsg;
	q->msgsize = msgsize;
	q->buf = buf;
	q->bufsize = size;
	*out = q;
	return 0;
}

static void
queue_free(struct mq *q)
{
	uunmap(q->buf, q->bufsize);
	q->used = false;
}

static bool
in_group(const struct proc_cred_entry *who, uint32_t gid)
{
	if (who->egid == gid)
		return true;
	for (uint32_t i = 0; i < who->ngroups; i++)
		if (who->groups[i] == gid)
			return true;
	return false;
}

/* Owner, group or other permission bits for access mode acc (uid 0: all). */
static int
may_open(const struct mq *q, uint32_t acc, const struct proc_cred_entry *who)
{
	if (who->euid == 0)
		return 0;
	uint32_t bits = who->euid == q->uid     ? q->mode >> 6
	                : in_group(who, q->gid) ? q->mode >> 3
	                                        : q->mode;
	uint32_t want = acc == MQ_O_RDWR ? 6 : acc == MQ_O_WRONLY ? 2 : 4;
	return (bits & want) == want ? 0 : -FERRY_EACCES;
}

int
mq_open_name(const char *name, uint32_t len, const struct mq_name_req *r,
             const struct proc_cred_entry *who, handle_t *port, uint32_t *id)
{
	int rc = name_check(name, len);
	if (rc)
		return rc;
	uint32_t acc = r->flags & MQ_O_ACCMODE;
	if (acc == MQ_O_ACCMODE ||
	    (r->flags & ~(MQ_O_ACCMODE | MQ_O_CREAT | MQ_O_EXCL | MQ_O_NONBLOCK | MQ_O_CLOEXEC)))
		return -FERRY_EINVAL;
	uint32_t di;
	for (di = 0; di < MQ_DESC_MAX && mq_descs[di].used; di++)
		;
	if (di == MQ_DESC_MAX)
		return -FERRY_ENFILE;
	struct mq *q = lookup(name, len);
	bool created = false;
	if (q) {
		if ((r->flags & (MQ_O_CREAT | MQ_O_EXCL)) == (MQ_O_CREAT | MQ_O_EXCL))
			return -FERRY_EEXIST;
		if ((rc = may_open(q, acc, who)))
			return rc;
	} else {
		if (!(r->flags & MQ_O_CREAT))
			return -FERRY_ENOENT;
		if ((rc = create(name, len, r, who, &q)))
			return rc;
		created = true;
	}
	struct mq_desc *d = &mq_descs[di];
	memset(d, 0, sizeof(*d));
	if ((rc = px_make_port(KEY(KEY_MQ, di), port, &d->mgr))) {
		if (created)
			queue_free(q);
		return rc;
	}
	d->used = true;
	d->q = (uint32_t)(q - mq_queues);
	d->flags = r->flags & (MQ_O_ACCMODE | MQ_O_NONBLOCK);
	q->nopen++;
	*id = q->id;
	return 0;
}

int
mq_unlink_name(const char *name, uint32_t len, const struct proc_cred_entry *who)
{
	int rc = name_check(name, len);
	if (rc)
		return rc;
	struct mq *q = lookup(name, len);
	if (!q)
		return -FERRY_ENOENT;
	/* Linux's /dev/mqueue is sticky: only the owner (or root) removes. */
	if (who->euid != 0 && who->euid != q->uid)
		return -FERRY_EACCES;
	q->linked = false;
	if (!q->nopen)
		queue_free(q);
	return 0;
}

/* ---- closing ---- */

void
mq_desc_closed(uint32_t index)
{
	struct mq *q;
	struct mq_desc *d = mq_desc_of(index, &q);
	if (!d)
		return;
	mq_desc_drop(q, d, index);
	xfer_release(&d->xfer);
	ferry_sys_port_destroy(d->mgr);
	ferry_sys_handle_close(d->mgr);
	d->used = false;
	if (!--q->nopen && !q->linked)
		queue_free(q);
}
