// SPDX-License-Identifier: MIT
/*
 * Transfer areas (FILE_XFER_ATTACH, include/ferry/proto/file.h): a client
 * lends a description a memory object once; read and write requests then
 * name a byte range of it instead of carrying data inline.  posixsrv maps
 * each area read-write for as long as the description lives.
 */
#include "posixsrv.h"

int
xfer_attach(struct xfer_set *s, handle_t mo, uint64_t size, uint32_t *id)
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
	rc = -FERRY_ENOSPC;
	if (i == XFER_PER_DESC)
		goto out;
	struct ferry_map_req req = {0, size, FERRY_PROT_READ | FERRY_PROT_WRITE, 0};
	uintptr_t addr;
	if ((rc = (int)ferry_sys_vm_map(0, mo, 0, &req, &addr)))
		goto out;
	s->a[i].addr = (uint8_t *)addr;
	s->a[i].size = size;
	s->a[i].id = ++s->next_id;
	*id = s->a[i].id;
	rc = 0;
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
			uunmap(s->a[i].addr, s->a[i].size);
	memset(s, 0, sizeof(*s));
}

int
on_file_xfer_attach_common(struct xfer_set *s, struct srv_call *c)
{
	const struct file_xfer_attach_req *req = SRV_REQ(c, struct file_xfer_attach_req);
	return xfer_attach(s, c->req->handles[0], req->size,
	                   &SRV_REP(c, struct file_xfer_attach_rep)->id);
}
