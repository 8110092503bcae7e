// SPDX-License-Identifier: MIT
/*
 * analyze_gen: the analysis benchmark's helper (tests/bench/analyze_scale.sh).
 *
 *   analyze_gen write FILE N   write a bundle of about N events: client and
 *                              server threads exchanging requests over TCP
 *                              sockets and pipes on 2 CPUs, with switches,
 *                              wakeups (task and softirq), payloads and fdinfo,
 *                              page faults, and now and then a slow request
 *                              (the server sleeps) so analysis has incidents
 *   analyze_gen decode FILE    read every event with the bundle reader (full
 *                              decode, no analysis) and print the rate
 *   analyze_gen model FILE     build the analysis model and print the time
 *
 * Output lines are "key value" pairs the script parses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze/analyze.h"
#include "formats/bundle.h"
#include "formats/syscalls.h"

#define NPAIRS 16

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static struct fr_writer *w;
static uint64_t n_written;

/* One cycle's events, sorted by time before they are written. */
static struct fr_event pending[32];
static unsigned n_pending;

static void add(struct fr_event *e)
{
	if (n_pending < sizeof(pending) / sizeof(pending[0]))
		pending[n_pending++] = *e;
}

static int by_ts(const void *a, const void *b)
{
	const struct fr_event *x = a, *y = b;

	return x->ts_ns < y->ts_ns ? -1 : x->ts_ns > y->ts_ns;
}

static void flush(void)
{
	unsigned i;

	qsort(pending, n_pending, sizeof(pending[0]), by_ts);
	for (i = 0; i < n_pending; i++) {
		if (fr_writer__add_event(w, &pending[i])) {
			fprintf(stderr, "analyze_gen: %s\n", fr_writer__strerror(w));
			exit(1);
		}
		n_written++;
	}
	n_pending = 0;
}

static void ev(struct fr_event *e, uint64_t ts, uint32_t pid, uint32_t tid, unsigned type,
	       unsigned cpu)
{
	memset(e, 0, offsetof(struct fr_event, payloads));
	e->ts_ns = ts;
	e->pid = pid;
	e->tid = tid;
	e->type = (uint16_t)type;
	e->cpu = (uint16_t)cpu;
}

static void sw(uint64_t ts, unsigned cpu, uint32_t p, int64_t st, uint32_t n, const char *pc,
	       const char *nc)
{
	struct fr_event e;

	ev(&e, ts, p, p, FR_EV_SCHED_SWITCH, cpu);
	e.u.sw.next_pid = e.u.sw.next_tid = n;
	e.u.sw.prev_state = st;
	snprintf(e.u.sw.prev_comm, FR_COMM_LEN, "%s", pc);
	snprintf(e.u.sw.next_comm, FR_COMM_LEN, "%s", nc);
	add(&e);
}

static void wake(uint64_t ts, unsigned cpu, uint32_t by, uint32_t target, unsigned ctx)
{
	struct fr_event e;

	ev(&e, ts, by, by, FR_EV_SCHED_WAKEUP, cpu);
	e.u.wake.target_pid = e.u.wake.target_tid = target;
	e.u.wake.target_cpu = (int32_t)cpu;
	e.u.wake.flags = FR_WAKE_WAKING;
	e.u.wake.ctx = (uint16_t)ctx;
	e.u.wake.ctx_info = ctx == FR_CTX_SOFTIRQ ? 3 : 0;
	add(&e);
}

static void sys_io(uint64_t enter, uint64_t exit, uint32_t tid, uint32_t nr, int64_t ret, int fd,
		   const struct fr_fdinfo *fi, const uint8_t *buf)
{
	struct fr_event e;

	ev(&e, exit, tid, tid, FR_EV_SYSCALL, tid & 1);
	e.u.sc.enter_ns = enter;
	e.u.sc.nr = nr;
	e.u.sc.ret = ret;
	e.u.sc.args[0] = (uint64_t)fd;
	e.u.sc.args[1] = 0x7ffc00001000ULL;
	e.u.sc.args[2] = 64;
	e.n_payloads = 2;
	e.payloads[0] = (struct fr_payload){FR_PL_FDINFO,	0, 0, 0, sizeof(*fi), sizeof(*fi),
					    (const uint8_t *)fi};
	e.payloads[1] = (struct fr_payload){
	    nr == 1 ? FR_PL_IN : FR_PL_OUT, 1, 0, 0, (uint32_t)ret, (uint32_t)ret, buf};
	add(&e);
}

static int gen(const char *path, uint64_t target)
{
	struct fr_writer_opts o = {0};
	struct fr_fdinfo cfi[NPAIRS], sfi[NPAIRS];
	uint8_t buf[64];
	char err[256], cc[16], sc[16];
	uint64_t t = 1000000000ULL, cycle = 0;
	unsigned i;

	memset(buf, 'x', sizeof(buf));
	if (fr_writer__open(path, &o, &w, err, sizeof(err))) {
		fprintf(stderr, "analyze_gen: %s: %s\n", path, err);
		return 1;
	}
	for (i = 0; i < NPAIRS; i++) {
		memset(&cfi[i], 0, sizeof(cfi[i]));
		memset(&sfi[i], 0, sizeof(sfi[i]));
		cfi[i].type = sfi[i].type = FR_FD_SOCKET;
		cfi[i].fd = sfi[i].fd = 3;
		cfi[i].ino = 10000 + i;
		sfi[i].ino = 20000 + i;
		cfi[i].tuple.family = sfi[i].tuple.family = 2;
		cfi[i].tuple.protocol = sfi[i].tuple.protocol = 6;
		cfi[i].tuple.saddr[0] = cfi[i].tuple.daddr[0] = 127;
		sfi[i].tuple.saddr[0] = sfi[i].tuple.daddr[0] = 127;
		cfi[i].tuple.sport = sfi[i].tuple.dport = (uint16_t)(40000 + i);
		cfi[i].tuple.dport = sfi[i].tuple.sport = 8080;
		/* the servers read the first request, blocked */
	}
	while (n_written < target) {
		unsigned p = (unsigned)(cycle % NPAIRS), cpu = p & 1;
		/* payloads like an HTTP exchange: compressible, not constant */
		snprintf((char *)buf, sizeof(buf),
			 "GET /item/%llu HTTP/1.1\r\nHost: x%u\r\n\r\n%08llx",
			 (unsigned long long)(cycle * 2654435761u % 1000003), p,
			 (unsigned long long)(cycle * 0x9e3779b97f4a7c15ULL));
		uint32_t c = 1000 + 2 * p, s = 1001 + 2 * p;
		uint64_t handle = (cycle % 20011 == 20000) ? 50000000ULL : 20000;
		struct fr_event e;

		snprintf(cc, sizeof(cc), "client%u", p);
		snprintf(sc, sizeof(sc), "server%u", p);
		/* client runs, sends the request, waits for the answer */
		sw(t, cpu, 0, 0, c, "swapper", cc);
		sys_io(t + 1000, t + 3000, c, 1, 64, 3, &cfi[p], buf);
		wake(t + 2000, cpu, c, s, FR_CTX_SOFTIRQ);
		sw(t + 4000, cpu, c, 1, s, cc, sc);
		/* server gets it, handles it (a page fault on the way), answers */
		sys_io(t - 100000, t + 5000, s, 0, 64, 3, &sfi[p], buf);
		ev(&e, t + 7000, s, s, FR_EV_PAGE_FAULT, cpu);
		e.u.pf.start_ns = t + 6000;
		e.u.pf.address = 0x7f0000000000ULL + cycle * 4096;
		e.u.pf.flags = FR_PF_USER;
		add(&e);
		if (handle > 100000) {
			/* now and then the server sleeps: a slow request */
			struct fr_event z;

			ev(&z, t + 8000 + handle, s, s, FR_EV_SYSCALL, cpu);
			z.u.sc.enter_ns = t + 8000;
			z.u.sc.nr = 35; /* nanosleep on x86-64 */
			z.u.sc.args[0] = 0x7ffc00002000ULL;
			sw(t + 8100, cpu, s, 1, 0, sc, "swapper");
			wake(t + 8000 + handle - 100, cpu, 0, s, FR_CTX_TIMER);
			sw(t + 8000 + handle - 50, cpu, 0, 0, s, "swapper", sc);
			add(&z);
		}
		sys_io(t + 8000 + handle, t + 9000 + handle, s, 1, 64, 3, &sfi[p], buf);
		wake(t + 8500 + handle, cpu, s, c, FR_CTX_SOFTIRQ);
		sw(t + 10000 + handle, cpu, s, 1, c, sc, cc);
		sys_io(t + 3500, t + 12000 + handle, c, 0, 64, 3, &cfi[p], buf);
		sw(t + 13000 + handle, cpu, c, 1, 0, cc, "swapper");
		flush();
		t += 14000 + handle + (cycle * 7919) % 3001; /* jitter */
		cycle++;
	}
	if (fr_writer__finish(w)) {
		fprintf(stderr, "analyze_gen: %s\n", fr_writer__strerror(w));
		return 1;
	}
	fr_writer__free(w);
	printf("events %llu\n", (unsigned long long)n_written);
	return 0;
}

static int decode(const char *path)
{
	struct fr_reader *r;
	const struct fr_event *e;
	char err[256];
	uint64_t n = 0, sum = 0;
	double t0, t1;
	int rc;

	if (fr_reader__open(path, &r, err, sizeof(err))) {
		fprintf(stderr, "analyze_gen: %s: %s\n", path, err);
		return 1;
	}
	t0 = now();
	while ((rc = fr_reader__next(r, &e)) == 1) {
		n++;
		sum += e->ts_ns + e->n_payloads; /* touch the decoded event */
	}
	t1 = now();
	fr_reader__free(r);
	if (rc < 0)
		return 1;
	printf("decode_events %llu\ndecode_seconds %.3f\ndecode_mev_per_s %.2f\nchecksum %llu\n",
	       (unsigned long long)n, t1 - t0, (double)n / (t1 - t0) / 1e6,
	       (unsigned long long)(sum & 0xffff));
	return 0;
}

static int model(const char *path)
{
	struct fr_reader *r;
	struct fa_model *m;
	char err[256];
	double t0, t1;

	if (fr_reader__open(path, &r, err, sizeof(err))) {
		fprintf(stderr, "analyze_gen: %s: %s\n", path, err);
		return 1;
	}
	t0 = now();
	if (fa_model__build(r, NULL, &m, err, sizeof(err))) {
		fprintf(stderr, "analyze_gen: %s: %s\n", path, err);
		fr_reader__free(r);
		return 1;
	}
	t1 = now();
	printf("model_events %llu\nmodel_seconds %.3f\nmodel_mev_per_s %.2f\nmodel_threads "
	       "%u\nmodel_waits %u\n",
	       (unsigned long long)m->st.events, t1 - t0, (double)m->st.events / (t1 - t0) / 1e6,
	       m->n_threads, m->n_waits);
	fa_model__free(m);
	fr_reader__free(r);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "write"))
		return gen(argv[2], strtoull(argv[3], NULL, 10));
	if (argc == 3 && !strcmp(argv[1], "decode"))
		return decode(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "model"))
		return model(argv[2]);
	fprintf(stderr, "usage: analyze_gen write FILE N | decode FILE | model FILE\n");
	return 2;
}
