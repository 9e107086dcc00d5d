// SPDX-License-Identifier: MIT
/*
 * kmain: from Multiboot hand-off to the first user task.  Reads the memory
 * map, modules (0: the boot archive, 1: kernel symbols) and command line,
 * brings up the CPU tables, memory, scheduler and timer, then either runs
 * the in-kernel tests (test=kernel) or loads the first task's ELF from the
 * boot archive (first=PATH, default sbin/posixsrv) and becomes the idle
 * thread.  When the first task ends, the machine powers off with its status.
 */
#include <lib/string.h>
#include <arch.h>
#include <ferry/bootinfo.h>
#include <ferry/errors.h>
#include <ferry/syscall.h>
#include <core/task.h>
#include <lib/cmdline.h>
#include <lib/cpio.h>
#include <lib/elf.h>
#include <lib/klog.h>
#include <mm/memobj.h>
#include <mm/pmm.h>
#include <mm/slab.h>
#include <mm/vmspace.h>
#include <object/irq.h>
#include <test/ktest.h>

struct mb_info {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
} __attribute__((packed));

struct mb_mod {
	uint32_t start, end, string, reserved;
} __attribute__((packed));

struct mb_mmap {
	uint32_t size;
	uint64_t addr, len;
	uint32_t type;
} __attribute__((packed));

#define MAX_REGIONS 32
#define BOOT_MAPPED (1ull << 30) /* the boot page tables map the first 1 GiB */

static char cmdline[FERRY_BOOTINFO_CMDLINE_MAX];
static paddr_t archive_pa, syms_pa;
static size_t archive_size, syms_size;
static paddr_t ram_top;
static struct thread idle_thread;
static struct task *first_task;

extern char _image_phys_start[], _end[];
extern char boot_stack_top[];
void gdt_init(void);
void idt_init(void);
void pic_init(void);
void pit_init(void);
void tsc_calibrate(void);
void syscall_init(void);
void mmu_init(paddr_t top);
void symbols_init(const char *text, size_t len);
void thread_cache_init(void);
void task_cache_init(void);
void memobj_cache_init(void);
void port_cache_init(void);

static struct pmm_region ram[MAX_REGIONS];
static size_t nram;

/* Does [pa, pa+size) overlap RAM that the boot loader reported usable? */
bool
phys_is_ram(paddr_t pa, uint64_t size)
{
	for (size_t i = 0; i < nram; i++)
		if (pa < ram[i].base + ram[i].len && ram[i].base < pa + size)
			return true;
	return false;
}

/* Removes [lo, hi) from the region list. */
static void
reserve(struct pmm_region *r, size_t *n, paddr_t lo, paddr_t hi)
{
	for (size_t i = 0; i < *n; i++) {
		paddr_t b = r[i].base, e = r[i].base + r[i].len;
		if (hi <= b || lo >= e)
			continue;
		if (lo > b && hi < e && *n < MAX_REGIONS) {
			r[*n] = (struct pmm_region){hi, e - hi};
			(*n)++;
			r[i].len = lo - b;
		} else if (lo <= b && hi >= e) {
			r[i].len = 0;
		} else if (lo <= b) {
			r[i] = (struct pmm_region){hi, e - hi};
		} else {
			r[i].len = lo - b;
		}
	}
}

static void
parse_multiboot(uint32_t magic, uint32_t info_pa, struct pmm_region *r, size_t *n)
{
	if (magic != 0x2badb002)
		panic("not started by a Multiboot loader (magic %#x)", magic);
	const struct mb_info *mb = phys_to_virt(info_pa);
	if (!(mb->flags & (1 << 6)))
		panic("no memory map from the boot loader");
	*n = 0;
	for (uint32_t off = 0; off < mb->mmap_length;) {
		const struct mb_mmap *e = phys_to_virt(mb->mmap_addr + off);
		if (e->type == 1 && *n < MAX_REGIONS && e->len) {
			uint64_t end = e->addr + e->len;
			r[(*n)++] = (struct pmm_region){e->addr, end - e->addr};
			if (end > ram_top)
				ram_top = end;
		}
		off += e->size + 4;
	}
	memcpy(ram, r, sizeof(ram));
	nram = *n;
	reserve(r, n, 0, 0x100000);
	reserve(r, n, (paddr_t)_image_phys_start, (paddr_t)(_end - 0xffffffff80000000ull));
	if (mb->flags & (1 << 2)) {
		const char *c = phys_to_virt(mb->cmdline);
		/* QEMU passes "<kernel file name> <append text>": keep the text. */
		const char *sp = c;
		while (*sp && *sp != ' ')
			sp++;
		while (*sp == ' ')
			sp++;
		strlcpy(cmdline, sp, sizeof(cmdline));
	}
	if (mb->flags & (1 << 3)) {
		const struct mb_mod *mods = phys_to_virt(mb->mods_addr);
		for (uint32_t i = 0; i < mb->mods_count && i < 2; i++) {
			reserve(r, n, mods[i].start & ~0xfffull, (mods[i].end + 0xfff) & ~0xfffull);
			if (i == 0) {
				archive_pa = mods[i].start;
				archive_size = mods[i].end - mods[i].start;
			} else {
				syms_pa = mods[i].start;
				syms_size = mods[i].end - mods[i].start;
			}
		}
	}
}

/* Value of key=... in the kernel command line (NULL if absent), in buf. */
static const char *
cmdline_value(const char *key, char *buf, size_t size)
{
	return cmdline_get(cmdline, key, false, buf, size);
}

/* ---- the first task ---- */

#define FIRST_STACK_TOP    0x00007ffffff00000ull
#define FIRST_STACK_SIZE   (256 * 1024)
#define FIRST_INFO_ADDR    0x00007fffffe00000ull
#define FIRST_ARCHIVE_ADDR 0x0000600000000000ull

static int
load_segments(struct task *t, const uint8_t *image, const struct elf_info *ei)
{
	for (unsigned i = 0; i < ei->nseg; i++) {
		const struct elf_seg *s = &ei->seg[i];
		uintptr_t lo = s->vaddr & ~(PAGE_SIZE - 1);
		uintptr_t hi = (s->vaddr + s->memsz + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
		struct memobj *mo;
		int rc = memobj_create_anon(t, hi - lo, &mo);
		if (rc)
			return rc;
		for (uint64_t off = 0; off < s->filesz;) {
			uint64_t va = s->vaddr + off;
			uint64_t in_page = PAGE_SIZE - (va & (PAGE_SIZE - 1));
			uint64_t n = s->filesz - off < in_page ? s->filesz - off : in_page;
			paddr_t pa;
			if ((rc = memobj_get_page(mo, (va & ~(PAGE_SIZE - 1)) - lo, &pa))) {
				kobj_unref(&mo->obj);
				return rc;
			}
			memcpy((uint8_t *)phys_to_virt(pa) + (va & (PAGE_SIZE - 1)),
			       image + s->offset + off, n);
			off += n;
		}
		uintptr_t out;
		rc = vm_map(t->vm, mo, 0, lo, hi - lo,
		            s->prot | FERRY_MAP_FIXED | FERRY_MAP_PRIVATE, &out);
		kobj_unref(&mo->obj);
		if (rc)
			return rc;
	}
	return 0;
}

static int
start_first_task(const char *path)
{
	struct cpio_entry ent;
	int rc = cpio_find(phys_to_virt(archive_pa), archive_size, path, &ent);
	if (rc) {
		kprintf("boot: %s not in the boot archive: %s\n", path, ferry_strerror(rc));
		return rc;
	}
	struct elf_info ei;
	if ((rc = elf_parse(ent.data, ent.size, &ei)) || ei.is_pie) {
		kprintf("boot: %s is not a loadable static ELF: %s\n", path, ferry_strerror(rc));
		return rc ? rc : -FERRY_ENOEXEC;
	}
	struct task *t;
	if ((rc = task_create(path, NULL, &t)))
		return rc;
	if ((rc = load_segments(t, ent.data, &ei)))
		return rc;

	struct memobj *stack, *info, *arch;
	uintptr_t out;
	if ((rc = memobj_create_anon(t, FIRST_STACK_SIZE, &stack)) ||
	    (rc = vm_map(t->vm, stack, 0, FIRST_STACK_TOP - FIRST_STACK_SIZE, FIRST_STACK_SIZE,
	                 FERRY_PROT_READ | FERRY_PROT_WRITE | FERRY_MAP_FIXED | FERRY_MAP_PRIVATE,
	                 &out)))
		return rc;
	kobj_unref(&stack->obj);

	/* The archive stays where the loader put it; the task maps it read-only. */
	uint64_t arch_len = (archive_size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	if ((rc = memobj_create_phys(t, archive_pa & ~(PAGE_SIZE - 1), arch_len, &arch)) ||
	    (rc = vm_map(t->vm, arch, 0, FIRST_ARCHIVE_ADDR, arch_len,
	                 FERRY_PROT_READ | FERRY_MAP_FIXED, &out)))
		return rc;

	if ((rc = memobj_create_anon(t, PAGE_SIZE, &info)))
		return rc;
	paddr_t ipa;
	if ((rc = memobj_get_page(info, 0, &ipa)))
		return rc;
	struct ferry_bootinfo *bi = phys_to_virt(ipa);
	bi->magic = FERRY_BOOTINFO_MAGIC;
	kobj_ref(&t->obj);
	if ((rc = handle_install(t, &t->obj,
	                         FERRY_RIGHT_MANAGE | FERRY_RIGHT_DUP | FERRY_RIGHT_TRANSFER,
	                         &bi->self_task)))
		return rc;
	if ((rc = handle_install(t, &irqcap_create()->obj,
	                         FERRY_RIGHT_MANAGE | FERRY_RIGHT_DUP | FERRY_RIGHT_TRANSFER,
	                         &bi->iocap)))
		return rc;
	if ((rc = handle_install(t, &arch->obj,
	                         FERRY_RIGHT_MAP | FERRY_RIGHT_READ | FERRY_RIGHT_DUP |
	                                 FERRY_RIGHT_TRANSFER,
	                         &bi->archive)))
		return rc;
	bi->archive_addr = FIRST_ARCHIVE_ADDR + (archive_pa & (PAGE_SIZE - 1));
	bi->archive_size = archive_size;
	bi->tsc_hz = arch_tsc_hz();
	strlcpy(bi->cmdline, cmdline, sizeof(bi->cmdline));
	rc = vm_map(t->vm, info, 0, FIRST_INFO_ADDR, PAGE_SIZE, FERRY_PROT_READ | FERRY_MAP_FIXED,
	            &out);
	kobj_unref(&info->obj);
	if (rc)
		return rc;

	struct thread *th = thread_create(t, THREAD_PRIO_DEFAULT, "main");
	if (!th)
		return -FERRY_ENOMEM;
	arch_thread_init_user(th, ei.entry, FIRST_STACK_TOP - 8, FIRST_INFO_ADDR);
	first_task = t;
	kprintf("boot: starting %s (entry %#lx)\n", path, (unsigned long)ei.entry);
	thread_start(th);
	return 0;
}

/* ---- tests ---- */

void kbench_run(void);

static void
ktest_thread(void *arg)
{
	if (!strcmp(arg, "bench"))
		kbench_run();
	else
		ktest_run_all(arg);
	arch_poweroff(0);
}

__attribute__((noreturn)) void
kmain(uint32_t magic, uint32_t info_pa)
{
	struct pmm_region regions[MAX_REGIONS];
	size_t nregions;

	arch_console_init();
	kprintf("\nFerry kernel booting\n");
	parse_multiboot(magic, info_pa, regions, &nregions);
	gdt_init();
	idt_init();
	pic_init();
	/* Until mmu_init maps all RAM, the pmm may only touch the first GiB:
	 * its frame table goes there and fresh frames are handed out lowest
	 * first, so mmu_init's page tables come from there too. */
	pmm_set_table_limit(BOOT_MAPPED);
	pmm_init(regions, nregions);
	mmu_init(ram_top);
	if (syms_size)
		symbols_init(phys_to_virt(syms_pa), syms_size);
	syscall_init();
	tsc_calibrate();
	kprintf("memory: %lu KiB free of %lu KiB; tsc %lu kHz; cmdline \"%s\"\n",
	        (unsigned long)(pmm_free_pages() * 4), (unsigned long)(pmm_total_pages() * 4),
	        (unsigned long)(arch_tsc_hz() / 1000), cmdline);

	thread_cache_init();
	task_cache_init();
	memobj_cache_init();
	port_cache_init();
	sched_init();

	/* The boot context becomes the idle thread. */
	struct thread *idle = &idle_thread;
	kobj_init(&idle->obj, FERRY_OBJ_THREAD);
	idle->task = kernel_task();
	idle->prio = THREAD_PRIO_IDLE;
	idle->state = THREAD_STATE_RUNNING;
	idle->kstack_top = (uintptr_t)boot_stack_top;
	idle->deadline = UINT64_MAX;
	list_init(&idle->run_link);
	list_init(&idle->call_link);
	list_init(&idle->task_link);
	strlcpy(idle->name, "idle", sizeof(idle->name));
	current = idle;
	arch_set_kernel_stack((uintptr_t)boot_stack_top);
	pit_init();

	char buf[128];
	const char *test = cmdline_value("test", buf, sizeof(buf));
	if (!test && cmdline_value("bench", buf, sizeof(buf)))
		test = "bench";
	if (test) {
		struct thread *t = thread_create(kernel_task(), THREAD_PRIO_DEFAULT, "ktest");
		arch_thread_init_kernel(t, ktest_thread, (void *)test);
		thread_start(t);
	} else {
		const char *first = cmdline_value("first", buf, sizeof(buf));
		if (start_first_task(first ? first : "sbin/posixsrv"))
			panic("boot: could not start the first task");
	}
	for (;;) {
		if (first_task && first_task->state == TASK_STATE_DEAD &&
		    first_task->nthreads == 0) {
			int code = first_task->exit_code;
			kprintf("boot: first task exited with status %d; powering off\n", code);
			arch_poweroff(code != 0);
		}
		if (need_resched)
			sched_yield();
		else
			arch_idle();
	}
}
