// SPDX-License-Identifier: MIT
/*
 * reorder.c: the reorder window (see reorder.h).
 *
 * Records are copied into large arena blocks in arrival order.  An array
 * of (ts, arrival) entries, kept sorted, circular, points into them: records
 * come nearly in order, so most are appended at the tail and released from
 * the head in O(1); an out-of-order one is placed by binary search and the
 * shorter side of the array is shifted by one.  Blocks empty from the
 * oldest on: each counts its live records and is recycled when the count
 * drops to zero.
 */
#include "capture/reorder.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bpf/fr_events.h"

#define BLOCK_SIZE (4u << 20)

struct block {
	struct block *next;
	size_t used, cap;
	size_t live;
	uint8_t data[];
};

struct entry {
	uint64_t ts;
	uint64_t seq;
	uint8_t *rec;
	uint32_t len;
	struct block *blk;
};

struct fr_reorder {
	uint64_t window;
	size_t max_bytes;
	fr_reorder_fn fn;
	void *ctx;
	struct entry *ring; /* sorted, circular: entry i is ring[(head + i) & (cap - 1)] */
	size_t head, n, cap;
	uint64_t seq;
	uint64_t newest;   /* largest ts pushed */
	uint64_t last_out; /* ts of the last record released */
	bool any_out;
	struct block *cur;   /* block being filled */
	struct block *spare; /* one empty block kept for reuse */
	size_t bytes;	     /* arena bytes allocated */
	struct fr_reorder_stats st;
};

int fr_reorder__new(uint64_t window_ns, size_t max_bytes, fr_reorder_fn fn, void *ctx,
		    struct fr_reorder **out)
{
	struct fr_reorder *r = calloc(1, sizeof(*r));

	*out = NULL;
	if (!r)
		return -ENOMEM;
	r->window = window_ns;
	r->max_bytes = max_bytes ? max_bytes : (256u << 20);
	r->fn = fn;
	r->ctx = ctx;
	*out = r;
	return 0;
}

static void block_put(struct fr_reorder *r, struct block *b)
{
	if (--b->live || b == r->cur)
		return;
	if (!r->spare && b->cap == BLOCK_SIZE) {
		b->used = 0;
		r->spare = b;
	} else {
		r->bytes -= b->cap;
		free(b);
	}
}

void fr_reorder__free(struct fr_reorder *r)
{
	size_t i;

	if (!r)
		return;
	/* blocks are reachable only through live entries, cur and spare */
	for (i = 0; i < r->n; i++) {
		struct block *b = r->ring[(r->head + i) & (r->cap - 1)].blk;

		if (--b->live == 0 && b != r->cur)
			free(b);
	}
	free(r->cur);
	free(r->spare);
	free(r->ring);
	free(r);
}

static bool before(const struct entry *a, const struct entry *b)
{
	return a->ts < b->ts || (a->ts == b->ts && a->seq < b->seq);
}

static struct entry *at(struct fr_reorder *r, size_t i)
{
	return &r->ring[(r->head + i) & (r->cap - 1)];
}

/* Put `e` at its sorted place (there is room for one more). */
static void insert(struct fr_reorder *r, const struct entry *e)
{
	size_t lo = 0, hi = r->n, i;

	if (!r->n || !before(e, at(r, r->n - 1))) {
		*at(r, r->n) = *e; /* the common case: newest */
		r->n++;
		return;
	}
	while (lo < hi) { /* first entry after e */
		size_t mid = lo + (hi - lo) / 2;

		if (before(e, at(r, mid)))
			hi = mid;
		else
			lo = mid + 1;
	}
	if (lo < r->n - lo) {
		/* shift [0, lo) one step toward the head */
		r->head = (r->head - 1) & (r->cap - 1);
		for (i = 0; i < lo; i++)
			*at(r, i) = *at(r, i + 1);
	} else {
		/* shift [lo, n) one step toward the tail */
		for (i = r->n; i > lo; i--)
			*at(r, i) = *at(r, i - 1);
	}
	*at(r, lo) = *e;
	r->n++;
}

static int grow(struct fr_reorder *r)
{
	size_t cap = r->cap ? r->cap * 2 : 4096, i;
	struct entry *n = malloc(cap * sizeof(*n));

	if (!n)
		return -ENOMEM;
	for (i = 0; i < r->n; i++)
		n[i] = *at(r, i);
	free(r->ring);
	r->ring = n;
	r->cap = cap;
	r->head = 0;
	return 0;
}

/* Release the oldest record. */
static int pop(struct fr_reorder *r)
{
	struct entry e = *at(r, 0);
	int err;

	r->head = (r->head + 1) & (r->cap - 1);
	r->n--;
	if (r->any_out && e.ts < r->last_out) {
		struct fr_rec_hdr h;
		uint64_t d = r->last_out - e.ts;

		memcpy(&h, e.rec, sizeof(h));
		h.ts_ns = r->last_out;
		memcpy(e.rec, &h, sizeof(h));
		r->st.late++;
		if (d > r->st.max_late_ns)
			r->st.max_late_ns = d;
	} else {
		r->last_out = e.ts;
		r->any_out = true;
	}
	r->st.released++;
	r->st.held_bytes -= e.len;
	err = r->fn(r->ctx, e.rec, e.len);
	block_put(r, e.blk);
	return err < 0 ? err : 0;
}

static struct block *block_for(struct fr_reorder *r, size_t len)
{
	struct block *b = r->cur;
	size_t need = (len + 7) & ~(size_t)7;

	if (b && b->cap - b->used >= need)
		return b;
	if (b && b->live == 0) {
		/* current block fully released: reuse it */
		b->used = 0;
		if (b->cap >= need)
			return b;
	}
	if (b && b->live == 0) {
		r->bytes -= b->cap;
		free(b);
	}
	r->cur = NULL;
	if (need <= BLOCK_SIZE && r->spare) {
		b = r->spare;
		r->spare = NULL;
	} else {
		size_t cap = need > BLOCK_SIZE ? need : BLOCK_SIZE;

		b = malloc(sizeof(*b) + cap);
		if (!b)
			return NULL;
		b->cap = cap;
		r->bytes += cap;
	}
	b->used = 0;
	b->live = 0;
	r->cur = b;
	return b;
}

int fr_reorder__push(struct fr_reorder *r, const void *rec, size_t len)
{
	struct fr_rec_hdr h;
	struct block *b;
	struct entry e;
	int err;

	if (len < sizeof(h) || len > UINT32_MAX)
		return -EINVAL;
	memcpy(&h, rec, sizeof(h));
	/* respect the memory bound before growing */
	while (r->n && r->bytes + len > r->max_bytes) {
		r->st.forced++;
		err = pop(r);
		if (err)
			return err;
	}
	if (r->n == r->cap && grow(r))
		return -ENOMEM;
	b = block_for(r, len);
	if (!b)
		return -ENOMEM;
	e.ts = h.ts_ns;
	e.seq = r->seq++;
	e.rec = b->data + b->used;
	e.len = (uint32_t)len;
	e.blk = b;
	memcpy(e.rec, rec, len);
	b->used += (len + 7) & ~(size_t)7;
	b->live++;
	insert(r, &e);
	if (h.ts_ns > r->newest)
		r->newest = h.ts_ns;
	r->st.pushed++;
	r->st.held_bytes += len;
	if (r->n > r->st.max_held)
		r->st.max_held = r->n;
	return 0;
}

int fr_reorder__release(struct fr_reorder *r, bool all)
{
	uint64_t limit = r->newest > r->window ? r->newest - r->window : 0;
	int err;

	while (r->n && (all || at(r, 0)->ts <= limit)) {
		err = pop(r);
		if (err)
			return err;
	}
	return 0;
}

void fr_reorder__stats(const struct fr_reorder *r, struct fr_reorder_stats *st)
{
	*st = r->st;
	st->held = r->n;
}
