// SPDX-License-Identifier: MIT
/* dm_segv: after 300 ms, a write through a null pointer (SIGSEGV). */
#include <stdio.h>
#include <time.h>

int main(void)
{
	struct timespec ts = { 0, 300000000L };
	volatile int *p = NULL;

	nanosleep(&ts, NULL);
	fprintf(stderr, "dm_segv: crashing now\n");
	*p = 42;
	return 0;
}
