// SPDX-License-Identifier: MIT
/*
 * Record locks (fcntl F_GETLK/F_SETLK/F_SETLKW) and flock locks on vfs's
 * nodes (docs/proto/file.md, "Locks").  A node with locks or waits has a
 * lockset: its held ranges (struct lock) in no particular order.  A lock
 * belongs to an owner: a struct lock_owner (one per process, its port made
 * by lock_owner_new) for record locks, the struct desc for flock locks.
 * The two kinds never conflict with each other, as on Linux.  Invariants:
 * one owner's records of one kind never overlap, and two of its records
 * of the same type are never adjacent (they are merged).
 *
 * A request that must wait is a call answered later: a struct lock_wait,
 * in one list of all waits, oldest first.  Every change to a node's locks
 * runs wake(), which grants the waits that no longer conflict, oldest
 * first.  A grant whose reply is refused (the caller was interrupted or
 * died) is undone, so a lock is held only by a caller that knows it.
 *
 * Entry points: lock_owner_new, lock_owner_of, lock_owner_gone, lock_get,
 * lock_set, lock_cancel, lock_close, lock_desc_closed.
 *
 * Ownership and references: a lockset holds a reference to its node and
 * lives while it has locks or waits; a wait points to its lockset.  Locks
 * and waits are charged to their owner (record owners: LOCK_OWNER_MAX;
 * descriptions: LOCK_DESC_WAITS waits, one flock lock) and to the global
 * LOCK_ALL_MAX, so no client can make vfs allocate without bound (ENOLCK).
 */
#include <srv.h>
#include <ulib.h>
#include "vfs.h"

#define LOCK_EOF        INT64_MAX /* end of a range that runs to the end of file and beyond */
#define LOCK_OWNER_MAX  256       /* records + waits of one record-lock owner */
#define LOCK_OWNERS_MAX 1024      /* record-lock owners (processes) */
#define LOCK_DESC_WAITS 16        /* flock waits through one description */
#define LOCK_ALL_MAX    16384     /* records + waits of everyone */

struct lock_owner {
	uint64_t koid;  /* of its port */
	uint32_t pid;   /* as the process said (F_GETLK's l_pid) */
	uint32_t count; /* records and waits charged to it */
	uint32_t mark;  /* deadlock search: visited in search number mark */
	struct lock_owner *next;
};

struct lock {
	struct lock *next; /* the lockset's locks */
	void *owner;  /* struct lock_owner (LOCK_POSIX) or struct desc (LOCK_FLOCK, LOCK_OFD) */
	uint8_t kind; /* enum lock_kind */
	uint8_t type; /* FILE_LOCK_RD, FILE_LOCK_WR */
	uint64_t start, end; /* inclusive; end LOCK_EOF: to the end of file */
};

struct lockset {
	struct node *node; /* referenced */
	struct lock *locks;
	uint32_t nwaits;
	struct lockset *next, *prev; /* all locksets */
};

struct lock_wait {
	struct lock_wait *next; /* all waits, oldest first */
	struct lockset *set;
	void *owner;
	uint8_t kind;
	uint8_t type;
	uint32_t cookie;
	uint64_t start, end;
	uint64_t token;
};

static struct lock_owner *owners;
static uint32_t nowners, search_mark;
static struct lockset *sets;
static struct lock_wait *waits, **waits_tail = &waits;
static uint32_t nall; /* records + waits of everyone */

static uint32_t *
charge_of(void *owner, unsigned kind)
{
	/* A description's flock record is at most one per description, so only
	 * its waits are counted; its open-file-description records and waits
	 * are counted as a process's. */
	if (kind == LOCK_FLOCK)
		return &((struct desc *)owner)->lock_waits;
	if (kind == LOCK_OFD)
		return &((struct desc *)owner)->lock_ofd;
	return &((struct lock_owner *)owner)->count;
}

static bool
overlap(uint64_t s1, uint64_t e1, uint64_t s2, uint64_t e2)
{
	return s1 <= e2 && s2 <= e1;
}

static bool
adjacent(uint64_t s1, uint64_t e1, uint64_t s2, uint64_t e2)
{
	return (e1 != LOCK_EOF && e1 + 1 == s2) || (e2 != LOCK_EOF && e2 + 1 == s1);
}

static bool
conflicts(const struct lock *l, void *owner, unsigned kind, unsigned type, uint64_t s, uint64_t e)
{
	/* Process and description record locks conflict with each other (as on
	 * Linux, even for one process through one descriptor); flock with neither. */
	return (l->kind == LOCK_FLOCK) == (kind == LOCK_FLOCK) && l->owner != owner &&
	       overlap(l->start, l->end, s, e) && (type == FILE_LOCK_WR || l->type == FILE_LOCK_WR);
}

static struct lock *
first_conflict(const struct lockset *set, void *owner, unsigned kind, unsigned type, uint64_t s,
               uint64_t e)
{
	if (type == FILE_LOCK_UN)
		return NULL;
	for (struct lock *l = set->locks; l; l = l->next)
		if (conflicts(l, owner, kind, type, s, e))
			return l;
	return NULL;
}

/* n's lockset, made if create (NULL: none, or out of memory). */
static struct lockset *
set_of(struct node *n, bool create)
{
	if (n->locks || !create)
		return n->locks;
	struct lockset *set = vfs_zalloc(sizeof(*set));
	if (!set)
		return NULL;
	set->node = n;
	node_ref(n);
	set->next = sets;
	if (sets)
		sets->prev = set;
	sets = set;
	n->locks = set;
	return set;
}

static void
set_put(struct lockset *set)
{
	if (set->locks || set->nwaits)
		return;
	if (set->prev)
		set->prev->next = set->next;
	else
		sets = set->next;
	if (set->next)
		set->next->prev = set->prev;
	set->node->locks = NULL;
	node_unref(set->node);
	vfs_free(set);
}

static void
rec_free(struct lock *l)
{
	if (l->kind != LOCK_FLOCK)
		(*charge_of(l->owner, l->kind))--;
	nall--;
	vfs_free(l);
}

/* A new record charged to owner (not linked); NULL if out of memory. */
static struct lock *
rec_new(void *owner, unsigned kind, unsigned type, uint64_t s, uint64_t e)
{
	struct lock *l = vfs_zalloc(sizeof(*l));
	if (!l)
		return NULL;
	l->owner = owner;
	l->kind = (uint8_t)kind;
	l->type = (uint8_t)type;
	l->start = s;
	l->end = e;
	if (kind != LOCK_FLOCK)
		(*charge_of(owner, kind))++;
	nall++;
	return l;
}

/*
 * Makes owner's locks of this kind on [s, e] be type (FILE_LOCK_UN: none),
 * splitting, trimming and merging its records.  Other owners' locks are
 * not looked at: the caller checked conflicts.  With budget, the records
 * this may add are checked against the limits first (-FERRY_ENOLCK).
 * Returns 0 or -FERRY_ENOLCK/-FERRY_ENOMEM with nothing changed.
 */
static int
apply(struct lockset *set, void *owner, unsigned kind, unsigned type, uint64_t s, uint64_t e,
      bool budget)
{
	struct lock *split = NULL, *fresh = NULL, **pp, *l;
	bool need_split = false;

	for (l = set->locks; l; l = l->next)
		if (l->kind == kind && l->owner == owner && l->type != type && l->start < s &&
		    l->end > e)
			need_split = true;
	unsigned need = (type != FILE_LOCK_UN) + need_split;
	if (budget && need) {
		if (nall + need > LOCK_ALL_MAX)
			return -FERRY_ENOLCK;
		if (kind != LOCK_FLOCK && *charge_of(owner, kind) + need > LOCK_OWNER_MAX)
			return -FERRY_ENOLCK;
	}
	if (need_split && !(split = rec_new(owner, kind, FILE_LOCK_RD, 0, 0)))
		return -FERRY_ENOMEM;
	if (type != FILE_LOCK_UN && !(fresh = rec_new(owner, kind, type, s, e))) {
		if (split)
			rec_free(split);
		return -FERRY_ENOMEM;
	}
	pp = &set->locks;
	while ((l = *pp)) {
		if (l->kind != kind || l->owner != owner) {
			pp = &l->next;
			continue;
		}
		bool ov = overlap(l->start, l->end, s, e);
		if (l->type == type && (ov || adjacent(l->start, l->end, s, e))) {
			/* Merged into the new range (no other record of the owner
			 * touches l's part outside [s, e]: the invariants). */
			s = l->start < s ? l->start : s;
			e = l->end > e ? l->end : e;
			*pp = l->next;
			rec_free(l);
			continue;
		}
		if (!ov) {
			pp = &l->next;
			continue;
		}
		if (l->start < s && l->end > e) {
			*split = *l;
			split->start = e + 1;
			l->end = s - 1;
			l->next = split;
			pp = &split->next;
			split = NULL;
			continue;
		}
		if (l->start < s) {
			l->end = s - 1;
		} else if (l->end > e) {
			l->start = e + 1;
		} else {
			*pp = l->next;
			rec_free(l);
			continue;
		}
		pp = &l->next;
	}
	if (split)
		rec_free(split); /* a merge made the split unnecessary */
	if (fresh) {
		fresh->start = s;
		fresh->end = e;
		fresh->next = set->locks;
		set->locks = fresh;
	}
	return 0;
}

/* True if owner x waits, directly or through others, for a lock of target. */
static bool
waits_for(struct lock_owner *x, struct lock_owner *target, unsigned depth)
{
	if (x->mark == search_mark || depth == 0)
		return false;
	x->mark = search_mark;
	for (struct lock_wait *w = waits; w; w = w->next) {
		if (w->kind != LOCK_POSIX || w->owner != x)
			continue;
		for (struct lock *l = w->set->locks; l; l = l->next) {
			/* Description locks are not followed (Linux checks only
			 * process locks for deadlock). */
			if (l->kind != LOCK_POSIX ||
			    !conflicts(l, x, LOCK_POSIX, w->type, w->start, w->end))
				continue;
			if (l->owner == target || waits_for(l->owner, target, depth - 1))
				return true;
		}
	}
	return false;
}

/* Would owner waiting for [s, e] close a cycle of waiting owners? */
static bool
deadlock(const struct lockset *set, struct lock_owner *owner, unsigned type, uint64_t s, uint64_t e)
{
	search_mark++;
	for (struct lock *l = set->locks; l; l = l->next)
		if (l->kind == LOCK_POSIX && conflicts(l, owner, LOCK_POSIX, type, s, e) &&
		    waits_for(l->owner, owner, 64))
			return true;
	return false;
}

static void
wait_unlink(struct lock_wait *w)
{
	for (struct lock_wait **pp = &waits; *pp; pp = &(*pp)->next) {
		if (*pp == w) {
			*pp = w->next;
			if (waits_tail == &w->next)
				waits_tail = pp;
			break;
		}
	}
	(*charge_of(w->owner, w->kind))--;
	nall--;
	w->set->nwaits--;
}

/*
 * Grants w (unlinked; freed here): applies it, answers its call, and if
 * the answer is refused (the caller is gone) puts the owner's locks back
 * as they were.
 */
static void
grant(struct lock_wait *w)
{
	struct lockset *set = w->set;
	struct file_lock_rep rep;
	struct lock *saved = NULL, *l;
	unsigned nsaved = 0, i;
	uint64_t us = w->start, ue = w->end;

	for (l = set->locks; l; l = l->next)
		if (l->kind == w->kind && l->owner == w->owner &&
		    (overlap(l->start, l->end, w->start, w->end) ||
		     adjacent(l->start, l->end, w->start, w->end)))
			nsaved++;
	if (nsaved && !(saved = vfs_alloc(nsaved * sizeof(*saved)))) {
		srv_reply(w->token, -FERRY_ENOMEM, NULL, 0, NULL, 0);
		goto out;
	}
	i = 0;
	for (l = set->locks; l; l = l->next) {
		if (l->kind == w->kind && l->owner == w->owner &&
		    (overlap(l->start, l->end, w->start, w->end) ||
		     adjacent(l->start, l->end, w->start, w->end))) {
			saved[i++] = *l;
			us = l->start < us ? l->start : us;
			ue = l->end > ue ? l->end : ue;
		}
	}
	int rc = apply(set, w->owner, w->kind, w->type, w->start, w->end, false);
	memset(&rep, 0, sizeof(rep));
	rep.type = w->type;
	if (srv_reply(w->token, rc, &rep, sizeof(rep), NULL, 0) == 0 || rc)
		goto out;
	/* Refused: [us, ue] covers every record the grant touched or made. */
	if (apply(set, w->owner, w->kind, FILE_LOCK_UN, us, ue, false) == 0) {
		for (i = 0; i < nsaved; i++) {
			struct lock *r = rec_new(w->owner, w->kind, saved[i].type, saved[i].start,
			                         saved[i].end);
			if (!r)
				break; /* out of memory: the owner keeps less than it had */
			r->next = set->locks;
			set->locks = r;
		}
	}
out:
	vfs_free(saved);
	vfs_free(w);
}

/* Grants the waits on set that no longer conflict, oldest first. */
static void
wake(struct lockset *set)
{
	bool again = true;
	while (again && set->nwaits) {
		again = false;
		for (struct lock_wait *w = waits; w; w = w->next) {
			if (w->set != set ||
			    first_conflict(set, w->owner, w->kind, w->type, w->start, w->end))
				continue;
			wait_unlink(w);
			set->nwaits++; /* keeps set alive across the grant */
			grant(w);
			set->nwaits--;
			again = true;
			break;
		}
	}
}

int
lock_owner_new(uint32_t pid, uint32_t *port)
{
	struct lock_owner *o;
	struct ferry_handle_info info;
	handle_t h;
	int rc;

	if (nowners >= LOCK_OWNERS_MAX)
		return -FERRY_ENOLCK;
	if (!(o = vfs_zalloc(sizeof(*o))))
		return -FERRY_ENOMEM;
	/* Keys of descriptions are their (aligned) addresses; bit 0 says owner. */
	if ((rc = (int)ferry_sys_port_create(vfs_queue(), (port_key_t)(uintptr_t)o | 1, &h))) {
		vfs_free(o);
		return rc;
	}
	if ((rc = (int)ferry_sys_handle_info(h, &info))) {
		ferry_sys_handle_close(h);
		vfs_free(o);
		return rc;
	}
	o->koid = info.koid;
	o->pid = pid;
	o->next = owners;
	owners = o;
	nowners++;
	*port = h;
	return 0;
}

int
lock_owner_of(uint32_t h, struct lock_owner **out)
{
	struct ferry_handle_info info;
	int rc = (int)ferry_sys_handle_info(h, &info);

	ferry_sys_handle_close(h);
	if (rc)
		return rc;
	for (struct lock_owner *o = owners; o; o = o->next) {
		if (info.type == FERRY_OBJ_PORT && o->koid == info.koid) {
			*out = o;
			return 0;
		}
	}
	return -FERRY_EINVAL;
}

void
lock_owner_gone(struct lock_owner *o)
{
	struct lockset *set, *next;

	for (struct lock_wait *w = waits, *wn; w; w = wn) {
		wn = w->next;
		if (w->kind == LOCK_POSIX && w->owner == o) {
			struct lockset *ws = w->set;
			wait_unlink(w);
			vfs_free(w);
			set_put(ws);
		}
	}
	for (set = sets; set; set = next) {
		next = set->next;
		(void)apply(set, o, LOCK_POSIX, FILE_LOCK_UN, 0, LOCK_EOF, false);
		wake(set);
		set_put(set);
	}
	for (struct lock_owner **pp = &owners; *pp; pp = &(*pp)->next) {
		if (*pp == o) {
			*pp = o->next;
			break;
		}
	}
	nowners--;
	vfs_free(o);
}

int
lock_get(struct node *n, void *owner, unsigned kind, unsigned type, uint64_t s, uint64_t e,
         struct file_lock_rep *rep)
{
	struct lockset *set = set_of(n, false);
	struct lock *l = set ? first_conflict(set, owner, kind, type, s, e) : NULL;

	if (!l) {
		rep->type = FILE_LOCK_UN;
		return 0;
	}
	rep->type = l->type;
	rep->start = (int64_t)l->start;
	rep->len = l->end == LOCK_EOF ? 0 : (int64_t)(l->end - l->start + 1);
	/* A description's lock has no process: -1, as Linux reports it. */
	rep->pid = l->kind == LOCK_POSIX ? ((struct lock_owner *)l->owner)->pid : UINT32_MAX;
	return 0;
}

int
lock_set(struct node *n, void *owner, unsigned kind, unsigned type, uint64_t s, uint64_t e,
         bool wait, uint64_t token, uint32_t cookie)
{
	struct lockset *set;
	int rc;

	if (!token)
		return 0; /* a call its caller gave up while queued: no effect */
	if (!(set = set_of(n, type != FILE_LOCK_UN)))
		return type == FILE_LOCK_UN ? 0 : -FERRY_ENOMEM;
	bool flock = kind == LOCK_FLOCK;
	if (flock && wait && first_conflict(set, owner, kind, type, s, e)) {
		/* A blocking flock conversion drops the old lock first, as on
		 * Linux, so two holders of a shared lock asking for an
		 * exclusive one do not wait for each other for ever. */
		(void)apply(set, owner, LOCK_FLOCK, FILE_LOCK_UN, 0, LOCK_EOF, false);
		wake(set);
	}
	if (first_conflict(set, owner, kind, type, s, e)) {
		if (!wait)
			rc = -FERRY_EAGAIN;
		else if (kind == LOCK_POSIX && deadlock(set, owner, type, s, e))
			rc = -FERRY_EDEADLK;
		else if (nall >= LOCK_ALL_MAX ||
		         *charge_of(owner, kind) >= (flock ? LOCK_DESC_WAITS : LOCK_OWNER_MAX))
			rc = -FERRY_ENOLCK;
		else
			rc = FERRY_REPLY_LATER;
		if (rc == FERRY_REPLY_LATER) {
			struct lock_wait *w = vfs_zalloc(sizeof(*w));
			if (!w) {
				rc = -FERRY_ENOMEM;
			} else {
				*w = (struct lock_wait){NULL,          set,    owner, (uint8_t)kind,
				                        (uint8_t)type, cookie, s,     e,
				                        token};
				*waits_tail = w;
				waits_tail = &w->next;
				(*charge_of(owner, kind))++;
				nall++;
				set->nwaits++;
			}
		}
		set_put(set);
		return rc;
	}
	rc = apply(set, owner, kind, type, s, e, true);
	wake(set); /* an unlock or a downgrade may let others in */
	set_put(set);
	return rc;
}

void
lock_cancel(void *owner, bool desc, uint32_t cookie)
{
	for (struct lock_wait *w = waits; w; w = w->next) {
		if (w->owner == owner && (w->kind != LOCK_POSIX) == desc && w->cookie == cookie) {
			struct lockset *set = w->set;
			wait_unlink(w);
			vfs_free(w);
			set_put(set);
			return;
		}
	}
}

void
lock_close(struct node *n, struct lock_owner *o)
{
	struct lockset *set = set_of(n, false);

	if (!set)
		return;
	(void)apply(set, o, LOCK_POSIX, FILE_LOCK_UN, 0, LOCK_EOF, false);
	wake(set);
	set_put(set);
}

void
lock_desc_closed(struct desc *d)
{
	struct lockset *set = set_of(d->node, false);

	if (!set)
		return;
	set->nwaits++; /* keeps set alive while its waits go */
	for (struct lock_wait *w = waits, *wn; w; w = wn) {
		wn = w->next;
		if (w->kind != LOCK_POSIX && w->owner == d) {
			wait_unlink(w);
			srv_reply(w->token, -FERRY_EBADH, NULL, 0, NULL, 0);
			vfs_free(w);
		}
	}
	set->nwaits--;
	(void)apply(set, d, LOCK_FLOCK, FILE_LOCK_UN, 0, LOCK_EOF, false);
	(void)apply(set, d, LOCK_OFD, FILE_LOCK_UN, 0, LOCK_EOF, false);
	wake(set);
	set_put(set);
}
