// SPDX-License-Identifier: MIT
/*
 * rp_clock: reads the clocks the way programs do, through libc and so the
 * vDSO (clock_gettime, gettimeofday, time), and prints what it saw.
 *
 *   rp_clock [N]     N rounds (default 5), 10 ms apart
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 5;
	struct timespec mono0, mono, real, pause = { 0, 10 * 1000 * 1000 };

	clock_gettime(CLOCK_MONOTONIC, &mono0);
	for (int i = 0; i < n; i++) {
		struct timeval tv;

		clock_gettime(CLOCK_MONOTONIC, &mono);
		clock_gettime(CLOCK_REALTIME, &real);
		gettimeofday(&tv, NULL);
		printf("round %d: monotonic +%ld.%09ld realtime %ld.%09ld timeofday %ld.%06ld time %ld\n",
		       i, (long)(mono.tv_sec - mono0.tv_sec) - (mono.tv_nsec < mono0.tv_nsec),
		       (mono.tv_nsec - mono0.tv_nsec + 1000000000L) % 1000000000L, (long)real.tv_sec,
		       real.tv_nsec, (long)tv.tv_sec, (long)tv.tv_usec, (long)time(NULL));
		nanosleep(&pause, NULL);
	}
	return 0;
}
