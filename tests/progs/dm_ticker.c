// SPDX-License-Identifier: MIT
/*
 * dm_ticker PREFIX PERIOD_MS SECONDS: a process the daemon did not start.
 * Prints its pid, then writes "PREFIX <n>\n" to /dev/null every PERIOD_MS
 * for SECONDS, so that a bundle can be checked for its writes before and
 * after a trigger.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec ts;
	char line[256];
	long period, n, i;
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: dm_ticker PREFIX PERIOD_MS SECONDS\n");
		return 2;
	}
	period = atol(argv[2]);
	n = atol(argv[3]) * 1000 / (period > 0 ? period : 1);
	fd = open("/dev/null", O_WRONLY);
	if (fd < 0)
		return 1;
	printf("%d\n", (int)getpid());
	fflush(stdout);
	ts.tv_sec = period / 1000;
	ts.tv_nsec = (period % 1000) * 1000000L;
	for (i = 0; i < n; i++) {
		int len = snprintf(line, sizeof(line), "%s %ld\n", argv[1], i);

		if (write(fd, line, (size_t)len) != len)
			return 1;
		nanosleep(&ts, NULL);
	}
	return 0;
}
