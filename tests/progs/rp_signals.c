// SPDX-License-Identifier: MIT
/*
 * rp_signals: signals a replay must reproduce.
 *
 *   rp_signals          SIGALRM from alarm() waking pause() in a handler,
 *                       EPIPE from a write to a closed pipe (SIGPIPE
 *                       ignored), a child's exit caught by a SIGCHLD
 *                       handler and reaped; prints what it saw
 *   rp_signals crash    dereferences NULL: killed by SIGSEGV
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t got_alrm, got_chld;

static void on_signal(int sig)
{
	if (sig == SIGALRM)
		got_alrm++;
	else if (sig == SIGCHLD)
		got_chld++;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	int p[2], st;
	pid_t c;

	if (argc > 1 && !strcmp(argv[1], "crash")) {
		printf("about to crash\n");
		fflush(stdout);
		return *(volatile int *)0;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGALRM, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	alarm(1);
	pause();
	printf("pause returned: alarms %d\n", (int)got_alrm);
	if (pipe(p) < 0)
		return 1;
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	if (write(p[1], "x", 1) < 0)
		printf("write to a closed pipe: %s\n", strerror(errno));
	c = fork();
	if (c == 0)
		_exit(3);
	while (waitpid(c, &st, 0) < 0 && errno == EINTR)
		;
	printf("child exited with %d, SIGCHLD handled %d time(s)\n", WEXITSTATUS(st), (int)got_chld);
	return 0;
}
