/* SPDX-License-Identifier: MIT */
/*
 * syscall_io.h: the data that crosses the user boundary in a replayed call,
 * driven by the argument descriptions of the shared syscall table
 * (formats/syscalls.h).
 *
 *  - rp_live_read gathers what a live call passes in (paths, buffers,
 *    iovecs, sockaddrs, ...) from the tracee, laid out as capture records it
 *    (FR_PL_IN payloads: iovec data flattened, msghdr in parts), so a live
 *    call can be compared with the recording and printed like an event.
 *  - rp_compare_call says whether a live call matches a recorded one:
 *    number, key scalar arguments (fds, sizes, flags, modes; never
 *    pointers) and the bytes passed in.
 *  - rp_serve_outputs writes a recorded call's FR_PL_OUT payloads into the
 *    tracee at the live call's addresses (scattering iovecs, filling
 *    msghdr parts and sockaddr lengths).
 */
#ifndef FR_REPLAY_SYSCALL_IO_H
#define FR_REPLAY_SYSCALL_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "formats/event.h"
#include "formats/syscalls.h"
#include "formats/util.h"
#include "replay/engine.h"
#include "replay/recording.h"

/* Largest input gathered from one argument (more is not compared). */
#define RP_LIVE_MAX_ARG (16u << 20)

/* A live call: what the tracee passed, as an event-like record. */
struct rp_live {
	struct fr_ev_syscall sc;
	uint32_t n_payloads;
	struct fr_payload payloads[FR_MAX_PAYLOADS];
	bool fault; /* some input could not be read (a bad pointer) */
	/* private: the gathered bytes */
	uint8_t *buf;
	size_t len, cap;
};

/* Gather the live call of stopped thread `t` (at RP_TS_ENTER).  Returns 0
 * or -ENOMEM; unreadable inputs set lc->fault and are left out.  Reuses
 * lc's buffer: rp_live_release frees it. */
int rp_live_read(struct rp_thread *t, struct rp_live *lc);
void rp_live_release(struct rp_live *lc);
/* The live call as a decoded event for formats/print.h (result unknown:
 * FR_SC_NO_EXIT). */
void rp_live_to_event(const struct rp_live *lc, uint32_t pid, uint32_t tid, struct fr_event *ev);
/* The live input payload for (arg, part), or NULL. */
const struct fr_payload *rp_live_payload(const struct rp_live *lc, int arg, int part);

/* What differs between a live call and its recording. */
enum rp_mismatch {
	RP_MATCH = 0,
	RP_MISMATCH_NR,	  /* another system call */
	RP_MISMATCH_ARG,  /* a key scalar argument */
	RP_MISMATCH_DATA, /* bytes passed in (path, buffer, address, ...) */
};

struct rp_mismatch_info {
	enum rp_mismatch kind;
	int arg;		   /* argument index, -1 for the number */
	uint64_t expected, actual; /* ARG: the values */
	size_t offset;		   /* DATA: first differing byte */
	size_t expected_len, actual_len;
};

/* Is argument `arg` (of kind `kind`) of syscall `nr` a value compared as
 * it is (numbers, flags, descriptors; not addresses)? */
bool rp_scalar_compared(unsigned nr, unsigned arg, unsigned kind);

/*
 * Compare live call `lc` with recorded call `rc`.  Returns RP_MATCH or the
 * first difference, described in *mi.  Inputs the recording holds only in
 * part (snaplen) are compared on what it holds.  This function cannot fail.
 */
enum rp_mismatch rp_compare_call(const struct rp_live *lc, const struct rp_call *rc,
				 struct rp_mismatch_info *mi);

/* A hook to adjust an output before it is written (time shifting):
 * called with a private copy of the payload's bytes. */
typedef void (*rp_out_adjust_fn)(void *ctx, const struct rp_call *rc, const struct fr_payload *p,
				 uint8_t *data, size_t len);

/*
 * Write the FR_PL_OUT payloads of recorded call `rc` into thread `t` at the
 * addresses of its live call (t->sc).  Returns 0, -EFAULT when the tracee's
 * memory refused a write (a live buffer that is not where the recording's
 * was), -E2BIG when a recorded output does not fit the live buffer, or
 * -ENOMEM.
 */
int rp_serve_outputs(struct rp_thread *t, const struct rp_call *rc, rp_out_adjust_fn adjust,
		     void *ctx);

/* Describe a mismatch for people: "argument 2 (count): expected 4096, got
 * 8192", "bytes of argument 1 differ at offset 17". */
void rp_mismatch_describe(struct fr_sb *sb, const struct rp_mismatch_info *mi,
			  const struct fr_syscall_desc *d);

/* The key of a socket address: what tells two addresses apart (family,
 * port, host; a unix path up to its NUL, all bytes when abstract), leaving
 * out padding the program never set; the bytes themselves for another
 * family.  At most RP_SOCKADDR_KEY_MAX bytes into `out`; returns the
 * length, 0 when `d` is too short to hold a family. */
#define RP_SOCKADDR_KEY_MAX 128
size_t rp_sockaddr_key(const uint8_t *d, size_t n, uint8_t out[RP_SOCKADDR_KEY_MAX]);

#endif /* FR_REPLAY_SYSCALL_IO_H */
