/* SPDX-License-Identifier: MIT */
/*
 * ring.h: the flight-recorder ring of `flightrec capture`: the newest events,
 * compressed, in a bounded amount of memory.
 *
 * Events (in time order) go into a chunk builder (formats/bundle.h); a full
 * builder is compressed into a chunk and appended to the ring; while the
 * compressed chunks take more than `max_bytes`, the oldest is evicted.  The
 * evicted events are counted (FR_LOSS_EVICTED), and a history of what was
 * evicted when lets a bundle report exactly how many of its window's events
 * it lost that way.
 *
 * Memory: the compressed chunks (at most max_bytes, plus the newest chunk
 * when it alone is larger), the builder (chunk_raw bytes) and the zstd
 * context, the eviction history (FR_RING_HISTORY entries), and chunks
 * evicted while a bundle writer still holds them (it holds them only while
 * it copies them out).
 *
 * Threads: one producer (fr_ring__add, fr_ring__seal) and any number of
 * readers (fr_ring__take, fr_ring__put, the stats); an internal mutex.
 */
#ifndef FR_CAPTURE_RING_H
#define FR_CAPTURE_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "formats/bundle.h"

#define FR_RING_HISTORY 8192

/* Per-chunk loss counts (enum fr_loss_cause): FR_EV_LOST counts by cause,
 * payload items truncated by the snaplen, unreadable, or incomplete. */
struct fr_ring_chunk {
	struct fr_chunk c;
	uint64_t seq;  /* 1, 2, ... in ring order */
	uint64_t losses[FR_LOSS_CAUSE_COUNT];
	uint64_t items_lost; /* payload items with FR_PLF_LOST */
	unsigned refs; /* internal */
	bool evicted;  /* internal */
};

struct fr_ring_opts {
	uint64_t max_bytes; /* compressed bytes kept (required) */
	size_t chunk_raw;   /* decoded bytes per chunk (0: derived from max_bytes) */
	int zstd_level;     /* 0: 1 (fast; the drain thread compresses) */
};

struct fr_ring_stats {
	uint64_t events;         /* added */
	uint64_t chunks;         /* sealed */
	uint64_t bytes;          /* compressed bytes held now */
	uint64_t raw_bytes;      /* decoded bytes held now */
	uint64_t nchunks;        /* chunks held now */
	uint64_t builder_events; /* events not sealed yet */
	uint64_t evicted_events;
	uint64_t evicted_chunks;
	uint64_t oldest_ts, newest_ts; /* of what is held (0 when empty) */
	size_t chunk_raw;
};

struct fr_ring;

/* Returns 0, -EINVAL (no max_bytes), -ENOMEM. */
int fr_ring__new(const struct fr_ring_opts *o, struct fr_ring **out);
/* Frees the ring; chunks still held by readers must have been put. */
void fr_ring__free(struct fr_ring *r);

/*
 * Producer: add one event (time order; an event older than the previous one
 * is stored with the previous one's time, and counted in `*raised` when not
 * NULL).  Seals the builder when it is full.  Returns 0, -EINVAL (an event
 * that cannot be encoded: not stored), -ENOMEM, -EIO (compression).
 */
int fr_ring__add(struct fr_ring *r, const struct fr_event *ev, bool *raised);
/* Producer: seal what the builder holds into a chunk now (nothing when
 * empty).  Returns 0 or -errno. */
int fr_ring__seal(struct fr_ring *r);

/*
 * Readers: references to the held chunks with seq > after_seq whose events
 * reach min_ts (last_ts >= min_ts), oldest first, at most `max`.  Returns
 * how many were stored in `out`.  Each must be given back with fr_ring__put.
 * `*first_seq` (may be NULL) gets the seq of the oldest chunk held (0 when
 * empty), so a reader can tell which chunks it missed.
 */
size_t fr_ring__take(struct fr_ring *r, uint64_t after_seq, uint64_t min_ts,
		     struct fr_ring_chunk **out, size_t max, uint64_t *first_seq);
void fr_ring__put(struct fr_ring *r, struct fr_ring_chunk *c);
/* Seq of the newest sealed chunk (0: none yet). */
uint64_t fr_ring__last_seq(struct fr_ring *r);

/*
 * Events evicted from chunks with seq in (after_seq, before_seq) whose time
 * range meets [from_ts, to_ts].  `*exact` (may be NULL) is false when the
 * history no longer reaches back that far (the count is then a lower
 * bound).
 */
uint64_t fr_ring__evicted(struct fr_ring *r, uint64_t after_seq, uint64_t before_seq,
			  uint64_t from_ts, uint64_t to_ts, bool *exact);

void fr_ring__stats(struct fr_ring *r, struct fr_ring_stats *st);

/* Called by fr_chunk__decode for each event (valid during the call); a
 * non-zero return stops the walk and is returned. */
typedef int (*fr_chunk_event_fn)(void *ctx, const struct fr_event *ev);

/*
 * Decompress and decode a chunk built by fr_chunk_builder, calling `fn` for
 * each event.  `scratch` is a caller-owned buffer (grown as needed, free it
 * with free()).  Returns 0, the callback's value, or -EINVAL (damaged),
 * -ENOMEM.
 */
int fr_chunk__decode(const struct fr_chunk *c, uint8_t **scratch, size_t *scratch_cap,
		     fr_chunk_event_fn fn, void *ctx);

#endif
