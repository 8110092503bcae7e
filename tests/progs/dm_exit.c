// SPDX-License-Identifier: MIT
/* dm_exit CODE [DELAY_MS]: exit with CODE after DELAY_MS (default 100). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
	struct timespec ts;
	long ms = argc > 2 ? atol(argv[2]) : 100;

	if (argc < 2) {
		fprintf(stderr, "usage: dm_exit CODE [DELAY_MS]\n");
		return 2;
	}
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
	return atoi(argv[1]);
}
