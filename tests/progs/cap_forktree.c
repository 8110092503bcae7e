// SPDX-License-Identifier: MIT
/*
 * cap_forktree: a small process tree for `flightrec record` tests.
 *
 *   cap_forktree [WIDTH] [DEPTH]
 *
 * The root forks WIDTH children; each child forks WIDTH children of its own,
 * down to DEPTH levels.  Every process writes one line "node LEVEL INDEX pid
 * PID ppid PPID" to stdout and exits with status 10 + LEVEL; parents check
 * their children's statuses.  The root exits 0 when everything went as
 * planned.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int node(int level, int index, int width, int depth)
{
	char line[128];
	int i, n, bad = 0;

	n = snprintf(line, sizeof(line), "node %d %d pid %d ppid %d\n", level, index, (int)getpid(),
		     (int)getppid());
	if (write(1, line, (size_t)n) != n)
		return 1;
	if (level >= depth)
		return 0;
	for (i = 0; i < width; i++) {
		pid_t p = fork();

		if (p < 0)
			return 1;
		if (p == 0)
			_exit(node(level + 1, i, width, depth) ? 1 : 10 + level + 1);
	}
	for (i = 0; i < width; i++) {
		int st;
		pid_t p = wait(&st);

		if (p < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 10 + level + 1)
			bad = 1;
	}
	return bad;
}

int main(int argc, char **argv)
{
	int width = argc > 1 ? atoi(argv[1]) : 2;
	int depth = argc > 2 ? atoi(argv[2]) : 2;

	return node(0, 0, width, depth);
}
