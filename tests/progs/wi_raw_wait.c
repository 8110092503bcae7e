// SPDX-License-Identifier: MIT
/*
 * wi_raw_wait: a program without libc for what-if replay unit tests.
 *
 *   wi_raw_wait TIMEOUT_MS
 *
 * Waits for its standard input to become readable, at most TIMEOUT_MS
 * (negative: for ever).  On a timeout it writes "timeout\n" and exits 1;
 * else it reads up to 64 bytes, writes "got: " and them, and exits 0.
 * Exactly these system calls: poll, then write and exit_group, or read,
 * write, exit_group.
 */
#include "rp_raw.h"

#define SYS_poll 7

struct pollfd {
	int fd;
	short events, revents;
};

static long atol_(const char *s)
{
	long v = 0, sign = 1;

	if (*s == '-') {
		sign = -1;
		s++;
	}
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (*s++ - '0');
	return sign * v;
}

int raw_main(int argc, char **argv, char **envp)
{
	struct pollfd p = {0, 1 /* POLLIN */, 0};
	char buf[70] = "got: ";
	long n;

	(void)envp;
	if (argc < 2) {
		raw_puts(2, "usage: wi_raw_wait TIMEOUT_MS\n");
		return 2;
	}
	if (raw_syscall3(SYS_poll, &p, 1, atol_(argv[1])) <= 0) {
		raw_puts(1, "timeout\n");
		return 1;
	}
	n = raw_syscall3(SYS_read, 0, buf + 5, 64);
	if (n < 0)
		n = 0;
	raw_syscall3(SYS_write, 1, buf, 5 + n);
	return 0;
}
