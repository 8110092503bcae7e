// SPDX-License-Identifier: MIT
/*
 * dm_flood SECONDS LINGER: writes "early-marker" to /dev/null once, then
 * floods /dev/null with 200-byte writes of varied text for SECONDS, then
 * writes "late-marker" and stays alive LINGER seconds.  With a tiny ring,
 * the early marker is evicted and the late one kept.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct timespec pause = { 0, 1000000L }, settle = { 0, 100000000L };
	char buf[200];
	double end;
	unsigned long i = 0;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: dm_flood SECONDS LINGER\n");
		return 2;
	}
	fd = open("/dev/null", O_WRONLY);
	if (fd < 0 || write(fd, "early-marker\n", 13) != 13)
		return 1;
	end = now() + atof(argv[1]);
	while (now() < end) {
		/* varied content: it must not compress to nothing */
		int n = snprintf(buf, sizeof(buf), "flood %lu %lx %lu", i, i * 2654435761UL,
				 i * i);

		memset(buf + n, 'a' + (int)(i % 26), sizeof(buf) - (size_t)n);
		if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
			return 1;
		/* a breath now and then: the point is to fill the daemon's ring,
		 * not to overflow the kernel's ring buffer */
		if (++i % 256 == 0)
			nanosleep(&pause, NULL);
	}
	nanosleep(&settle, NULL);
	if (write(fd, "late-marker\n", 12) != 12)
		return 1;
	printf("%lu\n", i);
	fflush(stdout);
	sleep((unsigned)atoi(argv[2]));
	return 0;
}
