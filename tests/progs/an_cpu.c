// SPDX-License-Identifier: MIT
/*
 * an_cpu: a CPU-contention scenario for the analysis tests.
 *
 * Pins itself to one CPU, starts a process "an_hog" whose THREADS threads
 * spin on that same CPU, then a child "an_victim" does WORK_MS of CPU work
 * and reports how long it took.  The victim is slow because the hog holds
 * the CPU: analysis should name cpu-contention, culprit an_hog.
 *
 * usage: an_cpu [WORK_MS [THREADS]]   (defaults 150 ms, 3 threads)
 */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile unsigned long sink;

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static double cpu_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void *spin(void *arg)
{
	(void)arg;
	prctl(PR_SET_NAME, "an_hog");
	for (;;)
		sink++;
	return NULL;
}

static void pin(int cpu)
{
	cpu_set_t s;

	CPU_ZERO(&s);
	CPU_SET(cpu, &s);
	if (sched_setaffinity(0, sizeof(s), &s))
		perror("an_cpu: sched_setaffinity");
}

int main(int argc, char **argv)
{
	double work = argc > 1 ? atof(argv[1]) : 150, t0, c0;
	int threads = argc > 2 ? atoi(argv[2]) : 3, i, st;
	pid_t hog, victim;
	int ready[2];
	char c;

	if (work <= 0 || threads < 1 || threads > 64 || pipe(ready)) {
		fprintf(stderr, "usage: an_cpu [WORK_MS [THREADS]]\n");
		return 2;
	}
	pin(0);
	hog = fork();
	if (hog == 0) {
		pthread_t t;

		prctl(PR_SET_NAME, "an_hog");
		for (i = 1; i < threads; i++)
			pthread_create(&t, NULL, spin, NULL);
		if (write(ready[1], "x", 1) != 1)
			_exit(1);
		spin(NULL);
	}
	if (read(ready[0], &c, 1) != 1)
		return 1;
	usleep(20000); /* the hog threads are all running */
	victim = fork();
	if (victim == 0) {
		prctl(PR_SET_NAME, "an_victim");
		t0 = now_ms();
		c0 = cpu_ms();
		while (cpu_ms() - c0 < work)
			for (i = 0; i < 200000; i++)
				sink++;
		printf("an_victim: %.0f ms of work took %.0f ms\n", work, now_ms() - t0);
		fflush(stdout);
		_exit(0);
	}
	waitpid(victim, &st, 0);
	kill(hog, SIGKILL);
	waitpid(hog, NULL, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
