// SPDX-License-Identifier: MIT
/*
 * cap_pipe: two processes and a pipe, for `flightrec record` tests.
 *
 *   cap_pipe [BYTES]
 *
 * The parent writes BYTES (default 200000: larger than a default pipe and
 * than one payload piece) of a known pattern (byte i is 'A' + i % 23) into a
 * pipe in 10000-byte writes; the child reads it all, checks the pattern and
 * exits 0.  The parent prints "pipe BYTES ok" when the child succeeded.
 * The pipe is enlarged to hold everything and the child starts reading only
 * when all was written, so its reads are full 65536-byte reads whatever the
 * scheduling (a test checks that reads larger than a piece are recorded).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long bytes = argc > 1 ? atol(argv[1]) : 200000, i, off;
	int p[2], st;
	char *buf;
	pid_t pid;

	int go[2];
	char c;

	buf = malloc((size_t)bytes);
	if (!buf || pipe(p) || pipe(go))
		return 1;
	if (fcntl(p[1], F_SETPIPE_SZ, (int)bytes + 4096) < 0)
		perror("cap_pipe: F_SETPIPE_SZ"); /* still correct, reads may be short */
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		long got = 0;
		ssize_t r;

		close(p[1]);
		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		while ((r = read(p[0], buf + got,
				 (size_t)(bytes - got > 65536 ? 65536 : bytes - got))) > 0)
			got += r;
		for (i = 0; i < got; i++)
			if (buf[i] != (char)('A' + i % 23))
				_exit(1);
		_exit(got == bytes ? 0 : 1);
	}
	close(p[0]);
	for (i = 0; i < bytes; i++)
		buf[i] = (char)('A' + i % 23);
	for (off = 0; off < bytes;) {
		long n = bytes - off > 10000 ? 10000 : bytes - off;
		ssize_t w = write(p[1], buf + off, (size_t)n);

		if (w <= 0)
			return 1;
		off += w;
	}
	close(p[1]);
	c = 1;
	if (write(go[1], &c, 1) != 1)
		return 1;
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		return 1;
	printf("pipe %ld ok\n", bytes);
	return 0;
}
