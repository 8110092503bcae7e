/* SPDX-License-Identifier: MIT */
/*
 * event.h: a decoded event, as readers of a bundle see it, and the codec that
 * turns events into the compact chunk encoding and back.
 *
 * The bodies are the structs of bpf/fr_events.h.  A decoded event points into
 * the buffer it was decoded from (payload bytes are not copied): it is valid
 * until the next call on the object that produced it.
 */
#ifndef FR_EVENT_H
#define FR_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "bpf/fr_events.h"

/* At most this many payload items per event; more is a corrupt record. */
#define FR_MAX_PAYLOADS 16
/* Largest payload item accepted (captured bytes). */
#define FR_MAX_PAYLOAD_LEN (64u << 20)

struct fr_payload {
	uint8_t kind;  /* enum fr_payload_kind */
	uint8_t arg;
	uint8_t part;
	uint8_t flags; /* FR_PLF_* */
	uint32_t full_len;
	uint32_t len;
	const uint8_t *data; /* len bytes, not NUL-terminated */
};

/* Where an event lives in a bundle: chunk number, byte offset of its record
 * in the decompressed chunk, and the timestamp its delta is relative to.
 * Stable for a given bundle file. */
struct fr_event_ref {
	uint32_t chunk;
	uint32_t offset;
	uint64_t prev_ts;
};

struct fr_event {
	uint64_t ts_ns;
	uint32_t pid;
	uint32_t tid;
	uint16_t type; /* enum fr_event_type */
	uint16_t cpu;
	uint32_t n_payloads;
	union {
		struct fr_ev_syscall sc;
		struct fr_ev_sched_switch sw;
		struct fr_ev_sched_wakeup wake;
		struct fr_ev_sched_migrate mig;
		struct fr_ev_proc_fork fork;
		struct fr_ev_proc_exec exec;
		struct fr_ev_proc_exit exit;
		struct fr_ev_proc_comm comm;
		struct fr_ev_page_fault pf;
		struct fr_ev_reclaim reclaim;
		struct fr_ev_oom_kill oom;
		struct fr_ev_tcp tcp;
		struct fr_ev_block blk;
		struct fr_ev_signal_generate sig_gen;
		struct fr_ev_signal_deliver sig_del;
		struct fr_ev_lost lost;
		struct fr_ev_mark mark;
		uint8_t raw[80];
	} u;
	struct fr_payload payloads[FR_MAX_PAYLOADS];
	struct fr_event_ref ref; /* set by the bundle reader */
};

/* Name of an event type ("syscall", "sched_switch", ...) or NULL. */
const char *fr_event_type_name(unsigned type);
/* Inverse of fr_event_type_name; returns FR_EV_NONE when unknown. */
unsigned fr_event_type_by_name(const char *name);
/* Size of the body struct of a type, 0 for an unknown type. */
size_t fr_event_body_size(unsigned type);
/* Name of a loss cause ("ring_full", ...) or NULL. */
const char *fr_loss_cause_name(unsigned cause);
const char *fr_payload_kind_name(unsigned kind);

/* First payload of an event with this kind/arg/part, or NULL.  Pass -1 for
 * arg or part to match any. */
const struct fr_payload *fr_event_payload(const struct fr_event *ev, int kind,
					  int arg, int part);

/* Start time of the span an event covers (enter of a syscall, start of a
 * fault or reclaim); ts_ns for point events and when the start is unknown. */
uint64_t fr_event_start_ns(const struct fr_event *ev);

/*
 * Parse one ring-buffer record (bpf/fr_events.h layout) of `len` bytes into
 * `ev`.  Payload data points into `rec`.  Returns the record size consumed,
 * or -EINVAL when the record is malformed (bad size, unknown type, payload
 * items overrunning the record, too many payloads).
 */
int fr_event_from_record(struct fr_event *ev, const void *rec, size_t len);

/*
 * The chunk codec (format in formats/codec.h and docs/bundle-format.md).
 *
 * fr_codec_encode appends the encoding of `ev` to `out` (capacity `cap`,
 * `*used` bytes used) and returns 0, or -ENOSPC when it does not fit (nothing
 * is written), or -EINVAL for an event that cannot be encoded.  `prev_ts` is
 * the timestamp of the previous event of the chunk (0 for the first); events
 * must not go back in time: -ERANGE.
 */
int fr_codec_encode(const struct fr_event *ev, uint64_t prev_ts, uint8_t *out,
		    size_t cap, size_t *used);
/* Upper bound of the encoded size of `ev`. */
size_t fr_codec_max_size(const struct fr_event *ev);
/*
 * Decode the record at buf[*pos] (buffer of `len` bytes) into `ev`, advancing
 * *pos.  Payloads point into buf.  Returns 1 for an event, 0 for a record of a
 * type this version does not know (skipped; *pos advanced), or -EINVAL for a
 * malformed record (*pos unchanged).
 */
int fr_codec_decode(const uint8_t *buf, size_t len, size_t *pos, uint64_t prev_ts,
		    struct fr_event *ev);
/*
 * Decode only the record header (ts, pid, tid, type, cpu) and skip the body:
 * the fast path used by filters.  Same returns as fr_codec_decode; on 1 or 0
 * the full record can still be decoded from the original *pos.
 */
int fr_codec_peek(const uint8_t *buf, size_t len, size_t pos, uint64_t prev_ts,
		  struct fr_event *ev, size_t *rec_end);

#endif /* FR_EVENT_H */
