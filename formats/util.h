/* SPDX-License-Identifier: MIT */
/*
 * util.h: small helpers every part of flightrec uses: the logging hook,
 * a growable string buffer, parsing of durations and sizes, and the
 * command-line error convention ("flightrec: <what failed>: <why>").
 */
#ifndef FR_UTIL_H
#define FR_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define FR_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define FR_MIN(a, b) ((a) < (b) ? (a) : (b))
#define FR_MAX(a, b) ((a) > (b) ? (a) : (b))

/* Defensive checks in parsers of hostile input (SQLite's ALWAYS/NEVER):
 * the condition is expected; when it does not hold the caller fails cleanly. */
#define FR_NEVER(x) __builtin_expect(!!(x), 0)
#define FR_ALWAYS(x) __builtin_expect(!!(x), 1)

/* ---- logging --------------------------------------------------------------- */

enum fr_log_level { FR_LOG_WARN = 0, FR_LOG_INFO = 1, FR_LOG_DEBUG = 2 };

typedef void (*fr_log_fn)(enum fr_log_level level, const char *fmt, va_list ap);

/* Install a log hook (NULL restores the default: stderr, warnings only). */
void fr_set_log_fn(fr_log_fn fn);
/* The default hook prints messages up to this level. */
void fr_set_log_level(enum fr_log_level level);
enum fr_log_level fr_log_level(void);
void fr_log(enum fr_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define pr_warn(...) fr_log(FR_LOG_WARN, __VA_ARGS__)
#define pr_info(...) fr_log(FR_LOG_INFO, __VA_ARGS__)
#define pr_debug(...) fr_log(FR_LOG_DEBUG, __VA_ARGS__)

/* Print "flightrec: <fmt>\n" on stderr. */
void fr_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- string buffer ----------------------------------------------------------- */

/* A growable NUL-terminated string.  On allocation failure it stops growing
 * and sets `oom`; callers check once at the end. */
struct fr_sb {
	char *buf;
	size_t len;
	size_t cap;
	bool oom;
};

void fr_sb_init(struct fr_sb *sb);
void fr_sb_free(struct fr_sb *sb);
void fr_sb_reset(struct fr_sb *sb);
void fr_sb_putc(struct fr_sb *sb, char c);
void fr_sb_puts(struct fr_sb *sb, const char *s);
void fr_sb_putn(struct fr_sb *sb, const char *s, size_t n);
void fr_sb_printf(struct fr_sb *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void fr_sb_vprintf(struct fr_sb *sb, const char *fmt, va_list ap);
/* The string ("" when empty); never NULL. */
const char *fr_sb_str(const struct fr_sb *sb);
/*
 * Append `data` quoted and escaped as strace -s does: printable ASCII as is,
 * \n \t \r \" \\ escaped, other bytes as \ooo or \xHH; at most `max` bytes are
 * shown, then "..." (`full_len` > shown bytes also gives "...").
 */
void fr_sb_escape(struct fr_sb *sb, const uint8_t *data, size_t len,
		  size_t full_len, size_t max);

/* ---- parsing ----------------------------------------------------------------- */

/* "500ms", "2s", "1.5s", "100us", "10ns", "3m", "1h"; a bare number is
 * `bare_unit_ns` units.  Returns 0 or -EINVAL / -ERANGE. */
int fr_parse_duration(const char *s, uint64_t bare_unit_ns, uint64_t *out_ns);
/* "64M", "1G", "4096", "512k" (powers of 1024).  0 or -EINVAL / -ERANGE. */
int fr_parse_size(const char *s, uint64_t *out);
/* Strict decimal unsigned integer.  0 or -EINVAL / -ERANGE. */
int fr_parse_u64(const char *s, uint64_t *out);
/* Format a duration for people: "812 ms", "3.20 s", "41 us". */
void fr_fmt_duration(char *buf, size_t len, uint64_t ns);
/* Format a byte count: "1.5 MiB". */
void fr_fmt_size(char *buf, size_t len, uint64_t bytes);
/* Format an event-clock timestamp as UTC "2026-11-22T01:33:19.123456789Z". */
void fr_fmt_utc(char *buf, size_t len, uint64_t ts_ns, int64_t clock_to_utc_ns);

/* Read all of a small file (at most `max` bytes) into a NUL-terminated heap
 * buffer.  Returns 0 or -errno (-EFBIG when larger than max). */
int fr_read_file(const char *path, size_t max, char **out, size_t *len);

#endif /* FR_UTIL_H */
