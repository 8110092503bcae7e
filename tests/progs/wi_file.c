// SPDX-License-Identifier: MIT
/*
 * wi_file: print files, for what-if replay tests.
 *
 *   wi_file FILE...
 *       for each FILE: open it, read it 64 bytes at a time, print
 *       "== FILE (N bytes) ==" and its content on stdout.  A file that
 *       cannot be read: "wi_file: FILE: <error>" on stderr, exit 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int show(const char *name)
{
	char buf[64], all[65536];
	size_t got = 0;
	ssize_t n;
	int fd = open(name, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while ((n = read(fd, buf, sizeof(buf))) > 0 && got + (size_t)n <= sizeof(all)) {
		memcpy(all + got, buf, (size_t)n);
		got += (size_t)n;
	}
	close(fd);
	if (n < 0)
		return -1;
	printf("== %s (%zu bytes) ==\n", name, got);
	fwrite(all, 1, got, stdout);
	return 0;
}

int main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (show(argv[i]) < 0) {
			fprintf(stderr, "wi_file: %s: %s\n", argv[i], strerror(errno));
			return 1;
		}
	return 0;
}
