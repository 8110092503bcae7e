// SPDX-License-Identifier: MIT
/*
 * cap_mem: memory pressure, for `flightrec record` tests (run it inside a
 * memory cgroup with a small limit).
 *
 *   cap_mem reclaim FILE   read FILE through the page cache: past the
 *                          limit, the cgroup reclaims; prints "read N"
 *   cap_mem oom MB         allocate and touch MB megabytes of anonymous
 *                          memory: past the limit (no swap), the OOM killer
 *                          kills it; prints "survived" if it was not
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static char buf[1 << 16];
	long total = 0, i, mb;
	ssize_t n;
	int fd;

	if (argc != 3)
		return 2;
	if (!strcmp(argv[1], "reclaim")) {
		fd = open(argv[2], O_RDONLY);
		if (fd < 0)
			return 1;
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			total += n;
		printf("read %ld\n", total);
		return 0;
	}
	mb = atol(argv[2]);
	for (i = 0; i < mb; i++) {
		char *p = malloc(1 << 20);

		if (!p)
			return 1;
		memset(p, (int)i, 1 << 20);
	}
	printf("survived\n");
	return 0;
}
