// SPDX-License-Identifier: MIT
/*
 * Unit tests: the bundle library (formats/): codec, chunks, writer, reader,
 * manifest, process table, and the reader's behaviour on hostile input.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <zlib.h>

#include "formats/bundle.h"
#include "formats/bundle_format.h"
#include "formats/codec.h"
#include "formats/event.h"
#include "formats/util.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

static char tmpdir[256];

static void setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/frtest-formats.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

static void tmp_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", tmpdir, name);
}

/* ---- events with every field set ---------------------------------------------------- */

/* Fill the body of `type` with distinct non-zero bytes, keeping strings
 * NUL-terminated: every field of every type is then exercised. */
static void fill_event(struct fr_event *ev, unsigned type, uint64_t ts, unsigned seed)
{
	size_t n = fr_event_body_size(type), i;
	uint8_t *b = ev->u.raw;

	memset(ev, 0, sizeof(*ev));
	ev->type = (uint16_t)type;
	ev->ts_ns = ts;
	ev->pid = 1000 + seed % 7;
	ev->tid = ev->pid + seed % 3;
	ev->cpu = (uint16_t)(seed % 4);
	for (i = 0; i < n; i++)
		b[i] = (uint8_t)(i * 31 + seed * 7 + 1);
	/* char arrays hold NUL-terminated strings, zero-padded: the codec
	 * stores them up to the NUL (snprintf below writes into zeroed arrays) */
#define ZERO(a) memset((a), 0, sizeof(a))
	switch (type) {
	case FR_EV_SCHED_SWITCH: ZERO(ev->u.sw.prev_comm); ZERO(ev->u.sw.next_comm); break;
	case FR_EV_SCHED_WAKEUP: ZERO(ev->u.wake.target_comm); break;
	case FR_EV_PROC_FORK: ZERO(ev->u.fork.child_comm); break;
	case FR_EV_PROC_EXEC: ZERO(ev->u.exec.comm); break;
	case FR_EV_PROC_COMM: ZERO(ev->u.comm.old_comm); ZERO(ev->u.comm.new_comm); break;
	case FR_EV_OOM_KILL: ZERO(ev->u.oom.victim_comm); break;
	case FR_EV_BLOCK_ISSUE:
	case FR_EV_BLOCK_COMPLETE: ZERO(ev->u.blk.rwbs); break;
	default: break;
	}
#undef ZERO
	switch (type) {
	case FR_EV_SCHED_SWITCH:
		snprintf(ev->u.sw.prev_comm, FR_COMM_LEN, "prev-%u", seed);
		snprintf(ev->u.sw.next_comm, FR_COMM_LEN, "next-%u", seed);
		break;
	case FR_EV_SCHED_WAKEUP:
		snprintf(ev->u.wake.target_comm, FR_COMM_LEN, "wakee");
		break;
	case FR_EV_PROC_FORK:
		snprintf(ev->u.fork.child_comm, FR_COMM_LEN, "child-with-15ch");
		break;
	case FR_EV_PROC_EXEC:
		snprintf(ev->u.exec.comm, FR_COMM_LEN, "x");
		break;
	case FR_EV_PROC_COMM:
		snprintf(ev->u.comm.old_comm, FR_COMM_LEN, "old");
		snprintf(ev->u.comm.new_comm, FR_COMM_LEN, "%s", "");
		break;
	case FR_EV_OOM_KILL:
		snprintf(ev->u.oom.victim_comm, FR_COMM_LEN, "victim");
		break;
	case FR_EV_BLOCK_ISSUE:
	case FR_EV_BLOCK_COMPLETE:
		snprintf(ev->u.blk.rwbs, sizeof(ev->u.blk.rwbs), "FWS");
		break;
	default:
		break;
	}
	/* int32 fields carry negative values too */
	if (type == FR_EV_SYSCALL)
		ev->u.sc.ret = -(int64_t)(seed % 200) - 1;
	if (type == FR_EV_PROC_EXIT)
		ev->u.exit.status = -(int32_t)seed;
}

static const uint8_t payload_bytes[] = "payload \0\x01\xff bytes of a buffer";

static void add_payloads(struct fr_event *ev, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		struct fr_payload *p = &ev->payloads[i];

		p->kind = (uint8_t)(1 + i % (FR_PL_KIND_COUNT - 1));
		p->arg = (uint8_t)(i % 6);
		p->part = (uint8_t)(i % 3);
		p->flags = (uint8_t)(i % 2 ? FR_PLF_TRUNCATED : 0);
		p->len = (uint32_t)(sizeof(payload_bytes) - i);
		p->full_len = p->len + (i % 2 ? 1000 : 0);
		p->data = payload_bytes;
	}
	ev->n_payloads = n;
}

static void assert_same_event(const struct fr_event *a, const struct fr_event *b)
{
	uint32_t i;

	ck_assert_uint_eq(a->ts_ns, b->ts_ns);
	ck_assert_uint_eq(a->pid, b->pid);
	ck_assert_uint_eq(a->tid, b->tid);
	ck_assert_uint_eq(a->type, b->type);
	ck_assert_uint_eq(a->cpu, b->cpu);
	ck_assert_msg(!memcmp(&a->u, &b->u, fr_event_body_size(a->type)),
		      "body of %s differs", fr_event_type_name(a->type));
	ck_assert_uint_eq(a->n_payloads, b->n_payloads);
	for (i = 0; i < a->n_payloads; i++) {
		const struct fr_payload *p = &a->payloads[i], *q = &b->payloads[i];

		ck_assert_uint_eq(p->kind, q->kind);
		ck_assert_uint_eq(p->arg, q->arg);
		ck_assert_uint_eq(p->part, q->part);
		ck_assert_uint_eq(p->flags, q->flags);
		ck_assert_uint_eq(p->len, q->len);
		ck_assert_uint_eq(p->full_len, q->full_len);
		ck_assert(!memcmp(p->data, q->data, p->len));
	}
}

/* ---- codec ------------------------------------------------------------------------------ */

START_TEST(test_codec_roundtrip_every_type)
{
	unsigned type = (unsigned)_i;
	struct fr_event in, out;
	uint8_t buf[4096];
	size_t used = 0, pos = 0;

	fill_event(&in, type, 123456789, type);
	add_payloads(&in, type % 4);
	ck_assert_int_eq(fr_codec_encode(&in, 1000, buf, sizeof(buf), &used), 0);
	ck_assert(used <= fr_codec_max_size(&in));
	memset(&out, 0xa5, sizeof(out));
	ck_assert_int_eq(fr_codec_decode(buf, used, &pos, 1000, &out), 1);
	ck_assert_uint_eq(pos, used);
	assert_same_event(&in, &out);
}
END_TEST

START_TEST(test_codec_every_truncation)
{
	/* Every prefix of a valid record is refused, never misread. */
	unsigned type = (unsigned)_i;
	struct fr_event in, out;
	uint8_t buf[4096];
	size_t used = 0, len;

	fill_event(&in, type, 5000, type + 3);
	add_payloads(&in, 3);
	ck_assert_int_eq(fr_codec_encode(&in, 0, buf, sizeof(buf), &used), 0);
	for (len = 0; len < used; len++) {
		size_t pos = 0;
		uint8_t *copy = malloc(len ? len : 1); /* exact size: ASan sees overreads */

		memcpy(copy, buf, len);
		ck_assert_msg(fr_codec_decode(copy, len, &pos, 0, &out) == -EINVAL,
			      "%s: prefix of %zu/%zu bytes was accepted", fr_event_type_name(type),
			      len, used);
		ck_assert_uint_eq(pos, 0);
		free(copy);
	}
}
END_TEST

START_TEST(test_codec_enospc_and_order)
{
	struct fr_event ev;
	uint8_t buf[64];
	size_t used = 0;

	fill_event(&ev, FR_EV_SYSCALL, 100, 1);
	ck_assert_int_eq(fr_codec_encode(&ev, 0, buf, 10, &used), -ENOSPC);
	ck_assert_uint_eq(used, 0);
	ck_assert_int_eq(fr_codec_encode(&ev, 200, buf, sizeof(buf), &used), -ERANGE);
	ev.type = FR_EV_TYPE_COUNT;
	ck_assert_int_eq(fr_codec_encode(&ev, 0, buf, sizeof(buf), &used), -EINVAL);
	ev.type = FR_EV_NONE;
	ck_assert_int_eq(fr_codec_encode(&ev, 0, buf, sizeof(buf), &used), -EINVAL);
}
END_TEST

START_TEST(test_codec_payload_len_over_full)
{
	struct fr_event ev;
	uint8_t buf[512];
	size_t used = 0;

	fill_event(&ev, FR_EV_SYSCALL, 100, 1);
	add_payloads(&ev, 1);
	ev.payloads[0].full_len = ev.payloads[0].len - 1;
	ck_assert_int_eq(fr_codec_encode(&ev, 0, buf, sizeof(buf), &used), -EINVAL);
}
END_TEST

/* Hand-made records: forward compatibility and unknown types. */
START_TEST(test_codec_compat)
{
	/* len, type=MARK(20), dts=5, pid=7, ztid=0, cpu=1, body len 1: kind=3 */
	uint8_t short_body[] = { 7, 20, 5, 7, 0, 1, 1, 3 };
	/* body with 2 known fields + 3 unknown trailing bytes */
	uint8_t long_body[] = { 11, 20, 5, 7, 0, 1, 5, 3, 9, 0xaa, 0xbb, 0xcc };
	/* unknown type 99 with some body */
	uint8_t unknown[] = { 8, 99, 5, 7, 0, 1, 2, 1, 2 };
	struct fr_event ev;
	size_t pos = 0;

	ck_assert_int_eq(fr_codec_decode(short_body, sizeof(short_body), &pos, 10, &ev), 1);
	ck_assert_uint_eq(ev.ts_ns, 15);
	ck_assert_uint_eq(ev.u.mark.kind, 3);
	ck_assert_uint_eq(ev.u.mark.reserved, 0);
	pos = 0;
	ck_assert_int_eq(fr_codec_decode(long_body, sizeof(long_body), &pos, 10, &ev), 1);
	ck_assert_uint_eq(ev.u.mark.kind, 3);
	ck_assert_uint_eq(ev.u.mark.reserved, 9);
	ck_assert_uint_eq(pos, sizeof(long_body));
	pos = 0;
	ck_assert_int_eq(fr_codec_decode(unknown, sizeof(unknown), &pos, 0, &ev), 0);
	ck_assert_uint_eq(pos, sizeof(unknown));
}
END_TEST

START_TEST(test_codec_hostile_values)
{
	struct fr_event ev;
	size_t pos = 0;
	/* a u32 field (mark.kind) holding 2^32 */
	uint8_t big[] = { 11, 20, 0, 7, 0, 1, 5, 0x80, 0x80, 0x80, 0x80, 0x10 };
	/* a string longer than its array: comm (16) with length 16 */
	uint8_t longstr[40] = { 0 };
	/* an 11-byte varint */
	uint8_t vlong[] = { 14, 20, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 1, 0, 0, 0 };
	/* payload len > full_len */
	uint8_t pl[] = { 12, 20, 0, 7, 0, 1, 1, 3, 1, 0xff, 0, 0, 1, 2 };

	ck_assert_int_eq(fr_codec_decode(big, sizeof(big), &pos, 0, &ev), -EINVAL);
	longstr[0] = 6 + 1 + 17 + 1 + 1;
	longstr[1] = FR_EV_PROC_COMM;
	longstr[2] = 0; longstr[3] = 1; longstr[4] = 0; longstr[5] = 0;
	longstr[6] = 18; /* body length */
	longstr[7] = 16; /* string length 16 >= array size */
	ck_assert_int_eq(fr_codec_decode(longstr, sizeof(longstr), &pos, 0, &ev), -EINVAL);
	ck_assert_int_eq(fr_codec_decode(vlong, sizeof(vlong), &pos, 0, &ev), -EINVAL);
	ck_assert_int_eq(fr_codec_decode(pl, sizeof(pl), &pos, 0, &ev), -EINVAL);
	/* timestamp overflow */
	{
		uint8_t ts[] = { 7, 20, 2, 7, 0, 1, 1, 3 };

		ck_assert_int_eq(fr_codec_decode(ts, sizeof(ts), &pos, UINT64_MAX - 1, &ev), -EINVAL);
	}
	ck_assert_uint_eq(pos, 0);
}
END_TEST

START_TEST(test_from_record)
{
	uint8_t rec[256] __attribute__((aligned(8)));
	struct fr_rec_hdr h = { 42, 7, 8, FR_EV_SYSCALL, 1, 0 };
	struct fr_ev_syscall sc = { .enter_ns = 40, .ret = 6, .nr = 1, .args = { 1, 2, 6 } };
	struct fr_payload_hdr ph = { FR_PL_IN, 1, 0, 0, 6, 6, 0 };
	struct fr_event ev;
	size_t off = 0;

	memset(rec, 0, sizeof(rec));
	off = sizeof(h) + sizeof(sc);
	memcpy(rec + off, &ph, sizeof(ph));
	memcpy(rec + off + sizeof(ph), "hello\n", 6);
	h.size = (uint32_t)(off + FR_PAYLOAD_ITEM_SIZE(6));
	memcpy(rec, &h, sizeof(h));
	memcpy(rec + sizeof(h), &sc, sizeof(sc));
	ck_assert_int_eq(fr_event_from_record(&ev, rec, sizeof(rec)), (int)h.size);
	ck_assert_uint_eq(ev.u.sc.ret, 6);
	ck_assert_uint_eq(ev.n_payloads, 1);
	ck_assert(!memcmp(ev.payloads[0].data, "hello\n", 6));
	ck_assert_uint_eq(fr_event_start_ns(&ev), 40);
	/* a payload running past the record */
	ph.len = 200;
	ph.full_len = 200;
	memcpy(rec + off, &ph, sizeof(ph));
	ck_assert_int_eq(fr_event_from_record(&ev, rec, sizeof(rec)), -EINVAL);
	/* size smaller than header + body */
	h.size = 30;
	memcpy(rec, &h, sizeof(h));
	ck_assert_int_eq(fr_event_from_record(&ev, rec, sizeof(rec)), -EINVAL);
	/* unknown type */
	h.type = 200;
	h.size = 100;
	memcpy(rec, &h, sizeof(h));
	ck_assert_int_eq(fr_event_from_record(&ev, rec, sizeof(rec)), -EINVAL);
}
END_TEST

START_TEST(test_type_names)
{
	unsigned t;

	for (t = 1; t < FR_EV_TYPE_COUNT; t++) {
		ck_assert_ptr_nonnull(fr_event_type_name(t));
		ck_assert_uint_eq(fr_event_type_by_name(fr_event_type_name(t)), t);
		ck_assert_uint_gt(fr_event_body_size(t), 0);
	}
	ck_assert_ptr_null(fr_event_type_name(0));
	ck_assert_ptr_null(fr_event_type_name(FR_EV_TYPE_COUNT));
	ck_assert_uint_eq(fr_event_type_by_name("nope"), FR_EV_NONE);
}
END_TEST

/* ---- writer and reader --------------------------------------------------------------------- */

/* Deterministic pseudo-random stream. */
static uint64_t rng_state;
static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* The i-th event of the test stream (same every time for the same i). */
static void stream_event(struct fr_event *ev, uint64_t i)
{
	unsigned type = 1 + (unsigned)(i % (FR_EV_TYPE_COUNT - 1));

	fill_event(ev, type, 1000000 + i * 1000, (unsigned)i);
	ev->pid = 100 + (uint32_t)(i % 5);
	ev->tid = ev->pid + (uint32_t)(i % 2);
	if (i % 3 == 0)
		add_payloads(ev, 2);
}

static int write_stream(const char *path, uint64_t n, size_t chunk_bytes)
{
	struct fr_writer_opts o = { .chunk_bytes = chunk_bytes };
	struct fr_writer *w;
	struct fr_event ev;
	struct fr_process p = { .pid = 100, .ppid = 1, .comm = "proc100" };
	char err[256];
	uint64_t i;
	int rc;

	rc = fr_writer__open(path, &o, &w, err, sizeof(err));
	ck_assert_msg(rc == 0, "open: %s", err);
	for (i = 0; i < n; i++) {
		stream_event(&ev, i);
		rc = fr_writer__add_event(w, &ev);
		ck_assert_msg(rc == 0, "add %llu: %s", (unsigned long long)i, fr_writer__strerror(w));
	}
	ck_assert_int_eq(fr_writer__add_process(w, &p), 0);
	rc = fr_writer__finish(w);
	ck_assert_msg(rc == 0, "finish: %s", fr_writer__strerror(w));
	fr_writer__free(w);
	return 0;
}

static struct fr_reader *open_ok(const char *path)
{
	struct fr_reader *r = NULL;
	char err[512];
	int rc = fr_reader__open(path, &r, err, sizeof(err));

	ck_assert_msg(rc == 0, "open %s: %s", path, err);
	return r;
}

START_TEST(test_roundtrip_stream)
{
	char path[300];
	struct fr_reader *r;
	const struct fr_event *got;
	struct fr_event want;
	uint64_t i = 0;
	const uint64_t n = 5000;
	int rc;

	tmp_path(path, sizeof(path), "rt.frb");
	write_stream(path, n, 4096); /* small chunks: many of them */
	r = open_ok(path);
	ck_assert_uint_gt(fr_reader__nchunks(r), 10);
	ck_assert_uint_eq(fr_reader__manifest(r)->event_count, n);
	while ((rc = fr_reader__next(r, &got)) > 0) {
		stream_event(&want, i);
		assert_same_event(&want, got);
		i++;
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(i, n);
	ck_assert_int_eq(fr_reader__verify(r), 0);
	/* rewinding gives the same stream again */
	fr_reader__rewind(r);
	ck_assert_int_eq(fr_reader__next(r, &got), 1);
	stream_event(&want, 0);
	assert_same_event(&want, got);
	fr_reader__free(r);
}
END_TEST

START_TEST(test_filters)
{
	char path[300];
	struct fr_reader *r;
	const struct fr_event *got;
	struct fr_filter f;
	const uint64_t n = 3000;
	uint64_t i, expect, count;
	struct fr_event want;
	int rc;

	tmp_path(path, sizeof(path), "filt.frb");
	write_stream(path, n, 2048);
	r = open_ok(path);

	/* pid 101, type syscall|exit, ts within a window */
	memset(&f, 0, sizeof(f));
	f.pids[f.n_pids++] = 101;
	f.type_mask = (1ULL << FR_EV_SYSCALL) | (1ULL << FR_EV_PROC_EXIT);
	f.since_ns = 1000000 + 500 * 1000;
	f.until_ns = 1000000 + 2500 * 1000;
	fr_reader__set_filter(r, &f);
	expect = 0;
	for (i = 0; i < n; i++) {
		stream_event(&want, i);
		if (want.pid == 101 && (want.type == FR_EV_SYSCALL || want.type == FR_EV_PROC_EXIT) &&
		    want.ts_ns >= f.since_ns && want.ts_ns <= f.until_ns)
			expect++;
	}
	ck_assert_uint_gt(expect, 0);
	count = 0;
	while ((rc = fr_reader__next(r, &got)) > 0) {
		ck_assert_uint_eq(got->pid, 101);
		ck_assert(got->type == FR_EV_SYSCALL || got->type == FR_EV_PROC_EXIT);
		ck_assert(got->ts_ns >= f.since_ns && got->ts_ns <= f.until_ns);
		count++;
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(count, expect);

	/* tid filter: uses the chunk bloom and the per-event check */
	memset(&f, 0, sizeof(f));
	f.tids[f.n_tids++] = 101;
	fr_reader__set_filter(r, &f);
	expect = 0;
	for (i = 0; i < n; i++) {
		stream_event(&want, i);
		expect += want.tid == 101;
	}
	count = 0;
	while ((rc = fr_reader__next(r, &got)) > 0) {
		ck_assert_uint_eq(got->tid, 101);
		count++;
	}
	ck_assert_uint_eq(count, expect);

	/* a tid that never occurs: nothing, and no error */
	f.tids[0] = 999999;
	fr_reader__set_filter(r, &f);
	ck_assert_int_eq(fr_reader__next(r, &got), 0);

	/* references: fetch an event again later */
	fr_reader__set_filter(r, NULL);
	for (i = 0; i < 1234; i++)
		ck_assert_int_eq(fr_reader__next(r, &got), 1);
	{
		struct fr_event_ref ref = got->ref;
		struct fr_event copy = *got;

		for (i = 0; i < 700; i++)
			ck_assert_int_eq(fr_reader__next(r, &got), 1);
		ck_assert_int_eq(fr_reader__get(r, ref, &got), 1);
		ck_assert_uint_eq(got->ts_ns, copy.ts_ns);
		ck_assert_uint_eq(got->type, copy.type);
		ck_assert(!memcmp(&got->u, &copy.u, fr_event_body_size(copy.type)));
		ref.offset = 3; /* inside the chunk header */
		ck_assert_int_lt(fr_reader__get(r, ref, &got), 0);
	}
	fr_reader__free(r);
}
END_TEST

static long max_rss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

START_TEST(test_million_events_bounded_memory)
{
	char path[300];
	struct fr_reader *r;
	const struct fr_event *got;
	struct fr_event want;
	const uint64_t n = 1000000;
	uint64_t i = 0, bad = 0;
	long before = max_rss_kb(), after_write, after_read;
	struct stat st;

	tmp_path(path, sizeof(path), "million.frb");
	write_stream(path, n, 0);
	after_write = max_rss_kb();
	ck_assert_int_eq(stat(path, &st), 0);
	r = open_ok(path);
	while (fr_reader__next(r, &got) > 0) {
		if ((i & 1023) == 0) { /* spot-check contents without slowing the loop */
			stream_event(&want, i);
			bad += want.ts_ns != got->ts_ns || want.type != got->type;
		}
		i++;
	}
	after_read = max_rss_kb();
	ck_assert_uint_eq(i, n);
	ck_assert_uint_eq(bad, 0);
	fr_reader__free(r);
	/* The bundle is tens of MB decoded; writing and streaming it back must
	 * not grow the process by more than a few chunks' worth. */
	if (!UNDER_ASAN) {
		ck_assert_msg(after_write - before < 48 * 1024,
			      "writing grew RSS by %ld KiB (bundle %lld bytes)", after_write - before,
			      (long long)st.st_size);
		ck_assert_msg(after_read - before < 48 * 1024, "reading grew RSS by %ld KiB",
			      after_read - before);
	}
}
END_TEST

START_TEST(test_process_table_roundtrip)
{
	static char *argv[] = { "/usr/bin/prog", "--flag", "arg with spaces",
				"non-utf8-\xff\xfe" };
	static char *env[] = { "A=1", "B=two" };
	struct fr_thread_info th[] = { { 10, "main" }, { 11, "worker\xff" } };
	struct fr_map maps[] = { { 0x1000, 0x2000, 0x10, 99, "r-xp", "fd:01", "/usr/bin/prog", "0123abcd" },
				 { 0x3000, 0x4000, 0, 0, "rw-p", "00:00", NULL, NULL },
				 { 0xffffffffff600000ULL, 0xffffffffff601000ULL, 0, 0, "--xp", "00:00",
				   "[vsyscall]", NULL } };
	struct fr_fd fds[] = { { .fd = 0, .type = FR_FD_CHR, .path = "/dev/pts/1", .flags = 2 },
			       { .fd = 5, .type = FR_FD_SOCKET, .sock_type = 1, .ino = 4444,
				 .tuple = { { 10, 0, 0, 1 }, { 10, 0, 0, 2 }, 443, 51000, 2, 6 } },
			       { .fd = 6, .type = FR_FD_SOCKET, .sock_type = 1,
				 .tuple = { { 0 }, { 0xfe, 0x80, [15] = 1 }, 80, 50000, 10, 6 } } };
	struct fr_rlimit rl[] = { { 7, 1024, UINT64_MAX }, { 3, 8388608, UINT64_MAX } };
	struct fr_namespace ns[] = { { "net", 4026531840ULL } };
	struct fr_process p = { 0 }, copy;
	const struct fr_process *q;
	struct fr_writer *w;
	struct fr_reader *r;
	char path[300], err[256];
	uint32_t i;

	p.pid = 10;
	p.ppid = 1;
	p.uid = 1000;
	p.gid = 100;
	p.euid = 0;
	p.egid = 0;
	p.flags = FR_PROC_ROOT | FR_PROC_SNAPSHOT | FR_PROC_EXITED;
	snprintf(p.comm, sizeof(p.comm), "prog");
	p.exe = "/usr/bin/prog";
	p.exe_build_id = "0123abcd";
	p.cwd = "/home/u";
	p.cgroup = "0::/user.slice";
	p.argv = argv;
	p.argc = 4;
	p.env = env;
	p.envc = 2;
	p.start_ns = 5;
	p.exit_ns = 99;
	p.exit_status = 0x8b; /* SIGSEGV, core */
	p.threads = th;
	p.n_threads = 2;
	p.maps = maps;
	p.n_maps = 3;
	p.fds = fds;
	p.n_fds = 3;
	p.rlimits = rl;
	p.n_rlimits = 2;
	p.namespaces = ns;
	p.n_namespaces = 1;

	ck_assert_int_eq(fr_process__copy(&copy, &p), 0);
	tmp_path(path, sizeof(path), "proc.frb");
	ck_assert_int_eq(fr_writer__open(path, NULL, &w, err, sizeof(err)), 0);
	ck_assert_int_eq(fr_writer__add_process(w, &copy), 0);
	fr_process__clear(&copy);
	ck_assert_int_eq(fr_writer__finish(w), 0);
	fr_writer__free(w);

	r = open_ok(path);
	ck_assert_uint_eq(fr_reader__nprocesses(r), 1);
	q = fr_reader__find_process(r, 10);
	ck_assert_ptr_nonnull(q);
	ck_assert_uint_eq(q->ppid, 1);
	ck_assert_uint_eq(q->uid, 1000);
	ck_assert_uint_eq(q->gid, 100);
	ck_assert_uint_eq(q->flags, p.flags);
	ck_assert_str_eq(q->comm, "prog");
	ck_assert_str_eq(q->exe, p.exe);
	ck_assert_str_eq(q->exe_build_id, p.exe_build_id);
	ck_assert_str_eq(q->cwd, p.cwd);
	ck_assert_str_eq(q->cgroup, p.cgroup);
	ck_assert_uint_eq(q->argc, 4);
	for (i = 0; i < 4; i++)
		ck_assert_str_eq(q->argv[i], argv[i]);
	ck_assert_uint_eq(q->envc, 2);
	ck_assert_str_eq(q->env[1], "B=two");
	ck_assert_uint_eq(q->start_ns, 5);
	ck_assert_uint_eq(q->exit_ns, 99);
	ck_assert_int_eq(q->exit_status, 0x8b);
	ck_assert_uint_eq(q->n_threads, 2);
	ck_assert_str_eq(q->threads[1].comm, "worker\xff");
	ck_assert_uint_eq(q->n_maps, 3);
	ck_assert(q->maps[2].start == 0xffffffffff600000ULL); /* above 2^63 */
	ck_assert_uint_eq(q->maps[0].start, 0x1000);
	ck_assert_uint_eq(q->maps[0].offset, 0x10);
	ck_assert_str_eq(q->maps[0].perms, "r-xp");
	ck_assert_str_eq(q->maps[0].build_id, "0123abcd");
	ck_assert_ptr_null(q->maps[1].path);
	ck_assert_uint_eq(q->n_fds, 3);
	ck_assert_str_eq(q->fds[0].path, "/dev/pts/1");
	ck_assert_uint_eq(q->fds[1].type, FR_FD_SOCKET);
	ck_assert(!memcmp(&q->fds[1].tuple, &fds[1].tuple, sizeof(fds[1].tuple)));
	ck_assert(!memcmp(&q->fds[2].tuple, &fds[2].tuple, sizeof(fds[2].tuple)));
	ck_assert_uint_eq(q->n_rlimits, 2);
	ck_assert(q->rlimits[0].max == UINT64_MAX);
	ck_assert_uint_eq(q->rlimits[1].cur, 8388608);
	ck_assert_str_eq(q->namespaces[0].name, "net");
	fr_reader__free(r);
}
END_TEST

START_TEST(test_manifest_roundtrip)
{
	struct fr_writer *w;
	struct fr_reader *r;
	struct fr_manifest *m;
	const struct fr_manifest *g;
	struct fr_event ev;
	char path[300], err[256];

	tmp_path(path, sizeof(path), "man.frb");
	ck_assert_int_eq(fr_writer__open(path, NULL, &w, err, sizeof(err)), 0);
	m = fr_writer__manifest(w);
	ck_assert_uint_eq(m->format_major, FR_FORMAT_MAJOR);
	ck_assert(m->kernel_release[0]);
	ck_assert(m->clock_to_utc_ns != 0);
	snprintf(m->trigger_kind, sizeof(m->trigger_kind), "signal");
	snprintf(m->trigger_reason, sizeof(m->trigger_reason), "reason with \xff bad utf8");
	m->trigger_ns = 77;
	m->losses[FR_LOSS_RING_FULL] = 5;
	m->losses[FR_LOSS_READ_FAULT] = 2;
	m->capture = json_pack("{s:s,s:i}", "mode", "capture", "snaplen", 256);
	m->features = json_pack("{s:{s:b}}", "ringbuf", "used", 1);
	fill_event(&ev, FR_EV_MARK, 50, 1);
	ck_assert_int_eq(fr_writer__add_event(w, &ev), 0);
	fill_event(&ev, FR_EV_LOST, 90, 1);
	ck_assert_int_eq(fr_writer__add_event(w, &ev), 0);
	ck_assert_int_eq(fr_writer__finish(w), 0);
	fr_writer__free(w);

	r = open_ok(path);
	g = fr_reader__manifest(r);
	ck_assert_str_eq(g->trigger_kind, "signal");
	ck_assert_str_eq(g->trigger_reason, "reason with ? bad utf8");
	ck_assert_uint_eq(g->trigger_ns, 77);
	ck_assert_uint_eq(g->losses[FR_LOSS_RING_FULL], 5);
	ck_assert_uint_eq(g->losses[FR_LOSS_READ_FAULT], 2);
	ck_assert_uint_eq(g->event_count, 2);
	ck_assert_uint_eq(g->events_by_type[FR_EV_MARK], 1);
	ck_assert_uint_eq(g->window_start_ns, 50);
	ck_assert_uint_eq(g->window_end_ns, 90);
	ck_assert_str_eq(json_string_value(json_object_get(g->capture, "mode")), "capture");
	ck_assert(json_is_true(json_object_get(json_object_get(g->features, "ringbuf"), "used")));
	fr_reader__free(r);
}
END_TEST

START_TEST(test_writer_refuses_time_travel)
{
	struct fr_writer *w;
	struct fr_event ev;
	char path[300], err[256];
	struct stat st;

	tmp_path(path, sizeof(path), "tt.frb");
	ck_assert_int_eq(fr_writer__open(path, NULL, &w, err, sizeof(err)), 0);
	fill_event(&ev, FR_EV_MARK, 100, 1);
	ck_assert_int_eq(fr_writer__add_event(w, &ev), 0);
	ev.ts_ns = 99;
	ck_assert_int_eq(fr_writer__add_event(w, &ev), -ERANGE);
	ck_assert(strstr(fr_writer__strerror(w), "older") != NULL);
	/* an abandoned writer leaves nothing behind, under either name */
	fr_writer__free(w);
	ck_assert_int_eq(stat(path, &st), -1);
	{
		char cmd[400];

		snprintf(cmd, sizeof(cmd), "test -z \"$(ls -A %s)\"", tmpdir);
		ck_assert_int_eq(system(cmd), 0);
	}
}
END_TEST

START_TEST(test_atomic_finish)
{
	/* Until finish, the final name does not exist; the file is private. */
	struct fr_writer *w;
	struct fr_event ev;
	char path[300], err[256];
	struct stat st;

	tmp_path(path, sizeof(path), "atomic.frb");
	ck_assert_int_eq(fr_writer__open(path, NULL, &w, err, sizeof(err)), 0);
	fill_event(&ev, FR_EV_MARK, 100, 1);
	ck_assert_int_eq(fr_writer__add_event(w, &ev), 0);
	ck_assert_int_eq(stat(path, &st), -1);
	/* the temporary file's descriptor must not leak into a command the
	 * recorder forks */
	{
		int fd, found = 0;

		for (fd = 3; fd < 1024; fd++) {
			char link[64], target[512];
			ssize_t n;

			snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
			n = readlink(link, target, sizeof(target) - 1);
			if (n <= 0)
				continue;
			target[n] = '\0';
			if (strstr(target, ".atomic.frb.tmp-")) {
				int other = open(target, O_RDONLY);

				found++;
				ck_assert_msg(fcntl(fd, F_GETFD) & FD_CLOEXEC, "writer fd lacks FD_CLOEXEC");
				/* a cleaner sees the file as in use */
				ck_assert_int_ge(other, 0);
				ck_assert_int_eq(flock(other, LOCK_SH | LOCK_NB), -1);
				ck_assert_int_eq(errno, EWOULDBLOCK);
				close(other);
			}
		}
		ck_assert_int_eq(found, 1);
	}
	ck_assert_int_eq(fr_writer__finish(w), 0);
	fr_writer__free(w);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
}
END_TEST

START_TEST(test_stored_files)
{
	struct fr_writer *w;
	struct fr_reader *r;
	char path[300], src[300], out[300], err[256];
	FILE *f;
	int fd;
	char *data = NULL;
	size_t len = 0;

	tmp_path(src, sizeof(src), "lib.so");
	f = fopen(src, "w");
	for (int i = 0; i < 10000; i++)
		fprintf(f, "line %d of a library\n", i);
	fclose(f);
	tmp_path(path, sizeof(path), "files.frb");
	ck_assert_int_eq(fr_writer__open(path, NULL, &w, err, sizeof(err)), 0);
	ck_assert_int_eq(fr_writer__add_file(w, "00aa11bb", src, "/usr/lib/lib.so"), 0);
	ck_assert_int_eq(fr_writer__add_file(w, "00aa11bb", src, "/usr/lib/lib.so"), 0);
	ck_assert_int_eq(fr_writer__add_file(w, "../etc", src, NULL), -EINVAL);
	fr_writer__free(w);
	ck_assert_int_eq(fr_writer__open(path, NULL, &w, err, sizeof(err)), 0);
	ck_assert_int_eq(fr_writer__add_file(w, "00aa11bb", src, "/usr/lib/lib.so"), 0);
	ck_assert_int_eq(fr_writer__finish(w), 0);
	fr_writer__free(w);

	r = open_ok(path);
	ck_assert_uint_eq(fr_reader__nfiles(r), 1);
	ck_assert_str_eq(fr_reader__file(r, 0)->path, "/usr/lib/lib.so");
	tmp_path(out, sizeof(out), "copy");
	fd = open(out, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	ck_assert_int_eq(fr_reader__copy_file(r, "00aa11bb", fd), 0);
	close(fd);
	ck_assert_int_eq(fr_reader__copy_file(r, "ffff", 1), -ENOENT);
	ck_assert_int_eq(fr_read_file(out, 1 << 20, &data, &len), 0);
	ck_assert_uint_eq(len, (size_t)fr_reader__file(r, 0)->size);
	ck_assert(strstr(data, "line 9999 of a library") != NULL);
	free(data);
	fr_reader__free(r);
}
END_TEST

/* ---- hostile input ------------------------------------------------------------------------------ */

static void write_small_bundle(const char *path)
{
	write_stream(path, 40, 256);
}

/* Open and fully read a bundle; returns 0 when everything succeeded. */
static int open_and_read(const char *path, char *err, size_t errlen, uint64_t *events)
{
	struct fr_reader *r;
	const struct fr_event *ev;
	int rc;

	*events = 0;
	rc = fr_reader__open(path, &r, err, errlen);
	if (rc)
		return rc;
	while ((rc = fr_reader__next(r, &ev)) > 0)
		(*events)++;
	if (rc < 0)
		snprintf(err, errlen, "%s", fr_reader__strerror(r));
	if (!rc) {
		rc = fr_reader__verify(r);
		if (rc > 0)
			snprintf(err, errlen, "%d members fail their checksum", rc);
		if (rc)
			rc = -EINVAL;
	}
	fr_reader__free(r);
	return rc;
}

START_TEST(test_every_prefix)
{
	char path[300], cut[300], err[512];
	char *data = NULL;
	size_t len = 0, n;
	uint64_t events;
	long last_data_end;

	tmp_path(path, sizeof(path), "small.frb");
	write_small_bundle(path);
	ck_assert_int_eq(fr_read_file(path, 1 << 20, &data, &len), 0);
	/* where the last member's data ends: after that only tar padding and the
	 * end-of-archive blocks follow */
	{
		struct archive *a = archive_read_new();
		struct archive_entry *e;

		archive_read_support_format_tar(a);
		ck_assert_int_eq(archive_read_open_memory(a, data, len), ARCHIVE_OK);
		last_data_end = 0;
		while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
			last_data_end = (long)archive_read_header_position(a) + 512 +
					(long)archive_entry_size(e);
			archive_read_data_skip(a);
		}
		archive_read_free(a);
	}
	tmp_path(cut, sizeof(cut), "cut.frb");
	for (n = 0; n < len; n++) {
		FILE *f = fopen(cut, "w");
		int rc;

		ck_assert_uint_eq(fwrite(data, 1, n, f), n);
		fclose(f);
		err[0] = '\0';
		rc = open_and_read(cut, err, sizeof(err), &events);
		if (rc == 0) {
			/* only acceptable when nothing but padding was cut */
			ck_assert_msg((long)n >= last_data_end,
				      "prefix %zu/%zu (data ends at %ld) was accepted", n, len,
				      last_data_end);
			ck_assert_uint_eq(events, 40);
		} else {
			ck_assert_msg(err[0], "prefix %zu failed without a message", n);
		}
	}
	free(data);
}
END_TEST

START_TEST(test_bit_flips)
{
	char path[300], bad[300], err[512];
	char *data = NULL;
	size_t len = 0;
	unsigned iter, detected = 0;
	uint64_t events;

	tmp_path(path, sizeof(path), "flip.frb");
	write_small_bundle(path);
	ck_assert_int_eq(fr_read_file(path, 1 << 20, &data, &len), 0);
	tmp_path(bad, sizeof(bad), "flipped.frb");
	rng_state = 0x1234567;
	for (iter = 0; iter < 1500; iter++) {
		char *copy = malloc(len);
		unsigned flips = 1 + (unsigned)(rnd() % 4), k;
		FILE *f;

		memcpy(copy, data, len);
		for (k = 0; k < flips; k++) {
			size_t at = (size_t)(rnd() % len);

			copy[at] ^= (char)(1u << (rnd() % 8));
		}
		f = fopen(bad, "w");
		fwrite(copy, 1, len, f);
		fclose(f);
		free(copy);
		err[0] = '\0';
		if (open_and_read(bad, err, sizeof(err), &events)) {
			ck_assert_msg(err[0], "flip failed without a message");
			detected++;
		}
	}
	/* most flips land in data that is checked; none may crash or leak */
	ck_assert_uint_gt(detected, 200);
	free(data);
}
END_TEST

/*
 * Copy a bundle member by member through libarchive, letting `edit` change
 * a member's name or bytes (and dropping it when it returns false).  Used to
 * forge hostile bundles.
 */
typedef bool (*edit_fn)(const char *name, char **new_name, uint8_t **data, size_t *len);

static void rewrite(const char *src, const char *dst, edit_fn edit, const char *extra_name)
{
	struct archive *in = archive_read_new(), *out = archive_write_new();
	struct archive_entry *e;

	archive_read_support_format_tar(in);
	ck_assert_int_eq(archive_read_open_filename(in, src, 10240), ARCHIVE_OK);
	archive_write_set_format_pax_restricted(out);
	ck_assert_int_eq(archive_write_open_filename(out, dst), ARCHIVE_OK);
	while (archive_read_next_header(in, &e) == ARCHIVE_OK) {
		size_t len = (size_t)archive_entry_size(e);
		uint8_t *data = malloc(len + 1);
		char *name = strdup(archive_entry_pathname(e));
		struct archive_entry *o;

		ck_assert_int_eq(archive_read_data(in, data, len), (la_ssize_t)len);
		if (edit && !edit(archive_entry_pathname(e), &name, &data, &len)) {
			free(data);
			free(name);
			continue;
		}
		o = archive_entry_new();
		archive_entry_set_pathname(o, name);
		archive_entry_set_size(o, (la_int64_t)len);
		archive_entry_set_filetype(o, AE_IFREG);
		archive_entry_set_perm(o, 0600);
		archive_write_header(out, o);
		archive_write_data(out, data, len);
		archive_entry_free(o);
		free(data);
		free(name);
	}
	if (extra_name) {
		struct archive_entry *o = archive_entry_new();

		archive_entry_set_pathname(o, extra_name);
		archive_entry_set_size(o, 4);
		archive_entry_set_filetype(o, AE_IFREG);
		archive_entry_set_perm(o, 0600);
		archive_write_header(out, o);
		archive_write_data(out, "evil", 4);
		archive_entry_free(o);
	}
	archive_read_free(in);
	archive_write_close(out);
	archive_write_free(out);
}

static void expect_refused(const char *path, const char *needle)
{
	struct fr_reader *r = NULL;
	char err[512];
	int rc = fr_reader__open(path, &r, err, sizeof(err));

	ck_assert_msg(rc < 0, "bundle %s was accepted", path);
	ck_assert_ptr_null(r);
	ck_assert_msg(strstr(err, needle) != NULL, "message '%s' lacks '%s'", err, needle);
}

START_TEST(test_unsafe_names)
{
	static const char *const names[] = { "../x", "/etc/x", "events/../../x", "a//b",
					     "dir/", "tab\there", "back\\slash" };
	char path[300], bad[300];
	size_t i;

	tmp_path(path, sizeof(path), "names.frb");
	write_small_bundle(path);
	tmp_path(bad, sizeof(bad), "evil.frb");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		rewrite(path, bad, NULL, names[i]);
		expect_refused(bad, "unsafe name");
	}
}
END_TEST

static bool bump_major(const char *name, char **new_name, uint8_t **data, size_t *len)
{
	(void)new_name;
	if (!strcmp(name, FR_MEMBER_MANIFEST)) {
		json_t *j = json_loadb((const char *)*data, *len, 0, NULL);
		char *s;

		json_object_set_new(json_object_get(j, "format"), "major", json_integer(7));
		s = json_dumps(j, 0);
		json_decref(j);
		free(*data);
		*data = (uint8_t *)s;
		*len = strlen(s);
	}
	return true;
}

static bool drop_index(const char *name, char **new_name, uint8_t **data, size_t *len)
{
	(void)new_name;
	(void)data;
	(void)len;
	return strcmp(name, FR_MEMBER_INDEX) != 0;
}

static bool corrupt_chunk(const char *name, char **new_name, uint8_t **data, size_t *len)
{
	(void)new_name;
	if (!strcmp(name, "events/00000001.zst"))
		(*data)[*len / 2] ^= 0x40;
	return true;
}

static bool duplicate_name(const char *name, char **new_name, uint8_t **data, size_t *len)
{
	(void)data;
	(void)len;
	if (!strcmp(name, "events/00000001.zst")) {
		free(*new_name);
		*new_name = strdup("events/00000000.zst");
	}
	return true;
}

static bool garbage_manifest(const char *name, char **new_name, uint8_t **data, size_t *len)
{
	(void)new_name;
	if (!strcmp(name, FR_MEMBER_MANIFEST)) {
		free(*data);
		*data = (uint8_t *)strdup("{\"format\": {\"major\": 1}, \"members\": 12}");
		*len = strlen((char *)*data);
	}
	return true;
}

START_TEST(test_forged_bundles)
{
	char path[300], bad[300], err[512];
	uint64_t events;

	tmp_path(path, sizeof(path), "forge.frb");
	write_small_bundle(path);
	tmp_path(bad, sizeof(bad), "forged.frb");

	rewrite(path, bad, bump_major, NULL);
	expect_refused(bad, "newer");
	rewrite(path, bad, drop_index, NULL);
	expect_refused(bad, "missing");
	rewrite(path, bad, duplicate_name, NULL);
	expect_refused(bad, "twice");
	rewrite(path, bad, garbage_manifest, NULL);
	expect_refused(bad, "member list");
	/* a corrupted chunk opens (it is read lazily) but fails when read */
	rewrite(path, bad, corrupt_chunk, NULL);
	ck_assert_int_lt(open_and_read(bad, err, sizeof(err), &events), 0);
	ck_assert_msg(strstr(err, "chunk 1") != NULL, "message: %s", err);
	/* unchanged copy through the same path opens fine (the forger is sound) */
	rewrite(path, bad, NULL, NULL);
	ck_assert_int_eq(open_and_read(bad, err, sizeof(err), &events), 0);
	ck_assert_uint_eq(events, 40);
}
END_TEST

START_TEST(test_not_bundles)
{
	struct fr_reader *r;
	char err[512], path[300];
	FILE *f;

	ck_assert_int_eq(fr_reader__open("/nonexistent/x.frb", &r, err, sizeof(err)), -ENOENT);
	ck_assert_int_eq(fr_reader__open("/tmp", &r, err, sizeof(err)), -EISDIR);
	tmp_path(path, sizeof(path), "empty");
	f = fopen(path, "w");
	fclose(f);
	ck_assert_int_lt(fr_reader__open(path, &r, err, sizeof(err)), 0);
	ck_assert(strstr(err, "empty") != NULL);
	tmp_path(path, sizeof(path), "text");
	f = fopen(path, "w");
	fputs("this is not a tar archive\n", f);
	fclose(f);
	ck_assert_int_lt(fr_reader__open(path, &r, err, sizeof(err)), 0);
	ck_assert(strstr(err, "not a bundle") != NULL);
	/* a valid tar that is not a bundle */
	tmp_path(path, sizeof(path), "plain.tar");
	{
		char cmd[700];

		snprintf(cmd, sizeof(cmd), "cd %s && echo hi > f && tar cf plain.tar f", tmpdir);
		ck_assert_int_eq(system(cmd), 0);
	}
	ck_assert_int_lt(fr_reader__open(path, &r, err, sizeof(err)), 0);
	ck_assert_msg(strstr(err, "manifest") != NULL, "%s", err);
	ck_assert_int_lt(fr_reader__open("/dev/null", &r, err, sizeof(err)), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("formats");
	TCase *codec = tcase_create("codec"), *rw = tcase_create("writer-reader"),
	      *hostile = tcase_create("hostile");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(codec, test_codec_roundtrip_every_type, 1, FR_EV_TYPE_COUNT);
	tcase_add_loop_test(codec, test_codec_every_truncation, 1, FR_EV_TYPE_COUNT);
	tcase_add_test(codec, test_codec_enospc_and_order);
	tcase_add_test(codec, test_codec_payload_len_over_full);
	tcase_add_test(codec, test_codec_compat);
	tcase_add_test(codec, test_codec_hostile_values);
	tcase_add_test(codec, test_from_record);
	tcase_add_test(codec, test_type_names);
	suite_add_tcase(s, codec);

	tcase_add_checked_fixture(rw, setup, teardown);
	tcase_set_timeout(rw, 300);
	tcase_add_test(rw, test_roundtrip_stream);
	tcase_add_test(rw, test_filters);
	tcase_add_test(rw, test_million_events_bounded_memory);
	tcase_add_test(rw, test_process_table_roundtrip);
	tcase_add_test(rw, test_manifest_roundtrip);
	tcase_add_test(rw, test_writer_refuses_time_travel);
	tcase_add_test(rw, test_atomic_finish);
	tcase_add_test(rw, test_stored_files);
	suite_add_tcase(s, rw);

	tcase_add_checked_fixture(hostile, setup, teardown);
	tcase_set_timeout(hostile, 600);
	tcase_add_test(hostile, test_every_prefix);
	tcase_add_test(hostile, test_bit_flips);
	tcase_add_test(hostile, test_unsafe_names);
	tcase_add_test(hostile, test_forged_bundles);
	tcase_add_test(hostile, test_not_bundles);
	suite_add_tcase(s, hostile);

	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
