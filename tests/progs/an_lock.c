// SPDX-License-Identifier: MIT
/*
 * an_lock: a lock held across a sleep, for the analysis tests.
 *
 * Thread "an_holder" takes a mutex and sleeps HOLD_MS while holding it; the
 * main thread ("an_lock") wants the mutex shortly after and waits.  The
 * main thread's wait is slow because the holder slept with the lock:
 * analysis should name sleep, culprit an_holder.
 *
 * usage: an_lock [HOLD_MS]   (default 300)
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t started_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t started_cv = PTHREAD_COND_INITIALIZER;
static int started;
static long hold_ms;

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void *holder(void *arg)
{
	struct timespec d = {hold_ms / 1000, (hold_ms % 1000) * 1000000L};

	(void)arg;
	prctl(PR_SET_NAME, "an_holder");
	pthread_mutex_lock(&mu);
	pthread_mutex_lock(&started_mu);
	started = 1;
	pthread_cond_signal(&started_cv);
	pthread_mutex_unlock(&started_mu);
	nanosleep(&d, NULL); /* slow work while holding the lock */
	pthread_mutex_unlock(&mu);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t;
	double t0;

	hold_ms = argc > 1 ? atol(argv[1]) : 300;
	if (hold_ms <= 0) {
		fprintf(stderr, "usage: an_lock [HOLD_MS]\n");
		return 2;
	}
	prctl(PR_SET_NAME, "an_lock");
	if (pthread_create(&t, NULL, holder, NULL))
		return 1;
	pthread_mutex_lock(&started_mu);
	while (!started)
		pthread_cond_wait(&started_cv, &started_mu);
	pthread_mutex_unlock(&started_mu);
	t0 = now_ms();
	pthread_mutex_lock(&mu);
	printf("an_lock: waited %.0f ms for the lock\n", now_ms() - t0);
	fflush(stdout);
	pthread_mutex_unlock(&mu);
	pthread_join(t, NULL);
	return 0;
}
