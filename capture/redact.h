/* SPDX-License-Identifier: MIT */
/*
 * redact.h: `flightrec capture --redact RULE`: secrets masked before
 * anything is written (to the in-memory ring, hence to any bundle).
 *
 * Rules:
 *
 *   env:GLOB        environment variables whose NAME matches the shell
 *                   glob (fnmatch(3), case-sensitive): their values are
 *                   replaced by FR_REDACTED in the process table, and masked
 *                   with '*' in the environment an exec passes (the exec
 *                   event's env payload).  env:AWS_SECRET_ACCESS_KEY,
 *                   env:*TOKEN*, env:*PASSWORD*
 *   payload:TEXT    wherever TEXT occurs in a payload (case-insensitive),
 *                   the rest of its line (after blanks, up to CR, LF, NUL or
 *                   the end of the payload) is masked with '*'.
 *                   payload:Authorization: , payload:Cookie:
 *   payload:/RE/    a POSIX extended regular expression (regcomp(3)); a
 *   payload:/RE/i   trailing i makes it case-insensitive.  What the first
 *                   group matched is masked, or the whole match when the
 *                   expression has no group.  payload:/password=([^&]*)/
 *
 * Payload rules apply to the bytes system calls passed or received (I/O
 * buffers, paths, socket addresses), to exec argv and environment, and to
 * the argv and environment of the process table.  Masking keeps lengths, so
 * a masked payload still decodes as it did.  A secret split across two
 * system calls (a header written in two pieces) is not recognised.
 *
 * Thread safety: after the rules are added, the masking functions may be
 * called from several threads at once (counters are atomic).
 */
#ifndef FR_CAPTURE_REDACT_H
#define FR_CAPTURE_REDACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "formats/bundle.h"

#define FR_REDACTED "[REDACTED]"
#define FR_REDACT_MAX_RULES 64

struct fr_redact;

/* Returns 0 or -ENOMEM. */
int fr_redact__new(struct fr_redact **out);
void fr_redact__free(struct fr_redact *r);

/* Parse and add one rule.  Returns 0, or -EINVAL with a message in `err`
 * (-E2BIG past FR_REDACT_MAX_RULES). */
int fr_redact__add(struct fr_redact *r, const char *rule, char *err, size_t errlen);
size_t fr_redact__count(const struct fr_redact *r);

/* Mask payload secrets in `data` in place.  Returns the number of regions
 * masked.  `r` may be NULL (nothing to do). */
size_t fr_redact__payload(struct fr_redact *r, uint8_t *data, size_t len);

/* Mask, in place, the values of matching variables in a NUL-separated
 * "NAME=value" block (an exec's envp).  Returns the number masked. */
size_t fr_redact__envblock(struct fr_redact *r, uint8_t *data, size_t len);

/* Does the "NAME=value" (or bare NAME) entry name a variable an env: rule
 * covers? */
bool fr_redact__env_match(const struct fr_redact *r, const char *entry);

/*
 * Apply the rules to an event's payloads in place (the data must be
 * writable: the event was decoded from a record the caller owns).  Returns
 * the number of regions masked.
 */
size_t fr_redact__event(struct fr_redact *r, struct fr_event *ev);

/* Apply the rules to a process-table entry: env values of matching names
 * replaced by FR_REDACTED, payload rules on argv and env.  Returns the
 * number of masked items, or -ENOMEM (the entry is then left partly masked:
 * the caller must not write it). */
int fr_redact__process(struct fr_redact *r, struct fr_process *p);

/* The manifest's "redaction" array: [{"rule":..., "kind":..., "masked_since_start":N}].
 * New reference (an empty array without rules), NULL on allocation failure. */
json_t *fr_redact__to_json(const struct fr_redact *r);

#endif
