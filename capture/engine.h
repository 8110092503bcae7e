/* SPDX-License-Identifier: MIT */
/*
 * engine.h: the eBPF recorder as a library: probe the kernel, load and attach
 * bpf/fr_capture.bpf.c, feed it the syscall capture plans and the filters,
 * drain its ring buffer and hand out complete records (fr_events.h layout,
 * large payloads reassembled) in ring order.
 *
 * `flightrec record` drives it for one command tree; `flightrec capture` (the
 * always-on recorder) drives it with pid/comm/cgroup filters.  The engine
 * neither reorders nor writes bundles: that is the caller's business
 * (capture/reorder.h, formats/bundle.h).
 *
 * One engine per process (the libbpf print hook is global).
 */
#ifndef FR_CAPTURE_ENGINE_H
#define FR_CAPTURE_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <jansson.h>

#include "bpf/fr_capture.h"

/* Called with each complete record (valid during the call).  A negative
 * return stops the current poll and is returned by it. */
typedef int (*fr_engine_record_fn)(void *ctx, const void *rec, size_t len);

struct fr_engine_opts {
	enum fr_capture_mode mode;
	uint32_t snaplen;    /* bytes per payload item; 0: complete (up to 64 MiB) */
	uint64_t ring_bytes; /* ring buffer size, rounded up to a power of two; 0: 64 MiB */
	uint64_t wake_bytes; /* wake the agent when this much waits; 0: ring/32 */
	/* FR_MODE_FILTER: any of these (none: everything but the agent) */
	const uint32_t *pids;
	size_t n_pids;
	const char *const *comms;
	size_t n_comms;
	const uint64_t *cgroups; /* cgroup v2 ids (inode numbers of the directories) */
	size_t n_cgroups;
	bool verbose; /* libbpf and verifier output on stderr */
	fr_engine_record_fn on_record;
	void *ctx;
};

struct fr_engine;

/* Per-CPU loss and activity counters, summed and by CPU. */
struct fr_engine_stats {
	uint64_t losses[FR_LOSS_CAUSE_COUNT]; /* kernel side, enum fr_loss_cause */
	uint64_t kstats[FR_STAT_COUNT];	      /* enum fr_stat */
	uint64_t records;		      /* records delivered */
	uint64_t ring_records;		      /* records read from the ring (pieces included) */
	uint64_t ring_bytes;
	uint64_t pieces;
	uint64_t stale_pieces; /* pieces of dropped events */
	uint64_t items_short;  /* items missing pieces (FR_PLF_LOST) */
	uint64_t bad_records;  /* malformed records from the kernel (a bug) */
	unsigned ncpus;
};

/*
 * Probe, open, load, attach.  Returns 0, or -errno with `err` holding what is
 * missing or what failed, for the user (prefix "flightrec: <cmd>: ").
 */
int fr_engine__open(const struct fr_engine_opts *o, struct fr_engine **out, char *err,
		    size_t errlen);

/* FR_MODE_TREE: record `pid` (one task, before it execs) from its next execve
 * on, and all it creates. */
int fr_engine__arm(struct fr_engine *e, pid_t pid, char *err, size_t errlen);

/* Wait up to timeout_ms for a wakeup (the kernel wakes the agent only when
 * much is waiting), then deliver whatever is there, woken or not.  Returns
 * the number of ring records consumed or -errno (or the callback's error). */
int fr_engine__poll(struct fr_engine *e, int timeout_ms);

/* Deliver everything in the ring now. */
int fr_engine__drain(struct fr_engine *e);

/* Deliver FR_EV_LOST records for drops the kernel has not reported yet (it
 * reports them after the next record that goes through on that CPU): call
 * at the end of a recording, after the last drain, so that the LOST events
 * add up to the manifest's ring_full count. */
int fr_engine__flush_lost(struct fr_engine *e);

void fr_engine__stats(const struct fr_engine *e, struct fr_engine_stats *st);
/* Losses of one CPU (index < stats.ncpus), enum fr_loss_cause. */
void fr_engine__cpu_losses(const struct fr_engine *e, unsigned cpu,
			   uint64_t losses[FR_LOSS_CAUSE_COUNT]);

/* The manifest's "features" object: probes, and per tracepoint how it is
 * attached (tp_btf, raw_tp) or why not.  New reference. */
json_t *fr_engine__features(const struct fr_engine *e);
/* Settings as used (ring size after rounding, snaplen, wake threshold). */
uint64_t fr_engine__ring_bytes(const struct fr_engine *e);

void fr_engine__free(struct fr_engine *e);

#endif
