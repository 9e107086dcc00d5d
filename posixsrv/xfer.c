// SPDX-License-Identifier: MIT
/*
 * Transfer areas (FILE_XFER_ATTACH, include/ferry/proto/file.h): a client
 * lends a description a memory object once; read and write requests then
 * name a byte range of it instead of carrying data inline.  posixsrv maps
 * each area read-write for as long as the description lives, or until a
 * new client needs the slot of one whose client is gone (a description
 * shared by many processes over time, like the console).
 */
#include "posixsrv.h"

/* Unmaps slot i of s and drops our handle to its object. */
static void
slot_free(struct xfer_set *s, unsigned i)
{
	uunmap(s->a[i].addr, s->a[i].size);
	ferry_sys_handle_close(s->a[i].mo);
	memset(&s->a[i], 0, sizeof(s->a[i]));
}

/* A slot whose memory object nobody but us holds (our handle, our mapping). */
static bool
slot_orphaned(const struct xfer_set *s, unsigned i)
{
	struct ferry_handle_info info;
	return ferry_sys_handle_info(s->a[i].mo, &info) == 0 && info.refs <= 2;
}

int
xfer_attach(struct xfer_set *s, handle_t mo, uint64_t size, bool idle, uint32_t *id)
{
	struct ferry_handle_info info;
	int rc = (int)ferry_sys_handle_info(mo, &info);
	if (rc)
		goto out;
	rc = -FERRY_EWRONGTYPE;
	if (info.type != FERRY_OBJ_MEMOBJ)
		goto out;
	rc = -FERRY_EINVAL;
	if (!size || (size & 4095) || size > FILE_XFER_MAX)
		goto out;
	unsigned i;
	for (i = 0; i < XFER_PER_DESC && s->a[i].addr; i++)
		;
	for (unsigned k = 0; i == XFER_PER_DESC && idle && k < XFER_PER_DESC; k++) {
		if (slot_orphaned(s, k)) {
			slot_free(s, k);
			i = k;
		}
	}
	rc = -FERRY_ENOSPC;
	if (i == XFER_PER_DESC)
		goto out;
	struct ferry_map_req req = {0, size, FERRY_PROT_READ | FERRY_PROT_WRITE, 0};
	uintptr_t addr;
	if ((rc = (int)ferry_sys_vm_map(0, mo, 0, &req, &addr)))
		goto out;
	s->a[i].addr = (uint8_t *)addr;
	s->a[i].size = size;
	s->a[i].mo = mo;
	s->a[i].id = ++s->next_id;
	*id = s->a[i].id;
	return 0;
out:
	ferry_sys_handle_close(mo);
	return rc;
}

uint8_t *
xfer_ptr(struct xfer_set *s, uint32_t id, uint64_t off, uint64_t len)
{
	for (unsigned i = 0; i < XFER_PER_DESC; i++) {
		if (s->a[i].addr && s->a[i].id == id) {
			if (off > s->a[i].size || len > s->a[i].size - off)
				return NULL;
			return s->a[i].addr + off;
		}
	}
	return NULL;
}

void
xfer_release(struct xfer_set *s)
{
	for (unsigned i = 0; i < XFER_PER_DESC; i++)
		if (s->a[i].addr)
			slot_free(s, i);
	memset(s, 0, sizeof(*s));
}

int
on_file_xfer_attach_common(struct xfer_set *s, bool idle, struct srv_call *c)
{
	const struct file_xfer_attach_req *req = SRV_REQ(c, struct file_xfer_attach_req);
	return xfer_attach(s, c->req->handles[0], req->size, idle,
	                   &SRV_REP(c, struct file_xfer_attach_rep)->id);
}
