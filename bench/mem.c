// SPDX-License-Identifier: MIT
/*
 * Memory benchmarks (first=bin/membench, run by ./ferry bench under
 * -icount, where the TSC advances one tick per guest instruction):
 *   page_fault              one demand-zero write fault on private memory
 *   fork_16m                task_clone of a task with 16 MiB touched
 *   fork_16m_pages_copied_before / _after
 *                           COW copies after the clone, and after the child
 *                           has written every page
 *   payload_<size>          call carrying a lent page payload of size bytes,
 *                           the server copying it out
 *   copy_<size>             the same bytes copied into a shared transfer area
 *                           by the client, the server copying them out
 *   vm_map_unmap_few        vm_map (kernel-chosen address) + vm_unmap of one
 *                           page, with only the program's own areas present
 *   vm_map_to_10k           one such vm_map, averaged while 10 000 are made
 *   vm_map_unmap_10k        vm_map + vm_unmap with those 10 000 areas present
 *   vm_unmap_from_10k       one vm_unmap, averaged while the 10 000 go
 */
#include <ulib.h>

#define KIB        1024ull
#define MIB        (1024 * KIB)
#define OP_EXIT    0
#define OP_PAYLOAD 1
#define OP_COPY    2

#define report ubench_report

static uint64_t
info(uint32_t what)
{
	uint64_t v = 0;
	ferry_sys_kernel_info(what, &v);
	return v;
}

/* Private (copy-on-write across task_clone) anonymous memory. */
static void *
map_private(size_t size)
{
	handle_t mo;
	if (ferry_sys_memobj_create(size, FERRY_MEMOBJ_ANON, &mo))
		return NULL;
	struct ferry_map_req req = {.len = size,
	                            .prot = FERRY_PROT_READ | FERRY_PROT_WRITE | FERRY_MAP_PRIVATE};
	uintptr_t a = 0;
	long rc = ferry_sys_vm_map(0, mo, 0, &req, &a);
	ferry_sys_handle_close(mo);
	return rc ? NULL : (void *)a;
}

/*
 * Runs fn on a private stack: the loader maps stacks shared, and a clone's
 * child must not share the parent's stack.  (Globals stay shared too: the
 * child below writes none.)
 */
static void
on_private_stack(void (*fn)(void))
{
	const size_t sz = 256 * KIB;
	char *stk = map_private(sz);
	if (!stk)
		upanic("private stack");
	__asm__ volatile("mov %%rsp, %%r12\n\t"
	                 "mov %0, %%rsp\n\t"
	                 "call *%1\n\t"
	                 "mov %%r12, %%rsp"
	                 :
	                 : "r"(stk + sz), "r"(fn)
	                 : "r12", "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11",
	                   "memory", "cc");
}

static void
bench_page_fault(void)
{
	const size_t n = 1024;
	volatile char *p = map_private(n * 4096);
	uint64_t t0 = urdtsc();
	for (size_t i = 0; i < n; i++)
		p[i * 4096] = 1;
	report("page_fault", (urdtsc() - t0) / n, "insns");
	uunmap((void *)p, n * 4096);
}

static void
fork_16m(void)
{
	const size_t size = 16 * MIB;
	volatile char *p = map_private(size);
	for (size_t off = 0; off < size; off += 4096)
		p[off] = 1;
	uint64_t c0 = info(FERRY_INFO_PAGES_COPIED);
	handle_t child;
	uint64_t t0 = urdtsc();
	long rc = ferry_sys_task_clone(0, &child);
	uint64_t t1 = urdtsc();
	if (rc == FERRY_CLONE_CHILD) {
		for (size_t off = 0; off < size; off += 4096)
			p[off] = 2;
		ferry_sys_task_exit(0);
	}
	if (rc < 0)
		upanic("task_clone: %ld", rc);
	uint64_t before = info(FERRY_INFO_PAGES_COPIED) - c0;
	int code = -1;
	ferry_sys_task_wait(child, &code, FERRY_TIME_INFINITE);
	uint64_t after = info(FERRY_INFO_PAGES_COPIED) - c0;
	ferry_sys_handle_close(child);
	report("fork_16m", t1 - t0, "insns");
	report("fork_16m_pages_copied_before", before, "pages");
	report("fork_16m_pages_copied_after", after, "pages");
	uunmap((void *)p, size);
}

static int
role_server(void)
{
	handle_t q = ustart->handles[0];
	struct ferry_map_req req = {.len = 4 * MIB, .prot = FERRY_PROT_READ | FERRY_PROT_WRITE};
	uintptr_t shared = 0;
	if (ferry_sys_vm_map(0, ustart->handles[1], 0, &req, &shared))
		upanic("server map");
	char *dst = umap_anon(4 * MIB);
	struct ferry_msg m;
	long rc = ferry_sys_msg_recv(q, &m, FERRY_TIME_INFINITE);
	while (rc == 0 && m.op != OP_EXIT) {
		if (m.op == OP_PAYLOAD) {
			struct ferry_payload d;
			memcpy(&d, m.data, sizeof(d));
			if (d.addr)
				memcpy(dst, (void *)d.addr, d.len);
		} else if (m.op == OP_COPY) {
			uint64_t len;
			memcpy(&len, m.data, sizeof(len));
			memcpy(dst, (void *)shared, len);
		}
		struct ferry_msg r;
		memset(&r, 0, sizeof(r));
		r.token = m.token;
		rc = ferry_sys_msg_reply_recv(q, (memcpy(&m, &r, sizeof(r)), &m),
		                              FERRY_TIME_INFINITE);
	}
	return 0;
}

static void
bench_payload(void)
{
	handle_t q, p, shm, srv;
	if (ferry_sys_queue_create(4, &q) || ferry_sys_port_create(q, 1, &p) ||
	    ferry_sys_memobj_create(4 * MIB, FERRY_MEMOBJ_ANON, &shm))
		upanic("payload setup");
	struct ferry_map_req req = {.len = 4 * MIB, .prot = FERRY_PROT_READ | FERRY_PROT_WRITE};
	uintptr_t shared = 0;
	if (ferry_sys_vm_map(0, shm, 0, &req, &shared))
		upanic("map shared");
	char *src = map_private(4 * MIB);
	memset(src, 0x5a, 4 * MIB);
	struct ustart s;
	memset(&s, 0, sizeof(s));
	strlcpy(s.cmd, "server", sizeof(s.cmd));
	s.handles[0] = q;
	s.handles[1] = shm;
	if (uspawn("bin/membench", &s, &srv))
		upanic("spawn");
	for (uint64_t size = 4 * KIB; size <= 4 * MIB; size *= 4) {
		const int reps = size >= MIB ? 3 : 10;
		char name[48];
		struct ferry_msg m;
		uint64_t best = UINT64_MAX;
		for (int i = 0; i < reps + 1; i++) {
			memset(&m, 0, sizeof(m));
			m.op = OP_PAYLOAD;
			m.flags = FERRY_MSGF_PAYLOAD;
			m.len = sizeof(struct ferry_payload);
			struct ferry_payload d = {.addr = (uintptr_t)src, .len = size};
			memcpy(m.data, &d, sizeof(d));
			uint64_t t0 = urdtsc();
			if (ferry_sys_msg_call(p, &m, FERRY_TIME_INFINITE))
				upanic("payload call");
			uint64_t t = urdtsc() - t0;
			if (i && t < best)
				best = t;
		}
		usnprintf(name, sizeof(name), "payload_%luk", (unsigned long)(size / KIB));
		report(name, best, "insns");
		best = UINT64_MAX;
		for (int i = 0; i < reps + 1; i++) {
			memset(&m, 0, sizeof(m));
			m.op = OP_COPY;
			m.len = sizeof(uint64_t);
			memcpy(m.data, &size, sizeof(size));
			uint64_t t0 = urdtsc();
			memcpy((void *)shared, src, size);
			if (ferry_sys_msg_call(p, &m, FERRY_TIME_INFINITE))
				upanic("copy call");
			uint64_t t = urdtsc() - t0;
			if (i && t < best)
				best = t;
		}
		usnprintf(name, sizeof(name), "copy_%luk", (unsigned long)(size / KIB));
		report(name, best, "insns");
	}
	struct ferry_msg m;
	memset(&m, 0, sizeof(m));
	m.op = OP_EXIT;
	ferry_sys_msg_send(p, &m, 0);
	int code;
	ferry_sys_task_wait(srv, &code, FERRY_TIME_INFINITE);
}

/* One page of mo at a kernel-chosen address, as mmap/24-1 maps its object. */
static uintptr_t
map_page(handle_t mo)
{
	struct ferry_map_req req = {.len = 4096, .prot = FERRY_PROT_READ | FERRY_PROT_WRITE};
	uintptr_t a = 0;
	long rc = ferry_sys_vm_map(0, mo, 0, &req, &a);
	if (rc)
		upanic("vm_map: %ld", rc);
	return a;
}

static void
unmap_page(uintptr_t a)
{
	long rc = ferry_sys_vm_unmap(0, a, 4096);
	if (rc)
		upanic("vm_unmap: %ld", rc);
}

/* The cost of mapping with many areas present (docs/memory.md "Address spaces"). */
static void
bench_many_areas(void)
{
	const size_t n = 10000, reps = 200;
	uintptr_t *addr = umap_anon(n * sizeof(*addr));
	handle_t mo;
	uint64_t t0;
	if (!addr || ferry_sys_memobj_create(4096, FERRY_MEMOBJ_ANON, &mo))
		upanic("many areas: setup");
	t0 = urdtsc();
	for (size_t i = 0; i < reps; i++)
		unmap_page(map_page(mo));
	report("vm_map_unmap_few", (urdtsc() - t0) / reps, "insns");
	t0 = urdtsc();
	for (size_t i = 0; i < n; i++)
		addr[i] = map_page(mo);
	report("vm_map_to_10k", (urdtsc() - t0) / n, "insns");
	t0 = urdtsc();
	for (size_t i = 0; i < reps; i++)
		unmap_page(map_page(mo));
	report("vm_map_unmap_10k", (urdtsc() - t0) / reps, "insns");
	t0 = urdtsc();
	for (size_t i = 0; i < n; i++)
		unmap_page(addr[i]);
	report("vm_unmap_from_10k", (urdtsc() - t0) / n, "insns");
	ferry_sys_handle_close(mo);
	uunmap(addr, n * sizeof(*addr));
}

int
main(void)
{
	if (ustart && !strcmp(ustart->cmd, "server"))
		return role_server();
	bench_page_fault();
	on_private_stack(fork_16m);
	bench_payload();
	bench_many_areas();
	uprintf("SUITE-END membench\n");
	return 0;
}
