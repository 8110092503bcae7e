// SPDX-License-Identifier: MIT
/*
 * cap_contend: a program that sleeps under CPU contention, for `flightrec
 * record` tests of scheduling events.
 *
 *   cap_contend [ROUNDS]
 *
 * It first moves itself to CPU 1 (when there is one), then everything runs
 * on CPU 0: one migration at least.  Two "hog" children spin (without system
 * calls: under `flightrec record` even reading the time is one); the parent
 * sleeps 2 ms in nanosleep() ROUNDS times (woken by a timer, then waits for
 * the CPU behind the hogs), and then blocks in read() on a pipe until the
 * first hog, after a while of spinning, writes a byte into it (woken by a
 * task).  Prints "hogs H1 H2 rounds N" and exits 0.
 */
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void spin(long n)
{
	volatile long i;

	for (i = 0; i < n; i++)
		;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 10, i, p[2];
	struct timespec ts = {0, 2000000};
	volatile int *reading;
	pid_t hog[2];
	cpu_set_t set;
	char c;

	if (sysconf(_SC_NPROCESSORS_ONLN) > 1) {
		CPU_ZERO(&set);
		CPU_SET(1, &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			return 1;
	}
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	reading =
	    mmap(NULL, sizeof(*reading), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (reading == MAP_FAILED || sched_setaffinity(0, sizeof(set), &set) || pipe(p))
		return 1;
	for (i = 0; i < 2; i++) {
		hog[i] = fork();
		if (hog[i] < 0)
			return 1;
		if (hog[i] == 0) {
			if (i == 0) {
				/* once the parent is about to read, give it time to
				 * block, then wake it */
				while (!*reading)
					;
				spin(5000000L);
				if (write(p[1], "x", 1) != 1)
					_exit(1);
			}
			for (;;)
				spin(1000000000L);
		}
	}
	for (i = 0; i < rounds; i++)
		nanosleep(&ts, NULL);
	*reading = 1;
	if (read(p[0], &c, 1) != 1)
		return 1;
	for (i = 0; i < 2; i++) {
		kill(hog[i], SIGKILL);
		waitpid(hog[i], NULL, 0);
	}
	printf("hogs %d %d rounds %d\n", (int)hog[0], (int)hog[1], rounds);
	return 0;
}
