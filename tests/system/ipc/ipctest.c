// SPDX-License-Identifier: MIT
/*
 * The IPC system test suite (first task: first=bin/ipctest).  Every
 * operation of the port API and its error paths, inside one task and
 * between tasks: the program spawns copies of itself with a role
 * (ustart->cmd) to act as servers, clients and misbehaving tasks.
 */
#include <ulib.h>

#define MS 1000000ull

static struct ferry_msg
msg(uint32_t op, const char *text)
{
	struct ferry_msg m;
	memset(&m, 0, sizeof(m));
	m.op = op;
	if (text) {
		m.len = (uint16_t)strlen(text);
		memcpy(m.data, text, m.len);
	}
	return m;
}

static void
make_port(handle_t *q, handle_t *p, uint32_t cap, port_key_t key)
{
	if (ferry_sys_queue_create(cap, q) || ferry_sys_port_create(*q, key, p))
		upanic("make_port");
}

static handle_t
spawn_role(const char *role, handle_t h0, handle_t h1)
{
	struct ustart s;
	memset(&s, 0, sizeof(s));
	strlcpy(s.cmd, role, sizeof(s.cmd));
	s.handles[0] = h0;
	s.handles[1] = h1;
	handle_t t;
	int rc = uspawn("bin/ipctest", &s, &t);
	if (rc)
		upanic("spawn %s: %s", role, ferry_strerror(rc));
	return t;
}

static int
wait_task(handle_t t)
{
	int code = -999;
	long rc = ferry_sys_task_wait(t, &code, 5000 * MS);
	return rc ? (int)rc : code;
}

/* ---- single task ---- */

UTEST(queue_bad_capacity, "IPC0001", "queue_create rejects capacity 0 and above the maximum")
{
	handle_t q;
	UEXPECT_EQ(ferry_sys_queue_create(0, &q), -FERRY_EINVAL);
	UEXPECT_EQ(ferry_sys_queue_create(1u << 20, &q), -FERRY_EINVAL);
}

UTEST(port_bad_queue, "IPC0002", "port_create on a bad or wrong-type handle fails")
{
	handle_t q, p, p2;
	UEXPECT_EQ(ferry_sys_port_create(12345, 1, &p), -FERRY_EBADH);
	make_port(&q, &p, 4, 1);
	UEXPECT_EQ(ferry_sys_port_create(p, 1, &p2), -FERRY_EWRONGTYPE);
	ferry_sys_handle_close(p);
	ferry_sys_handle_close(q);
}

UTEST(send_recv, "IPC0003", "send then receive delivers op, data and the port's key")
{
	handle_t q, p;
	make_port(&q, &p, 4, 0xabcdef);
	struct ferry_msg m = msg(77, "hello"), r;
	UEXPECT_EQ(ferry_sys_msg_send(p, &m, 0), 0);
	UEXPECT_EQ(ferry_sys_msg_recv(q, &r, 0), 0);
	UEXPECT_EQ(r.op, 77);
	UEXPECT_EQ(r.key, 0xabcdef);
	UEXPECT_EQ(r.token, 0);
	UEXPECT_EQ(r.len, 5);
	UEXPECT(!memcmp(r.data, "hello", 5));
	ferry_sys_handle_close(p);
	ferry_sys_handle_close(q);
}

UTEST(rights_send, "IPC0004", "send through a handle without SEND fails with EACCES")
{
	handle_t q, p, weak;
	make_port(&q, &p, 4, 1);
	UEXPECT_EQ(ferry_sys_handle_dup(p, FERRY_RIGHT_DUP, &weak), 0);
	struct ferry_msg m = msg(1, NULL);
	UEXPECT_EQ(ferry_sys_msg_send(weak, &m, 0), -FERRY_EACCES);
	UEXPECT_EQ(ferry_sys_msg_call(weak, &m, MS), -FERRY_EACCES);
	handle_t more;
	UEXPECT_EQ(ferry_sys_handle_dup(weak, FERRY_RIGHT_DUP | FERRY_RIGHT_SEND, &more),
	           -FERRY_EACCES);
	ferry_sys_handle_close(weak);
	ferry_sys_handle_close(p);
	ferry_sys_handle_close(q);
}

UTEST(rights_recv, "IPC0005", "receive needs RECV on a queue handle")
{
	handle_t q, p, weak;
	make_port(&q, &p, 4, 1);
	UEXPECT_EQ(ferry_sys_handle_dup(q, FERRY_RIGHT_DUP, &weak), 0);
	struct ferry_msg r;
	UEXPECT_EQ(ferry_sys_msg_recv(weak, &r, 0), -FERRY_EACCES);
	UEXPECT_EQ(ferry_sys_msg_recv(p, &r, 0), -FERRY_EWRONGTYPE);
	ferry_sys_handle_close(weak);
	ferry_sys_handle_close(p);
	ferry_sys_handle_close(q);
}

UTEST(oversize, "IPC0006", "oversize payload or handle count fails with EMSGSIZE")
{
	handle_t q, p;
	make_port(&q, &p, 4, 1);
	struct ferry_msg m = msg(1, NULL);
	m.len = FERRY_MSG_INLINE_MAX + 1;
	UEXPECT_EQ(ferry_sys_msg_send(p, &m, 0), -FERRY_EMSGSIZE);
	m.len = 0;
	m.nhandles = FERRY_MSG_HANDLES_MAX + 1;
	UEXPECT_EQ(ferry_sys_msg_send(p, &m, 0), -FERRY_EMSGSIZE);
	m.nhandles = 0;
	m.flags = 0x80;
	UEXPECT_EQ(ferry_sys_msg_send(p, &m, 0), -FERRY_EINVAL);
	struct ferry_msg r;
	UEXPECT_EQ(ferry_sys_msg_recv(q, &r, 0), -FERRY_EAGAIN);
	ferry_sys_handle_close(p);
	ferry_sys_handle_close(q);
}

UTEST(queue_full, "IPC0007", "a full queue refuses a non-blocking send with EAGAIN")
{
	handle_t q, p;
	make_port(&q, &p, 3, 1);
	struct ferry_msg m = msg(1, NULL), r;
	for (int i = 0; i < 3; i++)
		UEXPECT_EQ(ferry_sys_msg_send(p, &m, FERRY_IPC_NONBLOCK), 0);
	UEXPECT_EQ(ferry_sys_msg_send(p, &m, FERRY_IPC_NONBLOCK), -FERRY_EAGAIN);
	UEXPECT_EQ(ferry_sys_msg_send(p, &m, 0x4), -FERRY_EINVAL);
	UEXPECT_EQ(ferry_sys_msg_recv(q, &r, 0), 0);
	UEXPECT_EQ(ferry_sys_msg_send(p, &m, FERRY_IPC_NONBLOCK), 0);
	ferry_sys_handle_close(p);
	ferry_sys_handle_close(q);
}

UTEST(recv_timeout, "IPC0008", "receive polls with timeout 0 and times out after its timeout")
{
	handle_t q, p;
	make_port(&q, &p, 2, 1);
	struct ferry_msg r;
	UEXPECT_EQ(ferry_sys_msg_recv(q, &r, 0), -FERRY_EAGAIN);
	uint64_t t0 = unow_ns();
	UEXPECT_EQ(ferry_sys_msg_recv(q, &r, 3 * MS), -FERRY_ETIMEDOUT);
	UEXPECT(unow_ns() - t0 >= 3 * MS);
	ferry_sys_handle_close(p);
	ferry_sys_handle_close(q);
}

UTEST(bad_pointers, "IPC0009", "bad user pointers fail with EFAULT and leak nothing")
{
	handle_t q, p;
	make_port(&q, &p, 2, 1);
	UEXPECT_EQ(ferry_sys_msg_send(p, NULL, 0), -FERRY_EFAULT);
	UEXPECT_EQ(ferry_sys_msg_send(p, (struct ferry_msg *)0xffffffff80100000ull, 0),
	           -FERRY_EFAULT);
	UEXPECT_EQ(ferry_sys_msg_send(p, (struct ferry_msg *)0x00007ffffffffff0ull, 0),
	           -FERRY_EFAULT);
	UEXPECT_EQ(ferry_sys_msg_recv(q, (struct ferry_msg *)0x10, 0), -FERRY_EFAULT);
	uint64_t before, after;
	ferry_sys_kernel_info(FERRY_INFO_TASK_QUOTA, &before);
	handle_t *kernel_ptr = (handle_t *)0xffff800000001000ull;
	UEXPECT_EQ(ferry_sys_queue_create(4, kernel_ptr), -FERRY_EFAULT);
	UEXPECT_EQ(ferry_sys_port_create(q, 5, (handle_t *)8), -FERRY_EFAULT);
	ferry_sys_kernel_info(FERRY_INFO_TASK_QUOTA, &after);
	UEXPECT_EQ(before, after);
	UEXPECT_EQ(ferry_sys_debug_write((const char *)0xffffffff80000000ull, 16), -FERRY_EFAULT);
	UEXPECT_EQ(ferry_sys_clock_get(FERRY_CLOCK_MONOTONIC, (uint64_t *)1), -FERRY_EFAULT);
	UEXPECT_EQ(ferry_sys_clock_get(99, &before), -FERRY_EINVAL);
	struct ferry_msg r;
	UEXPECT_EQ(ferry_sys_msg_recv(q, &r, 0), -FERRY_EAGAIN);
	ferry_sys_handle_close(p);
	ferry_sys_handle_close(q);
}

UTEST(transfer_move, "IPC0010", "a handle sent in a message moves to the receiver")
{
	handle_t q, p, mo;
	make_port(&q, &p, 2, 1);
	UEXPECT_EQ(ferry_sys_memobj_create(4096, 0, &mo), 0);
	struct ferry_msg m = msg(5, NULL), r;
	m.nhandles = 1;
	m.handles[0] = mo;
	UEXPECT_EQ(ferry_sys_msg_send(p, &m, 0), 0);
	struct ferry_handle_info info;
	UEXPECT_EQ(ferry_sys_handle_info(mo, &info), -FERRY_EBADH);
	UEXPECT_EQ(ferry_sys_msg_recv(q, &r, 0), 0);
	UEXPECT_EQ(r.nhandles, 1);
	UEXPECT_EQ(ferry_sys_handle_info(r.handles[0], &info), 0);
	UEXPECT_EQ(info.type, FERRY_OBJ_MEMOBJ);
	ferry_sys_handle_close(r.handles[0]);
	ferry_sys_handle_close(p);
	ferry_sys_handle_close(q);
}

UTEST(transfer_not_owned, "IPC0011",
      "sending a handle the task does not own fails; nothing is sent")
{
	handle_t q, p;
	make_port(&q, &p, 2, 1);
	struct ferry_msg m = msg(5, NULL), r;
	m.nhandles = 1;
	m.handles[0] = 0x1234567;
	UEXPECT_EQ(ferry_sys_msg_send(p, &m, 0), -FERRY_EBADH);
	m.handles[0] = 0;
	UEXPECT_EQ(ferry_sys_msg_send(p, &m, 0), -FERRY_EBADH);
	UEXPECT_EQ(ferry_sys_msg_recv(q, &r, 0), -FERRY_EAGAIN);
	ferry_sys_handle_close(p);
	ferry_sys_handle_close(q);
}

UTEST(transfer_rights, "IPC0012", "a handle without TRANSFER cannot be sent; the rest stays put")
{
	handle_t q, p, mo, mo2;
	make_port(&q, &p, 2, 1);
	UEXPECT_EQ(ferry_sys_memobj_create(4096, 0, &mo), 0);
	UEXPECT_EQ(ferry_sys_memobj_create(4096, 0, &mo2), 0);
	handle_t pinned;
	UEXPECT_EQ(ferry_sys_handle_dup(mo, FERRY_RIGHT_MAP, &pinned), 0);
	struct ferry_msg m = msg(5, NULL);
	m.nhandles = 2;
	m.handles[0] = mo2;
	m.handles[1] = pinned;
	UEXPECT_EQ(ferry_sys_msg_send(p, &m, 0), -FERRY_EACCES);
	struct ferry_handle_info info;
	UEXPECT_EQ(ferry_sys_handle_info(mo2, &info), 0); /* not taken */
	ferry_sys_handle_close(pinned);
	ferry_sys_handle_close(mo);
	ferry_sys_handle_close(mo2);
	ferry_sys_handle_close(p);
	ferry_sys_handle_close(q);
}

UTEST(transfer_dup_entry, "IPC0013", "the same handle twice in one message is rejected")
{
	handle_t q, p, mo;
	make_port(&q, &p, 2, 1);
	UEXPECT_EQ(ferry_sys_memobj_create(4096, 0, &mo), 0);
	struct ferry_msg m = msg(5, NULL);
	m.nhandles = 2;
	m.handles[0] = mo;
	m.handles[1] = mo;
	UEXPECT_EQ(ferry_sys_msg_send(p, &m, 0), -FERRY_EINVAL);
	ferry_sys_handle_close(mo);
	ferry_sys_handle_close(p);
	ferry_sys_handle_close(q);
}

UTEST(transfer_copy, "IPC0014", "HANDLES_COPY sends a duplicate and keeps the original")
{
	handle_t q, p, mo;
	make_port(&q, &p, 2, 1);
	UEXPECT_EQ(ferry_sys_memobj_create(4096, 0, &mo), 0);
	struct ferry_msg m = msg(5, NULL), r;
	m.nhandles = 1;
	m.handles[0] = mo;
	m.flags = FERRY_MSGF_HANDLES_COPY;
	UEXPECT_EQ(ferry_sys_msg_send(p, &m, 0), 0);
	struct ferry_handle_info a, b;
	UEXPECT_EQ(ferry_sys_handle_info(mo, &a), 0);
	UEXPECT_EQ(ferry_sys_msg_recv(q, &r, 0), 0);
	UEXPECT_EQ(ferry_sys_handle_info(r.handles[0], &b), 0);
	UEXPECT_EQ(a.koid, b.koid);
	UEXPECT(r.handles[0] != mo);
	ferry_sys_handle_close(r.handles[0]);
	ferry_sys_handle_close(mo);
	ferry_sys_handle_close(p);
	ferry_sys_handle_close(q);
}

UTEST(no_senders, "IPC0015", "closing the last send handle posts no-senders with the key")
{
	handle_t q, p, p2;
	make_port(&q, &p, 2, 99);
	UEXPECT_EQ(ferry_sys_handle_dup(p, FERRY_RIGHT_SEND, &p2), 0);
	ferry_sys_handle_close(p);
	struct ferry_msg r;
	UEXPECT_EQ(ferry_sys_msg_recv(q, &r, 0), -FERRY_EAGAIN);
	ferry_sys_handle_close(p2);
	UEXPECT_EQ(ferry_sys_msg_recv(q, &r, 0), 0);
	UEXPECT_EQ(r.op, FERRY_NOTIFY_NO_SENDERS);
	UEXPECT_EQ(r.key, 99);
	UEXPECT_EQ(ferry_sys_msg_recv(q, &r, 0), -FERRY_EAGAIN);
	ferry_sys_handle_close(q);
}

UTEST(port_destroy, "IPC0016", "a destroyed port refuses sends with EPEER; destroy needs MANAGE")
{
	handle_t q, p, sendonly;
	make_port(&q, &p, 2, 1);
	UEXPECT_EQ(ferry_sys_handle_dup(p, FERRY_RIGHT_SEND, &sendonly), 0);
	UEXPECT_EQ(ferry_sys_port_destroy(sendonly), -FERRY_EACCES);
	UEXPECT_EQ(ferry_sys_port_destroy(p), 0);
	struct ferry_msg m = msg(1, NULL);
	UEXPECT_EQ(ferry_sys_msg_send(sendonly, &m, 0), -FERRY_EPEER);
	UEXPECT_EQ(ferry_sys_msg_call(sendonly, &m, MS), -FERRY_EPEER);
	ferry_sys_handle_close(sendonly);
	ferry_sys_handle_close(p);
	ferry_sys_handle_close(q);
}

UTEST(queue_closed, "IPC0017", "closing the last receive handle makes sends fail with EPEER")
{
	handle_t q, p;
	make_port(&q, &p, 2, 1);
	struct ferry_msg m = msg(1, NULL);
	UEXPECT_EQ(ferry_sys_msg_send(p, &m, 0), 0);
	ferry_sys_handle_close(q);
	UEXPECT_EQ(ferry_sys_msg_send(p, &m, 0), -FERRY_EPEER);
	ferry_sys_handle_close(p);
}

UTEST(stale_handles, "IPC0018", "closed and forged handle values are rejected")
{
	handle_t q, p;
	make_port(&q, &p, 2, 1);
	ferry_sys_handle_close(p);
	UEXPECT_EQ(ferry_sys_handle_close(p), -FERRY_EBADH);
	handle_t q2, p2;
	make_port(&q2, &p2, 2, 1);
	/* p's slot may be reused: the old value must still be dead. */
	struct ferry_msg m = msg(1, NULL);
	UEXPECT_EQ(ferry_sys_msg_send(p, &m, 0), -FERRY_EBADH);
	UEXPECT_EQ(ferry_sys_handle_close(0xffffffffu), -FERRY_EBADH);
	UEXPECT_EQ(ferry_sys_handle_close(0), -FERRY_EBADH);
	ferry_sys_handle_close(p2);
	ferry_sys_handle_close(q2);
	ferry_sys_handle_close(q);
}

UTEST(reply_forged, "IPC0019", "replies with unknown tokens fail with EPEER")
{
	struct ferry_msg m = msg(1, NULL);
	m.token = 0x0000000100000001ull;
	UEXPECT_EQ(ferry_sys_msg_reply(&m), -FERRY_EPEER);
	m.token = 0;
	UEXPECT_EQ(ferry_sys_msg_reply(&m), -FERRY_EPEER);
	m.token = 0xffffffffffffffffull;
	UEXPECT_EQ(ferry_sys_msg_reply(&m), -FERRY_EPEER);
}

UTEST(bad_syscalls, "IPC0020", "unknown system calls return ENOSYS")
{
	UEXPECT_EQ(ferry_syscall6(9999, 0, 0, 0, 0, 0, 0), -FERRY_ENOSYS);
	UEXPECT_EQ(ferry_syscall6(-1, 0, 0, 0, 0, 0, 0), -FERRY_ENOSYS);
	UEXPECT_EQ(ferry_syscall6(FERRY_SYS_COUNT, 0, 0, 0, 0, 0, 0), -FERRY_ENOSYS);
}

/* ---- between tasks ---- */

static int
role_echo(void)
{
	handle_t q = ustart->handles[0];
	struct ferry_msg m;
	long rc = ferry_sys_msg_recv(q, &m, FERRY_TIME_INFINITE);
	while (rc == 0) {
		if (m.op == FERRY_NOTIFY_NO_SENDERS)
			return 0;
		if (m.op == 0xdead)
			return 42;
		for (int i = 0; i < m.len; i++)
			if (m.data[i] >= 'a' && m.data[i] <= 'z')
				m.data[i] = (uint8_t)(m.data[i] - 32);
		m.op += 1;
		rc = ferry_sys_msg_reply_recv(q, &m, FERRY_TIME_INFINITE);
	}
	return 1;
}

UTEST(call_echo, "IPC0030", "call/reply with a server task; 1000 calls stay consistent")
{
	handle_t q, p;
	make_port(&q, &p, 8, 7);
	handle_t t = spawn_role("echo", q, 0);
	ferry_sys_handle_close(q);
	for (int i = 0; i < 1000; i++) {
		struct ferry_msg m = msg((uint32_t)i, "ferry");
		long rc = ferry_sys_msg_call(p, &m, 2000 * MS);
		if (rc || m.op != (uint32_t)i + 1 || memcmp(m.data, "FERRY", 5)) {
			UEXPECT_EQ(rc, 0);
			UEXPECT_EQ(m.op, i + 1);
			break;
		}
	}
	ferry_sys_handle_close(p); /* no-senders ends the server */
	UEXPECT_EQ(wait_task(t), 0);
	ferry_sys_handle_close(t);
}

static int
role_die_on_call(void)
{
	struct ferry_msg m;
	ferry_sys_msg_recv(ustart->handles[0], &m, FERRY_TIME_INFINITE);
	return 5; /* exit without replying */
}

UTEST(server_death, "IPC0031", "a server dying mid-call wakes the caller with EPEER")
{
	handle_t q, p;
	make_port(&q, &p, 8, 7);
	handle_t t = spawn_role("die-on-call", q, 0);
	ferry_sys_handle_close(q);
	struct ferry_msg m = msg(1, "x");
	UEXPECT_EQ(ferry_sys_msg_call(p, &m, 2000 * MS), -FERRY_EPEER);
	UEXPECT_EQ(wait_task(t), 5);
	UEXPECT_EQ(ferry_sys_msg_send(p, &m, 0), -FERRY_EPEER);
	ferry_sys_handle_close(p);
	ferry_sys_handle_close(t);
}

static int
role_caller(void)
{
	struct ferry_msg m = msg(3, "call");
	ferry_sys_msg_call(ustart->handles[0], &m, FERRY_TIME_INFINITE);
	return 0;
}

UTEST(client_death, "IPC0032",
      "a client killed mid-call: the reply fails with EPEER, server goes on")
{
	handle_t q, p;
	make_port(&q, &p, 8, 7);
	handle_t t = spawn_role("caller", p, 0);
	struct ferry_msg m;
	UEXPECT_EQ(ferry_sys_msg_recv(q, &m, 2000 * MS), 0);
	UEXPECT_EQ(m.op, 3);
	UEXPECT(m.token != 0);
	UEXPECT_EQ(ferry_sys_task_kill(t, 9), 0);
	UEXPECT_EQ(wait_task(t), 9);
	UEXPECT_EQ(ferry_sys_msg_reply(&m), -FERRY_EPEER);
	/* the child's send handle died with it */
	ferry_sys_handle_close(p);
	UEXPECT_EQ(ferry_sys_msg_recv(q, &m, 100 * MS), 0);
	UEXPECT_EQ(m.op, FERRY_NOTIFY_NO_SENDERS);
	ferry_sys_handle_close(q);
	ferry_sys_handle_close(t);
}

static int
role_exit(void)
{
	return 0;
}

UTEST(no_senders_exit, "IPC0033", "a task exiting with the last send handle posts no-senders")
{
	handle_t q, p;
	make_port(&q, &p, 8, 1234);
	handle_t t = spawn_role("exit", p, 0);
	ferry_sys_handle_close(p);
	UEXPECT_EQ(wait_task(t), 0);
	struct ferry_msg m;
	UEXPECT_EQ(ferry_sys_msg_recv(q, &m, 1000 * MS), 0);
	UEXPECT_EQ(m.op, FERRY_NOTIFY_NO_SENDERS);
	UEXPECT_EQ(m.key, 1234);
	ferry_sys_handle_close(q);
	ferry_sys_handle_close(t);
}

static int
role_hold(void)
{
	struct ferry_msg m;
	ferry_sys_msg_recv(ustart->handles[0], &m, FERRY_TIME_INFINITE);
	ferry_sys_thread_sleep(FERRY_TIME_INFINITE);
	return 0;
}

UTEST(call_timeout, "IPC0034", "a call the server never answers times out; a late reply fails")
{
	handle_t q, p;
	make_port(&q, &p, 8, 7);
	handle_t t = spawn_role("hold", q, 0);
	ferry_sys_handle_close(q);
	struct ferry_msg m = msg(1, NULL);
	uint64_t t0 = unow_ns();
	UEXPECT_EQ(ferry_sys_msg_call(p, &m, 20 * MS), -FERRY_ETIMEDOUT);
	UEXPECT(unow_ns() - t0 >= 20 * MS);
	ferry_sys_task_kill(t, 0);
	wait_task(t);
	ferry_sys_handle_close(p);
	ferry_sys_handle_close(t);
}

static int
role_fault(void)
{
	volatile int *bad = (volatile int *)0x1000;
	return *bad;
}

static int
role_priv(void)
{
	__asm__ volatile("cli; hlt");
	return 0;
}

static int
role_badsys(void)
{
	/* Garbage in every register, to every call: must never hurt the kernel. */
	uint64_t x = 0x9e3779b97f4a7c15ull;
	for (int n = 0; n < 48; n++) {
		if (n == FERRY_SYS_task_exit || n == FERRY_SYS_thread_exit ||
		    n == FERRY_SYS_task_kill || n == FERRY_SYS_thread_sleep ||
		    n == FERRY_SYS_task_wait || n == FERRY_SYS_msg_recv ||
		    n == FERRY_SYS_msg_call || n == FERRY_SYS_msg_reply_recv ||
		    n == FERRY_SYS_futex_wait || n == FERRY_SYS_msg_send ||
		    n == FERRY_SYS_task_clone)
			continue;
		for (int k = 0; k < 50; k++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			ferry_syscall6(n, (long)x, (long)(x >> 3), (long)(x * 3),
			               (long)(x ^ 0xffff), (long)(x >> 17), (long)x);
		}
	}
	return 33;
}

static int
role_fault_after(void)
{
	struct ferry_msg m;
	ferry_sys_msg_recv(ustart->handles[0], &m, FERRY_TIME_INFINITE);
	return role_fault();
}

UTEST(fault_killed, "IPC0035", "a faulting task is killed and reported on its exception port")
{
	handle_t t = spawn_role("fault", 0, 0);
	UEXPECT_EQ(wait_task(t), -(128 + 14));
	ferry_sys_handle_close(t);

	handle_t q, p, gq, gp;
	make_port(&q, &p, 8, 555);
	make_port(&gq, &gp, 2, 1);
	t = spawn_role("fault-after", gq, 0);
	UEXPECT_EQ(ferry_sys_task_set_exc(t, p), 0);
	UEXPECT_EQ(ferry_sys_task_set_exc(t, gq), -FERRY_EWRONGTYPE);
	struct ferry_msg m = msg(1, NULL);
	UEXPECT_EQ(ferry_sys_msg_send(gp, &m, 0), 0);
	UEXPECT_EQ(wait_task(t), -(128 + 14));
	UEXPECT_EQ(ferry_sys_msg_recv(q, &m, 1000 * MS), 0);
	UEXPECT_EQ(m.op, FERRY_NOTIFY_EXCEPTION);
	UEXPECT_EQ(m.key, 555);
	struct ferry_exception_info info;
	memcpy(&info, m.data, sizeof(info));
	UEXPECT_EQ(info.vector, 14);
	UEXPECT_EQ(info.fault_addr, 0x1000);
	ferry_sys_handle_close(t);
	ferry_sys_handle_close(gp);
	ferry_sys_handle_close(gq);
	ferry_sys_handle_close(p);
	ferry_sys_handle_close(q);
}

UTEST(priv_killed, "IPC0036", "a task executing privileged instructions is killed")
{
	handle_t t = spawn_role("priv", 0, 0);
	int code = wait_task(t);
	UEXPECT_EQ(code, -(128 + 13));
	ferry_sys_handle_close(t);
}

UTEST(garbage_syscalls, "IPC0037", "random arguments to every system call do not hurt the kernel")
{
	handle_t t = spawn_role("badsys", 0, 0);
	int code = wait_task(t);
	UEXPECT(code == 33 || code < 0);
	ferry_sys_handle_close(t);
	/* and we are still fine */
	handle_t q, p;
	make_port(&q, &p, 2, 1);
	ferry_sys_handle_close(p);
	ferry_sys_handle_close(q);
}

static int
role_filler(void)
{
	struct ferry_msg m = msg(1, NULL);
	for (int i = 0; i < 20; i++) {
		m.op = (uint32_t)i;
		if (ferry_sys_msg_send(ustart->handles[0], &m, 0))
			return 1;
	}
	return 0;
}

UTEST(send_blocks_full, "IPC0038", "a blocking send waits for room and keeps FIFO order")
{
	handle_t q, p;
	make_port(&q, &p, 2, 1);
	handle_t t = spawn_role("filler", p, 0);
	ferry_sys_handle_close(p);
	struct ferry_msg m;
	for (int i = 0; i < 20; i++) {
		long rc = ferry_sys_msg_recv(q, &m, 2000 * MS);
		UEXPECT_EQ(rc, 0);
		UEXPECT_EQ(m.op, i);
		if (rc)
			break;
	}
	UEXPECT_EQ(wait_task(t), 0);
	ferry_sys_handle_close(q);
	ferry_sys_handle_close(t);
}

static handle_t flood_handles[5000];

/* Creates ports until the kernel says no; returns how many, closes them all
 * and drains the no-senders notices (checking there is one per port). */
static int
port_flood(handle_t q, long *err, int *notices)
{
	int n = 0;
	long rc = 0;
	while (n < 5000 && (rc = ferry_sys_port_create(q, (port_key_t)n, &flood_handles[n])) == 0)
		n++;
	*err = rc;
	for (int i = 0; i < n; i++)
		ferry_sys_handle_close(flood_handles[i]);
	struct ferry_msg m;
	*notices = 0;
	while (ferry_sys_msg_recv(q, &m, 0) == 0)
		(*notices)++;
	return n;
}

UTEST(handle_flood, "IPC0039", "a handle flood stops with an error and everything recovers")
{
	handle_t q;
	UEXPECT_EQ(ferry_sys_queue_create(1, &q), 0);
	long err;
	int notices;
	int n = port_flood(q, &err, &notices);
	UEXPECT(err == -FERRY_EMFILE || err == -FERRY_EQUOTA);
	UEXPECT(n > 100);
	UEXPECT_EQ(notices, n);
	/* The handle table keeps its grown size; a second flood must reach the
	 * same point and give everything back. */
	uint64_t mid, after;
	ferry_sys_kernel_info(FERRY_INFO_TASK_QUOTA, &mid);
	int n2 = port_flood(q, &err, &notices);
	UEXPECT_EQ(n2, n);
	UEXPECT_EQ(notices, n2);
	ferry_sys_kernel_info(FERRY_INFO_TASK_QUOTA, &after);
	UEXPECT_EQ(mid, after);
	ferry_sys_handle_close(q);
}

UTEST(timer_notify, "IPC0040", "queue timers: one-shot and periodic notifications; bad arguments")
{
	handle_t q, p;
	make_port(&q, &p, 2, 1);
	struct ferry_msg m;
	uint64_t t0 = unow_ns();
	UEXPECT_EQ(ferry_sys_timer_set(q, 77, t0 + 3 * MS, 0), 0);
	UEXPECT_EQ(ferry_sys_msg_recv(q, &m, 1000 * MS), 0);
	UEXPECT_EQ(m.op, FERRY_NOTIFY_TIMER);
	UEXPECT_EQ(m.key, 77);
	UEXPECT(unow_ns() - t0 >= 3 * MS);
	UEXPECT_EQ(ferry_sys_timer_set(q, 78, unow_ns() + MS, MS), 0);
	ferry_sys_thread_sleep(8 * MS);
	UEXPECT_EQ(ferry_sys_msg_recv(q, &m, 0), 0);
	uint64_t count;
	memcpy(&count, m.data, sizeof(count));
	UEXPECT(count >= 4);
	UEXPECT_EQ(ferry_sys_timer_set(q, 0, 0, 0), 0);
	ferry_sys_thread_sleep(3 * MS);
	UEXPECT_EQ(ferry_sys_msg_recv(q, &m, 0), -FERRY_EAGAIN);
	UEXPECT_EQ(ferry_sys_timer_set(p, 1, 1, 0), -FERRY_EWRONGTYPE);
	UEXPECT_EQ(ferry_sys_timer_set(q, 1, 1, 5), -FERRY_EINVAL);
	ferry_sys_handle_close(p);
	ferry_sys_handle_close(q);
}

static inline void
outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}

static int
role_ioport(void)
{
	outb(0x3f9, 0); /* no grant: the CPU refuses, the kernel kills us */
	return 0;
}

UTEST(irq_message, "IPC0041",
      "an interrupt line bound to a queue arrives as a notification; I/O ports need a grant")
{
	handle_t io = ubootinfo->iocap;
	handle_t q, p;
	make_port(&q, &p, 2, 1);
	UEXPECT_EQ(ferry_sys_irq_bind(io, 0, q, 1), -FERRY_EINVAL); /* the kernel's timer */
	UEXPECT_EQ(ferry_sys_irq_bind(io, 16, q, 1), -FERRY_EINVAL);
	UEXPECT_EQ(ferry_sys_irq_bind(q, 4, q, 1), -FERRY_EWRONGTYPE);
	UEXPECT_EQ(ferry_sys_irq_ack(io, 7), -FERRY_EINVAL); /* not bound */
	UEXPECT_EQ(ferry_sys_ioport_grant(io, 0, 0xfff0, 0x20), -FERRY_EINVAL);
	UEXPECT_EQ(ferry_sys_ioport_grant(io, 0, 0x3f8, 8), 0);
	UEXPECT_EQ(ferry_sys_irq_bind(io, 4, q, 99), 0);
	/* COM1 raises IRQ 4 as soon as its transmitter is empty. */
	outb(0x3fc, 0x0b); /* DTR, RTS, OUT2 (gates the IRQ) */
	outb(0x3f9, 0x02); /* interrupt on THR empty */
	struct ferry_msg m;
	UEXPECT_EQ(ferry_sys_msg_recv(q, &m, 1000 * MS), 0);
	UEXPECT_EQ(m.op, FERRY_NOTIFY_IRQ);
	UEXPECT_EQ(m.key, 99);
	outb(0x3f9, 0x00);
	outb(0x3fc, 0x03);
	UEXPECT_EQ(ferry_sys_irq_ack(io, 4), 0);
	ferry_sys_handle_close(p);
	ferry_sys_handle_close(q);
	handle_t t = spawn_role("ioport", 0, 0);
	UEXPECT_EQ(wait_task(t), -(128 + 13));
	ferry_sys_handle_close(t);
}

UTEST(task_watch, "IPC0042",
      "a watched task's end arrives as a notification, also when already dead")
{
	handle_t q, p;
	make_port(&q, &p, 4, 1);
	handle_t t = spawn_role("exit", 0, 0);
	UEXPECT_EQ(ferry_sys_task_watch(t, p, 4242), 0);
	struct ferry_msg m;
	UEXPECT_EQ(ferry_sys_msg_recv(q, &m, 2000 * MS), 0);
	UEXPECT_EQ(m.op, FERRY_NOTIFY_TASK_EXIT);
	UEXPECT_EQ(m.key, 4242);
	UEXPECT_EQ(wait_task(t), 0);
	/* Watching a task that has already ended notifies at once. */
	UEXPECT_EQ(ferry_sys_task_watch(t, p, 7), 0);
	UEXPECT_EQ(ferry_sys_msg_recv(q, &m, 0), 0);
	UEXPECT_EQ(m.key, 7);
	UEXPECT_EQ(ferry_sys_task_watch(t, 0, 0), 0);
	UEXPECT_EQ(ferry_sys_task_watch(p, p, 1), -FERRY_EWRONGTYPE);
	UEXPECT_EQ(ferry_sys_task_watch(t, q, 1), -FERRY_EWRONGTYPE);
	handle_t weak;
	UEXPECT_EQ(ferry_sys_handle_dup(t, FERRY_RIGHT_DUP, &weak), 0);
	UEXPECT_EQ(ferry_sys_task_watch(weak, p, 1), -FERRY_EACCES);
	ferry_sys_handle_close(weak);
	ferry_sys_handle_close(t);
	ferry_sys_handle_close(p);
	ferry_sys_handle_close(q);
}

static int
role_ticker(void)
{
	struct ferry_msg m = msg(1, NULL);
	for (;;) {
		if (ferry_sys_msg_send(ustart->handles[0], &m, FERRY_IPC_NONBLOCK) == -FERRY_EPEER)
			return 0;
		ferry_sys_thread_sleep(MS);
	}
}

static int
drain(handle_t q)
{
	struct ferry_msg m;
	int n = 0;
	while (ferry_sys_msg_recv(q, &m, 0) == 0)
		n++;
	return n;
}

UTEST(task_suspend, "IPC0043", "a suspended task stops running until it is resumed")
{
	handle_t q, p;
	make_port(&q, &p, 64, 1);
	handle_t t = spawn_role("ticker", p, 0);
	ferry_sys_thread_sleep(10 * MS);
	UEXPECT(drain(q) > 0);
	UEXPECT_EQ(ferry_sys_task_suspend(t, 1), 0);
	ferry_sys_thread_sleep(5 * MS);
	drain(q); /* at most one in flight when it stopped */
	ferry_sys_thread_sleep(20 * MS);
	UEXPECT_EQ(drain(q), 0);
	UEXPECT_EQ(ferry_sys_task_suspend(t, 2), -FERRY_EINVAL);
	UEXPECT_EQ(ferry_sys_task_suspend(t, 0), 0);
	ferry_sys_thread_sleep(10 * MS);
	UEXPECT(drain(q) > 0);
	/* A suspended task can still be killed. */
	UEXPECT_EQ(ferry_sys_task_suspend(t, 1), 0);
	UEXPECT_EQ(ferry_sys_task_kill(t, 3), 0);
	UEXPECT_EQ(wait_task(t), 3);
	UEXPECT_EQ(ferry_sys_task_suspend(t, 1), -FERRY_EPEER);
	ferry_sys_handle_close(t);
	ferry_sys_handle_close(p);
	ferry_sys_handle_close(q);
}

/*
 * A server for IPC0044 that checks the kernel never writes past len into
 * its receive buffer: it answers with op = a checksum of the bytes it got
 * (0xbad if anything past len changed) and len 0, having refilled data[]
 * with 0x55; with op bit 0x1000 set it echoes the data upper-cased
 * instead, with the same len (those bytes are then not checked next time).
 */
#define TAIL_ECHO 0x1000u

static uint32_t
tail_sum(const uint8_t *d, unsigned n)
{
	uint32_t sum = 7;
	for (unsigned i = 0; i < n; i++)
		sum = sum * 31 + d[i] + i;
	return sum;
}

static int
role_tail(void)
{
	handle_t q = ustart->handles[0];
	struct ferry_msg m;
	memset(&m, 0x55, sizeof(m));
	unsigned dirty = 0; /* data[dirty..] held 0x55 before this receive */
	long rc = ferry_sys_msg_recv(q, &m, FERRY_TIME_INFINITE);
	while (rc == 0) {
		if (m.op == FERRY_NOTIFY_NO_SENDERS)
			return 0;
		if (m.op & TAIL_ECHO) {
			for (unsigned i = 0; i < m.len; i++)
				m.data[i] = (uint8_t)(m.data[i] - 32);
			dirty = m.len;
		} else {
			bool intact = true;
			for (unsigned i = m.len > dirty ? m.len : dirty; i < FERRY_MSG_INLINE_MAX;
			     i++)
				intact &= m.data[i] == 0x55;
			m.op = intact ? tail_sum(m.data, m.len) : 0xbad;
			m.len = 0;
			memset(m.data, 0x55, sizeof(m.data));
			dirty = 0;
		}
		rc = ferry_sys_msg_reply_recv(q, &m, FERRY_TIME_INFINITE);
	}
	return 1;
}

/* A message of len n: 'a'.. in data[0..n), 0xaa after it. */
static void
tail_msg(struct ferry_msg *m, uint32_t op, unsigned n)
{
	memset(m, 0, sizeof(*m));
	m->op = op;
	m->len = (uint16_t)n;
	for (unsigned i = 0; i < FERRY_MSG_INLINE_MAX; i++)
		m->data[i] = i < n ? (uint8_t)('a' + i % 26) : 0xaa;
}

UTEST(fast_len, "IPC0044",
      "calls (fast path) carry exactly len bytes both ways; bad len and buffers fail, server "
      "intact")
{
	handle_t q, p;
	make_port(&q, &p, 4, 3);
	handle_t t = spawn_role("tail", q, 0);
	ferry_sys_handle_close(q);
	static const unsigned lens[] = {0, 1, 7, 8, 13, 40, 41, 87, 88, 5};
	/* Odd buffer addresses too: the copies must not assume alignment. */
	static uint8_t raw[sizeof(struct ferry_msg) + 8] __attribute__((aligned(16)));
	for (int round = 0; round < 20; round++) {
		for (unsigned k = 0; k < sizeof(lens) / sizeof(lens[0]); k++) {
			unsigned n = lens[k];
			struct ferry_msg ref, *m = (struct ferry_msg *)(raw + (round % 2 ? 3 : 0));
			tail_msg(&ref, 1, n);
			memcpy(m, &ref, sizeof(ref));
			long rc = ferry_sys_msg_call(p, m, FERRY_TIME_INFINITE);
			if (rc || m->op != tail_sum(ref.data, n) || m->len != 0 || m->key ||
			    m->token || memcmp(m->data, ref.data, sizeof(ref.data))) {
				UEXPECT_EQ(rc, 0);
				UEXPECT_EQ(m->op, tail_sum(ref.data, n));
				UEXPECT_EQ(m->len, 0);
				UEXPECT(!memcmp(m->data, ref.data, sizeof(ref.data)));
				goto out;
			}
			tail_msg(&ref, TAIL_ECHO, n);
			memcpy(m, &ref, sizeof(ref));
			rc = ferry_sys_msg_call(p, m, FERRY_TIME_INFINITE);
			bool ok = rc == 0 && m->len == n;
			for (unsigned i = 0; ok && i < FERRY_MSG_INLINE_MAX; i++)
				ok = m->data[i] == (i < n ? (uint8_t)(ref.data[i] - 32) : 0xaa);
			if (!ok) {
				UEXPECT_EQ(rc, 0);
				UEXPECT_EQ(m->len, n);
				UEXPECT(!"echo: wrong bytes, or bytes past len written");
				goto out;
			}
		}
	}
	/* Refused before anything reaches the waiting server. */
	struct ferry_msg m;
	tail_msg(&m, 1, 4);
	m.len = FERRY_MSG_INLINE_MAX + 1;
	UEXPECT_EQ(ferry_sys_msg_call(p, &m, FERRY_TIME_INFINITE), -FERRY_EMSGSIZE);
	m.len = 0xffff;
	UEXPECT_EQ(ferry_sys_msg_call(p, &m, FERRY_TIME_INFINITE), -FERRY_EMSGSIZE);
	UEXPECT_EQ(ferry_sys_msg_call(p, (struct ferry_msg *)0x10, FERRY_TIME_INFINITE),
	           -FERRY_EFAULT);
	UEXPECT_EQ(ferry_sys_msg_call(p, (struct ferry_msg *)0xffffffff80100000ull,
	                              FERRY_TIME_INFINITE),
	           -FERRY_EFAULT);
	UEXPECT_EQ(ferry_sys_msg_call(p, (struct ferry_msg *)0x00007fffffffffc0ull,
	                              FERRY_TIME_INFINITE),
	           -FERRY_EFAULT);
	/* The used part is mapped but the buffer's tail is not: refused like a
	 * buffer that is unreadable in its used part, for call and send. */
	handle_t mo;
	uintptr_t a = 0;
	UEXPECT_EQ(ferry_sys_memobj_create(2 * 4096, FERRY_MEMOBJ_ANON, &mo), 0);
	struct ferry_map_req req = {.len = 2 * 4096,
	                            .prot = FERRY_PROT_READ | FERRY_PROT_WRITE | FERRY_MAP_PRIVATE};
	UEXPECT_EQ(ferry_sys_vm_map(0, mo, 0, &req, &a), 0);
	ferry_sys_handle_close(mo);
	UEXPECT_EQ(ferry_sys_vm_unmap(0, a + 4096, 4096), 0);
	struct ferry_msg *edge = (struct ferry_msg *)(a + 4096 - 64);
	memset(edge, 0, 64);
	edge->op = 1;
	edge->len = 16;
	UEXPECT_EQ(ferry_sys_msg_call(p, edge, FERRY_TIME_INFINITE), -FERRY_EFAULT);
	UEXPECT_EQ(ferry_sys_msg_send(p, edge, 0), -FERRY_EFAULT);
	edge = (struct ferry_msg *)(a + 4096 - 128); /* the last 128 bytes: fine */
	memset(edge, 0, 128);
	edge->op = 1;
	edge->len = 16;
	UEXPECT_EQ(ferry_sys_msg_call(p, edge, FERRY_TIME_INFINITE), 0);
	static const uint8_t zeros[16];
	UEXPECT_EQ(edge->op, tail_sum(zeros, 16));
	ferry_sys_vm_unmap(0, a, 4096);
	/* The server saw none of it and still answers. */
	tail_msg(&m, 1, 9);
	struct ferry_msg ref = m;
	UEXPECT_EQ(ferry_sys_msg_call(p, &m, FERRY_TIME_INFINITE), 0);
	UEXPECT_EQ(m.op, tail_sum(ref.data, 9));
out:
	ferry_sys_handle_close(p); /* no-senders ends the server */
	UEXPECT_EQ(wait_task(t), 0);
	ferry_sys_handle_close(t);
}

int upcall_role(const char *role);

/* refs of mo, or -1. */
static long
refs_of(handle_t h)
{
	struct ferry_handle_info info;
	return ferry_sys_handle_info(h, &info) ? -1 : (long)info.refs;
}

UTEST(handle_refs, "IPC0045",
      "handle_info counts an object's handles, mappings and messages in flight")
{
	handle_t q, p, mo, dup;
	make_port(&q, &p, 2, 1);
	UEXPECT_EQ(ferry_sys_memobj_create(4096, 0, &mo), 0);
	UEXPECT_EQ(refs_of(mo), 1);
	UEXPECT_EQ(ferry_sys_handle_dup(mo, FERRY_RIGHT_SAME, &dup), 0);
	UEXPECT_EQ(refs_of(mo), 2);
	struct ferry_map_req req = {0, 4096, FERRY_PROT_READ | FERRY_PROT_WRITE, 0};
	uintptr_t addr = 0;
	UEXPECT_EQ(ferry_sys_vm_map(0, mo, 0, &req, &addr), 0);
	UEXPECT_EQ(refs_of(mo), 3);
	struct ferry_msg m = msg(5, NULL);
	m.nhandles = 1;
	m.handles[0] = dup; /* moved: now held by the queued message */
	UEXPECT_EQ(ferry_sys_msg_send(p, &m, 0), 0);
	UEXPECT_EQ(refs_of(mo), 3);
	UEXPECT_EQ(ferry_sys_msg_recv(q, &m, 0), 0);
	UEXPECT_EQ(m.nhandles, 1);
	UEXPECT_EQ(refs_of(mo), 3);
	ferry_sys_handle_close(m.handles[0]);
	UEXPECT_EQ(refs_of(mo), 2);
	UEXPECT_EQ(ferry_sys_vm_unmap(0, addr, 4096), 0);
	UEXPECT_EQ(refs_of(mo), 1);
	ferry_sys_handle_close(mo);
	UEXPECT_EQ(refs_of(mo), -1);
	ferry_sys_handle_close(p);
	ferry_sys_handle_close(q);
}

/* Page faults resolved since boot. */
static uint64_t
faults_now(void)
{
	uint64_t v = 0;
	ferry_sys_kernel_info(FERRY_INFO_PAGE_FAULTS, &v);
	return v;
}

UTEST(vm_populate, "IPC0046",
      "vm_populate faults a mapped range in (no faults on use after), ENOMEM for a hole, "
      "EINVAL for bad ranges and flags")
{
	handle_t mo;
	UEXPECT_EQ(ferry_sys_memobj_create(4 * 4096, 0, &mo), 0);
	struct ferry_map_req req = {0, 4 * 4096, FERRY_PROT_READ | FERRY_PROT_WRITE, 0};
	uintptr_t a = 0;
	UEXPECT_EQ(ferry_sys_vm_map(0, mo, 0, &req, &a), 0);
	ferry_sys_handle_close(mo);
	UEXPECT_EQ(ferry_sys_vm_populate(0, a, 4 * 4096, FERRY_VM_CHECK_ONLY), 0);
	uint64_t before = faults_now();
	UEXPECT_EQ(ferry_sys_vm_populate(0, a, 4 * 4096, 0), 0);
	UEXPECT(faults_now() >= before + 4);
	before = faults_now();
	volatile uint8_t sum = 0;
	for (int i = 0; i < 4; i++)
		sum += ((volatile uint8_t *)a)[i * 4096];
	(void)sum;
	UEXPECT_EQ(faults_now(), before); /* already there: reads do not fault */
	UEXPECT_EQ(ferry_sys_vm_unmap(0, a + 4096, 4096), 0);
	UEXPECT_EQ(ferry_sys_vm_populate(0, a, 4 * 4096, 0), -FERRY_ENOMEM);
	UEXPECT_EQ(ferry_sys_vm_populate(0, a, 4 * 4096, FERRY_VM_CHECK_ONLY), -FERRY_ENOMEM);
	UEXPECT_EQ(ferry_sys_vm_populate(0, a + 2 * 4096, 2 * 4096, 0), 0);
	UEXPECT_EQ(ferry_sys_vm_populate(0, a + 1, 4096, 0), -FERRY_EINVAL);
	UEXPECT_EQ(ferry_sys_vm_populate(0, a, 100, 0), -FERRY_EINVAL);
	UEXPECT_EQ(ferry_sys_vm_populate(0, a, 0, 0), -FERRY_EINVAL);
	UEXPECT_EQ(ferry_sys_vm_populate(0, a, 4096, 2), -FERRY_EINVAL);
	UEXPECT_EQ(ferry_sys_vm_populate(0, (uintptr_t)-4096, 8192, 0), -FERRY_EINVAL);
	UEXPECT_EQ(ferry_sys_vm_populate(12345, a, 4096, 0), -FERRY_EBADH);
	ferry_sys_vm_unmap(0, a, 4 * 4096);
}

int
main(void)
{
	if (ustart) {
		const char *r = ustart->cmd;
		if (!strcmp(r, "echo"))
			return role_echo();
		if (!strcmp(r, "die-on-call"))
			return role_die_on_call();
		if (!strcmp(r, "caller"))
			return role_caller();
		if (!strcmp(r, "exit"))
			return role_exit();
		if (!strcmp(r, "hold"))
			return role_hold();
		if (!strcmp(r, "fault"))
			return role_fault();
		if (!strcmp(r, "fault-after"))
			return role_fault_after();
		if (!strcmp(r, "priv"))
			return role_priv();
		if (!strcmp(r, "badsys"))
			return role_badsys();
		if (!strcmp(r, "filler"))
			return role_filler();
		if (!strcmp(r, "ioport"))
			return role_ioport();
		if (!strcmp(r, "ticker"))
			return role_ticker();
		if (!strcmp(r, "tail"))
			return role_tail();
		int code = upcall_role(r);
		return code >= 0 ? code : 99;
	}
	char buf[64];
	const char *filter = ucmdline_get("only", buf, sizeof(buf));
	return utest_run("ipc", filter ? filter : "") ? 1 : 0;
}
