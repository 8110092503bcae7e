/* SPDX-License-Identifier: MIT */
/*
 * jsonutil.h: strings that may not be UTF-8 (paths, argv, environment) in
 * JSON.  Valid UTF-8 is stored as a JSON string; anything else as
 * {"hex": "<bytes in hex>"} so that no byte is lost or altered.
 */
#ifndef FR_JSONUTIL_H
#define FR_JSONUTIL_H

#include <stddef.h>

#include <jansson.h>

/* A JSON value for the `len` bytes at `s` (NULL s: JSON null). */
json_t *fr_json_bytes(const char *s, size_t len);
/* Same for a NUL-terminated string. */
json_t *fr_json_str(const char *s);
/* A JSON string for text shown to people: invalid UTF-8 bytes become '?'. */
json_t *fr_json_text(const char *s);
/*
 * Decode a value written by fr_json_bytes into a new NUL-terminated heap
 * string of at most `max` bytes.  JSON null gives *out = NULL.  Returns 0, or
 * -EINVAL (wrong type, bad hex, embedded NUL, longer than max) / -ENOMEM.
 */
int fr_json_get_str(json_t *v, size_t max, char **out);

#endif
