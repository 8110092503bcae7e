/* SPDX-License-Identifier: MIT */
/*
 * reorder.h: a bounded reorder window between the ring buffer and the
 * bundle writer.
 *
 * Records arrive nearly in time order: one ring for all CPUs keeps them in
 * reservation order, but a timestamp is taken a little before the
 * reservation, and some events are known only after the fact (a page fault
 * is reported when its task runs again, dropped records when the ring has
 * room again).  The writer wants non-decreasing timestamps.  The window
 * holds every record until the newest timestamp seen is `window_ns` ahead of
 * it, then releases in (timestamp, arrival) order.  A record older than what
 * was already released is released at once with its timestamp raised to the
 * last one released (counted in `late`): nothing is dropped, and a reader can
 * still see how late it was from the manifest.
 *
 * Records are copied in (the ring's memory is reused); memory is bounded by
 * `max_bytes`: when it is exceeded the oldest records are released early.
 */
#ifndef FR_CAPTURE_REORDER_H
#define FR_CAPTURE_REORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fr_reorder;

struct fr_reorder_stats {
	uint64_t pushed;
	uint64_t released;
	uint64_t late;	      /* released with a raised timestamp */
	uint64_t max_late_ns; /* largest raise */
	uint64_t forced;      /* released before their window for lack of memory */
	uint64_t held;	      /* records held now */
	uint64_t held_bytes;
	uint64_t max_held;
};

/* Called with each released record (fr_events.h layout, writable, valid
 * during the call).  A negative return stops the release and is returned. */
typedef int (*fr_reorder_fn)(void *ctx, void *rec, size_t len);

/* `window_ns`: how far behind the newest timestamp records are held;
 * `max_bytes`: memory bound (0: 256 MiB). */
int fr_reorder__new(uint64_t window_ns, size_t max_bytes, fr_reorder_fn fn, void *ctx,
		    struct fr_reorder **out);
void fr_reorder__free(struct fr_reorder *r);

/* Copy in one record (its header's ts_ns orders it).  Returns 0, -EINVAL
 * (shorter than a header), -ENOMEM, or the callback's error when releasing
 * to respect the memory bound failed. */
int fr_reorder__push(struct fr_reorder *r, const void *rec, size_t len);

/* Release what the window allows (everything with `all`). */
int fr_reorder__release(struct fr_reorder *r, bool all);

void fr_reorder__stats(const struct fr_reorder *r, struct fr_reorder_stats *st);

#endif
