/* SPDX-License-Identifier: MIT */
/*
 * export_perfetto.h: a bundle as Chrome trace-event JSON, the format the
 * Perfetto UI (ui.perfetto.dev) and chrome://tracing open.  It lives in
 * analyze/ because the thread states and the wakeups come from the
 * analysis model; `flightrec export --perfetto` calls it.
 *
 * What is written (docs/pictures.md has the details):
 *
 *   M  process_name and thread_name for every recorded process and thread
 *   X  one slice per system call on its thread's track, named after the
 *      call ("read"), the decoded call in args.call; inside and between the
 *      calls, slices of the thread's state from the model ("running",
 *      "runnable", "blocked"), split at call boundaries so that every slice
 *      nests in the one around it
 *   s/f  flow arrows: "wakeup" from the waker's slice at a wakeup to the
 *      woken thread's slice, and "data" from a write to the read that
 *      consumed its bytes (pipes, TCP connections, socketpairs)
 *   i  instant events: signals sent and delivered, OOM kills, TCP
 *      retransmits and resets, triggers, lost events
 *
 * Timestamps are microseconds from the start of the recording, written
 * with four decimals: the exact nanosecond plus 0.4 ns, so that an importer
 * that truncates microseconds * 1000 and one that rounds both get the
 * nanosecond back.
 */
#ifndef FA_EXPORT_PERFETTO_H
#define FA_EXPORT_PERFETTO_H

#include <stdint.h>
#include <stdio.h>

#include "formats/bundle.h"

struct fa_perfetto_stats {
	uint64_t threads;	   /* tracks with a thread_name */
	uint64_t syscalls;	   /* syscall slices */
	uint64_t states;	   /* state slices */
	uint64_t wakeup_flows;	   /* wakeup arrows */
	uint64_t data_flows;	   /* write -> read arrows */
	uint64_t instants;	   /* instant events */
	uint64_t skipped_syscalls; /* calls that could not be placed on their track
				    * (overlapping an earlier call of the thread) */
	uint64_t flows_capped;	   /* data arrows not drawn: a read fed by more writes
				    * than the per-read cap */
};

/*
 * Write the trace of the bundle `r` to `out`.  Builds the analysis model
 * (reads the bundle twice).  Returns 0 with *st filled (may be NULL), or
 * -errno with a message in `err`.
 */
int fa_export_perfetto(struct fr_reader *r, FILE *out, struct fa_perfetto_stats *st, char *err,
		       size_t errlen);

#endif
