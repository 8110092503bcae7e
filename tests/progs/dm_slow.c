// SPDX-License-Identifier: MIT
/* dm_slow MS: after 50 ms, one system call (nanosleep) that takes MS. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
	struct timespec warm = { 0, 50000000L }, ts;
	long ms;

	if (argc != 2) {
		fprintf(stderr, "usage: dm_slow MS\n");
		return 2;
	}
	ms = atol(argv[1]);
	nanosleep(&warm, NULL);
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
	return 0;
}
