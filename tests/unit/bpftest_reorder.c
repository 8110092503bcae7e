// SPDX-License-Identifier: MIT
/*
 * Unit tests: capture/reorder.c, the reorder window between the ring
 * buffer and the writer.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bpf/fr_events.h"
#include "capture/reorder.h"

struct out {
	uint64_t ts[20000];
	uint32_t tag[20000];
	size_t n;
	int fail_at; /* return an error at this release (-1: never) */
};

struct rec {
	struct fr_rec_hdr h;
	struct fr_ev_mark m; /* tag in m.reserved */
};

static int collect(void *ctx, void *r, size_t len)
{
	struct out *o = ctx;
	struct rec rec;

	ck_assert_uint_eq(len, sizeof(rec));
	memcpy(&rec, r, sizeof(rec));
	if (o->fail_at >= 0 && (size_t)o->fail_at == o->n)
		return -EIO;
	ck_assert_uint_lt(o->n, 20000);
	o->ts[o->n] = rec.h.ts_ns;
	o->tag[o->n] = rec.m.reserved;
	o->n++;
	return 0;
}

static void push(struct fr_reorder *r, uint64_t ts, uint32_t tag)
{
	struct rec rec;

	memset(&rec, 0, sizeof(rec));
	rec.h.ts_ns = ts;
	rec.h.type = FR_EV_MARK;
	rec.h.size = sizeof(rec);
	rec.m.reserved = tag;
	ck_assert_int_eq(fr_reorder__push(r, &rec, sizeof(rec)), 0);
}

/* Table: arrival orders within the window come out sorted, ties in
 * arrival order. */
static const struct {
	uint64_t ts[8];
	uint32_t order[8]; /* expected tags (= arrival index) */
} cases[] = {
    {{1, 2, 3, 4, 5, 6, 7, 8}, {0, 1, 2, 3, 4, 5, 6, 7}},
    {{8, 7, 6, 5, 4, 3, 2, 1}, {7, 6, 5, 4, 3, 2, 1, 0}},
    {{5, 5, 5, 1, 1, 9, 9, 5}, {3, 4, 0, 1, 2, 7, 5, 6}},
    {{10, 3, 10, 3, 7, 7, 1, 10}, {6, 1, 3, 4, 5, 0, 2, 7}},
};

START_TEST(test_sorted)
{
	struct out *o = calloc(1, sizeof(*o));
	struct fr_reorder *r;
	unsigned i;

	o->fail_at = -1;
	ck_assert_int_eq(fr_reorder__new(1000, 0, collect, o, &r), 0);
	for (i = 0; i < 8; i++)
		push(r, cases[_i].ts[i], i);
	/* all within the window: nothing out yet */
	ck_assert_int_eq(fr_reorder__release(r, false), 0);
	ck_assert_uint_eq(o->n, 0);
	ck_assert_int_eq(fr_reorder__release(r, true), 0);
	ck_assert_uint_eq(o->n, 8);
	for (i = 0; i < 8; i++)
		ck_assert_msg(o->tag[i] == cases[_i].order[i],
			      "case %d position %u: tag %u, expected %u", _i, i, o->tag[i],
			      cases[_i].order[i]);
	fr_reorder__free(r);
	free(o);
}
END_TEST

/* Records are held until the newest timestamp is `window` ahead. */
START_TEST(test_window)
{
	struct out *o = calloc(1, sizeof(*o));
	struct fr_reorder_stats st;
	struct fr_reorder *r;

	o->fail_at = -1;
	ck_assert_int_eq(fr_reorder__new(100, 0, collect, o, &r), 0);
	push(r, 1000, 0);
	push(r, 1050, 1);
	fr_reorder__release(r, false);
	ck_assert_uint_eq(o->n, 0);
	push(r, 1100, 2); /* 1000 is now 100 behind: out */
	fr_reorder__release(r, false);
	ck_assert_uint_eq(o->n, 1);
	ck_assert_uint_eq(o->ts[0], 1000);
	push(r, 1020, 3); /* late, but not older than what went out */
	push(r, 1300, 4);
	fr_reorder__release(r, false);
	ck_assert_uint_eq(o->n, 4);
	ck_assert_uint_eq(o->ts[1], 1020);
	ck_assert_uint_eq(o->ts[2], 1050);
	ck_assert_uint_eq(o->ts[3], 1100);
	fr_reorder__stats(r, &st);
	ck_assert_uint_eq(st.late, 0);
	ck_assert_uint_eq(st.held, 1);
	fr_reorder__free(r); /* frees what is held */
	free(o);
}
END_TEST

/* A record older than what was released goes out at once with the last
 * released timestamp, counted: output never goes back in time. */
START_TEST(test_late)
{
	struct out *o = calloc(1, sizeof(*o));
	struct fr_reorder_stats st;
	struct fr_reorder *r;
	size_t i;

	o->fail_at = -1;
	ck_assert_int_eq(fr_reorder__new(10, 0, collect, o, &r), 0);
	push(r, 100, 0);
	push(r, 200, 1);
	fr_reorder__release(r, false); /* 100 out */
	push(r, 50, 2);		       /* 50 behind what went out */
	push(r, 300, 3);
	fr_reorder__release(r, true);
	ck_assert_uint_eq(o->n, 4);
	for (i = 1; i < o->n; i++)
		ck_assert_uint_ge(o->ts[i], o->ts[i - 1]);
	ck_assert_uint_eq(o->tag[1], 2);
	ck_assert_uint_eq(o->ts[1], 100);
	fr_reorder__stats(r, &st);
	ck_assert_uint_eq(st.late, 1);
	ck_assert_uint_eq(st.max_late_ns, 50);
	ck_assert_uint_eq(st.released, 4);
	fr_reorder__free(r);
	free(o);
}
END_TEST

/* Many records in a nearly sorted order (as from the ring): all come out,
 * sorted, across several arena blocks, with the memory bound forcing
 * early releases that still keep the output sorted. */
START_TEST(test_volume_and_bound)
{
	struct out *o = calloc(1, sizeof(*o));
	struct fr_reorder_stats st;
	struct fr_reorder *r;
	uint64_t seed = 42;
	size_t i;

	o->fail_at = -1;
	/* a tiny memory bound: a few blocks' worth are never held at once */
	ck_assert_int_eq(fr_reorder__new(1000000, 1, collect, o, &r), 0);
	for (i = 0; i < 20000; i++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		push(r, i * 10 + (seed >> 60), (uint32_t)i);
	}
	fr_reorder__release(r, true);
	ck_assert_uint_eq(o->n, 20000);
	for (i = 1; i < o->n; i++)
		ck_assert_uint_ge(o->ts[i], o->ts[i - 1]);
	fr_reorder__stats(r, &st);
	ck_assert_uint_gt(st.forced, 0);
	ck_assert_uint_eq(st.held, 0);
	ck_assert_uint_eq(st.pushed, 20000);
	fr_reorder__free(r);
	free(o);
}
END_TEST

START_TEST(test_errors)
{
	struct out *o = calloc(1, sizeof(*o));
	struct fr_reorder *r;
	char small[8] = {0};

	o->fail_at = 1;
	ck_assert_int_eq(fr_reorder__new(0, 0, collect, o, &r), 0);
	ck_assert_int_eq(fr_reorder__push(r, small, sizeof(small)), -EINVAL);
	push(r, 1, 0);
	push(r, 2, 1);
	push(r, 3, 2);
	/* the callback's error stops the release and is returned */
	ck_assert_int_eq(fr_reorder__release(r, true), -EIO);
	ck_assert_uint_eq(o->n, 1);
	fr_reorder__free(r);
	fr_reorder__free(NULL);
	free(o);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("reorder");
	TCase *tc = tcase_create("reorder");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, test_sorted, 0, sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, test_window);
	tcase_add_test(tc, test_late);
	tcase_add_test(tc, test_volume_and_bound);
	tcase_add_test(tc, test_errors);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
