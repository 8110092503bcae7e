// SPDX-License-Identifier: MIT
/*
 * rp_raw_threads: two threads without libc, for replay unit tests.
 *
 * The main thread creates two threads (clone), each writes one line to
 * stdout and exits; the main thread waits for both (futex on the
 * CLONE_CHILD_CLEARTID words: not part of a recording's ordered calls),
 * writes "main done" and exits 0.  The order of the three lines is decided
 * by the scheduler: a recording fixes it, and replay must reproduce it.
 * Ordered calls: clone, clone, write (each thread), exit (each thread),
 * write, exit_group.
 */
#include "rp_raw.h"

#define CLONE_VM 0x100
#define CLONE_FS 0x200
#define CLONE_FILES 0x400
#define CLONE_SIGHAND 0x800
#define CLONE_THREAD 0x10000
#define CLONE_SYSVSEM 0x40000
#define CLONE_PARENT_SETTID 0x100000
#define CLONE_CHILD_CLEARTID 0x200000
#define FUTEX_WAIT 0

static char stacks[2][16384] __attribute__((aligned(16)));
static int tids[2];

static int worker(void *arg)
{
	const char *line = arg;

	raw_puts(1, line);
	return 0;
}

int raw_main(int argc, char **argv, char **envp)
{
	static const char *lines[2] = { "thread one\n", "thread two\n" };
	unsigned long flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
			      CLONE_SYSVSEM | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID;
	int i;

	(void)argc;
	(void)argv;
	(void)envp;
	for (i = 0; i < 2; i++)
		if (raw_clone(flags, stacks[i] + sizeof(stacks[i]), &tids[i], &tids[i], worker,
			      (void *)lines[i]) < 0)
			return 1;
	for (i = 0; i < 2; i++) {
		int v;

		while ((v = *(volatile int *)&tids[i]) != 0)
			raw_syscall6(SYS_futex, (long)&tids[i], FUTEX_WAIT, v, 0, 0, 0);
	}
	raw_puts(1, "main done\n");
	return 0;
}
