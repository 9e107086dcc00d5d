// SPDX-License-Identifier: MIT
/*
 * The memory system test suite (first task: first=bin/memtest): copy-on-
 * write isolation across task_clone between two real tasks, protection
 * faults that kill only the faulting task, a quota flood and recovery,
 * and page payloads (lend and move) between tasks.
 *
 * The loader maps stacks and data shared, so every test that clones runs
 * on a private stack (on_private_stack) and the child writes no globals.
 */
#include <ulib.h>

#define MS      1000000ull
#define OP_LEND 1
#define OP_MOVE 2

static uint64_t
info(uint32_t what)
{
	uint64_t v = 0;
	ferry_sys_kernel_info(what, &v);
	return v;
}

static void *
map_private(size_t size, uint32_t prot)
{
	handle_t mo;
	if (ferry_sys_memobj_create(size, FERRY_MEMOBJ_ANON, &mo))
		return NULL;
	struct ferry_map_req req = {.len = size, .prot = prot | FERRY_MAP_PRIVATE};
	uintptr_t a = 0;
	long rc = ferry_sys_vm_map(0, mo, 0, &req, &a);
	ferry_sys_handle_close(mo);
	return rc ? NULL : (void *)a;
}

static int (*ps_fn)(void);
static int ps_result;

static void
ps_trampoline(void)
{
	ps_result = ps_fn();
}

/* Runs fn on a fresh private stack and returns its result (parent side). */
static int
on_private_stack(int (*fn)(void))
{
	const size_t sz = 128 * 1024;
	char *stk = map_private(sz, FERRY_PROT_READ | FERRY_PROT_WRITE);
	if (!stk)
		return -1;
	ps_fn = fn;
	void (*t)(void) = ps_trampoline;
	__asm__ volatile("mov %%rsp, %%r12\n\t"
	                 "mov %0, %%rsp\n\t"
	                 "call *%1\n\t"
	                 "mov %%r12, %%rsp"
	                 :
	                 : "r"(stk + sz), "r"(t)
	                 : "r12", "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11",
	                   "memory", "cc");
	uunmap(stk, sz);
	return ps_result;
}

static int
wait_code(handle_t t)
{
	int code = -999;
	long rc = ferry_sys_task_wait(t, &code, 10000 * MS);
	ferry_sys_handle_close(t);
	return rc ? (int)rc : code;
}

/* ---- copy-on-write ---- */

/* 0 when both sides kept their own values; a bit per failed check otherwise. */
static int
cow_body(void)
{
	volatile uint64_t *p = map_private(4 * 4096, FERRY_PROT_READ | FERRY_PROT_WRITE);
	for (int i = 0; i < 4; i++)
		p[i * 512] = 100 + i;
	handle_t child;
	long rc = ferry_sys_task_clone(0, &child);
	if (rc == FERRY_CLONE_CHILD) {
		int bad = 0;
		/* the parent wrote p[0] = 7 after the clone: we must not see it */
		bad |= p[0] != 100;
		bad |= (p[512] != 101) << 1;
		p[0] = 55;
		p[1024] = 66;
		bad |= (p[0] != 55) << 2;
		ferry_sys_task_exit(bad);
	}
	if (rc)
		return 1 << 8;
	p[0] = 7;
	int code = wait_code(child);
	int bad = code;
	bad |= (p[0] != 7) << 4;
	bad |= (p[1024] != 102) << 5;
	bad |= (p[512] != 101) << 6;
	uunmap((void *)p, 4 * 4096);
	return bad;
}

UTEST(cow_isolation, "MEM0001", "task_clone: parent and child writes are invisible to each other")
{
	UEXPECT_EQ(on_private_stack(cow_body), 0);
}

static int
clone_ret_body(void)
{
	handle_t child = 0;
	long rc = ferry_sys_task_clone(0, &child);
	if (rc == FERRY_CLONE_CHILD)
		ferry_sys_task_exit(child == 0 ? 42
		                               : 43); /* the out-parameter is the parent's only */
	if (rc)
		return (int)rc;
	struct ferry_handle_info hi;
	if (ferry_sys_handle_info(child, &hi) || hi.type != FERRY_OBJ_TASK)
		return -1000;
	return wait_code(child);
}

UTEST(clone_returns, "MEM0002",
      "task_clone: 0 and a task handle in the parent, FERRY_CLONE_CHILD in the child")
{
	UEXPECT_EQ(on_private_stack(clone_ret_body), 42);
	handle_t c;
	UEXPECT_EQ(ferry_sys_task_clone(1, &c), -FERRY_EINVAL);
	UEXPECT_EQ(ferry_sys_task_clone(0, (handle_t *)0xffff800000001000ull), -FERRY_EFAULT);
	UEXPECT_EQ(ferry_sys_task_clone(0, (handle_t *)0x8), -FERRY_EFAULT);
}

/* ---- protection ---- */

static int
fault_body(void)
{
	volatile uint64_t *ro = map_private(4096, FERRY_PROT_READ);
	volatile uint64_t *rw = map_private(4096, FERRY_PROT_READ | FERRY_PROT_WRITE);
	rw[0] = 1;
	handle_t child;
	long rc = ferry_sys_task_clone(0, &child);
	if (rc == FERRY_CLONE_CHILD) {
		ro[0] = 1; /* killed here */
		ferry_sys_task_exit(0);
	}
	if (rc)
		return (int)rc;
	int code = wait_code(child);
	rw[0] = 2; /* the parent still runs and writes */
	return rw[0] == 2 ? code : -2000;
}

UTEST(protection_fault, "MEM0003", "a write to read-only memory kills only the faulting task")
{
	UEXPECT_EQ(on_private_stack(fault_body), -(128 + 14));
}

UTEST(rights, "MEM0004",
      "vm_map: no writable mapping without WRITE (private is fine); no exec of data")
{
	handle_t mo, ro;
	UEXPECT_EQ(ferry_sys_memobj_create(4096, FERRY_MEMOBJ_ANON, &mo), 0);
	UEXPECT_EQ(ferry_sys_handle_dup(mo, FERRY_RIGHT_MAP | FERRY_RIGHT_READ, &ro), 0);
	struct ferry_map_req req = {.len = 4096, .prot = FERRY_PROT_READ | FERRY_PROT_WRITE};
	uintptr_t a;
	UEXPECT_EQ(ferry_sys_vm_map(0, ro, 0, &req, &a), -FERRY_EACCES);
	req.prot = FERRY_PROT_READ;
	UEXPECT_EQ(ferry_sys_vm_map(0, ro, 0, &req, &a), 0);
	UEXPECT_EQ(ferry_sys_vm_protect(0, a, 4096, FERRY_PROT_READ | FERRY_PROT_WRITE),
	           -FERRY_EACCES);
	req.prot = FERRY_PROT_READ | FERRY_PROT_WRITE | FERRY_MAP_PRIVATE;
	UEXPECT_EQ(ferry_sys_vm_map(0, ro, 0, &req, &a), 0);
	*(volatile int *)a = 5;
	req.prot = FERRY_PROT_READ | FERRY_PROT_EXEC;
	UEXPECT_EQ(ferry_sys_vm_map(0, ro, 0, &req, &a), -FERRY_EACCES);
	ferry_sys_handle_close(ro);
	ferry_sys_handle_close(mo);
}

/* ---- quota ---- */

static int
flood_body(void)
{
	const size_t size = 256ull << 20; /* more than a task's quota */
	handle_t child;
	long rc = ferry_sys_task_clone(0, &child);
	if (rc == FERRY_CLONE_CHILD) {
		volatile char *p = map_private(size, FERRY_PROT_READ | FERRY_PROT_WRITE);
		if (!p)
			ferry_sys_task_exit(1);
		for (size_t off = 0; off < size; off += 4096)
			p[off] = 1; /* the fault past the quota kills us */
		ferry_sys_task_exit(2);
	}
	return rc ? (int)rc : wait_code(child);
}

static int
quick_child(void)
{
	handle_t child;
	long rc = ferry_sys_task_clone(0, &child);
	if (rc == FERRY_CLONE_CHILD)
		ferry_sys_task_exit(0);
	return rc ? (int)rc : wait_code(child);
}

UTEST(quota_flood, "MEM0005", "a memory flood in a child ends in its death; free memory recovers")
{
	UEXPECT_EQ(on_private_stack(quick_child), 0); /* warm the kernel's caches */
	uint64_t before = info(FERRY_INFO_FREE_PAGES);
	UEXPECT_EQ(on_private_stack(flood_body), -(128 + 14));
	uint64_t after = info(FERRY_INFO_FREE_PAGES);
	UEXPECT(after + 8 >= before && after <= before + 8);
	/* and the system still works: another clone succeeds */
	UEXPECT_EQ(on_private_stack(quick_child), 0);
}

/* ---- page payloads ---- */

static int
role_payload_server(void)
{
	handle_t q = ustart->handles[0];
	struct ferry_msg m;
	long rc = ferry_sys_msg_recv(q, &m, FERRY_TIME_INFINITE);
	while (rc == 0 && m.op != FERRY_NOTIFY_NO_SENDERS) {
		struct ferry_payload d;
		memcpy(&d, m.data, sizeof(d));
		uint64_t res[3] = {0, 0, 0};
		if (d.addr) {
			res[0] = *(volatile uint64_t *)d.addr;
			res[1] = (uint64_t)ferry_sys_vm_protect(0, d.addr, 4096,
			                                        FERRY_PROT_READ | FERRY_PROT_WRITE);
			if (m.op == OP_MOVE || (d.flags & FERRY_PAYLOAD_WRITE))
				*(volatile uint64_t *)d.addr = 0xbeef;
			res[2] = d.addr;
		}
		struct ferry_msg r;
		memset(&r, 0, sizeof(r));
		r.token = m.token;
		r.len = sizeof(res);
		memcpy(r.data, res, sizeof(res));
		if (m.token)
			rc = ferry_sys_msg_reply(&r);
		rc = ferry_sys_msg_recv(q, &m, FERRY_TIME_INFINITE);
	}
	return 0;
}

static handle_t pl_port, pl_task;

static void
pl_start(void)
{
	handle_t q;
	if (pl_port)
		return;
	if (ferry_sys_queue_create(4, &q) || ferry_sys_port_create(q, 3, &pl_port))
		upanic("payload setup");
	struct ustart s;
	memset(&s, 0, sizeof(s));
	strlcpy(s.cmd, "payload-server", sizeof(s.cmd));
	s.handles[0] = q;
	if (uspawn("bin/memtest", &s, &pl_task))
		upanic("spawn");
	ferry_sys_handle_close(q);
}

static long
pl_call(uint32_t op, void *addr, size_t len, uint32_t flags, uint64_t res[3])
{
	struct ferry_msg m;
	memset(&m, 0, sizeof(m));
	m.op = op;
	m.flags = FERRY_MSGF_PAYLOAD;
	m.len = sizeof(struct ferry_payload);
	struct ferry_payload d = {.addr = (uintptr_t)addr, .len = len, .flags = flags};
	memcpy(m.data, &d, sizeof(d));
	long rc = ferry_sys_msg_call(pl_port, &m, 5000 * MS);
	if (rc == 0)
		memcpy(res, m.data, 3 * sizeof(uint64_t));
	return rc;
}

UTEST(payload_lend, "MEM0006",
      "payload lend: the server reads our pages; read-only unless lent writable")
{
	pl_start();
	uint64_t *buf = map_private(8 * 4096, FERRY_PROT_READ | FERRY_PROT_WRITE);
	buf[0] = 0x1234;
	uint64_t res[3];
	UEXPECT_EQ(pl_call(OP_LEND, buf, 8 * 4096, 0, res), 0);
	UEXPECT_EQ(res[0], 0x1234);
	UEXPECT_EQ((long)res[1], -FERRY_EACCES);
	UEXPECT_EQ(buf[0], 0x1234);
	UEXPECT_EQ(pl_call(OP_LEND, buf, 8 * 4096, FERRY_PAYLOAD_WRITE, res), 0);
	UEXPECT_EQ(res[1], 0);
	UEXPECT_EQ(buf[0], 0xbeef);
	/* malformed: misaligned, unmapped, kernel, lend without call */
	UEXPECT_EQ(pl_call(OP_LEND, (char *)buf + 8, 4096, 0, res), -FERRY_EINVAL);
	UEXPECT_EQ(pl_call(OP_LEND, (char *)buf + 64 * 4096, 4096, 0, res), -FERRY_EFAULT);
	UEXPECT_EQ(pl_call(OP_LEND, (void *)0xffff800000000000ull, 4096, 0, res), -FERRY_EINVAL);
	struct ferry_msg m;
	memset(&m, 0, sizeof(m));
	m.flags = FERRY_MSGF_PAYLOAD;
	m.len = sizeof(struct ferry_payload);
	struct ferry_payload d = {.addr = (uintptr_t)buf, .len = 4096};
	memcpy(m.data, &d, sizeof(d));
	UEXPECT_EQ(ferry_sys_msg_send(pl_port, &m, 0), -FERRY_EINVAL);
	uunmap(buf, 8 * 4096);
}

UTEST(payload_move, "MEM0007",
      "payload move: the range leaves the sender and is the server's to write")
{
	pl_start();
	uint64_t *buf = map_private(4 * 4096, FERRY_PROT_READ | FERRY_PROT_WRITE);
	buf[0] = 0x4321;
	uint64_t res[3];
	UEXPECT_EQ(pl_call(OP_MOVE, buf, 4 * 4096, FERRY_PAYLOAD_MOVE, res), 0);
	UEXPECT_EQ(res[0], 0x4321);
	UEXPECT_EQ(res[1], 0); /* its own memory: it may change the protection */
	UEXPECT(res[2] != 0);
	UEXPECT_EQ(ferry_sys_vm_protect(0, (uintptr_t)buf, 4096, FERRY_PROT_READ), -FERRY_ENOMEM);
}

int
main(void)
{
	if (ustart && !strcmp(ustart->cmd, "payload-server"))
		return role_payload_server();
	char buf[64];
	const char *filter = ucmdline_get("only", buf, sizeof(buf));
	int failed = utest_run("mem", filter ? filter : "");
	if (pl_port) {
		ferry_sys_handle_close(pl_port); /* no-senders ends the server */
		wait_code(pl_task);
	}
	return failed ? 1 : 0;
}
