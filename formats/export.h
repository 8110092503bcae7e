/* SPDX-License-Identifier: MIT */
/*
 * export.h: a bundle in the formats other tools read.
 */
#ifndef FR_EXPORT_H
#define FR_EXPORT_H

#include <stdint.h>
#include <stdio.h>

#include "formats/bundle.h"

struct fr_pcapng_stats {
	uint64_t packets;      /* packets written, synthesized handshakes included */
	uint64_t data_bytes;   /* payload bytes written */
	uint64_t connections;  /* TCP connections and UDP flows */
	uint64_t truncated;    /* payloads captured only in part (gaps in the stream) */
	uint64_t skipped_receives; /* receives not written: the sender's side was recorded */
	uint64_t skipped_other;    /* socket I/O that is not IP (unix sockets) or lacks addresses */
};

/*
 * Write the socket payloads of a bundle as a pcapng capture: each send and
 * receive on an IPv4/IPv6 TCP or UDP socket becomes a packet with a
 * synthesized IP and TCP/UDP header (raw-IP link type, nanosecond UTC
 * timestamps).  TCP streams get consistent sequence numbers and a
 * synthesized three-way handshake, so that Wireshark's stream reassembly
 * yields the bytes the programs sent.  When both ends of a connection were
 * recorded, only the senders' copies are written.
 *
 * Reads the bundle twice (rewinds it).  Returns 0, or -errno with `err` set.
 */
int fr_export_pcapng(struct fr_reader *r, FILE *out, struct fr_pcapng_stats *st, char *err,
		     size_t errlen);

#endif
