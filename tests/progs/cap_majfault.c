// SPDX-License-Identifier: MIT
/*
 * cap_majfault: take major page faults, for `flightrec record` tests.
 *
 *   cap_majfault PATH [PAGES]
 *
 * Writes PAGES (default 256) pages to PATH, flushes them and drops them
 * from the page cache (fdatasync + POSIX_FADV_DONTNEED), maps the file
 * with MADV_RANDOM (no readahead) and touches every 4th page, so that each
 * touch reads a page from the disk.  Prints "majflt N" (the process's major
 * fault count for the touching loop, from getrusage) and "touched T".
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long pages = argc > 2 ? atol(argv[2]) : 256, i, pg = sysconf(_SC_PAGESIZE), touched = 0;
	struct rusage a, b;
	volatile char sink = 0;
	char *buf, *m;
	int fd;

	if (argc < 2 || pages <= 0)
		return 2;
	buf = malloc((size_t)pg);
	fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (!buf || fd < 0)
		return 1;
	for (i = 0; i < pages; i++) {
		memset(buf, (int)(i & 0xff), (size_t)pg);
		if (write(fd, buf, (size_t)pg) != pg)
			return 1;
	}
	if (fdatasync(fd) || posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED))
		return 1;
	m = mmap(NULL, (size_t)(pages * pg), PROT_READ, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED || madvise(m, (size_t)(pages * pg), MADV_RANDOM))
		return 1;
	getrusage(RUSAGE_SELF, &a);
	for (i = 0; i < pages; i += 4, touched++)
		sink += m[i * pg];
	getrusage(RUSAGE_SELF, &b);
	printf("majflt %ld\ntouched %ld\n", b.ru_majflt - a.ru_majflt, touched);
	munmap(m, (size_t)(pages * pg));
	close(fd);
	return 0;
}
