/* SPDX-License-Identifier: MIT */
/*
 * assemble.h: put large payloads back together.
 *
 * The kernel sends payload items too large for their event record ahead of
 * it as FR_REC_PIECE records and leaves a stub item in the event (see
 * bpf/fr_capture.h).  The assembler keeps the pieces per thread and, when the
 * event arrives, rewrites it as one record with complete items, so that
 * everything downstream sees plain fr_events.h records.
 */
#ifndef FR_CAPTURE_ASSEMBLE_H
#define FR_CAPTURE_ASSEMBLE_H

#include <stddef.h>
#include <stdint.h>

struct fr_asm;

struct fr_asm_stats {
	uint64_t pieces; /* piece records received */
	uint64_t piece_bytes;
	uint64_t merged;	/* events rewritten */
	uint64_t stale_pieces;	/* pieces whose event never arrived (dropped) */
	uint64_t items_short;	/* items with pieces missing (dropped): FR_PLF_LOST */
	uint64_t bad_records;	/* malformed piece or stub records */
	uint64_t pending_bytes; /* held now */
};

int fr_asm__new(struct fr_asm **out);
void fr_asm__free(struct fr_asm *a);

/* Keep a copy of piece record `rec` (`len` bytes).  Returns 0, -EINVAL for a
 * malformed record (counted, ignored), -ENOMEM. */
int fr_asm__add_piece(struct fr_asm *a, const void *rec, size_t len);

/* Does this event record hold stub items (does it need fr_asm__merge)?
 * A syscall record says so with FR_SC_HAS_STUBS in its flags. */
int fr_asm__needs_merge(const void *rec, size_t len);

/*
 * Rewrite event record `rec` with its stubs replaced by the data of the
 * pieces.  *out points to a buffer owned by the assembler, valid until the
 * next call.  Returns 0, -EINVAL for a malformed record, -ENOMEM.
 */
int fr_asm__merge(struct fr_asm *a, const void *rec, size_t len, const void **out, size_t *out_len);

void fr_asm__stats(const struct fr_asm *a, struct fr_asm_stats *st);

#endif
