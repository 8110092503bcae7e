// SPDX-License-Identifier: MIT
/*
 * bench_formats: events written and read per second on one core, and bytes
 * per event, for a syscall-heavy stream (what a busy server records: small
 * read/write calls with 64-byte payloads from a few threads, interleaved with
 * scheduler switches and wakeups).
 *
 * usage: bench_formats [EVENTS] [DIR]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "formats/bundle.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t rng = 88172645463325252ULL;
static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void make_event(struct fr_event *ev, uint64_t i, uint64_t *ts, uint8_t *buf)
{
	unsigned k = (unsigned)(i % 10);
	uint32_t tid = 4000 + (uint32_t)(rnd() % 8);

	memset(ev, 0, offsetof(struct fr_event, payloads));
	*ts += 300 + rnd() % 700;
	ev->ts_ns = *ts;
	ev->pid = 4000;
	ev->tid = tid;
	ev->cpu = (uint16_t)(rnd() % 2);
	if (k < 8) {
		int is_write = k & 1;

		ev->type = FR_EV_SYSCALL;
		ev->u.sc.nr = is_write ? 1 : 0;
		ev->u.sc.enter_ns = *ts - 200 - rnd() % 300;
		ev->u.sc.args[0] = 5 + rnd() % 4;
		ev->u.sc.args[1] = 0x7ffd12340000ULL + (rnd() % 16) * 4096;
		ev->u.sc.args[2] = 64;
		ev->u.sc.ret = 64;
		for (int j = 0; j < 64; j += 8) {
			uint64_t v = rnd() % 4 ? 0x2f31312e312f5054ULL : rnd(); /* mostly "HTTP/1.1" */
			memcpy(buf + j, &v, 8);
		}
		ev->n_payloads = 1;
		ev->payloads[0].kind = is_write ? FR_PL_IN : FR_PL_OUT;
		ev->payloads[0].arg = 1;
		ev->payloads[0].len = ev->payloads[0].full_len = 64;
		ev->payloads[0].data = buf;
	} else if (k == 8) {
		ev->type = FR_EV_SCHED_SWITCH;
		ev->u.sw.next_pid = 4000;
		ev->u.sw.next_tid = 4000 + (uint32_t)(rnd() % 8);
		ev->u.sw.prev_state = 1;
		ev->u.sw.prev_prio = ev->u.sw.next_prio = 120;
		memcpy(ev->u.sw.prev_comm, "server", 7);
		memcpy(ev->u.sw.next_comm, "server", 7);
		ev->n_payloads = 0;
	} else {
		ev->type = FR_EV_SCHED_WAKEUP;
		ev->u.wake.target_pid = 4000;
		ev->u.wake.target_tid = 4000 + (uint32_t)(rnd() % 8);
		ev->u.wake.flags = FR_WAKE_WAKING;
		memcpy(ev->u.wake.target_comm, "server", 7);
		ev->n_payloads = 0;
	}
}

int main(int argc, char **argv)
{
	uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 5000000, i, ts = 1000000000, got = 0;
	const char *dir = argc > 2 ? argv[2] : "/tmp";
	char path[4096], err[512];
	struct fr_writer *w;
	struct fr_reader *r;
	const struct fr_event *ev;
	struct fr_event e;
	struct fr_filter f = { 0 };
	uint8_t buf[64];
	double t0, t_write, t_read, t_scan;
	struct stat st;

	snprintf(path, sizeof(path), "%s/bench-formats-%d.frb", dir, (int)getpid());
	if (fr_writer__open(path, NULL, &w, err, sizeof(err))) {
		fprintf(stderr, "bench_formats: %s\n", err);
		return 1;
	}
	t0 = now();
	for (i = 0; i < n; i++) {
		make_event(&e, i, &ts, buf);
		if (fr_writer__add_event(w, &e)) {
			fprintf(stderr, "bench_formats: %s\n", fr_writer__strerror(w));
			return 1;
		}
	}
	if (fr_writer__finish(w)) {
		fprintf(stderr, "bench_formats: %s\n", fr_writer__strerror(w));
		return 1;
	}
	t_write = now() - t0;
	fr_writer__free(w);
	stat(path, &st);

	if (fr_reader__open(path, &r, err, sizeof(err))) {
		fprintf(stderr, "bench_formats: %s\n", err);
		return 1;
	}
	t0 = now();
	while (fr_reader__next(r, &ev) > 0)
		got++;
	t_read = now() - t0;
	/* a filter that matches nothing inside each chunk: header-only decode */
	f.pids[f.n_pids++] = 1;
	fr_reader__set_filter(r, &f);
	t0 = now();
	while (fr_reader__next(r, &ev) > 0)
		;
	t_scan = now() - t0;
	fr_reader__free(r);
	unlink(path);
	if (got != n) {
		fprintf(stderr, "bench_formats: read %llu of %llu events\n", (unsigned long long)got,
			(unsigned long long)n);
		return 1;
	}
	printf("formats: %llu events (80%% syscalls with 64-byte payloads)\n", (unsigned long long)n);
	printf("  write:           %6.2f M events/s (%.2f s)\n", n / t_write / 1e6, t_write);
	printf("  read, decoded:   %6.2f M events/s (%.2f s)   target >= 5.00\n", n / t_read / 1e6,
	       t_read);
	printf("  read, filtered:  %6.2f M events/s (%.2f s)\n", n / t_scan / 1e6, t_scan);
	printf("  bundle size:     %6.1f bytes/event on disk (events carry %.1f payload bytes "
	       "each on average)\n", (double)st.st_size / n, 64.0 * 0.8);
	return 0;
}
