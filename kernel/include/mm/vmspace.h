/* SPDX-License-Identifier: MIT */
/*
 * Address spaces: a set of areas ordered by address (a balanced tree,
 * mm/vmtree.c), each a window onto a memory object with protection bits,
 * over the architecture's page tables.  Private areas add an anonymous
 * shadow object that holds the area's own (copy-on-write) pages; see
 * mm/vmspace.c and docs/memory.md.
 */
#ifndef KERNEL_MM_VMSPACE_H
#define KERNEL_MM_VMSPACE_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <arch.h>
#include <ferry/errors.h>
#include <ferry/msg.h>
#include <ferry/syscall.h>
#include <lib/avl.h>
#include <lib/list.h>
#include <mm/physmap.h>

#define VM_ACCESS_READ  0x1
#define VM_ACCESS_WRITE 0x2
#define VM_ACCESS_EXEC  0x4

/* Placement of kernel-chosen mappings. */
#define VM_USER_BASE 0x0000000000010000ull
#define VM_MMAP_BASE 0x0000100000000000ull

/* Most areas one address space may hold (include/ferry/syscall.h). */
#define VM_MAX_AREAS FERRY_VM_MAX_AREAS

struct memobj;
struct task;
struct payload_lend;

struct vm_area {
	struct avl_node node; /* in vmspace->areas, ordered by start */
	uintptr_t start, end; /* page aligned, start < end */
	uint32_t prot;        /* FERRY_PROT_* */
	uint32_t maxprot;    /* FERRY_PROT_* that vm_protect may grant (from the handle's rights) */
	uint32_t flags;      /* FERRY_MAP_PRIVATE ... */
	struct memobj *mo;   /* backing object; holds a reference */
	uint64_t off;        /* byte offset of start within mo */
	struct memobj *anon; /* private areas: shadow holding the area's own pages (ref) */
	uint64_t anon_off;   /* byte offset of start within anon */
	struct payload_lend *lend; /* non-NULL: a page payload lent for a call (object/payload.c) */
	/* Kept by mm/vmtree.c: the hole before this area (start minus the
	 * previous area's end, or start), and the largest gap in this
	 * node's subtree. */
	uintptr_t gap, sub_gap;
};

struct vmspace {
	paddr_t root;
	struct avl_tree areas; /* struct vm_area, disjoint, ordered by start */
	size_t nareas;         /* nodes of areas; at most VM_MAX_AREAS between calls */
	struct task *task;     /* charged for areas and page tables */
	uintptr_t mmap_hint;
};

/* Counters for benchmarks and tests (kernel_info). */
struct vm_stats {
	uint64_t faults;       /* faults resolved */
	uint64_t pages_copied; /* copy-on-write copies */
	uint64_t pages_zeroed; /* demand-zero pages given to private areas */
};
extern struct vm_stats vm_stats;

int vmspace_create(struct task *t, struct vmspace **out);
void vmspace_destroy(struct vmspace *vm);
static inline paddr_t
vmspace_root(struct vmspace *vm)
{
	return vm->root;
}
/*
 * Makes dst (empty, of the child task) a copy of src for fork: shared
 * areas stay shared, private areas become copy-on-write in both (src's
 * present pages are write-protected).  Charged to dst's task.
 * -FERRY_EQUOTA, -FERRY_ENOMEM (dst is then partly filled; destroy it).
 */
int vmspace_clone(struct vmspace *src, struct vmspace *dst);

/* Resolves a fault at addr for access; 0, or -FERRY_EFAULT (unmapped) / -FERRY_EACCES /
 * -FERRY_ERANGE (a page past the object's end, memobj_set_end) / -FERRY_ENOMEM / -FERRY_EQUOTA. */
int vm_fault(struct vmspace *vm, uintptr_t addr, unsigned access);
/*
 * Maps [off, off+len) of mo at addr (or a free place, with guard gaps, when
 * !FERRY_MAP_FIXED and addr == 0 or busy).  vm_map_rights also checks prot
 * against the rights of the handle used (FERRY_RIGHT_READ/WRITE/EXEC;
 * write is allowed without WRITE for FERRY_MAP_PRIVATE) and limits later
 * vm_protect to them.  -FERRY_EINVAL, -FERRY_EACCES, -FERRY_ENOMEM, -FERRY_EQUOTA.
 */
int vm_map(struct vmspace *vm, struct memobj *mo, uint64_t off, uintptr_t addr, size_t len,
           uint32_t prot, uintptr_t *out);
int vm_map_rights(struct vmspace *vm, struct memobj *mo, uint64_t off, uintptr_t addr, size_t len,
                  uint32_t prot, uint32_t rights, uintptr_t *out);
/* Maps all of anonymous mo at a kernel-chosen address as private read-write
 * memory whose shadow is mo itself (the pages become the task's own). */
int vm_map_adopt(struct vmspace *vm, struct memobj *mo, uintptr_t *out);
/* Faults in [addr, addr+len) ahead of use (best effort). */
void vm_populate(struct vmspace *vm, uintptr_t addr, size_t len);
/* The same (when fault) for a range that must be mapped whole:
 * -FERRY_EINVAL (not a page-aligned user range), -FERRY_ENOMEM (a page of
 * it is not mapped); faults that fail (quota) leave the page to a later
 * fault. */
int vm_populate_range(struct vmspace *vm, uintptr_t addr, size_t len, bool fault);
int vm_unmap(struct vmspace *vm, uintptr_t addr, size_t len);
/* -FERRY_EINVAL, -FERRY_ENOMEM (a page of the range is not mapped), -FERRY_EACCES (beyond maxprot). */
int vm_protect(struct vmspace *vm, uintptr_t addr, size_t len, uint32_t prot);
/* Frees one area (unmapping it). */
void vm_area_free(struct vmspace *vm, struct vm_area *a);

/*
 * The area tree (mm/vmtree.c).  Lookups and updates are O(log n) in the
 * number of areas; iteration is in address order.
 */
void vm_tree_init(struct vmspace *vm);
/* The area containing addr, or NULL. */
struct vm_area *vm_find(struct vmspace *vm, uintptr_t addr);
/* The first area ending above addr (the one containing it, or the next), or NULL. */
struct vm_area *vm_find_from(struct vmspace *vm, uintptr_t addr);
static inline struct vm_area *
vm_area_of(struct avl_node *n)
{
	return n ? container_of(n, struct vm_area, node) : NULL;
}
static inline struct vm_area *
vm_first(struct vmspace *vm)
{
	return vm_area_of(avl_first(&vm->areas));
}
static inline struct vm_area *
vm_next(struct vm_area *a)
{
	return vm_area_of(avl_next(&a->node));
}
/* Adds a (not overlapping any area) to the tree and the count.  An area
 * in the tree may shrink at its end only if another is inserted right
 * after it at once (as a split does): the gaps stay right. */
void vm_tree_insert(struct vmspace *vm, struct vm_area *a);
/* Takes a out of the tree and the count (a itself is not freed). */
void vm_tree_remove(struct vmspace *vm, struct vm_area *a);
/*
 * Fills dst's empty tree with a copy of src's, of the same shape, in O(n):
 * copy(dst, src, a, &b) makes each node's area b as a copy of a (*b = *a
 * and whatever else it needs); its links are then set here.  0, or copy's
 * error: dst's tree is then partial (its heights and gaps may be wrong),
 * fit only for vmspace_destroy.
 */
typedef int (*vm_area_copy_fn)(struct vmspace *dst, struct vmspace *src, struct vm_area *a,
                               struct vm_area **b);
int vm_tree_copy(struct vmspace *dst, struct vmspace *src, vm_area_copy_fn copy);
/*
 * The lowest address >= lo where len bytes fit with an unmapped guard
 * page on each side and below USER_TOP, or 0.
 */
uintptr_t vm_tree_gap(struct vmspace *vm, uintptr_t lo, size_t len);
/*
 * Checks the tree against its invariants (mm/vmtree.c): 0, or a negative
 * number saying which one is broken.  O(n); for tests.
 */
int vm_tree_check(struct vmspace *vm);
/*
 * The physical page behind user address va, faulted in for access (a
 * write breaks copy-on-write first).  The caller gets no page reference.
 */
int vm_resolve(struct vmspace *vm, uintptr_t va, unsigned access, paddr_t *pa);

/* User memory access from system calls.  The pointer type is distinct so a
 * user address cannot be dereferenced by accident. */
struct uptr {
	uintptr_t addr;
};
static inline struct uptr
uptr(uintptr_t a)
{
	return (struct uptr){a};
}
long copy_user_asm(void *dst, const void *src, size_t n);

/* [addr, addr+n) lies in the user half, above the never-mapped first page. */
static inline bool
user_range(uintptr_t addr, size_t n)
{
	return addr + n >= addr && addr + n <= USER_TOP && addr >= PAGE_SIZE;
}

/* Copies n bytes from user memory: 0, or -FERRY_EFAULT (bad range, or a
 * page that cannot be made present: the fault is caught, never fatal). */
static inline int
copy_from_user(void *dst, struct uptr src, size_t n)
{
	if (!user_range(src.addr, n))
		return -FERRY_EFAULT;
	return (int)copy_user_asm(dst, (const void *)src.addr, n);
}

/* Fault-catching user accesses (arch/x86_64/switch.S): 0 or -FERRY_EFAULT
 * (copy_msg_in_asm also -FERRY_EMSGSIZE); the caller checks user_range. */
long copy_msg_in_asm(struct ferry_msg *dst, const struct ferry_msg *src);
long read_user_u64(const uint64_t *src, uint64_t *dst);
long probe_msg_asm(struct ferry_msg *m);

/*
 * Copies a message from user memory: its header and the used part of
 * data[] (len bytes, rounded up to quadwords); the rest of *dst is left as
 * it was.  The whole 128-byte buffer must lie in the user range and be
 * readable, as for a full copy.  0, -FERRY_EMSGSIZE (len over
 * FERRY_MSG_INLINE_MAX) or -FERRY_EFAULT.
 */
static inline int
copy_msg_from_user(struct ferry_msg *dst, struct uptr src)
{
	if (!user_range(src.addr, sizeof(*dst)))
		return -FERRY_EFAULT;
	return (int)copy_msg_in_asm(dst, (const struct ferry_msg *)src.addr);
}

/* Copies n bytes to user memory: 0 or -FERRY_EFAULT. */
static inline int
copy_to_user(struct uptr dst, const void *src, size_t n)
{
	if (!user_range(dst.addr, n))
		return -FERRY_EFAULT;
	return (int)copy_user_asm((void *)dst.addr, src, n);
}
/* Copies a string of at most max bytes (no NUL needed); returns its length. */
int copy_str_from_user(char *dst, struct uptr src, size_t len, size_t max);

#endif
