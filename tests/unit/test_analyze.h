/* SPDX-License-Identifier: MIT */
/*
 * test_analyze.h: building synthetic bundles for the analysis tests.
 *
 * Events are collected in memory in any order, sorted by timestamp (stably:
 * events with equal times keep the order they were added in) and written
 * with the bundle writer to a temporary file, which is then opened with the
 * reader and analysed.  Span events are stamped at their end, as the
 * recorder stamps them.  Payload bytes are copied, so callers may pass
 * locals.
 */
#ifndef TEST_ANALYZE_H
#define TEST_ANALYZE_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze/analyze.h"
#include "analyze/internal.h"
#include "formats/bundle.h"
#include "formats/syscalls.h"
#include "formats/util.h"

#define MS 1000000ULL
#define US 1000ULL

struct tb {
	struct fr_event *ev;
	size_t n, cap;
	void **blobs;
	size_t n_blobs, cap_blobs;
	struct fr_process procs[32];
	char cgroups[32][64];
	unsigned n_procs;
	char path[256];
	struct fr_reader *r;
	struct fa_model *m;
};

static inline void tb_init(struct tb *b)
{
	memset(b, 0, sizeof(*b));
}

static inline void *tb_keep(struct tb *b, const void *data, size_t len)
{
	void *p = malloc(len ? len : 1);

	ck_assert_ptr_nonnull(p);
	memcpy(p, data, len);
	if (b->n_blobs == b->cap_blobs) {
		b->cap_blobs = b->cap_blobs ? b->cap_blobs * 2 : 64;
		b->blobs = realloc(b->blobs, b->cap_blobs * sizeof(*b->blobs));
		ck_assert_ptr_nonnull(b->blobs);
	}
	b->blobs[b->n_blobs++] = p;
	return p;
}

static inline struct fr_event *tb_ev(struct tb *b, uint64_t ts, uint32_t pid, uint32_t tid,
				     unsigned type, unsigned cpu)
{
	struct fr_event *e;

	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 256;
		b->ev = realloc(b->ev, b->cap * sizeof(*b->ev));
		ck_assert_ptr_nonnull(b->ev);
	}
	e = &b->ev[b->n++];
	memset(e, 0, sizeof(*e));
	e->ts_ns = ts;
	e->pid = pid;
	e->tid = tid;
	e->type = (uint16_t)type;
	e->cpu = (uint16_t)cpu;
	return e;
}

/* prev (pid/tid 0 = idle) switches out in prev_state on cpu; next comes in. */
static inline void tb_switch(struct tb *b, uint64_t ts, unsigned cpu, uint32_t ppid, uint32_t ptid,
			     int64_t prev_state, uint32_t npid, uint32_t ntid, const char *pcomm,
			     const char *ncomm)
{
	struct fr_event *e = tb_ev(b, ts, ppid, ptid, FR_EV_SCHED_SWITCH, cpu);

	e->u.sw.next_pid = npid;
	e->u.sw.next_tid = ntid;
	e->u.sw.prev_state = prev_state;
	snprintf(e->u.sw.prev_comm, FR_COMM_LEN, "%s", pcomm ? pcomm : (ptid ? "" : "swapper/0"));
	snprintf(e->u.sw.next_comm, FR_COMM_LEN, "%s", ncomm ? ncomm : (ntid ? "" : "swapper/0"));
}

/* A sched_waking by (wpid, wtid) in context ctx, of (tpid, ttid). */
static inline void tb_wake(struct tb *b, uint64_t ts, unsigned cpu, uint32_t wpid, uint32_t wtid,
			   uint32_t tpid, uint32_t ttid, unsigned ctx, unsigned info,
			   unsigned target_cpu)
{
	struct fr_event *e = tb_ev(b, ts, wpid, wtid, FR_EV_SCHED_WAKEUP, cpu);

	e->u.wake.target_pid = tpid;
	e->u.wake.target_tid = ttid;
	e->u.wake.target_cpu = (int32_t)target_cpu;
	e->u.wake.flags = FR_WAKE_WAKING;
	e->u.wake.ctx = (uint16_t)ctx;
	e->u.wake.ctx_info = info;
}

static inline uint32_t tb_nr(const char *name)
{
	const struct fr_syscall_desc *d = fr_syscall_by_name(name);

	ck_assert_msg(d != NULL, "the syscall table has no row for %s", name);
	return d->nr;
}

static inline struct fr_event *tb_sys(struct tb *b, uint64_t enter, uint64_t exit, uint32_t pid,
				      uint32_t tid, const char *name, int64_t ret, uint64_t a0,
				      uint64_t a1, uint64_t a2)
{
	struct fr_event *e = tb_ev(b, exit, pid, tid, FR_EV_SYSCALL, 0);

	e->u.sc.enter_ns = enter;
	e->u.sc.ret = ret;
	e->u.sc.nr = tb_nr(name);
	e->u.sc.args[0] = a0;
	e->u.sc.args[1] = a1;
	e->u.sc.args[2] = a2;
	return e;
}

static inline void tb_payload(struct tb *b, struct fr_event *e, unsigned kind, unsigned arg,
			      const void *data, uint32_t len)
{
	struct fr_payload *p;

	ck_assert_uint_lt(e->n_payloads, FR_MAX_PAYLOADS);
	p = &e->payloads[e->n_payloads++];
	p->kind = (uint8_t)kind;
	p->arg = (uint8_t)arg;
	p->len = p->full_len = len;
	p->data = tb_keep(b, data, len);
}

static inline void tb_fdinfo(struct tb *b, struct fr_event *e, unsigned arg, int fd, unsigned type,
			     uint64_t ino, const struct fr_sock_tuple *t)
{
	struct fr_fdinfo fi;

	memset(&fi, 0, sizeof(fi));
	fi.fd = fd;
	fi.type = (uint16_t)type;
	fi.ino = ino;
	if (t) {
		fi.tuple = *t;
		fi.sock_type = 1;
	}
	tb_payload(b, e, FR_PL_FDINFO, arg, &fi, sizeof(fi));
}

/* A TCP tuple: local a.b.c.d:sport, remote e.f.g.h:dport (IPv4). */
static inline struct fr_sock_tuple tb_tcp(uint32_t saddr, uint16_t sport, uint32_t daddr,
					  uint16_t dport)
{
	struct fr_sock_tuple t;

	memset(&t, 0, sizeof(t));
	t.saddr[0] = (uint8_t)(saddr >> 24);
	t.saddr[1] = (uint8_t)(saddr >> 16);
	t.saddr[2] = (uint8_t)(saddr >> 8);
	t.saddr[3] = (uint8_t)saddr;
	t.daddr[0] = (uint8_t)(daddr >> 24);
	t.daddr[1] = (uint8_t)(daddr >> 16);
	t.daddr[2] = (uint8_t)(daddr >> 8);
	t.daddr[3] = (uint8_t)daddr;
	t.sport = sport;
	t.dport = dport;
	t.family = 2;
	t.protocol = 6;
	return t;
}

static inline void tb_timespec(struct tb *b, struct fr_event *e, unsigned arg, uint64_t ns)
{
	int64_t ts[2] = {(int64_t)(ns / 1000000000ULL), (int64_t)(ns % 1000000000ULL)};

	tb_payload(b, e, FR_PL_IN, arg, ts, sizeof(ts));
}

static inline void tb_proc(struct tb *b, uint32_t pid, uint32_t ppid, const char *comm,
			   const char *cgroup)
{
	struct fr_process *p;

	ck_assert_uint_lt(b->n_procs, 32);
	p = &b->procs[b->n_procs];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->ppid = ppid;
	snprintf(p->comm, sizeof(p->comm), "%s", comm);
	if (cgroup) {
		snprintf(b->cgroups[b->n_procs], sizeof(b->cgroups[0]), "%s", cgroup);
		p->cgroup = b->cgroups[b->n_procs];
	}
	b->n_procs++;
}

static int tb_cmp(const void *a, const void *b)
{
	const struct fr_event *x = a, *y = b;

	if (x->ts_ns != y->ts_ns)
		return x->ts_ns < y->ts_ns ? -1 : 1;
	/* stable: the index is kept in ref.offset before sorting */
	return x->ref.offset < y->ref.offset ? -1 : x->ref.offset > y->ref.offset;
}

/* Write, open, build.  Fails the test on any error. */
static inline struct fa_model *tb_build(struct tb *b, const struct fa_options *o)
{
	struct fr_writer_opts wo = {.chunk_bytes = 4096, .mtime = 1795000000};
	struct fr_writer *w;
	char err[512];
	size_t i;
	int fd, rc;

	snprintf(b->path, sizeof(b->path), "/tmp/fr-analyze-test-XXXXXX");
	fd = mkstemp(b->path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	for (i = 0; i < b->n; i++)
		b->ev[i].ref.offset = (uint32_t)i;
	qsort(b->ev, b->n, sizeof(*b->ev), tb_cmp);
	rc = fr_writer__open(b->path, &wo, &w, err, sizeof(err));
	ck_assert_msg(rc == 0, "writer: %s", err);
	for (i = 0; i < b->n; i++) {
		memset(&b->ev[i].ref, 0, sizeof(b->ev[i].ref));
		rc = fr_writer__add_event(w, &b->ev[i]);
		ck_assert_msg(rc == 0, "add event %zu: %s", i, fr_writer__strerror(w));
	}
	for (i = 0; i < b->n_procs; i++)
		ck_assert_int_eq(fr_writer__add_process(w, &b->procs[i]), 0);
	rc = fr_writer__finish(w);
	ck_assert_msg(rc == 0, "finish: %s", fr_writer__strerror(w));
	fr_writer__free(w);
	rc = fr_reader__open(b->path, &b->r, err, sizeof(err));
	ck_assert_msg(rc == 0, "reader: %s", err);
	rc = fa_model__build(b->r, o, &b->m, err, sizeof(err));
	ck_assert_msg(rc == 0, "model: %s", err);
	return b->m;
}

static inline void tb_free(struct tb *b)
{
	size_t i;

	fa_model__free(b->m);
	fr_reader__free(b->r);
	if (b->path[0])
		unlink(b->path);
	for (i = 0; i < b->n_blobs; i++)
		free(b->blobs[i]);
	free(b->blobs);
	free(b->ev);
	memset(b, 0, sizeof(*b));
}

static inline uint32_t tb_thread(const struct fa_model *m, uint32_t tid)
{
	uint32_t t = fa_model__find_thread(m, tid, 0);

	ck_assert_msg(t != FA_NONE, "thread %u not in the model", tid);
	return t;
}

/* The path covers [s, e] exactly, in order, without gaps or overlaps. */
static inline void tb_assert_covers(const struct fa_segment *p, uint32_t n, uint64_t s, uint64_t e)
{
	uint64_t cur = s;
	uint32_t i;

	for (i = 0; i < n; i++) {
		ck_assert_msg(p[i].start_ns == cur, "segment %u starts at %llu, expected %llu", i,
			      (unsigned long long)p[i].start_ns, (unsigned long long)cur);
		ck_assert_msg(p[i].end_ns > p[i].start_ns, "segment %u is empty", i);
		cur = p[i].end_ns;
	}
	ck_assert_msg(cur == e, "path ends at %llu, expected %llu", (unsigned long long)cur,
		      (unsigned long long)e);
}

/* Total time of path segments of one thread and category. */
static inline uint64_t tb_path_ns(const struct fa_segment *p, uint32_t n, uint32_t thread,
				  unsigned category)
{
	uint64_t x = 0;
	uint32_t i;

	for (i = 0; i < n; i++)
		if ((thread == FA_NONE || p[i].thread == thread) && p[i].category == category)
			x += p[i].end_ns - p[i].start_ns;
	return x;
}

/* `hay` contains `needle` (the message shows both). */
#define ASSERT_HAS(hay, needle)                                                                    \
	ck_assert_msg(strstr((hay), (needle)) != NULL, "\"%s\" does not contain \"%s\"", (hay),    \
		      (needle))

#endif
