// SPDX-License-Identifier: MIT
/*
 * rp_raw_basic: a program without libc for replay unit tests.
 *
 *   rp_raw_basic FILE [uring]
 *
 * Copies FILE to stdout 8 bytes at a time, then prints the realtime clock,
 * 8 random bytes in hex, the time-stamp counter, and a word it stored in an
 * anonymous mapping; exits with status 7.  Exactly these system calls:
 * openat, read (until 0), write per read, close, clock_gettime, write,
 * getrandom, write, write (tsc), mmap, write, munmap, exit_group.  With
 * "uring", an io_uring_setup first (a call replay refuses).
 */
#include "rp_raw.h"

struct timespec {
	long tv_sec;
	long tv_nsec;
};

int raw_main(int argc, char **argv, char **envp)
{
	char buf[64], num[24];
	struct timespec ts;
	unsigned char rnd[8];
	static const char hex[] = "0123456789abcdef";
	long fd, n, i;
	char *map;

	(void)envp;
	if (argc < 2) {
		raw_puts(2, "usage: rp_raw_basic FILE\n");
		return 2;
	}
	if (argc > 2 && argv[2][0] == 'u') {
		/* "uring": a call replay does not support */
		long params[16] = { 0 };

		raw_syscall3(425 /* io_uring_setup */, 8, params, 0);
	}
	fd = raw_syscall6(SYS_openat, AT_FDCWD, (long)argv[1], O_RDONLY, 0, 0, 0);
	if (fd < 0) {
		raw_puts(2, "rp_raw_basic: cannot open the file\n");
		return 1;
	}
	while ((n = raw_syscall3(SYS_read, fd, buf, 8)) > 0)
		raw_syscall3(SYS_write, 1, buf, n);
	raw_syscall3(SYS_close, fd, 0, 0);

	raw_syscall3(SYS_clock_gettime, 0, &ts, 0);
	n = 0;
	memcpy(buf, "time=", 5);
	n = 5;
	n += raw_utoa((uint64_t)ts.tv_sec, buf + n);
	buf[n++] = '.';
	n += raw_utoa((uint64_t)ts.tv_nsec, buf + n);
	buf[n++] = '\n';
	raw_syscall3(SYS_write, 1, buf, n);

	raw_syscall3(SYS_getrandom, rnd, 8, 0);
	memcpy(buf, "random=", 7);
	n = 7;
	for (i = 0; i < 8; i++) {
		buf[n++] = hex[rnd[i] >> 4];
		buf[n++] = hex[rnd[i] & 15];
	}
	buf[n++] = '\n';
	raw_syscall3(SYS_write, 1, buf, n);

	memcpy(buf, "tsc=", 4);
	n = 4 + raw_utoa(raw_rdtsc(), buf + 4);
	buf[n++] = '\n';
	raw_syscall3(SYS_write, 1, buf, n);

	map = (char *)raw_syscall6(SYS_mmap, 0, 4096, 3 /* RW */, 0x22 /* PRIVATE|ANON */, -1, 0);
	if ((long)map < 0 && (long)map > -4096)
		return 1;
	memcpy(map, "mapped\n", 7);
	raw_syscall3(SYS_write, 1, map, 7);
	raw_syscall3(SYS_munmap, map, 4096, 0);
	(void)num;
	return 7;
}
