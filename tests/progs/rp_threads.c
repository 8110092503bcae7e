// SPDX-License-Identifier: MIT
/*
 * rp_threads: threads passing a turn around on a mutex and a condition
 * variable.
 *
 *   rp_threads [WORKERS [ROUNDS]]     default 4 workers, 10 rounds
 *
 * Worker w waits (pthread_cond_wait) until the shared turn is its own,
 * prints a line with a value it computes, passes the turn on and wakes
 * the others (pthread_cond_broadcast); the main thread waits on a second
 * condition variable until every turn is done, joins the workers and
 * prints a total.  Lots of futex traffic and blocking, and an output whose
 * order the program itself fixes: which thread wins an uncontended lock is
 * decided in user space, where neither a recording nor a replay sees it
 * (docs/replay.md), so the test program does not depend on it.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn_cv = PTHREAD_COND_INITIALIZER;
static pthread_cond_t done_cv = PTHREAD_COND_INITIALIZER;
static int workers, rounds, turn;
static unsigned long total;

static unsigned long work(int n)
{
	unsigned long h = 1469598103934665603UL;

	for (int i = 0; i < 20000 + n * 100; i++)
		h = (h ^ (unsigned long)(i + n)) * 1099511628211UL;
	return h % 100000;
}

static void *worker(void *arg)
{
	int w = (int)(long)arg;
	/* per-thread heap use: glibc gives each thread its own arena */
	char *scratch = malloc(4096);

	for (int r = 0; r < rounds; r++) {
		unsigned long v;

		pthread_mutex_lock(&lock);
		while (turn % workers != w)
			pthread_cond_wait(&turn_cv, &lock);
		v = work(turn);
		snprintf(scratch, 4096, "worker %d round %d turn %d value %lu\n", w, r, turn, v);
		fputs(scratch, stdout);
		fflush(stdout);
		total += v;
		turn++;
		pthread_cond_broadcast(&turn_cv);
		if (turn == workers * rounds)
			pthread_cond_signal(&done_cv);
		pthread_mutex_unlock(&lock);
	}
	free(scratch);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th[64];

	workers = argc > 1 ? atoi(argv[1]) : 4;
	rounds = argc > 2 ? atoi(argv[2]) : 10;
	if (workers < 1 || workers > 64 || rounds < 1)
		return 2;
	for (int i = 0; i < workers; i++)
		pthread_create(&th[i], NULL, worker, (void *)(long)i);
	pthread_mutex_lock(&lock);
	while (turn < workers * rounds)
		pthread_cond_wait(&done_cv, &lock);
	pthread_mutex_unlock(&lock);
	for (int i = 0; i < workers; i++)
		pthread_join(th[i], NULL);
	printf("total %lu over %d turns\n", total, workers * rounds);
	return 0;
}
