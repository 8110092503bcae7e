// SPDX-License-Identifier: MIT
/*
 * cap_clock: read the time through the vDSO, for `flightrec record`.
 *
 *   cap_clock [N]
 *
 * Calls clock_gettime(CLOCK_MONOTONIC) N times (default 1000) through the
 * C library (which uses the vDSO), then gettimeofday() and time() once, and
 * prints "last SEC NSEC" (the last monotonic value), "tv SEC USEC" and
 * "time T", and "monotonic yes" when the values never went back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000, i;
	struct timespec ts, prev = {0, 0};
	struct timeval tv;
	int mono = 1;
	time_t t;

	for (i = 0; i < n; i++) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		if (ts.tv_sec < prev.tv_sec ||
		    (ts.tv_sec == prev.tv_sec && ts.tv_nsec < prev.tv_nsec))
			mono = 0;
		prev = ts;
	}
	gettimeofday(&tv, NULL);
	t = time(NULL);
	printf("last %lld %ld\ntv %lld %ld\ntime %lld\nmonotonic %s\n", (long long)ts.tv_sec,
	       ts.tv_nsec, (long long)tv.tv_sec, (long)tv.tv_usec, (long long)t,
	       mono ? "yes" : "no");
	return 0;
}
