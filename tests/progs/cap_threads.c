// SPDX-License-Identifier: MIT
/*
 * cap_threads: a multi-threaded program for `flightrec record` tests.
 *
 *   cap_threads [N]
 *
 * Starts N threads (default 4).  Thread i names itself "worker-i", writes
 * "thread i tid TID\n" to stdout, then the threads hand a token around a
 * ring through a mutex and condition variable (futex waits and wakes
 * between threads) for a few rounds.  Prints "done" at the end.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define ROUNDS 20

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int turn, nthreads;

static void *worker(void *arg)
{
	int id = (int)(long)arg, r, n;
	char line[64];

	snprintf(line, sizeof(line), "worker-%d", id);
	prctl(PR_SET_NAME, line);
	n = snprintf(line, sizeof(line), "thread %d tid %ld\n", id, (long)syscall(SYS_gettid));
	if (write(1, line, (size_t)n) != n)
		return NULL;
	for (r = 0; r < ROUNDS; r++) {
		pthread_mutex_lock(&mu);
		while (turn % nthreads != id)
			pthread_cond_wait(&cv, &mu);
		turn++;
		pthread_cond_broadcast(&cv);
		pthread_mutex_unlock(&mu);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th[64];
	int i;

	nthreads = argc > 1 ? atoi(argv[1]) : 4;
	if (nthreads < 1 || nthreads > 64)
		return 2;
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&th[i], NULL, worker, (void *)(long)i))
			return 1;
	for (i = 0; i < nthreads; i++)
		pthread_join(th[i], NULL);
	printf("done %d\n", turn);
	return turn == nthreads * ROUNDS ? 0 : 1;
}
