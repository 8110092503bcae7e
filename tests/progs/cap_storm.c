// SPDX-License-Identifier: MIT
/*
 * cap_storm: the syscall storm of the capture benchmark.
 *
 *   cap_storm [N] [SIZE] [PATH]
 *
 * N write()s of SIZE bytes (default 1000000 x 64) to PATH (default
 * /dev/null), then prints the elapsed time in nanoseconds of the loop alone
 * and the CPU time the process used in it (user + system, from getrusage:
 * unlike the elapsed time, it does not count time spent waiting for a CPU
 * taken by others) on stdout: "storm N SIZE NS CPU_NS".  Each buffer is distinct (its first bytes
 * hold the iteration number) so that a recorder cannot get away with
 * capturing one.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000000;
	long size = argc > 2 ? atol(argv[2]) : 64;
	const char *path = argc > 3 ? argv[3] : "/dev/null";
	struct timespec a, b;
	struct rusage ra, rb;
	char *buf;
	long i;
	int fd;

	if (n < 0 || size <= 0 || size > (1 << 20)) {
		fprintf(stderr, "usage: cap_storm [N] [SIZE] [PATH]\n");
		return 2;
	}
	buf = malloc((size_t)size);
	fd = open(path, O_WRONLY);
	if (!buf || fd < 0) {
		perror("cap_storm");
		return 1;
	}
	memset(buf, 'x', (size_t)size);
	getrusage(RUSAGE_SELF, &ra);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < n; i++) {
		memcpy(buf, &i, sizeof(i) < (size_t)size ? sizeof(i) : (size_t)size);
		if (write(fd, buf, (size_t)size) != size) {
			perror("cap_storm: write");
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	getrusage(RUSAGE_SELF, &rb);
	printf("storm %ld %ld %lld %lld\n", n, size,
	       (long long)(b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec),
	       ((long long)(rb.ru_utime.tv_sec - ra.ru_utime.tv_sec) +
		(rb.ru_stime.tv_sec - ra.ru_stime.tv_sec)) * 1000000000LL +
		       ((long long)(rb.ru_utime.tv_usec - ra.ru_utime.tv_usec) +
			(rb.ru_stime.tv_usec - ra.ru_stime.tv_usec)) * 1000LL);
	return 0;
}
