// SPDX-License-Identifier: MIT
/*
 * Memory objects.  Anonymous objects allocate zeroed pages on first use;
 * each page (and radix page) is charged to the quota of the task that
 * owns the object.  Physical objects map a fixed range of device memory
 * and own no pages.  Entry points: memobj_create_anon, memobj_create_phys,
 * memobj_get_page, memobj_peek_page, memobj_set_page, memobj_drop_range,
 * memobj_clone_range, memobj_recharge, memobj_destroy_obj.
 *
 * Ownership and references: the object owns one reference to each present
 * page; a page may also be owned by other objects (copy-on-write shadows
 * after fork, page payloads), which is what the page's pmm reference
 * count records.  Mappings of an object hold a reference to the object,
 * never to its pages.  The owner task (obj.owner == charged) is
 * referenced by the object and pays for the object and its pages.
 */
#include <lib/string.h>
#include <ferry/errors.h>
#include <core/task.h>
#include <mm/memobj.h>
#include <mm/pmm.h>
#include <mm/slab.h>
#include <lib/klog.h>

static struct kmem_cache memobj_cache;

void
memobj_cache_init(void)
{
	kmem_cache_init(&memobj_cache, "memobj", sizeof(struct memobj));
}

static int
create(struct task *owner, uint32_t kind, uint64_t size, struct memobj **out)
{
	if (size == 0 || size > MEMOBJ_MAX_SIZE || (size & (PAGE_SIZE - 1)))
		return -FERRY_EINVAL;
	int rc = quota_charge(&owner->quota, sizeof(struct memobj));
	if (rc)
		return rc;
	struct memobj *mo = kmem_cache_alloc(&memobj_cache);
	if (!mo) {
		quota_release(&owner->quota, sizeof(struct memobj));
		return -FERRY_ENOMEM;
	}
	kobj_init(&mo->obj, FERRY_OBJ_MEMOBJ);
	mo->obj.owner = owner;
	mo->obj.charge = sizeof(struct memobj);
	kobj_ref(&owner->obj);
	mo->kind = kind;
	mo->size = size;
	mo->end = size;
	mo->charged = owner;
	*out = mo;
	return 0;
}

int
memobj_create_anon(struct task *owner, uint64_t size, struct memobj **out)
{
	return create(owner, MEMOBJ_ANON, size, out);
}

int
memobj_create_phys(struct task *owner, paddr_t base, uint64_t size, struct memobj **out)
{
	if (base & (PAGE_SIZE - 1))
		return -FERRY_EINVAL;
	int rc = create(owner, MEMOBJ_PHYS, size, out);
	if (rc == 0)
		(*out)->phys_base = base;
	return rc;
}

/* Allocates a zeroed radix page charged to the object's task. */
static int
radix_page(struct memobj *mo, uint64_t **slot)
{
	int rc = quota_charge(&mo->charged->quota, PAGE_SIZE);
	if (rc)
		return rc;
	paddr_t pa;
	rc = pmm_alloc_zeroed(&pa);
	if (rc) {
		quota_release(&mo->charged->quota, PAGE_SIZE);
		return rc;
	}
	*slot = phys_to_virt(pa);
	mo->nradix++;
	return 0;
}

static uint64_t *
leaf_entry(struct memobj *mo, uint64_t pn, bool alloc, int *rc)
{
	uint64_t i1 = pn >> 18, i2 = (pn >> 9) & 511, i3 = pn & 511;
	*rc = 0;
	if (!mo->radix[i1]) {
		if (!alloc || (*rc = radix_page(mo, &mo->radix[i1])))
			return NULL;
	}
	uint64_t **mid = (uint64_t **)mo->radix[i1];
	if (!mid[i2]) {
		if (!alloc || (*rc = radix_page(mo, &mid[i2])))
			return NULL;
	}
	return &mid[i2][i3];
}

int
memobj_set_end(struct memobj *mo, uint64_t end)
{
	if (end > mo->size)
		return -FERRY_EINVAL;
	mo->end = (end + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
	return 0;
}

paddr_t
memobj_peek_page(struct memobj *mo, uint64_t off)
{
	if (off >= mo->size)
		return 0;
	if (mo->kind == MEMOBJ_PHYS)
		return mo->phys_base + (off & ~(PAGE_SIZE - 1));
	int rc;
	uint64_t *e = leaf_entry(mo, off >> PAGE_SHIFT, false, &rc);
	return e ? *e : 0;
}

int
memobj_get_page(struct memobj *mo, uint64_t off, paddr_t *out)
{
	if (off >= mo->size)
		return -FERRY_EFAULT;
	if (mo->kind == MEMOBJ_PHYS) {
		*out = mo->phys_base + (off & ~(PAGE_SIZE - 1));
		return 0;
	}
	int rc;
	uint64_t *e = leaf_entry(mo, off >> PAGE_SHIFT, true, &rc);
	if (!e)
		return rc;
	if (!*e) {
		if ((rc = quota_charge(&mo->charged->quota, PAGE_SIZE)))
			return rc;
		paddr_t pa;
		if ((rc = pmm_alloc_zeroed(&pa))) {
			quota_release(&mo->charged->quota, PAGE_SIZE);
			return rc;
		}
		*e = pa;
		mo->npages_present++;
	}
	*out = *e;
	return 0;
}

int
memobj_set_page(struct memobj *mo, uint64_t off, paddr_t pa)
{
	if (off >= mo->size || mo->kind != MEMOBJ_ANON)
		return -FERRY_EINVAL;
	int rc;
	uint64_t *e = leaf_entry(mo, off >> PAGE_SHIFT, true, &rc);
	if (!e)
		return rc;
	if (*e) {
		pmm_unref(*e);
	} else {
		if ((rc = quota_charge(&mo->charged->quota, PAGE_SIZE)))
			return rc;
		mo->npages_present++;
	}
	*e = pa;
	return 0;
}

void
memobj_drop_range(struct memobj *mo, uint64_t off, uint64_t len)
{
	if (mo->kind != MEMOBJ_ANON || !mo->npages_present)
		return;
	int rc;
	for (uint64_t o = off; o < off + len && o < mo->size; o += PAGE_SIZE) {
		uint64_t *e = leaf_entry(mo, o >> PAGE_SHIFT, false, &rc);
		if (!e) {
			/* skip the rest of an absent leaf */
			o = (o | ((512ull << PAGE_SHIFT) - 1)) - PAGE_MASK;
			continue;
		}
		if (*e) {
			pmm_unref(*e);
			*e = 0;
			mo->npages_present--;
			quota_release(&mo->charged->quota, PAGE_SIZE);
		}
	}
}

int
memobj_clone_range(struct task *owner, struct memobj *src, uint64_t off, uint64_t len,
                   struct memobj **out)
{
	struct memobj *mo;
	int rc = memobj_create_anon(owner, len, &mo);
	if (rc)
		return rc;
	for (uint64_t o = 0; o < len && src->npages_present; o += PAGE_SIZE) {
		uint64_t *e = leaf_entry(src, (off + o) >> PAGE_SHIFT, false, &rc);
		if (!e) {
			/* advance to the next leaf of src */
			uint64_t next = ((off + o) | ((512ull << PAGE_SHIFT) - 1)) + 1;
			o = next - off - PAGE_SIZE;
			continue;
		}
		if (!*e)
			continue;
		pmm_ref(*e);
		if ((rc = memobj_set_page(mo, o, *e))) {
			pmm_unref(*e);
			kobj_unref(&mo->obj);
			return rc;
		}
	}
	*out = mo;
	return 0;
}

int
memobj_recharge(struct memobj *mo, struct task *to)
{
	struct task *from = mo->charged;
	int64_t bytes = (int64_t)((mo->npages_present + mo->nradix) * PAGE_SIZE);
	if (from == to)
		return 0;
	int rc = quota_charge(&to->quota, bytes + mo->obj.charge);
	if (rc)
		return rc;
	quota_release(&from->quota, bytes + mo->obj.charge);
	kobj_ref(&to->obj);
	mo->charged = mo->obj.owner = to;
	kobj_unref(&from->obj);
	return 0;
}

void
memobj_destroy_obj(struct kobject *o)
{
	struct memobj *mo = container_of(o, struct memobj, obj);
	struct task *owner = o->owner;
	for (int i1 = 0; i1 < 64; i1++) {
		uint64_t **mid = (uint64_t **)mo->radix[i1];
		if (!mid)
			continue;
		for (int i2 = 0; i2 < 512; i2++) {
			uint64_t *leaf = mid[i2];
			if (!leaf)
				continue;
			for (int i3 = 0; i3 < 512; i3++) {
				if (leaf[i3]) {
					pmm_unref(leaf[i3]);
					quota_release(&mo->charged->quota, PAGE_SIZE);
				}
			}
			pmm_unref(virt_to_phys(leaf));
			quota_release(&mo->charged->quota, PAGE_SIZE);
		}
		pmm_unref(virt_to_phys(mid));
		quota_release(&mo->charged->quota, PAGE_SIZE);
	}
	quota_release(&owner->quota, o->charge);
	kmem_cache_free(&memobj_cache, mo);
	kobj_unref(&owner->obj);
}
