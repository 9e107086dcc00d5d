// SPDX-License-Identifier: MIT
/*
 * Loading an ELF program from the boot archive into a new task.  The image
 * is copied into one anonymous memory object spanning all segments (mapped
 * here while being filled), then mapped into the child page run by page
 * run with the union of the protections of the segments covering each
 * page.  The child's image and stack are private (copy-on-write) views, so
 * a fork of the child does not share them.  Entry points: uspawn (native start block), uspawn_posix (SysV
 * initial stack for musl programs).
 */
#include "ulib.h"
#include <ferry/startup.h>
#include <lib/cpio.h>
#include <lib/elf.h>

#define STACK_TOP  0x00007fffff000000ull
#define STACK_SIZE (1024 * 1024)
#define START_ADDR 0x00007ffffe000000ull
#define PAGE       4096ull

/*
 * Copies the segments of the ELF image into one anonymous memory object and
 * maps it into task page run by page run, each run with the union of the
 * protections of the segments covering its pages, private (copy-on-write)
 * and at bias plus the link address.  Shared by uspawn and procmgr's exec.
 */
int
umap_elf(handle_t task, const void *image, const struct elf_info *ei, uint64_t bias)
{
	uint64_t lo = ei->lo, hi = ei->hi, len = hi - lo;
	handle_t mo;
	int rc = (int)ferry_sys_memobj_create(len, FERRY_MEMOBJ_ANON, &mo);
	if (rc)
		return rc;
	struct ferry_map_req req = {0, len, FERRY_PROT_READ | FERRY_PROT_WRITE, 0};
	uintptr_t tmp;
	if ((rc = (int)ferry_sys_vm_map(0, mo, 0, &req, &tmp)))
		goto out;
	for (unsigned i = 0; i < ei->nseg; i++)
		memcpy((void *)(tmp + ei->seg[i].vaddr - lo),
		       (const uint8_t *)image + ei->seg[i].offset, ei->seg[i].filesz);
	ferry_sys_vm_unmap(0, tmp, len);
	uint64_t run_start = lo;
	uint32_t run_prot = 0;
	for (uint64_t va = lo; va <= hi; va += PAGE) {
		uint32_t prot = 0;
		for (unsigned i = 0; va < hi && i < ei->nseg; i++) {
			const struct elf_seg *s = &ei->seg[i];
			if (va + PAGE > s->vaddr && va < s->vaddr + s->memsz)
				prot |= s->prot;
		}
		if (va == lo) {
			run_prot = prot;
			continue;
		}
		if (prot != run_prot || va == hi) {
			if (run_prot) {
				struct ferry_map_req r = {
				        run_start + bias, va - run_start,
				        run_prot | FERRY_MAP_FIXED | FERRY_MAP_PRIVATE, 0};
				if ((rc = (int)ferry_sys_vm_map(task, mo, run_start - lo, &r,
				                                NULL)))
					goto out;
			}
			run_start = va;
			run_prot = prot;
		}
	}
	rc = 0;
out:
	ferry_sys_handle_close(mo);
	return rc;
}

static int
load_image(handle_t task, const char *path, struct elf_info *ei)
{
	const void *arch;
	size_t arch_size;
	handle_t arch_mo;
	if (!uarchive(&arch, &arch_size, &arch_mo))
		return -FERRY_ENOENT;
	struct cpio_entry ent;
	int rc = cpio_find(arch, arch_size, path, &ent);
	if (rc)
		return rc;
	if ((rc = elf_parse(ent.data, ent.size, ei)))
		return rc;
	if (ei->is_pie)
		return -FERRY_ENOTSUP;
	return umap_elf(task, ent.data, ei, 0);
}

/* Maps the archive read-only into the child at the address it has here. */
static int
share_archive(handle_t task, handle_t *child_mo, uint64_t *addr, uint64_t *size)
{
	const void *arch;
	size_t arch_size;
	handle_t mo;
	*child_mo = 0;
	*addr = *size = 0;
	if (!uarchive(&arch, &arch_size, &mo) || !mo)
		return 0;
	uint64_t base = (uint64_t)arch & ~(PAGE - 1);
	uint64_t len = ((uint64_t)arch + arch_size - base + PAGE - 1) & ~(PAGE - 1);
	struct ferry_map_req r = {base, len, FERRY_PROT_READ | FERRY_MAP_FIXED, 0};
	int rc = (int)ferry_sys_vm_map(task, mo, 0, &r, NULL);
	if (rc)
		return rc;
	if ((rc = (int)ferry_sys_task_give(task, mo, FERRY_RIGHT_SAME, child_mo)))
		return rc;
	*addr = (uint64_t)arch;
	*size = arch_size;
	return 0;
}

/* Creates a task and a stack; the stack's memory object stays mapped here
 * (at *local) so the caller can fill its top before starting the thread. */
static int
new_task(const char *path, handle_t *task, void **local, handle_t *stack_mo)
{
	const char *name = path;
	for (const char *p = path; *p; p++)
		if (*p == '/')
			name = p + 1;
	int rc = (int)ferry_sys_task_create(name, strlen(name), task);
	if (rc)
		return rc;
	if ((rc = (int)ferry_sys_memobj_create(STACK_SIZE, FERRY_MEMOBJ_ANON, stack_mo)))
		goto out_task;
	struct ferry_map_req r = {
	        STACK_TOP - STACK_SIZE, STACK_SIZE,
	        FERRY_PROT_READ | FERRY_PROT_WRITE | FERRY_MAP_FIXED | FERRY_MAP_PRIVATE, 0};
	if ((rc = (int)ferry_sys_vm_map(*task, *stack_mo, 0, &r, NULL)))
		goto out_mo;
	struct ferry_map_req l = {0, STACK_SIZE, FERRY_PROT_READ | FERRY_PROT_WRITE, 0};
	uintptr_t a;
	if ((rc = (int)ferry_sys_vm_map(0, *stack_mo, 0, &l, &a)))
		goto out_mo;
	*local = (void *)a;
	return 0;
out_mo:
	ferry_sys_handle_close(*stack_mo);
out_task:
	ferry_sys_task_kill(*task, -1);
	ferry_sys_handle_close(*task);
	return rc;
}

static void
drop_local(void *local, handle_t stack_mo)
{
	ferry_sys_vm_unmap(0, (uintptr_t)local, STACK_SIZE);
	ferry_sys_handle_close(stack_mo);
}

/* A task being built: its handle, its stack mapped here, the loaded image. */
struct spawning {
	handle_t *task;
	void *local;
	handle_t stack_mo;
	struct elf_info ei;
};

/* Creates the task, its stack and loads path; on failure nothing is left. */
static int
spawn_begin(const char *path, handle_t *task, struct spawning *sp)
{
	sp->task = task;
	int rc = new_task(path, task, &sp->local, &sp->stack_mo);
	if (rc)
		return rc;
	if ((rc = load_image(*task, path, &sp->ei))) {
		drop_local(sp->local, sp->stack_mo);
		ferry_sys_task_kill(*task, -1);
		ferry_sys_handle_close(*task);
		*task = 0;
	}
	return rc;
}

/* Starts the first thread (rc == 0) or tears the task down (rc != 0). */
static int
spawn_end(struct spawning *sp, int rc, uint64_t stack, uint64_t arg)
{
	if (rc == 0)
		rc = (int)ferry_sys_thread_create(*sp->task, sp->ei.entry, stack, arg, NULL);
	drop_local(sp->local, sp->stack_mo);
	if (rc) {
		ferry_sys_task_kill(*sp->task, -1);
		ferry_sys_handle_close(*sp->task);
		*sp->task = 0;
	}
	return rc;
}

int
uspawn(const char *path, const struct ustart *start, handle_t *task)
{
	struct spawning sp;
	int rc = spawn_begin(path, task, &sp);
	if (rc)
		return rc;
	void *local = sp.local;
	/* The start block sits at the top of the stack object. */
	struct ustart *s = (struct ustart *)((char *)local + STACK_SIZE - PAGE);
	memset(s, 0, sizeof(*s));
	if (start)
		*s = *start;
	s->magic = USTART_MAGIC;
	for (int i = 0; i < USTART_HANDLES; i++) {
		if (!s->handles[i])
			continue;
		if ((rc = (int)ferry_sys_task_give(*task, s->handles[i], FERRY_RIGHT_SAME,
		                                   &s->handles[i])))
			goto out;
	}
	if ((rc = share_archive(*task, &s->archive, &s->archive_addr, &s->archive_size)))
		goto out;
	if ((rc = (int)ferry_sys_task_give(*task, *task, FERRY_RIGHT_SAME, &s->self_task)))
		goto out;
out:
	return spawn_end(&sp, rc, STACK_TOP - PAGE - 8, STACK_TOP - PAGE);
}

/* Copies the string into the child stack image below *top; returns its child address. */
static uint64_t
push_str(char *local, uint64_t *top, const char *s)
{
	size_t n = strlen(s) + 1;
	*top -= n;
	memcpy(local + (*top - (STACK_TOP - STACK_SIZE)), s, n);
	return *top;
}

int
uspawn_posix(const char *path, char *const argv[], char *const envp[], const uint64_t *auxh,
             size_t nauxh, handle_t *task)
{
	struct spawning sp;
	int rc = spawn_begin(path, task, &sp);
	if (rc)
		return rc;
	void *local = sp.local;
	const struct elf_info *ei = &sp.ei;
	uint64_t top = STACK_TOP;

	size_t argc = 0, envc = 0;
	while (argv && argv[argc])
		argc++;
	while (envp && envp[envc])
		envc++;
	if (argc > 256 || envc > 256 || nauxh > 32) {
		rc = -FERRY_E2BIG;
		goto out;
	}
	uint64_t argp[257], envpp[257];
	for (size_t i = 0; i < argc; i++)
		argp[i] = push_str(local, &top, argv[i]);
	for (size_t i = 0; i < envc; i++)
		envpp[i] = push_str(local, &top, envp[i]);
	uint64_t execfn = push_str(local, &top, path);
	top -= 16;
	uint64_t rnd = top;
	uint64_t seed = urdtsc();
	for (int i = 0; i < 16; i++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		((char *)local)[top - (STACK_TOP - STACK_SIZE) + i] = (char)(seed >> 56);
	}
	uint64_t aux[2 * 48];
	size_t na = 0;
#define AUX(t, v) (aux[na++] = (t), aux[na++] = (v))
	AUX(3, ei->phdr_vaddr); /* AT_PHDR */
	AUX(4, ei->phentsize);  /* AT_PHENT */
	AUX(5, ei->phnum);      /* AT_PHNUM */
	AUX(6, PAGE);           /* AT_PAGESZ */
	AUX(9, ei->entry);      /* AT_ENTRY */
	AUX(11, 0);             /* AT_UID */
	AUX(12, 0);             /* AT_EUID */
	AUX(13, 0);             /* AT_GID */
	AUX(14, 0);             /* AT_EGID */
	AUX(23, 0);             /* AT_SECURE */
	AUX(25, rnd);           /* AT_RANDOM */
	AUX(31, execfn);        /* AT_EXECFN */
	for (size_t i = 0; i < nauxh; i++) {
		handle_t remote = 0;
		if (auxh[2 * i + 1] &&
		    (rc = (int)ferry_sys_task_give(*task, (handle_t)auxh[2 * i + 1],
		                                   FERRY_RIGHT_SAME, &remote)))
			goto out;
		AUX(auxh[2 * i], remote);
	}
	handle_t self_remote;
	if ((rc = (int)ferry_sys_task_give(*task, *task, FERRY_RIGHT_SAME, &self_remote)))
		goto out;
	AUX(AT_FERRY_SELF_TASK, self_remote);
	AUX(0, 0);
#undef AUX
	size_t nwords = 1 + argc + 1 + envc + 1 + na;
	top = (top - nwords * 8) & ~15ull;
	uint64_t *words = (uint64_t *)((char *)local + (top - (STACK_TOP - STACK_SIZE)));
	size_t w = 0;
	words[w++] = argc;
	for (size_t i = 0; i < argc; i++)
		words[w++] = argp[i];
	words[w++] = 0;
	for (size_t i = 0; i < envc; i++)
		words[w++] = envpp[i];
	words[w++] = 0;
	for (size_t i = 0; i < na; i++)
		words[w++] = aux[i];
out:
	return spawn_end(&sp, rc, top, 0);
}
