// SPDX-License-Identifier: MIT
/* In-kernel tests of virtual memory: copy-on-write, fork's clone,
 * protection, rights, guard gaps, quotas, page payloads (KVM-0NN). */
#include <lib/string.h>
#include <arch.h>
#include <ferry/errors.h>
#include <ferry/syscall.h>
#include <core/clone.h>
#include <core/task.h>
#include <mm/memobj.h>
#include <mm/pmm.h>
#include <mm/vmspace.h>
#include <test/ktest.h>

#define RW (FERRY_PROT_READ | FERRY_PROT_WRITE)

/* Loads and stores through an address space as the CPU would (faulting in). */
static int
uread(struct vmspace *vm, uintptr_t va, uint64_t *v)
{
	paddr_t pa;
	int rc = vm_resolve(vm, va, VM_ACCESS_READ, &pa);
	if (rc == 0)
		*v = *(uint64_t *)((char *)phys_to_virt(pa) + (va & PAGE_MASK));
	return rc;
}

static int
uwrite(struct vmspace *vm, uintptr_t va, uint64_t v)
{
	paddr_t pa;
	int rc = vm_resolve(vm, va, VM_ACCESS_WRITE, &pa);
	if (rc == 0)
		*(uint64_t *)((char *)phys_to_virt(pa) + (va & PAGE_MASK)) = v;
	return rc;
}

static uint64_t
rd(struct vmspace *vm, uintptr_t va)
{
	uint64_t v = 0xdeadull;
	(void)uread(vm, va, &v);
	return v;
}

/* A private anonymous mapping of npages in t. */
static uintptr_t
map_private(struct task *t, size_t npages)
{
	struct memobj *mo;
	uintptr_t a = 0;
	if (memobj_create_anon(t, npages * PAGE_SIZE, &mo))
		return 0;
	if (vm_map(t->vm, mo, 0, 0, npages * PAGE_SIZE, RW | FERRY_MAP_PRIVATE, &a))
		a = 0;
	kobj_unref(&mo->obj);
	return a;
}

KTEST(private_map, "KVM-001", "private mapping: writes never reach the object, reads see it")
{
	struct task *t = ktest_task("priv");
	KEXPECT(t != NULL);
	struct memobj *mo;
	KEXPECT_EQ(memobj_create_anon(t, 2 * PAGE_SIZE, &mo), 0);
	uintptr_t sh, pv;
	KEXPECT_EQ(vm_map(t->vm, mo, 0, 0, 2 * PAGE_SIZE, RW, &sh), 0);
	KEXPECT_EQ(vm_map(t->vm, mo, 0, 0, 2 * PAGE_SIZE, RW | FERRY_MAP_PRIVATE, &pv), 0);
	KEXPECT_EQ(uwrite(t->vm, sh, 11), 0);
	KEXPECT_EQ(rd(t->vm, pv), 11);        /* reads the object's page */
	KEXPECT_EQ(uwrite(t->vm, pv, 22), 0); /* copies it */
	KEXPECT_EQ(rd(t->vm, sh), 11);
	KEXPECT_EQ(rd(t->vm, pv), 22);
	KEXPECT_EQ(uwrite(t->vm, pv + PAGE_SIZE, 33), 0); /* absent in the object: zero page */
	KEXPECT_EQ(memobj_peek_page(mo, PAGE_SIZE), 0);
	KEXPECT_EQ(rd(t->vm, sh + PAGE_SIZE), 0);
	kobj_unref(&mo->obj);
	ktest_task_end(t);
}

KTEST(cow_isolation, "KVM-002", "fork clone: parent and child writes are invisible to each other")
{
	struct task *p = ktest_task("parent");
	uintptr_t a = map_private(p, 4);
	KEXPECT(a != 0);
	for (int i = 0; i < 4; i++)
		KEXPECT_EQ(uwrite(p->vm, a + i * PAGE_SIZE, 100 + i), 0);
	struct memobj *shm;
	uintptr_t s;
	KEXPECT_EQ(memobj_create_anon(p, PAGE_SIZE, &shm), 0);
	KEXPECT_EQ(vm_map(p->vm, shm, 0, 0, PAGE_SIZE, RW, &s), 0);
	kobj_unref(&shm->obj);
	KEXPECT_EQ(uwrite(p->vm, s, 7), 0);

	struct task *c = ktest_task("child");
	KEXPECT_EQ(vmspace_clone(p->vm, c->vm), 0);
	paddr_t pa;
	unsigned fl;
	KEXPECT(arch_pt_query(p->vm->root, a, &pa, &fl) && !(fl & ARCH_PTE_WRITE));
	KEXPECT_EQ(pmm_refcount(pa), 2);
	for (int i = 0; i < 4; i++)
		KEXPECT_EQ(rd(c->vm, a + i * PAGE_SIZE), 100 + i);
	uint64_t copied = vm_stats.pages_copied;
	KEXPECT_EQ(uwrite(p->vm, a, 1), 0);             /* parent copies */
	KEXPECT_EQ(uwrite(c->vm, a + PAGE_SIZE, 2), 0); /* child copies */
	KEXPECT_EQ(vm_stats.pages_copied - copied, 2);
	KEXPECT_EQ(uwrite(c->vm, a, 3), 0); /* last sharer: no copy */
	KEXPECT_EQ(vm_stats.pages_copied - copied, 2);
	KEXPECT_EQ(rd(p->vm, a), 1);
	KEXPECT_EQ(rd(c->vm, a), 3);
	KEXPECT_EQ(rd(p->vm, a + PAGE_SIZE), 101);
	KEXPECT_EQ(rd(c->vm, a + PAGE_SIZE), 2);
	KEXPECT_EQ(rd(c->vm, a + 2 * PAGE_SIZE), 102);
	/* shared areas stay shared */
	KEXPECT_EQ(uwrite(c->vm, s, 8), 0);
	KEXPECT_EQ(rd(p->vm, s), 8);
	ktest_task_end(c);
	KEXPECT_EQ(rd(p->vm, a + 3 * PAGE_SIZE), 103);
	KEXPECT_EQ(uwrite(p->vm, a + 3 * PAGE_SIZE, 5), 0);
	ktest_task_end(p);
}

KTEST(protection, "KVM-003", "protection: read-only, no-exec and none are enforced; NX bit set")
{
	struct task *t = ktest_task("prot");
	uintptr_t a = map_private(t, 3);
	KEXPECT_EQ(uwrite(t->vm, a, 1), 0);
	paddr_t pa;
	unsigned fl;
	KEXPECT(arch_pt_query(t->vm->root, a, &pa, &fl) && !(fl & ARCH_PTE_EXEC));
	KEXPECT_EQ(vm_fault(t->vm, a, VM_ACCESS_EXEC), -FERRY_EACCES);
	KEXPECT_EQ(vm_protect(t->vm, a, PAGE_SIZE, FERRY_PROT_READ), 0);
	KEXPECT(arch_pt_query(t->vm->root, a, &pa, &fl) && !(fl & ARCH_PTE_WRITE));
	KEXPECT_EQ(uwrite(t->vm, a, 2), -FERRY_EACCES);
	KEXPECT_EQ(rd(t->vm, a), 1);
	KEXPECT_EQ(vm_protect(t->vm, a + PAGE_SIZE, PAGE_SIZE, 0), 0);
	KEXPECT_EQ(vm_fault(t->vm, a + PAGE_SIZE, VM_ACCESS_READ), -FERRY_EACCES);
	KEXPECT_EQ(vm_fault(t->vm, a + 3 * PAGE_SIZE, VM_ACCESS_READ), -FERRY_EFAULT);
	KEXPECT_EQ(vm_protect(t->vm, a, 4 * PAGE_SIZE, FERRY_PROT_READ), -FERRY_ENOMEM);
	KEXPECT_EQ(vm_protect(t->vm, a, PAGE_SIZE, RW), 0);
	KEXPECT_EQ(uwrite(t->vm, a, 2), 0);
	ktest_task_end(t);
}

KTEST(map_rights, "KVM-004",
      "vm_map: handle rights limit prot and later vm_protect; private may write")
{
	struct task *t = ktest_task("rights");
	struct memobj *mo;
	uintptr_t a;
	KEXPECT_EQ(memobj_create_anon(t, PAGE_SIZE, &mo), 0);
	uint32_t ro = FERRY_RIGHT_MAP | FERRY_RIGHT_READ;
	KEXPECT_EQ(vm_map_rights(t->vm, mo, 0, 0, PAGE_SIZE, RW, ro, &a), -FERRY_EACCES);
	KEXPECT_EQ(vm_map_rights(t->vm, mo, 0, 0, PAGE_SIZE, FERRY_PROT_READ | FERRY_PROT_EXEC, ro,
	                         &a),
	           -FERRY_EACCES);
	KEXPECT_EQ(vm_map_rights(t->vm, mo, 0, 0, PAGE_SIZE, FERRY_PROT_READ, ro, &a), 0);
	KEXPECT_EQ(vm_protect(t->vm, a, PAGE_SIZE, RW), -FERRY_EACCES);
	KEXPECT_EQ(vm_map_rights(t->vm, mo, 0, 0, PAGE_SIZE, RW | FERRY_MAP_PRIVATE, ro, &a), 0);
	KEXPECT_EQ(uwrite(t->vm, a, 9), 0);
	KEXPECT_EQ(memobj_peek_page(mo, 0), 0); /* the write stayed private */
	struct memobj *phys;
	KEXPECT_EQ(memobj_create_phys(t, 0xfee00000ull, PAGE_SIZE, &phys), 0);
	KEXPECT_EQ(vm_map(t->vm, phys, 0, 0, PAGE_SIZE, RW | FERRY_MAP_PRIVATE, &a), -FERRY_EINVAL);
	KEXPECT_EQ(vm_map(t->vm, phys, 0, 0, PAGE_SIZE, RW, &a), 0);
	KEXPECT_EQ(vm_fault(t->vm, a, VM_ACCESS_WRITE), 0);
	paddr_t pa;
	KEXPECT(arch_pt_query(t->vm->root, a, &pa, NULL) && pa == 0xfee00000ull);
	kobj_unref(&phys->obj);
	kobj_unref(&mo->obj);
	ktest_task_end(t);
}

KTEST(guard_gaps, "KVM-005", "kernel-chosen mappings are separated by unmapped guard pages")
{
	struct task *t = ktest_task("guard");
	uintptr_t prev = 0;
	for (int i = 0; i < 8; i++) {
		uintptr_t a = map_private(t, 1 + (i & 1));
		KEXPECT(a != 0);
		if (prev) {
			struct vm_area *pa = vm_find(t->vm, prev);
			KEXPECT(a >= pa->end + PAGE_SIZE);
		}
		KEXPECT(vm_find(t->vm, a - PAGE_SIZE) == NULL);
		prev = a;
	}
	/* a hole exactly the size of a request is not used without its guards */
	uintptr_t x = map_private(t, 1), y = map_private(t, 1), z = map_private(t, 1);
	KEXPECT_EQ(vm_unmap(t->vm, y, PAGE_SIZE), 0);
	t->vm->mmap_hint = x;
	uintptr_t w = map_private(t, 3);
	KEXPECT(w > z);
	ktest_task_end(t);
}

KTEST(quota_recovery, "KVM-006",
      "quota: a memory flood fails with EQUOTA and frees all when its task dies")
{
	size_t before = pmm_free_pages();
	struct task *t = ktest_task("flood");
	t->quota.limit = 8ll << 20;
	uintptr_t a = map_private(t, 4096); /* 16 MiB: more than the quota */
	KEXPECT(a != 0);
	int rc = 0;
	uintptr_t va;
	for (va = a; va < a + 4096 * PAGE_SIZE && rc == 0; va += PAGE_SIZE)
		rc = uwrite(t->vm, va, va);
	KEXPECT_EQ(rc, -FERRY_EQUOTA);
	KEXPECT(va > a + 1000 * PAGE_SIZE);
	/* more objects and mappings fail cleanly too */
	struct memobj *mo;
	int n = 0;
	while ((rc = memobj_create_anon(t, PAGE_SIZE, &mo)) == 0 && n < 100000) {
		uintptr_t b;
		rc = vm_map(t->vm, mo, 0, 0, PAGE_SIZE, RW, &b);
		kobj_unref(&mo->obj);
		if (rc)
			break;
		n++;
	}
	KEXPECT_EQ(rc, -FERRY_EQUOTA);
	struct task *c = ktest_task("flood-child");
	c->quota.limit = 1ll << 20;
	KEXPECT_EQ(vmspace_clone(t->vm, c->vm), -FERRY_EQUOTA);
	ktest_task_end(c);
	ktest_task_end(t);
	KEXPECT_EQ(pmm_free_pages(), before);
}

KTEST(clone_16m, "KVM-007", "clone of a task with 16 MiB touched shares every page until written")
{
	size_t before = pmm_free_pages();
	struct task *p = ktest_task("big");
	uintptr_t a = map_private(p, 4096);
	for (uintptr_t va = a; va < a + (16u << 20); va += PAGE_SIZE)
		KEXPECT_EQ(uwrite(p->vm, va, va ^ 0x5a5a), 0);
	size_t touched = pmm_free_pages();
	struct task *c = ktest_task("big-child");
	uint64_t copied = vm_stats.pages_copied;
	KEXPECT_EQ(vmspace_clone(p->vm, c->vm), 0);
	KEXPECT(touched - pmm_free_pages() < 64); /* only tables and objects, no data pages */
	KEXPECT_EQ(vm_stats.pages_copied, copied);
	int bad = 0;
	for (uintptr_t va = a; va < a + (16u << 20); va += 64 * PAGE_SIZE)
		bad += rd(c->vm, va) != (va ^ 0x5a5a);
	KEXPECT_EQ(bad, 0);
	for (uintptr_t va = a; va < a + (16u << 20); va += PAGE_SIZE)
		(void)uwrite(c->vm, va, 1);
	KEXPECT_EQ(vm_stats.pages_copied - copied, 4096);
	KEXPECT_EQ(rd(p->vm, a + 5 * PAGE_SIZE), (a + 5 * PAGE_SIZE) ^ 0x5a5a);
	ktest_task_end(c);
	ktest_task_end(p);
	KEXPECT_EQ(pmm_free_pages(), before);
}

KTEST(handle_clone, "KVM-008", "clone: the child's handle table has duplicates at the same values")
{
	struct task *p = ktest_task("hparent");
	struct memobj *mo;
	handle_t h1, h2, h3;
	KEXPECT_EQ(memobj_create_anon(p, PAGE_SIZE, &mo), 0);
	kobj_ref(&mo->obj);
	KEXPECT_EQ(handle_install(p, &mo->obj, FERRY_RIGHT_MAP, &h1), 0);
	kobj_ref(&mo->obj);
	KEXPECT_EQ(handle_install(p, &mo->obj, FERRY_RIGHT_MAP | FERRY_RIGHT_DUP, &h2), 0);
	KEXPECT_EQ(handle_close(p, h1), 0);
	kobj_ref(&mo->obj);
	KEXPECT_EQ(handle_install(p, &mo->obj, FERRY_RIGHT_READ, &h3), 0);
	KEXPECT(h3 != h1);
	struct task *c = ktest_task("hchild");
	KEXPECT_EQ(handle_table_clone(p, c), 0);
	struct kobject *o;
	uint32_t r;
	KEXPECT_EQ(handle_lookup(c, h2, FERRY_OBJ_MEMOBJ, 0, &o, &r), 0);
	KEXPECT(o == &mo->obj && r == (FERRY_RIGHT_MAP | FERRY_RIGHT_DUP));
	KEXPECT_EQ(handle_lookup(c, h3, FERRY_OBJ_MEMOBJ, FERRY_RIGHT_READ, &o, NULL), 0);
	KEXPECT_EQ(handle_lookup(c, h1, FERRY_OBJ_NONE, 0, &o, NULL), -FERRY_EBADH);
	KEXPECT_EQ(mo->obj.refcount, 5);
	ktest_task_end(c);
	KEXPECT_EQ(mo->obj.refcount, 3);
	kobj_unref(&mo->obj);
	ktest_task_end(p);
}

/* ---- page payloads: a client task and a server task, one kernel thread each ---- */

#include <object/port.h>

struct pl {
	struct task *client, *server;
	struct queue *q;
	struct port *port;
	uintptr_t caddr;          /* client's buffer */
	uint32_t flags;           /* FERRY_PAYLOAD_* */
	bool use_send;            /* send instead of call */
	uint64_t deadline_ms;     /* client's call timeout (0: none) */
	uint64_t server_delay_ms; /* server sleeps this long before replying */
	/* results */
	int call_rc, recv_rc, write_rc, protect_rc, reply_rc;
	uint64_t saddr, seen, client_after, server_after, copies;
	bool client_unmapped, server_unmapped, revoked;
	bool probe_bad; /* client first tries malformed payloads */
	int bad_rejected;
	int done;
};

static void
sleep_ms(uint64_t ms)
{
	(void)thread_block(NULL, THREAD_BLOCK_SLEEP, arch_time_ns() + ms * 1000000ull);
}

static void
pl_server(void *arg)
{
	struct pl *s = arg;
	struct vmspace *vm = current->task->vm;
	struct ferry_msg m;
	s->recv_rc = ipc_recv(s->q, &m, UINT64_MAX);
	if (s->recv_rc) {
		s->done++;
		thread_exit_current();
	}
	struct ferry_payload d;
	memcpy(&d, m.data, sizeof(d));
	s->saddr = d.addr;
	s->seen = rd(vm, d.addr + PAGE_SIZE);
	uint64_t c0 = vm_stats.pages_copied;
	s->write_rc = uwrite(vm, d.addr, 0x77);
	s->copies = vm_stats.pages_copied - c0;
	s->protect_rc = vm_protect(vm, d.addr, PAGE_SIZE, FERRY_PROT_READ | FERRY_PROT_EXEC);
	if (s->server_delay_ms) {
		sleep_ms(s->server_delay_ms);
		struct vm_area *a = vm_find(vm, d.addr);
		s->revoked = a && !a->lend;
		s->server_after = rd(vm, d.addr + PAGE_SIZE);
	}
	if (m.token) {
		struct ferry_msg r;
		struct thread *w;
		memset(&r, 0, sizeof(r));
		r.token = m.token;
		s->reply_rc = ipc_reply(&r, &w);
		if (s->reply_rc == 0)
			thread_wake(w, 0);
	}
	s->server_unmapped = vm_find(vm, d.addr) == NULL;
	s->done++;
	thread_exit_current();
}

static void
pl_client(void *arg)
{
	struct pl *s = arg;
	struct ferry_msg m;
	memset(&m, 0, sizeof(m));
	m.flags = FERRY_MSGF_PAYLOAD;
	m.len = sizeof(struct ferry_payload);
	struct ferry_payload d = {.addr = s->caddr, .len = 4 * PAGE_SIZE, .flags = s->flags};
	if (s->probe_bad) {
		static const struct ferry_payload bad[] = {
		        {.addr = 0x1000 + 8, .len = PAGE_SIZE}, /* misaligned */
		        {.addr = 0x10000, .len = 0},            /* empty */
		        {.addr = 0x10000, .len = FERRY_PAYLOAD_MAX + PAGE_SIZE},
		        {.addr = 0xffff800000000000ull, .len = PAGE_SIZE}, /* kernel */
		        {.addr = 0x10000, .len = PAGE_SIZE, .flags = 0x80},
		        {.addr = 0x10000, .len = PAGE_SIZE, .reserved = 1},
		};
		for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			memcpy(m.data, &bad[i], sizeof(bad[i]));
			s->bad_rejected += ipc_call(s->port, &m, UINT64_MAX) == -FERRY_EINVAL;
		}
		struct ferry_payload unmapped = {.addr = s->caddr + 64 * PAGE_SIZE,
		                                 .len = PAGE_SIZE};
		memcpy(m.data, &unmapped, sizeof(unmapped));
		s->bad_rejected += ipc_call(s->port, &m, UINT64_MAX) == -FERRY_EFAULT;
		memcpy(m.data, &d, sizeof(d));
		m.nhandles = FERRY_MSG_HANDLES_MAX; /* no slot left for the payload */
		s->bad_rejected += ipc_call(s->port, &m, UINT64_MAX) == -FERRY_EINVAL;
		m.nhandles = 0;
		m.len = 8; /* descriptor does not fit */
		s->bad_rejected += ipc_call(s->port, &m, UINT64_MAX) == -FERRY_EINVAL;
		m.len = sizeof(d);
	}
	memcpy(m.data, &d, sizeof(d));
	if (s->use_send) {
		s->call_rc = ipc_send(s->port, &m, 0);
	} else {
		uint64_t dl =
		        s->deadline_ms ? arch_time_ns() + s->deadline_ms * 1000000ull : UINT64_MAX;
		s->call_rc = ipc_call(s->port, &m, dl);
	}
	s->client_after = rd(current->task->vm, s->caddr);
	s->client_unmapped = vm_find(current->task->vm, s->caddr) == NULL;
	s->done++;
	thread_exit_current();
}

/* Runs one client/server exchange described by s; false if it could not be set up. */
static bool
pl_run(struct pl *s)
{
	s->client = ktest_task("pl-client");
	s->server = ktest_task("pl-server");
	if (!s->client || !s->server || queue_create(s->server, 4, &s->q) ||
	    port_create(s->server, s->q, 5, &s->port))
		return false;
	s->caddr = map_private(s->client, 4);
	for (int i = 0; i < 4; i++)
		(void)uwrite(s->client->vm, s->caddr + i * PAGE_SIZE, 1000 + i);
	struct thread *st = thread_create(s->server, current->prio, "pl-server");
	struct thread *ct = thread_create(s->client, current->prio, "pl-client");
	if (!st || !ct)
		return false;
	arch_thread_init_kernel(st, pl_server, s);
	arch_thread_init_kernel(ct, pl_client, s);
	thread_start(st);
	sleep_ms(1); /* the server waits in receive first */
	thread_start(ct);
	for (int i = 0; i < 2000 && s->done < 2; i++)
		sleep_ms(1);
	bool ok = s->done == 2;
	/* A server still waiting (the client's message failed) is interrupted. */
	ktest_task_end(s->server);
	ktest_task_end(s->client);
	for (int i = 0; i < 2000 && s->done < 2; i++)
		sleep_ms(1);
	port_destroy(s->port);
	kobj_unref(&s->port->obj);
	kobj_unref(&s->q->obj);
	return ok || s->done == 2;
}

/* The first exchange creates slab caches that stay; measure after it. */
static void
pl_warmup(void)
{
	static bool warm;
	struct pl w = {.flags = FERRY_PAYLOAD_WRITE};
	if (!warm)
		(void)pl_run(&w);
	warm = true;
}

KTEST(payload_lend, "KVM-009",
      "payload lend: read-only in the server during the call, gone after reply")
{
	pl_warmup();
	size_t before = pmm_free_pages();
	struct pl s = {.flags = 0};
	KEXPECT(pl_run(&s));
	KEXPECT_EQ(s.call_rc, 0);
	KEXPECT_EQ(s.recv_rc, 0);
	KEXPECT(s.saddr != 0);
	KEXPECT_EQ(s.seen, 1001);
	KEXPECT_EQ(s.write_rc, -FERRY_EACCES);   /* read-only lend */
	KEXPECT_EQ(s.protect_rc, -FERRY_EACCES); /* cannot be raised */
	KEXPECT_EQ(s.reply_rc, 0);
	KEXPECT(s.server_unmapped);
	KEXPECT_EQ(s.client_after, 1000);
	KEXPECT_EQ(pmm_free_pages(), before);
}

KTEST(payload_lend_write, "KVM-010",
      "payload lend writable: the server writes the client's own pages")
{
	pl_warmup();
	size_t before = pmm_free_pages();
	struct pl s = {.flags = FERRY_PAYLOAD_WRITE};
	KEXPECT(pl_run(&s));
	KEXPECT_EQ(pmm_free_pages(), before);
	KEXPECT_EQ(s.call_rc, 0);
	KEXPECT_EQ(s.write_rc, 0);
	KEXPECT_EQ(s.copies, 0);
	KEXPECT(s.server_unmapped);
	KEXPECT_EQ(s.client_after, 0x77);
}

KTEST(payload_revoke, "KVM-011", "payload lend: revoked (zero pages) when the caller gives up")
{
	pl_warmup();
	size_t before = pmm_free_pages();
	struct pl s = {.flags = FERRY_PAYLOAD_WRITE, .deadline_ms = 5, .server_delay_ms = 30};
	KEXPECT(pl_run(&s));
	KEXPECT_EQ(s.call_rc, -FERRY_ETIMEDOUT);
	KEXPECT_EQ(s.seen, 1001);
	KEXPECT(s.revoked);
	KEXPECT_EQ(s.server_after, 0);
	KEXPECT_EQ(s.reply_rc, -FERRY_EPEER);
	KEXPECT_EQ(s.client_after, 0x77); /* written before the revocation */
	KEXPECT_EQ(pmm_free_pages(), before);
}

KTEST(payload_move, "KVM-012",
      "payload move: leaves the sender, becomes the receiver's memory, no copy")
{
	pl_warmup();
	size_t before = pmm_free_pages();
	struct pl s = {.flags = FERRY_PAYLOAD_MOVE, .use_send = true};
	KEXPECT(pl_run(&s));
	KEXPECT_EQ(s.call_rc, 0);
	KEXPECT(s.client_unmapped);
	KEXPECT_EQ(s.seen, 1001);
	KEXPECT_EQ(s.write_rc, 0);
	KEXPECT_EQ(s.copies, 0);
	KEXPECT_EQ(s.protect_rc, -FERRY_EACCES); /* moved memory is not executable */
	KEXPECT(!s.server_unmapped);             /* it stays: it is the server's now */
	KEXPECT_EQ(pmm_free_pages(), before);
}

KTEST(payload_bad, "KVM-013",
      "payload: a lend outside a call, bad descriptors and unmapped ranges fail")
{
	pl_warmup();
	size_t before = pmm_free_pages();
	struct pl s = {.flags = 0, .use_send = true, .probe_bad = true};
	KEXPECT(pl_run(&s));
	KEXPECT_EQ(s.call_rc, -FERRY_EINVAL); /* a lend in a plain send */
	KEXPECT_EQ(s.bad_rejected, 9);
	KEXPECT_EQ(s.recv_rc, -FERRY_EINTR); /* the server never got anything */
	KEXPECT_EQ(pmm_free_pages(), before);
}
