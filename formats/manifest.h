/* SPDX-License-Identifier: MIT */
/* manifest.h: manifest <-> JSON (internal to formats/). */
#ifndef FR_MANIFEST_H
#define FR_MANIFEST_H

#include <jansson.h>

#include "formats/bundle.h"

/* A new JSON object for `m`, with the member and file lists (borrowed:
 * a reference is taken).  NULL on allocation failure. */
json_t *fr_manifest__to_json(const struct fr_manifest *m, json_t *members,
			     json_t *files);
/* Fill `m` from `root`, validating types and ranges.  A newer format major is
 * refused.  Returns 0 or -EINVAL with `err` set; `m` is cleared on failure. */
int fr_manifest__from_json(struct fr_manifest *m, json_t *root, char *err,
			   size_t errlen);

/* Process table <-> JSON. */
json_t *fr_process__to_json(const struct fr_process *p);
/* Returns 0 or -EINVAL with err set (p is cleared on failure). */
int fr_process__from_json(struct fr_process *p, json_t *o, char *err, size_t errlen);

#endif
