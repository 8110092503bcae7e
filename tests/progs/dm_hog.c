// SPDX-License-Identifier: MIT
/* dm_hog MAX_MB: allocates and touches memory 1 MiB at a time, up to MAX_MB
 * (in a small memory cgroup the OOM killer ends it first). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv)
{
	struct timespec ts = { 0, 2000000L };
	long max = argc > 1 ? atol(argv[1]) : 1024, i;

	for (i = 0; i < max; i++) {
		char *p = malloc(1 << 20);

		if (!p)
			return 1;
		memset(p, (int)i, 1 << 20);
		nanosleep(&ts, NULL);
	}
	fprintf(stderr, "dm_hog: allocated %ld MiB without being killed\n", max);
	return 0;
}
