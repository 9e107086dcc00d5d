// SPDX-License-Identifier: MIT
/*
 * Page payloads: bulk data that travels by mapping instead of copying
 * (DESIGN "Bulk data travels in shared pages"; ABI in include/ferry/msg.h).
 * Entry points: payload_gather (sender side, from objs_gather),
 * payload_deliver (receiver side, from objs_deliver), payload_call_end
 * (reply, or the caller giving up), payload_vm_gone (receiver torn down).
 *
 * In transit a payload is an anonymous memory object, charged to the
 * sender, whose pages are extra references to the sender's pages (a write
 * lend breaks copy-on-write first, so the receiver writes the very pages
 * the sender sees).  A lend is mapped shared into the receiver with the
 * rights the sender allowed (vm_protect cannot raise them) and tied to the
 * call's reply token by a lend record; a move is adopted as the
 * receiver's private memory (pages still shared with someone else are
 * copied on the receiver's first write) and recharged to the receiver.
 *
 * Ownership and references: the message slot owns the object until it is
 * delivered; then the receiver's area does.  A lend record belongs to the
 * list below, names its vmspace without a reference (vmspace_destroy
 * calls payload_vm_gone first) and is charged to the receiving task.
 */
#include <lib/string.h>
#include <arch.h>
#include <ferry/errors.h>
#include <ferry/syscall.h>
#include <core/task.h>
#include <mm/memobj.h>
#include <mm/pmm.h>
#include <mm/slab.h>
#include <mm/vmspace.h>
#include <object/payload.h>
#include <lib/klog.h>

struct payload_lend {
	struct list link;   /* lends */
	uint64_t token;     /* the call it is lent for */
	struct vmspace *vm; /* the receiver's address space */
	uintptr_t addr;     /* where it was mapped: its areas (split or */
	size_t len;         /* not) lie inside [addr, addr + len) */
};

static struct list lends = LIST_INIT(lends);

static int
desc_read(const struct ferry_msg *m, struct ferry_payload *d)
{
	if (m->len < sizeof(*d))
		return -FERRY_EINVAL;
	memcpy(d, m->data, sizeof(*d));
	if (d->reserved || (d->flags & ~(FERRY_PAYLOAD_WRITE | FERRY_PAYLOAD_MOVE)) || !d->len ||
	    d->len > FERRY_PAYLOAD_MAX || ((d->addr | d->len) & PAGE_MASK) || d->addr < PAGE_SIZE ||
	    d->addr + d->len > USER_TOP || d->addr + d->len < d->addr)
		return -FERRY_EINVAL;
	return 0;
}

int
payload_gather(const struct ferry_msg *m, bool call, struct kobject **obj, uint32_t *rights)
{
	struct ferry_payload d;
	struct task *t = current->task;
	int rc;
	if (m->nhandles > PAYLOAD_SLOT || (rc = desc_read(m, &d))) {
		user_error("bad payload (handles %u len %u)", m->nhandles, m->len);
		return -FERRY_EINVAL;
	}
	bool move = d.flags & FERRY_PAYLOAD_MOVE;
	if (!move && !call) {
		user_error("a lend needs a call");
		return -FERRY_EINVAL;
	}
	if (!t->vm)
		return -FERRY_EFAULT;
	unsigned access =
	        (d.flags & FERRY_PAYLOAD_WRITE) && !move ? VM_ACCESS_WRITE : VM_ACCESS_READ;
	struct memobj *mo;
	if ((rc = memobj_create_anon(t, d.len, &mo)))
		return rc;
	for (uint64_t off = 0; off < d.len; off += PAGE_SIZE) {
		paddr_t pa;
		struct vm_area *a = vm_find(t->vm, d.addr + off);
		if (!a || !(a->prot & FERRY_PROT_READ)) {
			rc = -FERRY_EFAULT;
			goto out_obj;
		}
		if ((rc = vm_resolve(t->vm, d.addr + off, access, &pa)))
			goto out_obj;
		pmm_ref(pa);
		if ((rc = memobj_set_page(mo, off, pa))) {
			pmm_unref(pa);
			goto out_obj;
		}
	}
	if (move && (rc = vm_unmap(t->vm, d.addr, d.len)))
		goto out_obj;
	*obj = &mo->obj;
	*rights = PAYLOAD_MARK | d.flags;
	return 0;

out_obj:
	kobj_unref(&mo->obj);
	return rc;
}

static int
deliver_lend(struct vmspace *vm, struct memobj *mo, uint32_t flags, uint64_t token, uintptr_t *addr)
{
	struct task *t = vm->task;
	uint32_t prot = FERRY_PROT_READ | ((flags & FERRY_PAYLOAD_WRITE) ? FERRY_PROT_WRITE : 0);
	uint32_t rights =
	        FERRY_RIGHT_READ | ((flags & FERRY_PAYLOAD_WRITE) ? FERRY_RIGHT_WRITE : 0);
	if (!token)
		return -FERRY_EINVAL; /* the call was abandoned while queued: nothing to lend for */
	int rc = quota_charge(&t->quota, sizeof(struct payload_lend));
	if (rc)
		return rc;
	struct payload_lend *l = kmalloc(sizeof(*l));
	rc = -FERRY_ENOMEM;
	if (!l)
		goto out_quota;
	if ((rc = vm_map_rights(vm, mo, 0, 0, mo->size, prot, rights, addr)))
		goto out_free;
	l->token = token;
	l->vm = vm;
	l->addr = *addr;
	l->len = mo->size;
	list_init(&l->link);
	list_push_back(&lends, &l->link);
	vm_find(vm, *addr)->lend = l;
	return 0;
out_free:
	kfree(l);
out_quota:
	quota_release(&t->quota, sizeof(struct payload_lend));
	return rc;
}

void
payload_deliver(struct ferry_msg *m, struct kobject *obj, uint32_t rights)
{
	struct memobj *mo = (struct memobj *)obj;
	struct vmspace *vm = current->task->vm;
	struct ferry_payload d;
	uintptr_t addr = 0;
	int rc = -FERRY_EFAULT;
	memcpy(&d, m->data, sizeof(d));
	if (vm && (rights & FERRY_PAYLOAD_MOVE)) {
		if ((rc = memobj_recharge(mo, current->task)) == 0)
			rc = vm_map_adopt(vm, mo, &addr);
	} else if (vm) {
		rc = deliver_lend(vm, mo, rights, m->token, &addr);
	}
	if (rc == 0)
		vm_populate(vm, addr, d.len);
	else
		user_error("payload of %lu bytes dropped: %d", (unsigned long)d.len, rc);
	kobj_unref(obj); /* the area holds its own reference */
	d.addr = rc ? 0 : addr;
	memcpy(m->data, &d, sizeof(d));
}

/* Takes lent pages away from a receiver that keeps running: zero pages instead. */
static void
revoke_area(struct vmspace *vm, struct vm_area *a)
{
	struct memobj *zero;
	if (memobj_create_anon(vm->task, a->end - a->start, &zero)) {
		vm_area_free(vm, a);
		return;
	}
	for (uintptr_t va = a->start; va < a->end; va += PAGE_SIZE)
		arch_pt_unmap(vm->root, va);
	kobj_unref(&a->mo->obj);
	a->mo = zero; /* the creation reference becomes the area's */
	a->off = 0;
	a->lend = NULL;
}

void
payload_call_end(uint64_t token, bool replied)
{
	struct list *pos, *tmp;
	list_for_each_safe(pos, tmp, &lends)
	{
		struct payload_lend *l = container_of(pos, struct payload_lend, link);
		if (l->token != token)
			continue;
		struct vm_area *a = vm_find_from(l->vm, l->addr), *next;
		for (; a && a->start < l->addr + l->len; a = next) {
			next = vm_next(a);
			if (a->lend != l)
				continue;
			if (replied)
				vm_area_free(l->vm, a);
			else
				revoke_area(l->vm, a);
		}
		list_remove(&l->link);
		quota_release(&l->vm->task->quota, sizeof(*l));
		kfree(l);
	}
}

void
payload_vm_gone(struct vmspace *vm)
{
	struct list *pos, *tmp;
	list_for_each_safe(pos, tmp, &lends)
	{
		struct payload_lend *l = container_of(pos, struct payload_lend, link);
		if (l->vm != vm)
			continue;
		list_remove(&l->link);
		quota_release(&vm->task->quota, sizeof(*l));
		kfree(l);
	}
}
