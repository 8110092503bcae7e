// SPDX-License-Identifier: MIT
/*
 * cap_contend: a program that sleeps under CPU contention, for `flightrec
 * record` tests of scheduling events.
 *
 *   cap_contend [ROUNDS]
 *
 * Everything runs on CPU 0.  Two "hog" children spin; the parent sleeps 2
 * ms in nanosleep() ROUNDS times (woken by a timer, then waits for the CPU
 * behind the hogs), and then blocks in read() on a pipe until the first hog
 * writes a byte into it (woken by a task).  Prints "hogs H1 H2 rounds N"
 * and exits 0.
 */
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void spin_ms(long ms)
{
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	do
		clock_gettime(CLOCK_MONOTONIC, &b);
	while ((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < ms);
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 10, i, p[2];
	struct timespec ts = { 0, 2000000 };
	pid_t hog[2];
	cpu_set_t set;
	char c;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	if (sched_setaffinity(0, sizeof(set), &set) || pipe(p))
		return 1;
	for (i = 0; i < 2; i++) {
		hog[i] = fork();
		if (hog[i] < 0)
			return 1;
		if (hog[i] == 0) {
			if (i == 0) {
				/* wake the parent once it is blocked in read() */
				spin_ms(40L + 3L * rounds);
				if (write(p[1], "x", 1) != 1)
					_exit(1);
			}
			for (;;)
				spin_ms(1000);
		}
	}
	for (i = 0; i < rounds; i++)
		nanosleep(&ts, NULL);
	if (read(p[0], &c, 1) != 1)
		return 1;
	for (i = 0; i < 2; i++) {
		kill(hog[i], SIGKILL);
		waitpid(hog[i], NULL, 0);
	}
	printf("hogs %d %d rounds %d\n", (int)hog[0], (int)hog[1], rounds);
	return 0;
}
