/* SPDX-License-Identifier: MIT */
/* LIBC-050..057: failing calls set the right errno. */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "libc_test.h"

#define FAILS_WITH(call, err) (errno = 0, (call) == -1 && errno == (err))

int
main(void)
{
	CHECK("LIBC-050", "close(-1) is EBADF", FAILS_WITH(close(-1), EBADF));
	CHECK("LIBC-051", "write(-1) is EBADF", FAILS_WITH(write(-1, "x", 1), EBADF));
	errno = 0;
	CHECK("LIBC-052", "mmap of length 0 is EINVAL",
	      mmap(0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED &&
	              errno == EINVAL);
	CHECK("LIBC-053", "munmap of an unaligned address is EINVAL",
	      FAILS_WITH(munmap((void *)1, 4096), EINVAL));
	CHECK("LIBC-054", "an unknown system call number is ENOSYS",
	      FAILS_WITH(syscall(100000), ENOSYS));
	CHECK("LIBC-055", "clock_gettime on a bad clock id is EINVAL",
	      FAILS_WITH(clock_gettime(12345, &(struct timespec){0}), EINVAL));
	CHECK("LIBC-056", "nanosleep with tv_nsec = 1e9 is EINVAL",
	      FAILS_WITH(nanosleep(&(struct timespec){0, 1000000000}, 0), EINVAL));
	struct timespec ts;
	errno = 1234;
	CHECK("LIBC-057", "a successful call leaves errno alone",
	      clock_gettime(CLOCK_MONOTONIC, &ts) == 0 && errno == 1234);
	return libc_test_failures;
}
