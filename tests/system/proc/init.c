// SPDX-License-Identifier: MIT
/* pid 1 of the proc suite: reaps whatever is reparented to it, forever. */
#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>

int
main(void)
{
	for (;;) {
		if (wait(NULL) < 0 && errno == ECHILD)
			usleep(20000);
	}
}
