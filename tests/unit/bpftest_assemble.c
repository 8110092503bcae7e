// SPDX-License-Identifier: MIT
/*
 * Unit tests: capture/assemble.c, payload pieces back into their events.
 * Records are built here in the kernel's layout (bpf/fr_capture.h).
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bpf/fr_capture.h"
#include "capture/assemble.h"
#include "formats/event.h"

struct buf {
	uint8_t b[1 << 20];
	size_t n;
};

static void put(struct buf *o, const void *p, size_t n)
{
	ck_assert_uint_le(o->n + n, sizeof(o->b));
	memcpy(o->b + o->n, p, n);
	o->n += n;
	while (o->n & 7)
		o->b[o->n++] = 0;
}

static size_t piece(uint8_t *out, uint32_t tid, uint64_t seq, unsigned kind, unsigned arg,
		    unsigned part, uint32_t off, uint32_t total, const void *data, uint32_t len,
		    unsigned flags)
{
	struct fr_rec_hdr h = {.ts_ns = 5, .pid = tid, .tid = tid, .type = FR_REC_PIECE};
	struct fr_piece p = {.seq = seq,
			     .kind = (uint8_t)kind,
			     .arg = (uint8_t)arg,
			     .part = (uint8_t)part,
			     .flags = (uint8_t)flags,
			     .offset = off,
			     .len = len,
			     .total = total};

	h.size = (uint32_t)(sizeof(h) + sizeof(p) + len);
	memcpy(out, &h, sizeof(h));
	memcpy(out + sizeof(h), &p, sizeof(p));
	memcpy(out + sizeof(h) + sizeof(p), data, len);
	return h.size;
}

/* A write(1, <stub of `total` bytes>, n) event of `tid`, plus an inline item. */
static void syscall_rec(struct buf *o, uint32_t tid, uint64_t seq, uint32_t total, uint32_t full)
{
	struct fr_rec_hdr h = {.ts_ns = 10, .pid = tid, .tid = tid, .type = FR_EV_SYSCALL};
	struct fr_ev_syscall b = {.enter_ns = 9, .ret = full, .nr = 1, .flags = FR_SC_HAS_STUBS};
	struct fr_payload_hdr ph = {.kind = FR_PL_IN,
				    .arg = 1,
				    .flags = FR_PLF_PIECES,
				    .full_len = full,
				    .len = sizeof(struct fr_stub)};
	struct fr_stub st = {.seq = seq, .total = total};
	struct fr_payload_hdr ph2 = {.kind = FR_PL_FDINFO, .arg = 0, .full_len = 4, .len = 4};

	o->n = 0;
	put(o, &h, sizeof(h));
	put(o, &b, sizeof(b));
	put(o, &ph, sizeof(ph));
	put(o, &st, sizeof(st));
	put(o, &ph2, sizeof(ph2));
	put(o, "abcd", 4);
	h.size = (uint32_t)o->n;
	memcpy(o->b, &h, sizeof(h));
}

static uint8_t data[200000];

START_TEST(test_merge)
{
	static struct buf rec;
	static uint8_t pc[70000];
	const struct fr_payload *p;
	struct fr_asm_stats st;
	struct fr_event ev;
	struct fr_asm *a;
	const void *out;
	size_t out_len, n;
	uint32_t off;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 3);
	ck_assert_int_eq(fr_asm__new(&a), 0);
	/* 100000 bytes in pieces of 32768, for thread 7, seq 3 */
	for (off = 0; off < 100000; off += 32768) {
		uint32_t len = 100000 - off < 32768 ? 100000 - off : 32768;

		n = piece(pc, 7, 3, FR_PL_IN, 1, 0, off, 100000, data + off, len, 0);
		ck_assert_int_eq(fr_asm__add_piece(a, pc, n), 0);
	}
	/* another thread's piece must not be taken */
	n = piece(pc, 8, 3, FR_PL_IN, 1, 0, 0, 10, data, 10, 0);
	ck_assert_int_eq(fr_asm__add_piece(a, pc, n), 0);

	syscall_rec(&rec, 7, 3, 100000, 100000);
	ck_assert(fr_asm__needs_merge(rec.b, rec.n));
	ck_assert_int_eq(fr_asm__merge(a, rec.b, rec.n, &out, &out_len), 0);
	ck_assert(!fr_asm__needs_merge(out, out_len));
	ck_assert_int_eq(fr_event_from_record(&ev, out, out_len), (int)out_len);
	ck_assert_uint_eq(ev.n_payloads, 2);
	p = fr_event_payload(&ev, FR_PL_IN, 1, 0);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(p->len, 100000);
	ck_assert_uint_eq(p->full_len, 100000);
	ck_assert_uint_eq(p->flags, 0);
	ck_assert(!memcmp(p->data, data, 100000));
	p = fr_event_payload(&ev, FR_PL_FDINFO, 0, 0);
	ck_assert(p && p->len == 4 && !memcmp(p->data, "abcd", 4));
	ck_assert_uint_eq(ev.u.sc.nr, 1);
	ck_assert_uint_eq(ev.u.sc.flags, 0); /* the internal flag is gone */
	fr_asm__stats(a, &st);
	ck_assert_uint_eq(st.pieces, 5);
	ck_assert_uint_eq(st.merged, 1);
	ck_assert_uint_eq(st.items_short, 0);
	ck_assert_uint_eq(st.pending_bytes, 10); /* thread 8's piece is still held */
	fr_asm__free(a);
}
END_TEST

/* A dropped piece: the item keeps the prefix that arrived, flagged lost. */
START_TEST(test_missing_piece)
{
	static struct buf rec;
	static uint8_t pc[40000];
	const struct fr_payload *p;
	struct fr_asm_stats st;
	struct fr_event ev;
	struct fr_asm *a;
	const void *out;
	size_t out_len, n;

	ck_assert_int_eq(fr_asm__new(&a), 0);
	n = piece(pc, 7, 1, FR_PL_IN, 1, 0, 0, 70000, data, 32768, 0);
	ck_assert_int_eq(fr_asm__add_piece(a, pc, n), 0);
	/* piece at 32768 dropped; the one at 65536 arrives */
	n = piece(pc, 7, 1, FR_PL_IN, 1, 0, 65536, 70000, data + 65536, 70000 - 65536, 0);
	ck_assert_int_eq(fr_asm__add_piece(a, pc, n), 0);
	syscall_rec(&rec, 7, 1, 70000, 70000);
	ck_assert_int_eq(fr_asm__merge(a, rec.b, rec.n, &out, &out_len), 0);
	ck_assert_int_eq(fr_event_from_record(&ev, out, out_len), (int)out_len);
	p = fr_event_payload(&ev, FR_PL_IN, 1, 0);
	ck_assert_uint_eq(p->len, 32768);
	ck_assert_uint_eq(p->full_len, 70000);
	ck_assert_uint_eq(p->flags, FR_PLF_LOST);
	ck_assert(!memcmp(p->data, data, 32768));
	fr_asm__stats(a, &st);
	ck_assert_uint_eq(st.items_short, 1);
	ck_assert_uint_eq(st.pending_bytes, 0);
	fr_asm__free(a);
}
END_TEST

/* Pieces of an event that never arrived (dropped) are not attached to the
 * next one, whose seq differs; a fault marks the item. */
START_TEST(test_stale_and_fault)
{
	static struct buf rec;
	static uint8_t pc[40000];
	const struct fr_payload *p;
	struct fr_asm_stats st;
	struct fr_event ev;
	struct fr_asm *a;
	const void *out;
	size_t out_len, n;

	ck_assert_int_eq(fr_asm__new(&a), 0);
	/* seq 4: its event was dropped */
	n = piece(pc, 7, 4, FR_PL_IN, 1, 0, 0, 100, data, 100, 0);
	ck_assert_int_eq(fr_asm__add_piece(a, pc, n), 0);
	/* seq 5: the first piece read, then a fault */
	n = piece(pc, 7, 5, FR_PL_IN, 1, 0, 0, 65536, data + 1, 32768, 0);
	ck_assert_int_eq(fr_asm__add_piece(a, pc, n), 0);
	n = piece(pc, 7, 5, FR_PL_IN, 1, 0, 32768, 65536, data, 0, FR_PLF_FAULT);
	ck_assert_int_eq(fr_asm__add_piece(a, pc, n), 0);
	syscall_rec(&rec, 7, 5, 65536, 65536);
	ck_assert_int_eq(fr_asm__merge(a, rec.b, rec.n, &out, &out_len), 0);
	ck_assert_int_eq(fr_event_from_record(&ev, out, out_len), (int)out_len);
	p = fr_event_payload(&ev, FR_PL_IN, 1, 0);
	ck_assert_uint_eq(p->len, 32768);
	ck_assert_uint_eq(p->flags, FR_PLF_FAULT);
	ck_assert(!memcmp(p->data, data + 1, 32768));
	fr_asm__stats(a, &st);
	ck_assert_uint_eq(st.stale_pieces, 1);
	ck_assert_uint_eq(st.pending_bytes, 0);

	/* a stub whose pieces were all dropped: an empty item, flagged lost */
	syscall_rec(&rec, 7, 6, 1000, 1000);
	ck_assert_int_eq(fr_asm__merge(a, rec.b, rec.n, &out, &out_len), 0);
	ck_assert_int_eq(fr_event_from_record(&ev, out, out_len), (int)out_len);
	p = fr_event_payload(&ev, FR_PL_IN, 1, 0);
	ck_assert(p->len == 0 && p->full_len == 1000 && p->flags == FR_PLF_LOST);
	fr_asm__free(a);
}
END_TEST

/* Malformed records from the kernel are counted, not trusted. */
START_TEST(test_bad_records)
{
	static struct buf rec;
	static uint8_t pc[256];
	struct fr_rec_hdr h;
	struct fr_asm_stats st;
	struct fr_asm *a;
	const void *out;
	size_t out_len, n;

	ck_assert_int_eq(fr_asm__new(&a), 0);
	ck_assert_int_eq(fr_asm__add_piece(a, pc, 10), -EINVAL);
	/* a piece claiming more than it holds */
	n = piece(pc, 7, 1, FR_PL_IN, 1, 0, 0, 100, data, 50, 0);
	memcpy(&h, pc, sizeof(h));
	h.size = 30;
	memcpy(pc, &h, sizeof(h));
	ck_assert_int_eq(fr_asm__add_piece(a, pc, n), -EINVAL);
	/* a piece beyond its item */
	n = piece(pc, 7, 1, FR_PL_IN, 1, 0, 90, 100, data, 50, 0);
	ck_assert_int_eq(fr_asm__add_piece(a, pc, n), -EINVAL);
	/* a stub claiming more than the full length */
	syscall_rec(&rec, 7, 1, 2000, 1000);
	ck_assert_int_eq(fr_asm__merge(a, rec.b, rec.n, &out, &out_len), -EINVAL);
	/* every truncation of a valid record */
	syscall_rec(&rec, 7, 1, 10, 10);
	for (size_t len = 0; len < rec.n; len++)
		ck_assert_int_ne(fr_asm__merge(a, rec.b, len, &out, &out_len), 0);
	fr_asm__stats(a, &st);
	ck_assert_uint_ge(st.bad_records, 4);
	fr_asm__free(a);
	fr_asm__free(NULL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("assemble");
	TCase *tc = tcase_create("assemble");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_merge);
	tcase_add_test(tc, test_missing_piece);
	tcase_add_test(tc, test_stale_and_fault);
	tcase_add_test(tc, test_bad_records);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
