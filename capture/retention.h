/* SPDX-License-Identifier: MIT */
/*
 * retention.h: the bundles `flightrec capture` leaves in its --out
 * directory, their names, and the bound on how many and how much.
 *
 * The daemon's bundles are named
 *
 *   flightrec-YYYYMMDDTHHMMSS.mmmZ-KIND[-N].frb
 *
 * (UTC time of the trigger, KIND signal/socket/rule, N to keep names
 * unique).  Retention only ever considers files of that shape: whatever
 * else lives in the directory (other tools' files, `flightrec record`
 * output, bundles renamed by the user) is never deleted.
 */
#ifndef FR_CAPTURE_RETENTION_H
#define FR_CAPTURE_RETENTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Is `name` (a file name, no directory) one of the daemon's bundles? */
bool fr_retention__is_ours(const char *name);

/*
 * A new bundle name in `dir` for a trigger at UTC `when` of kind `kind`
 * (letters, digits and '-' kept, anything else replaced): the full path in
 * `out`.  Picks the first -N suffix that does not exist yet.  Returns 0,
 * -ENAMETOOLONG, -EEXIST (no free name).
 */
int fr_retention__name(const char *dir, const struct timespec *when, const char *kind,
		       char *out, size_t len);

/* Called for each bundle deleted (path, its size) or that could not be
 * (err < 0). */
typedef void (*fr_retention_fn)(void *ctx, const char *path, uint64_t size, int err);

/*
 * Delete the oldest of our bundles in `dir` (by modification time, then
 * name) while there are more than `max_bundles` (0: no bound) or they take
 * more than `max_bytes` (0: no bound).  `keep` (a path, may be NULL) is
 * never deleted: the bundle just written stays even when it alone exceeds
 * the bound.  Returns the number deleted, or -errno when the directory
 * cannot be read.
 */
int fr_retention__apply(const char *dir, uint64_t max_bundles, uint64_t max_bytes,
			const char *keep, fr_retention_fn fn, void *ctx);

/*
 * Remove the temporary files that a daemon killed while writing left in
 * `dir` (".flightrec-...frb.tmp-PID-XXXXXX" of a PID no longer alive; see
 * fr_writer__open).  Returns the number removed or -errno.
 */
int fr_retention__clean_temps(const char *dir, fr_retention_fn fn, void *ctx);

#endif
