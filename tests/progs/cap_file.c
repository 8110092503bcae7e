// SPDX-License-Identifier: MIT
/*
 * cap_file: read a file with read() and with mmap(), for `flightrec record`.
 *
 *   cap_file PATH
 *
 * Writes 3 x 4096 + 100 bytes of a pattern (byte i is 'a' + i % 26) to
 * PATH, then opens it again, reads the first 5000 bytes with read(), maps
 * the whole file and sums the bytes of the mapping, and prints
 * "read 5000 sum S" where S is the sum over the mapping.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define SIZE (3 * 4096 + 100)

int main(int argc, char **argv)
{
	char *buf, *m;
	long sum = 0, i;
	int fd;

	if (argc != 2)
		return 2;
	buf = malloc(SIZE);
	if (!buf)
		return 1;
	for (i = 0; i < SIZE; i++)
		buf[i] = (char)('a' + i % 26);
	fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, buf, SIZE) != SIZE || close(fd))
		return 1;
	fd = open(argv[1], O_RDONLY);
	if (fd < 0 || read(fd, buf, 5000) != 5000)
		return 1;
	m = mmap(NULL, SIZE, PROT_READ, MAP_PRIVATE, fd, 0);
	if (m == MAP_FAILED)
		return 1;
	for (i = 0; i < SIZE; i++)
		sum += (unsigned char)m[i];
	munmap(m, SIZE);
	close(fd);
	printf("read 5000 sum %ld\n", sum);
	return 0;
}
