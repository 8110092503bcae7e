// SPDX-License-Identifier: MIT
/*
 * rp_readtime: reads stdin in chunks and prints, for each read, how many
 * bytes it got and how long the read took by the program's own clock
 * (clock_gettime(CLOCK_MONOTONIC) around it), in whole milliseconds.
 *
 *   rp_readtime [CHUNK]      default 16 bytes per read
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	size_t chunk = argc > 1 ? (size_t)atoi(argv[1]) : 16;
	char buf[4096];
	int i = 1;

	if (chunk < 1 || chunk > sizeof(buf))
		return 2;
	for (;; i++) {
		struct timespec a, b;
		ssize_t n;
		long ms;

		clock_gettime(CLOCK_MONOTONIC, &a);
		n = read(0, buf, chunk);
		clock_gettime(CLOCK_MONOTONIC, &b);
		ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
		printf("read %d: %zd bytes in %ld ms\n", i, n, ms);
		fflush(stdout);
		if (n <= 0)
			break;
	}
	return 0;
}
