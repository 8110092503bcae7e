// SPDX-License-Identifier: MIT
/*
 * rp_forks: forks N children (default 300) that exit at once, without
 * waiting for them until the end, so that a child's SIGCHLD often arrives
 * while the parent is inside its next fork().  Traced (replay), the parent
 * gets SIGCHLD queued even when it ignores it by default, and the kernel
 * cuts the fork short and makes it again (ERESTARTNOINTR).
 *
 *   rp_forks [N]          SIGCHLD left at its default
 *   rp_forks N handler    with a SIGCHLD handler (SA_RESTART), which makes
 *                         the same happen while recording
 *
 * Prints how many children it forked and reaped.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t chld;

static void on_chld(int sig)
{
	(void)sig;
	chld++;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 300, forked = 0, reaped = 0, i;

	if (argc > 2 && !strcmp(argv[2], "handler")) {
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_chld;
		sa.sa_flags = SA_RESTART;
		sigaction(SIGCHLD, &sa, NULL);
	}
	for (i = 0; i < n; i++) {
		pid_t p = fork();

		if (p == 0)
			_exit(0);
		if (p > 0)
			forked++;
	}
	while (wait(NULL) > 0)
		reaped++;
	printf("forked %d, reaped %d\n", forked, reaped);
	return forked == n && reaped == n ? 0 : 1;
}
