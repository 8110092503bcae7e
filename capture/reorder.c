// SPDX-License-Identifier: MIT
/*
 * reorder.c: the reorder window (see reorder.h).
 *
 * Records are copied into large arena blocks in arrival order; a binary
 * min-heap of (ts, arrival) points into them.  Release order is close to
 * arrival order, so blocks empty from the oldest on: each block counts its
 * live records and is recycled when the count drops to zero.
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
	struct entry *heap;
	size_t n, cap;
	uint64_t seq;
	uint64_t newest;      /* largest ts pushed */
	uint64_t last_out;    /* ts of the last record released */
	bool any_out;
	struct block *cur;    /* block being filled */
	struct block *spare;  /* one empty block kept for reuse */
	size_t bytes;         /* arena bytes allocated */
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
		struct block *b = r->heap[i].blk;

		if (--b->live == 0 && b != r->cur)
			free(b);
	}
	free(r->cur);
	free(r->spare);
	free(r->heap);
	free(r);
}

static bool before(const struct entry *a, const struct entry *b)
{
	return a->ts < b->ts || (a->ts == b->ts && a->seq < b->seq);
}

static void sift_up(struct entry *h, size_t i)
{
	struct entry e = h[i];

	while (i) {
		size_t p = (i - 1) / 2;

		if (!before(&e, &h[p]))
			break;
		h[i] = h[p];
		i = p;
	}
	h[i] = e;
}

static void sift_down(struct entry *h, size_t n, size_t i)
{
	struct entry e = h[i];

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= n)
			break;
		if (c + 1 < n && before(&h[c + 1], &h[c]))
			c++;
		if (!before(&h[c], &e))
			break;
		h[i] = h[c];
		i = c;
	}
	h[i] = e;
}

/* Release the oldest record. */
static int pop(struct fr_reorder *r)
{
	struct entry e = r->heap[0];
	int err;

	r->heap[0] = r->heap[--r->n];
	if (r->n)
		sift_down(r->heap, r->n, 0);
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
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 4096;
		struct entry *nh = realloc(r->heap, cap * sizeof(*nh));

		if (!nh)
			return -ENOMEM;
		r->heap = nh;
		r->cap = cap;
	}
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
	r->heap[r->n] = e;
	sift_up(r->heap, r->n++);
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

	while (r->n && (all || r->heap[0].ts <= limit)) {
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
