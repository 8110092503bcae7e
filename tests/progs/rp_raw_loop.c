// SPDX-License-Identifier: MIT
/*
 * rp_raw_loop: a syscall-heavy or a compute-heavy loop without libc, for
 * the replay benchmark (tests/bench/replay_overhead.sh), whose recordings
 * are written by hand.
 *
 *   rp_raw_loop N read      N reads of 64 bytes from stdin, then one write
 *   rp_raw_loop N compute   N rounds of arithmetic, then one write
 *
 * System calls: the reads (if any), write(1, "<checksum>\n"), exit_group(0).
 */
#include "rp_raw.h"

static uint64_t parse(const char *s)
{
	uint64_t v = 0;

	while (*s >= '0' && *s <= '9')
		v = v * 10 + (uint64_t)(*s++ - '0');
	return v;
}

int raw_main(int argc, char **argv, char **envp)
{
	unsigned char buf[64];
	char out[32];
	uint64_t n, i, h = 1469598103934665603UL;
	size_t len;

	(void)envp;
	if (argc < 3)
		return 2;
	n = parse(argv[1]);
	if (argv[2][0] == 'r') {
		for (i = 0; i < n; i++) {
			if (raw_syscall3(SYS_read, 0, buf, 64) != 64)
				return 1;
			h = (h ^ buf[i & 63]) * 1099511628211UL;
		}
	} else {
		for (i = 0; i < n; i++)
			h = (h ^ i) * 1099511628211UL;
	}
	len = raw_utoa(h % 1000000007UL, out);
	out[len++] = '\n';
	raw_syscall3(SYS_write, 1, out, len);
	return 0;
}
