// SPDX-License-Identifier: MIT
/*
 * ring.c: the flight-recorder ring (see ring.h).
 *
 * The held chunks are a FIFO of pointers (a growable circular array);
 * eviction pops the oldest.  A reader's reference keeps an evicted chunk
 * alive until it is put; its bytes no longer count against max_bytes
 * then, but the reader is copying it out and lets go at once.
 */
#include "capture/ring.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <zstd.h>

#include "formats/codec.h"
#include "formats/util.h"

struct hist {
	uint64_t seq;
	uint64_t first_ts, last_ts;
	uint64_t count;
};

struct fr_ring {
	pthread_mutex_t lock;
	uint64_t max_bytes;
	size_t chunk_raw;
	int level;
	/* producer side (no lock needed: one producer) */
	struct fr_chunk_builder *b;
	uint64_t b_losses[FR_LOSS_CAUSE_COUNT];
	uint64_t b_items_lost;
	uint64_t last_ts;
	bool any;
	/* held chunks, oldest at head */
	struct fr_ring_chunk **q;
	size_t qcap, qhead, qn;
	uint64_t bytes, raw_bytes;
	uint64_t seq;
	/* eviction history, circular */
	struct hist hist[FR_RING_HISTORY];
	size_t hhead, hn;
	uint64_t hist_dropped_seq; /* newest seq whose history entry was overwritten */
	struct fr_ring_stats st;
	atomic_uint_fast64_t events; /* added (the producer's counter) */
};

int fr_ring__new(const struct fr_ring_opts *o, struct fr_ring **out)
{
	struct fr_ring *r;
	size_t raw;
	int rc;

	*out = NULL;
	if (!o || !o->max_bytes)
		return -EINVAL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	raw = o->chunk_raw;
	if (!raw) {
		/* Chunks compress 4-10x: a quarter of the ring in decoded bytes
		 * still makes a few dozen chunks, so eviction is gradual. */
		raw = (size_t)FR_MIN(o->max_bytes / 4, (uint64_t)1 << 20);
		if (raw < (16u << 10))
			raw = 16u << 10;
	}
	r->chunk_raw = raw;
	r->max_bytes = o->max_bytes;
	r->level = o->zstd_level ? o->zstd_level : 1;
	pthread_mutex_init(&r->lock, NULL);
	rc = fr_chunk_builder__new(raw, &r->b);
	if (rc) {
		pthread_mutex_destroy(&r->lock);
		free(r);
		return rc;
	}
	r->st.chunk_raw = raw;
	*out = r;
	return 0;
}

static void chunk_free(struct fr_ring_chunk *c)
{
	fr_chunk__release(&c->c);
	free(c);
}

void fr_ring__free(struct fr_ring *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->qn; i++)
		chunk_free(r->q[(r->qhead + i) % r->qcap]);
	free(r->q);
	fr_chunk_builder__free(r->b);
	pthread_mutex_destroy(&r->lock);
	free(r);
}

/* Under the lock: drop the oldest chunk. */
static void evict_one(struct fr_ring *r)
{
	struct fr_ring_chunk *c = r->q[r->qhead];
	struct hist *h;

	r->qhead = (r->qhead + 1) % r->qcap;
	r->qn--;
	r->bytes -= c->c.len;
	r->raw_bytes -= c->c.info.raw_size;
	r->st.evicted_events += c->c.info.count;
	r->st.evicted_chunks++;
	if (r->hn == FR_RING_HISTORY) {
		r->hist_dropped_seq = r->hist[r->hhead].seq;
		r->hhead = (r->hhead + 1) % FR_RING_HISTORY;
		r->hn--;
	}
	h = &r->hist[(r->hhead + r->hn) % FR_RING_HISTORY];
	h->seq = c->seq;
	h->first_ts = c->c.info.first_ts;
	h->last_ts = c->c.info.last_ts;
	h->count = c->c.info.count;
	r->hn++;
	if (c->refs)
		c->evicted = true; /* the last put frees it */
	else
		chunk_free(c);
}

int fr_ring__seal(struct fr_ring *r)
{
	struct fr_ring_chunk *c;
	int rc;

	if (!fr_chunk_builder__count(r->b))
		return 0;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	rc = fr_chunk_builder__finish(r->b, r->level, &c->c);
	if (rc) {
		free(c);
		return rc;
	}
	memcpy(c->losses, r->b_losses, sizeof(c->losses));
	c->items_lost = r->b_items_lost;
	memset(r->b_losses, 0, sizeof(r->b_losses));
	r->b_items_lost = 0;

	pthread_mutex_lock(&r->lock);
	if (r->qn == r->qcap) {
		size_t nc = r->qcap ? 2 * r->qcap : 64, i;
		struct fr_ring_chunk **nq = malloc(nc * sizeof(*nq));

		if (!nq) {
			pthread_mutex_unlock(&r->lock);
			chunk_free(c);
			return -ENOMEM;
		}
		for (i = 0; i < r->qn; i++)
			nq[i] = r->q[(r->qhead + i) % r->qcap];
		free(r->q);
		r->q = nq;
		r->qcap = nc;
		r->qhead = 0;
	}
	c->seq = ++r->seq;
	r->q[(r->qhead + r->qn) % r->qcap] = c;
	r->qn++;
	r->bytes += c->c.len;
	r->raw_bytes += c->c.info.raw_size;
	r->st.chunks++;
	/* keep at least the newest chunk */
	while (r->bytes > r->max_bytes && r->qn > 1)
		evict_one(r);
	pthread_mutex_unlock(&r->lock);
	return 0;
}

int fr_ring__add(struct fr_ring *r, const struct fr_event *ev, bool *raised)
{
	const struct fr_event *e = ev;
	struct fr_event *copy = NULL;
	uint32_t i;
	int rc;

	if (r->any && ev->ts_ns < r->last_ts) {
		/* should not happen after the reorder window; keep it anyway */
		copy = malloc(sizeof(*copy));
		if (!copy)
			return -ENOMEM;
		*copy = *ev;
		copy->ts_ns = r->last_ts;
		e = copy;
		if (raised)
			*raised = true;
	}
	rc = fr_chunk_builder__add(r->b, e);
	if (rc == -ENOSPC) {
		rc = fr_ring__seal(r);
		if (!rc)
			rc = fr_chunk_builder__add(r->b, e);
	}
	if (rc) {
		free(copy);
		return rc;
	}
	r->any = true;
	r->last_ts = e->ts_ns;
	if (e->type == FR_EV_LOST && e->u.lost.cause < FR_LOSS_CAUSE_COUNT)
		r->b_losses[e->u.lost.cause] += e->u.lost.count;
	for (i = 0; i < e->n_payloads && i < FR_MAX_PAYLOADS; i++) {
		uint8_t f = e->payloads[i].flags;

		if (f & FR_PLF_TRUNCATED)
			r->b_losses[FR_LOSS_PAYLOAD_TRUNCATED]++;
		if (f & FR_PLF_FAULT)
			r->b_losses[FR_LOSS_READ_FAULT]++;
		if (f & FR_PLF_LOST)
			r->b_items_lost++;
	}
	free(copy);
	/* one producer: a plain load and store, not a locked add (2% of the
	 * drain thread's time under load); readers see a recent count */
	atomic_store_explicit(&r->events, atomic_load_explicit(&r->events, memory_order_relaxed) + 1,
			      memory_order_relaxed);
	return 0;
}

size_t fr_ring__take(struct fr_ring *r, uint64_t after_seq, uint64_t min_ts,
		     struct fr_ring_chunk **out, size_t max, uint64_t *first_seq)
{
	size_t i, n = 0;

	pthread_mutex_lock(&r->lock);
	if (first_seq)
		*first_seq = r->qn ? r->q[r->qhead]->seq : 0;
	for (i = 0; i < r->qn && n < max; i++) {
		struct fr_ring_chunk *c = r->q[(r->qhead + i) % r->qcap];

		if (c->seq <= after_seq || c->c.info.last_ts < min_ts)
			continue;
		c->refs++;
		out[n++] = c;
	}
	pthread_mutex_unlock(&r->lock);
	return n;
}

void fr_ring__put(struct fr_ring *r, struct fr_ring_chunk *c)
{
	bool gone;

	if (!c)
		return;
	pthread_mutex_lock(&r->lock);
	gone = --c->refs == 0 && c->evicted;
	pthread_mutex_unlock(&r->lock);
	if (gone)
		chunk_free(c);
}

uint64_t fr_ring__last_seq(struct fr_ring *r)
{
	uint64_t s;

	pthread_mutex_lock(&r->lock);
	s = r->seq;
	pthread_mutex_unlock(&r->lock);
	return s;
}

uint64_t fr_ring__evicted(struct fr_ring *r, uint64_t after_seq, uint64_t before_seq,
			  uint64_t from_ts, uint64_t to_ts, bool *exact)
{
	uint64_t n = 0;
	size_t i;

	pthread_mutex_lock(&r->lock);
	for (i = 0; i < r->hn; i++) {
		const struct hist *h = &r->hist[(r->hhead + i) % FR_RING_HISTORY];

		if (h->seq <= after_seq || h->seq >= before_seq)
			continue;
		if (h->last_ts < from_ts || h->first_ts > to_ts)
			continue;
		n += h->count;
	}
	if (exact)
		*exact = r->hist_dropped_seq <= after_seq;
	pthread_mutex_unlock(&r->lock);
	return n;
}

void fr_ring__stats(struct fr_ring *r, struct fr_ring_stats *st)
{
	pthread_mutex_lock(&r->lock);
	*st = r->st;
	st->events = atomic_load_explicit(&r->events, memory_order_relaxed);
	st->bytes = r->bytes;
	st->raw_bytes = r->raw_bytes;
	st->nchunks = r->qn;
	st->oldest_ts = r->qn ? r->q[r->qhead]->c.info.first_ts : 0;
	st->newest_ts = r->qn ? r->q[(r->qhead + r->qn - 1) % r->qcap]->c.info.last_ts : 0;
	pthread_mutex_unlock(&r->lock);
	/* the builder is the producer's; read without the lock it is a hint */
	st->builder_events = fr_chunk_builder__count(r->b);
}

int fr_chunk__decode(const struct fr_chunk *c, uint8_t **scratch, size_t *scratch_cap,
		     fr_chunk_event_fn fn, void *ctx)
{
	size_t raw = c->info.raw_size, pos = FR_CHUNK_HDR_SIZE, n;
	struct fr_event *ev;
	uint64_t prev = 0;
	uint32_t count, seen = 0;
	int rc = 0;

	if (raw < FR_CHUNK_HDR_SIZE || raw > FR_MAX_CHUNK_RAW)
		return -EINVAL;
	if (*scratch_cap < raw) {
		uint8_t *nb = realloc(*scratch, raw);

		if (!nb)
			return -ENOMEM;
		*scratch = nb;
		*scratch_cap = raw;
	}
	n = ZSTD_decompress(*scratch, raw, c->data, c->len);
	if (ZSTD_isError(n) || n != raw || memcmp(*scratch, FR_CHUNK_MAGIC, 4))
		return -EINVAL;
	count = (uint32_t)(*scratch)[8] | (uint32_t)(*scratch)[9] << 8 |
		(uint32_t)(*scratch)[10] << 16 | (uint32_t)(*scratch)[11] << 24;
	ev = malloc(sizeof(*ev));
	if (!ev)
		return -ENOMEM;
	while (pos < raw && seen < count) {
		int d = fr_codec_decode(*scratch, raw, &pos, prev, ev);

		if (d < 0) {
			rc = -EINVAL;
			break;
		}
		prev = ev->ts_ns;
		seen++;
		if (d == 0)
			continue;
		rc = fn(ctx, ev);
		if (rc)
			break;
	}
	free(ev);
	return rc;
}
