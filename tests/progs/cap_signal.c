// SPDX-License-Identifier: MIT
/*
 * cap_signal: signals generated and delivered, for `flightrec record`.
 *
 * Installs a SIGUSR1 handler and sends itself SIGUSR1; forks a child that
 * waits in pause() and kills it with SIGTERM.  Prints "handled 1 child
 * PID" and exits 0.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t handled;

static void on_usr1(int sig)
{
	(void)sig;
	handled++;
}

int main(void)
{
	struct sigaction sa;
	pid_t pid;
	int st;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	if (sigaction(SIGUSR1, &sa, NULL) || kill(getpid(), SIGUSR1))
		return 1;
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		pause();
		_exit(0);
	}
	usleep(20000);
	if (kill(pid, SIGTERM) || waitpid(pid, &st, 0) != pid || !WIFSIGNALED(st) ||
	    WTERMSIG(st) != SIGTERM)
		return 1;
	printf("handled %d child %d\n", (int)handled, (int)pid);
	return 0;
}
