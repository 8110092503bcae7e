// SPDX-License-Identifier: MIT
/*
 * wi_vfork: a parent that prints what a child wrote into a pipe, the child
 * made with vfork, for replay tests.
 *
 *   wi_vfork
 *       pipe; vfork; the child points its stdout at the pipe (dup2) and
 *       execs /bin/sh -c 'sleep 0.1; echo "$MSG"'; the parent reads the
 *       pipe to its end, prints "got: DATA" and exits with the child's
 *       status.
 *
 * With vfork the parent is held until the child execs, so the child's dup2
 * always comes before the parent's vfork returns: in the recording the
 * child's calls precede its creation's end.  The child's write comes later
 * (after the sleep), when the parent already waits in read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* Read fd to its end into buf (NUL-terminated). */
static void read_all(int fd, char *buf, size_t size)
{
	size_t got = 0;
	ssize_t n;

	while (got < size - 1 && (n = read(fd, buf + got, size - 1 - got)) > 0)
		got += (size_t)n;
	buf[got] = 0;
}

int main(void)
{
	static char *const argv[] = {"sh", "-c", "sleep 0.1; echo \"$MSG\"", NULL};
	char buf[256];
	int fds[2], status;
	pid_t pid;

	if (pipe(fds)) {
		perror("wi_vfork: pipe");
		return 1;
	}
	pid = vfork();
	if (pid < 0) {
		perror("wi_vfork: vfork");
		return 1;
	}
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execv("/bin/sh", argv);
		_exit(127);
	}
	close(fds[1]);
	read_all(fds[0], buf, sizeof(buf));
	close(fds[0]);
	if (waitpid(pid, &status, 0) != pid) {
		perror("wi_vfork: waitpid");
		return 1;
	}
	printf("got: %s", buf);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
