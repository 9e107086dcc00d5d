// SPDX-License-Identifier: MIT
/*
 * fork of a multi-threaded process (suite threadpx, run by posixsrv before
 * pipes, so fork goes through procmgr): THR-F001..
 *   - fork while other threads keep malloc busy, 100 times; each child
 *     mallocs, frees and exits 0 (no allocator lock copied held);
 *   - the child has one thread: the parent's other threads do not run in
 *     it and their ids are not its threads; it can make threads of its own;
 *   - pthread_atfork handlers run prepare in reverse order of registration,
 *     parent and child in order, also when a secondary thread forks;
 *   - fork while other threads are blocked in a pipe read and a condition
 *     wait: the child works, the parent's blocked threads still wake;
 *   - the child's pthread_self, gettid, getpid and getppid;
 *   - mutexes held by other threads at fork stay held in the child (EBUSY,
 *     EPERM), can be initialised again there, and are untouched in the
 *     parent; a mutex held by the forking thread can be unlocked in both;
 *   - a forked child filling memory with malloc gets NULL and ENOMEM, not
 *     a fatal page fault (anonymous mappings the quota cannot back are
 *     refused), as the Open POSIX tests pthread_mutex_init 5-1 and
 *     pthread_cond_init 4-1 do it.
 * Every child reports through its exit status; the parent waits for it
 * with a time limit and kills it past that, so a child stuck on a copied
 * lock is a FAIL line, not a hung suite.  The FAIL lines carry the
 * failures and the program exits 0: a nonzero status means it died, which
 * the suite's command reports as FAIL THR-F000 (tests/system/suites.txt).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "thread_test.h"

#define CHILD_LIMIT_MS 20000

/*
 * Waits for pid for at most ms milliseconds.  Returns its exit status
 * (0..255), 1000 + the signal that killed it, -1 on a waitpid error, or
 * -2 after killing it at the limit.
 */
static int
wait_child(pid_t pid, long ms)
{
	long long end = now_ns() + ms * 1000000LL;
	int st;

	for (;;) {
		pid_t r = waitpid(pid, &st, WNOHANG);
		if (r == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : 1000 + WTERMSIG(st);
		if (r < 0)
			return -1;
		if (now_ns() > end) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			return -2;
		}
		usleep(2000);
	}
}

static pid_t
tid_now(void)
{
	return (pid_t)syscall(SYS_gettid);
}

/* ---- THR-F001: fork while other threads keep malloc busy ---- */

enum { MALLOC_THREADS = 3, FORKS = 100 };

static volatile int stop_malloc;
static volatile long malloc_rounds;

static void *
malloc_loop(void *arg)
{
	unsigned seed = (unsigned)(uintptr_t)arg;
	void *keep[16] = {0};

	while (!stop_malloc) {
		seed = seed * 1103515245u + 12345u;
		unsigned i = (seed >> 8) % 16;
		free(keep[i]);
		/* Small sizes share groups, large ones are mmapped: both paths. */
		size_t n = (seed >> 12) % 4 == 0 ? 70000 + (seed >> 16) % 9000
		                                 : 1 + (seed >> 16) % 700;
		keep[i] = malloc(n);
		if (keep[i])
			memset(keep[i], (int)i, n < 64 ? n : 64);
		__atomic_fetch_add(&malloc_rounds, 1, __ATOMIC_RELAXED);
	}
	for (int i = 0; i < 16; i++)
		free(keep[i]);
	return 0;
}

/* What every child does with the allocator; exits 0 if all went well. */
static void
child_malloc_exit(void)
{
	void *p[64];
	for (int i = 0; i < 64; i++) {
		p[i] = malloc((size_t)(i % 8 == 0 ? 100000 : 16 + i * 24));
		if (!p[i])
			_exit(3);
		memset(p[i], 0x5a, 16);
	}
	for (int i = 0; i < 64; i++)
		free(p[i]);
	char *s = strdup("child");
	if (!s || strcmp(s, "child") != 0)
		_exit(4);
	free(s);
	exit(0); /* the full exit: atexit, stdio flush (their locks too) */
}

static void
t_fork_malloc(void)
{
	pthread_t t[MALLOC_THREADS];
	int bad = 0, first_bad = 0, made = 0;

	stop_malloc = 0;
	for (int i = 0; i < MALLOC_THREADS; i++)
		made += pthread_create(&t[i], 0, malloc_loop, (void *)(uintptr_t)(i + 1)) == 0;
	for (int k = 0; k < FORKS && made == MALLOC_THREADS; k++) {
		long before = malloc_rounds;
		/* Fork when the threads are mid-loop, not all parked at once. */
		while (malloc_rounds - before < 3)
			sched_yield();
		pid_t pid = fork();
		if (pid == 0)
			child_malloc_exit();
		int st = pid < 0 ? -100 - errno : wait_child(pid, CHILD_LIMIT_MS);
		if (st != 0 && !bad++)
			first_bad = st;
	}
	stop_malloc = 1;
	for (int i = 0; i < made; i++)
		pthread_join(t[i], 0);
	if (bad)
		say("  %d of %d forks failed, first status %d\n", bad, FORKS, first_bad);
	CHECK("THR-F001", "100 forks while 3 threads malloc/free: each child mallocs and exits 0",
	      made == MALLOC_THREADS && bad == 0);
}

/* ---- THR-F002..F004: the child has one thread ---- */

static volatile unsigned long spin_count;
static volatile int spin_stop;
static volatile pid_t spin_tid;

static void *
spinner(void *arg)
{
	(void)arg;
	spin_tid = tid_now();
	while (!spin_stop) {
		spin_count++;
		sched_yield();
	}
	return 0;
}

static void *
child_thread(void *arg)
{
	return (void *)((uintptr_t)arg * 2);
}

/* In the child: the parent's spinner is absent, new threads work. Exit code = failed check. */
static void
child_one_thread(void)
{
	unsigned long c = spin_count;
	usleep(100000);
	if (spin_count != c)
		_exit(1); /* the spinner runs here too */
	if (syscall(SYS_tgkill, getpid(), spin_tid, 0) != -1 || errno != ESRCH)
		_exit(2); /* its id names a thread of ours */
	if (syscall(SYS_tkill, spin_tid, 0) != -1 || errno != ESRCH)
		_exit(2);
	for (int i = 0; i < 4; i++) {
		pthread_t t;
		void *res = 0;
		if (pthread_create(&t, 0, child_thread, (void *)(uintptr_t)(i + 5)) != 0)
			_exit(3);
		if (pthread_join(t, &res) != 0 || (uintptr_t)res != (uintptr_t)(i + 5) * 2)
			_exit(4);
	}
	exit(0);
}

static void
t_one_thread(void)
{
	pthread_t t;
	int ok = pthread_create(&t, 0, spinner, 0) == 0;
	while (ok && (!spin_tid || spin_count < 10))
		sched_yield();
	pid_t pid = fork();
	if (pid == 0)
		child_one_thread();
	int st = pid < 0 ? -1 : wait_child(pid, CHILD_LIMIT_MS);
	if (st)
		say("  child status %d\n", st);
	CHECK("THR-F002", "child: the parent's other thread does not run in it",
	      ok && st != 1 && st >= 0);
	CHECK("THR-F003", "child: tgkill/tkill of the parent's other thread id is ESRCH",
	      ok && st != 2 && st >= 0);
	CHECK("THR-F004", "child: makes and joins 4 threads of its own", ok && st == 0);
	unsigned long c = spin_count;
	usleep(50000);
	CHECK("THR-F005", "parent: the other thread still runs after the fork", spin_count != c);
	spin_stop = 1;
	if (ok)
		pthread_join(t, 0);
}

/* ---- THR-F006..F007: pthread_atfork order ---- */

static char order[64];
static volatile int order_len;

static void
note(char c)
{
	if (order_len < (int)sizeof order - 1)
		order[order_len++] = c;
}

/*
 * A handler may use descriptors: libposix's fd-table lock must not be
 * held while the application's handlers run (a registered before the
 * first thread, so with libposix's former atfork handlers, a's prepare
 * ran after libposix's had taken the lock, and a's child handler before
 * libposix's had freed it: both deadlocked).
 */
static void
note_fd(char c)
{
	int fd = dup(2);
	note(fd >= 0 && close(fd) == 0 ? c : '!');
}

#define HANDLER(name, body)                                                                        \
	static void name(void)                                                                     \
	{                                                                                          \
		body;                                                                              \
	}
HANDLER(prep_a, note_fd('a'))
HANDLER(prep_b, note('b'))
HANDLER(prep_c, note('c'))
HANDLER(parent_a, note('A'))
HANDLER(parent_b, note('B'))
HANDLER(parent_c, note('C'))
HANDLER(child_a, note_fd('1'))
HANDLER(child_b, note('2'))
HANDLER(child_c, note('3'))

/* Forks and returns 1 if the parent's and child's handler orders are right. */
static int
fork_check_order(void)
{
	order_len = 0;
	memset(order, 0, sizeof order);
	pid_t pid = fork();
	if (pid == 0)
		_exit(strcmp(order, "cba123") == 0 ? 0 : 1);
	int st = pid < 0 ? -1 : wait_child(pid, CHILD_LIMIT_MS);
	if (st || strcmp(order, "cbaABC") != 0)
		say("  parent order \"%s\", child status %d\n", order, st);
	return st == 0 && strcmp(order, "cbaABC") == 0;
}

static void *
fork_order_thread(void *arg)
{
	(void)arg;
	return (void *)(uintptr_t)fork_check_order();
}

static void
t_atfork(void)
{
	int reg = pthread_atfork(prep_a, parent_a, child_a) == 0 &&
	          pthread_atfork(prep_b, parent_b, child_b) == 0 &&
	          pthread_atfork(prep_c, parent_c, child_c) == 0;
	CHECK("THR-F006",
	      "pthread_atfork: prepare c,b,a; parent A,B,C; child 1,2,3; a and 1 dup and close "
	      "(main thread)",
	      reg && fork_check_order());
	pthread_t t;
	void *res = 0;
	/* Timed: a fork deadlocked in a handler is a FAIL line, not a hung suite. */
	struct timespec limit = deadline_ms(30000);
	int ok = pthread_create(&t, 0, fork_order_thread, 0) == 0 &&
	         pthread_timedjoin_np(t, &res, &limit) == 0;
	CHECK("THR-F007", "pthread_atfork: the same, with threads, when a secondary thread forks",
	      reg && ok && (uintptr_t)res == 1);
}

/* ---- THR-F008..F009: fork while other threads block in read and in a futex ---- */

static int block_pipe[2];
static pthread_mutex_t block_mx = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t block_cv = PTHREAD_COND_INITIALIZER;
static int block_flag, block_waiting;
static volatile long block_read = -1;

static void *
pipe_reader(void *arg)
{
	char c;
	(void)arg;
	block_read = read(block_pipe[0], &c, 1) == 1 && c == 'p';
	return 0;
}

static void *
cond_waiter(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&block_mx);
	block_waiting = 1;
	while (!block_flag)
		pthread_cond_wait(&block_cv, &block_mx);
	pthread_mutex_unlock(&block_mx);
	return 0;
}

/* In the child: its own pipe and condition variable work; the copies of the parent's are idle. */
static void
child_blocked_peers(void)
{
	int p[2];
	char buf[8];
	if (pipe(p) || write(p[1], "xyz", 3) != 3 || read(p[0], buf, sizeof buf) != 3)
		_exit(1);
	/* The copied mutex is free (the waiter released it inside cond_wait). */
	if (pthread_mutex_trylock(&block_mx) != 0)
		_exit(2);
	struct timespec ts = deadline_ms(50);
	if (pthread_cond_timedwait(&block_cv, &block_mx, &ts) != ETIMEDOUT)
		_exit(3);
	pthread_mutex_unlock(&block_mx);
	exit(0);
}

static void
t_blocked_peers(void)
{
	pthread_t r, w;
	int ok = pipe(block_pipe) == 0 && pthread_create(&r, 0, pipe_reader, 0) == 0 &&
	         pthread_create(&w, 0, cond_waiter, 0) == 0;
	for (int i = 0; ok && i < 2000; i++) {
		pthread_mutex_lock(&block_mx);
		int waiting = block_waiting;
		pthread_mutex_unlock(&block_mx);
		if (waiting)
			break;
		usleep(1000);
	}
	usleep(50000); /* the reader is in read by now */
	pid_t pid = fork();
	if (pid == 0)
		child_blocked_peers();
	int st = pid < 0 ? -1 : wait_child(pid, CHILD_LIMIT_MS);
	if (st)
		say("  child status %d\n", st);
	CHECK("THR-F008",
	      "fork while threads block in read and cond_wait: the child runs and exits 0",
	      ok && st == 0);
	long long t0 = now_ns();
	write(block_pipe[1], "p", 1);
	pthread_mutex_lock(&block_mx);
	block_flag = 1;
	pthread_cond_signal(&block_cv);
	pthread_mutex_unlock(&block_mx);
	if (ok) {
		pthread_join(r, 0);
		pthread_join(w, 0);
	}
	CHECK("THR-F009", "parent: the blocked reader and waiter wake after the fork",
	      ok && block_read == 1 && now_ns() - t0 < 5000000000LL);
	close(block_pipe[0]);
	close(block_pipe[1]);
}

/* ---- THR-F010..F012: the child's identity ---- */

struct ident {
	pthread_t self;
	pid_t pid, ppid, tid;
	int errorcheck_ok;
};

static int id_pipe[2];

static void *
fork_ident_thread(void *arg)
{
	struct ident *parent_view = arg;
	parent_view->self = pthread_self();
	parent_view->tid = tid_now();
	parent_view->pid = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		struct ident c = {pthread_self(), getpid(), getppid(), tid_now(), 0};
		pthread_mutex_t m;
		pthread_mutexattr_t a;
		/* An error-checking mutex records the owner's tid (musl's self->tid). */
		pthread_mutexattr_init(&a);
		pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
		pthread_mutex_init(&m, &a);
		c.errorcheck_ok =
		        pthread_mutex_lock(&m) == 0 && pthread_mutex_lock(&m) == EDEADLK &&
		        pthread_mutex_unlock(&m) == 0 && pthread_mutex_unlock(&m) == EPERM;
		_exit(write(id_pipe[1], &c, sizeof c) == sizeof c ? 0 : 1);
	}
	return (void *)(intptr_t)pid;
}

static void
t_identity(void)
{
	struct ident pv = {0}, c = {0};
	pthread_t t;
	void *res = 0;
	int ok = pipe(id_pipe) == 0 && pthread_create(&t, 0, fork_ident_thread, &pv) == 0 &&
	         pthread_join(t, &res) == 0;
	pid_t pid = (pid_t)(intptr_t)res;
	int st = ok && pid > 0 ? wait_child(pid, CHILD_LIMIT_MS) : -1;
	ok = ok && st == 0 && read(id_pipe[0], &c, sizeof c) == (long)sizeof c;
	if (!ok)
		say("  fork %d, child status %d\n", (int)pid, st);
	CHECK("THR-F010", "child: pthread_self is the forking thread's; getpid is fork's result",
	      ok && pthread_equal(c.self, pv.self) && c.pid == pid);
	CHECK("THR-F011",
	      "child: getppid is the parent; gettid is its own, not the forking thread's",
	      ok && c.ppid == pv.pid && c.tid > 0 && c.tid != pv.tid);
	CHECK("THR-F012", "child: an error-checking mutex knows its owner (EDEADLK, EPERM)",
	      ok && c.errorcheck_ok);
	close(id_pipe[0]);
	close(id_pipe[1]);
}

/* ---- THR-F013..F015: mutexes held at fork ---- */

static pthread_mutex_t held_normal = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t held_check, own_normal = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t hold_go = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t hold_cv = PTHREAD_COND_INITIALIZER;
static int hold_state; /* 1: both held; 2: may release */

static void *
holder(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&held_normal);
	pthread_mutex_lock(&held_check);
	pthread_mutex_lock(&hold_go);
	hold_state = 1;
	pthread_cond_broadcast(&hold_cv);
	while (hold_state != 2)
		pthread_cond_wait(&hold_cv, &hold_go);
	pthread_mutex_unlock(&hold_go);
	pthread_mutex_unlock(&held_check);
	pthread_mutex_unlock(&held_normal);
	return 0;
}

static void
child_held(void)
{
	if (pthread_mutex_trylock(&held_normal) != EBUSY)
		_exit(1);
	if (pthread_mutex_trylock(&held_check) != EBUSY ||
	    pthread_mutex_unlock(&held_check) != EPERM)
		_exit(2);
	struct timespec ts = deadline_ms(50);
	if (pthread_mutex_timedlock(&held_normal, &ts) != ETIMEDOUT)
		_exit(3);
	/* A fresh initialisation gives the child a usable mutex. */
	if (pthread_mutex_init(&held_normal, 0) || pthread_mutex_lock(&held_normal) ||
	    pthread_mutex_unlock(&held_normal))
		_exit(4);
	/* The forking thread's own mutex is ours to unlock. */
	if (pthread_mutex_unlock(&own_normal) || pthread_mutex_trylock(&own_normal) ||
	    pthread_mutex_unlock(&own_normal))
		_exit(5);
	exit(0);
}

static void
t_held(void)
{
	pthread_mutexattr_t a;
	pthread_t t;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_init(&held_check, &a);
	int ok = pthread_create(&t, 0, holder, 0) == 0;
	pthread_mutex_lock(&hold_go);
	while (ok && hold_state != 1)
		pthread_cond_wait(&hold_cv, &hold_go);
	pthread_mutex_unlock(&hold_go);
	pthread_mutex_lock(&own_normal);
	pid_t pid = fork();
	if (pid == 0)
		child_held();
	int st = pid < 0 ? -1 : wait_child(pid, CHILD_LIMIT_MS);
	if (st)
		say("  child status %d\n", st);
	CHECK("THR-F013", "child: mutexes another thread held are busy (EBUSY, EPERM, ETIMEDOUT)",
	      ok && st >= 0 && st != 1 && st != 2 && st != 3);
	CHECK("THR-F014",
	      "child: re-initialised, such a mutex works; the forking thread's own unlocks",
	      st == 0);
	int own = pthread_mutex_unlock(&own_normal);
	pthread_mutex_lock(&hold_go);
	hold_state = 2;
	pthread_cond_broadcast(&hold_cv);
	pthread_mutex_unlock(&hold_go);
	if (ok)
		pthread_join(t, 0);
	int after = pthread_mutex_trylock(&held_normal) == 0 &&
	            pthread_mutex_unlock(&held_normal) == 0 &&
	            pthread_mutex_trylock(&held_check) == 0 &&
	            pthread_mutex_unlock(&held_check) == 0;
	CHECK("THR-F015", "parent: the holder releases after the fork, the mutexes work",
	      ok && own == 0 && after);
}

/* ---- THR-F016..F017: memory full in a forked child ---- */

/*
 * Clang assumes that malloc leaves errno alone and may read errno before
 * the call; called through this pointer, malloc is an unknown function.
 */
static void *(*volatile malloc_opaque)(size_t) = malloc;

/* Exit code: 0, or the number of the check that failed. */
static void
child_fill_memory(void)
{
	void *prev = 0, *p;
	long pages = 0, smalls = 0;

	errno = 0;
	while ((p = malloc_opaque(4096))) {
		*(void **)p = prev; /* touches each page: a fault past the quota would kill us */
		prev = p;
		pages++;
	}
	if (errno != ENOMEM || pages < 256) {
		say("  child: %ld pages, errno %d\n", pages, errno);
		_exit(1);
	}
	errno = 0;
	while ((p = malloc_opaque(sizeof(void *)))) {
		*(void **)p = prev;
		prev = p;
		smalls++;
	}
	if (errno != ENOMEM)
		_exit(2);
	while (prev) {
		p = prev;
		prev = *(void **)p;
		free(p);
	}
	p = malloc(1 << 20);
	if (!p)
		_exit(3);
	memset(p, 1, 1 << 20);
	free(p);
	exit(0);
}

static void
t_memory_full(void)
{
	pid_t pid = fork();
	if (pid == 0)
		child_fill_memory();
	int st = pid < 0 ? -1 : wait_child(pid, 60000);
	if (st)
		say("  child status %d\n", st);
	CHECK("THR-F016",
	      "forked child fills memory: malloc NULL with ENOMEM, frees, mallocs again", st == 0);

	const size_t big = 1UL << 30; /* far beyond the 64 MiB quota of a task */
	void *rw = mmap(0, big, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int rw_errno = errno;
	void *none = mmap(0, big, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	void *nores = mmap(0, big, PROT_READ | PROT_WRITE,
	                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	CHECK("THR-F017",
	      "mmap beyond the quota: ENOMEM; PROT_NONE and MAP_NORESERVE reservations succeed",
	      rw == MAP_FAILED && rw_errno == ENOMEM && none != MAP_FAILED && nores != MAP_FAILED);
	if (rw != MAP_FAILED)
		munmap(rw, big);
	if (none != MAP_FAILED)
		munmap(none, big);
	if (nores != MAP_FAILED)
		munmap(nores, big);
}

int
main(void)
{
	t_atfork(); /* first: the handlers then also run in every later fork */
	t_fork_malloc();
	t_one_thread();
	t_blocked_peers();
	t_identity();
	t_held();
	t_memory_full();
	say("fork: %d failed\n", thread_test_failures);
	return 0;
}
