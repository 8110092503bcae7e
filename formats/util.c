// SPDX-License-Identifier: MIT
/* util.c: logging, string buffers, parsing and formatting helpers. */
#include "formats/util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- logging ------------------------------------------------------------------ */

static enum fr_log_level log_level = FR_LOG_WARN;
static fr_log_fn log_fn;

void fr_set_log_fn(fr_log_fn fn) { log_fn = fn; }
void fr_set_log_level(enum fr_log_level level) { log_level = level; }
enum fr_log_level fr_log_level(void) { return log_level; }

void fr_log(enum fr_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (log_fn) {
		log_fn(level, fmt, ap);
	} else if (level <= log_level) {
		fputs("flightrec: ", stderr);
		vfprintf(stderr, fmt, ap);
		if (!*fmt || fmt[strlen(fmt) - 1] != '\n')
			fputc('\n', stderr);
	}
	va_end(ap);
}

void fr_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	va_start(ap, fmt);
	fputs("flightrec: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* ---- string buffer --------------------------------------------------------------- */

void fr_sb_init(struct fr_sb *sb) { memset(sb, 0, sizeof(*sb)); }

void fr_sb_free(struct fr_sb *sb)
{
	if (!sb)
		return;
	free(sb->buf);
	memset(sb, 0, sizeof(*sb));
}

void fr_sb_reset(struct fr_sb *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

/* Make room for `extra` more bytes plus the NUL.  false when out of memory. */
static bool sb_reserve(struct fr_sb *sb, size_t extra)
{
	size_t need, cap;
	char *nb;

	if (sb->oom)
		return false;
	if (extra > SIZE_MAX / 2 - sb->len - 1) {
		sb->oom = true;
		return false;
	}
	need = sb->len + extra + 1;
	if (need <= sb->cap)
		return true;
	cap = sb->cap ? sb->cap : 64;
	while (cap < need)
		cap *= 2;
	nb = realloc(sb->buf, cap);
	if (!nb) {
		sb->oom = true;
		return false;
	}
	sb->buf = nb;
	sb->cap = cap;
	return true;
}

void fr_sb_putn(struct fr_sb *sb, const char *s, size_t n)
{
	if (!sb_reserve(sb, n))
		return;
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void fr_sb_putc(struct fr_sb *sb, char c) { fr_sb_putn(sb, &c, 1); }
void fr_sb_puts(struct fr_sb *sb, const char *s) { fr_sb_putn(sb, s, strlen(s)); }

void fr_sb_vprintf(struct fr_sb *sb, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0 || !sb_reserve(sb, (size_t)n))
		return;
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void fr_sb_printf(struct fr_sb *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fr_sb_vprintf(sb, fmt, ap);
	va_end(ap);
}

const char *fr_sb_str(const struct fr_sb *sb) { return sb->buf ? sb->buf : ""; }

void fr_sb_escape(struct fr_sb *sb, const uint8_t *data, size_t len,
		  size_t full_len, size_t max)
{
	size_t n = FR_MIN(len, max), i;

	fr_sb_putc(sb, '"');
	for (i = 0; i < n; i++) {
		uint8_t c = data[i];

		switch (c) {
		case '\n': fr_sb_puts(sb, "\\n"); break;
		case '\t': fr_sb_puts(sb, "\\t"); break;
		case '\r': fr_sb_puts(sb, "\\r"); break;
		case '\v': fr_sb_puts(sb, "\\v"); break;
		case '\f': fr_sb_puts(sb, "\\f"); break;
		case '"': fr_sb_puts(sb, "\\\""); break;
		case '\\': fr_sb_puts(sb, "\\\\"); break;
		default:
			if (c >= 0x20 && c < 0x7f) {
				fr_sb_putc(sb, (char)c);
			} else if (i + 1 < n && data[i + 1] >= '0' && data[i + 1] <= '7') {
				/* the next char is a digit: use all three octal digits */
				fr_sb_printf(sb, "\\%03o", c);
			} else {
				fr_sb_printf(sb, "\\%o", c);
			}
		}
	}
	fr_sb_putc(sb, '"');
	if (n < len || full_len > n)
		fr_sb_puts(sb, "...");
}

/* ---- parsing ----------------------------------------------------------------------- */

int fr_parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (!s || !*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return -ERANGE;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return 0;
}

/* Parse "<number>[.<fraction>]<unit>" where units map to multipliers. */
struct unit { const char *name; uint64_t mult; };

static int parse_scaled(const char *s, const struct unit *units, size_t n_units,
			uint64_t bare, uint64_t *out)
{
	const char *p = s, *unit;
	uint64_t ip = 0, mult = 0;
	long double frac = 0, scale = 0.1L, total;
	size_t i;
	bool digits = false;

	if (!s)
		return -EINVAL;
	while (*p >= '0' && *p <= '9') {
		if (ip > (UINT64_MAX - 9) / 10)
			return -ERANGE;
		ip = ip * 10 + (uint64_t)(*p++ - '0');
		digits = true;
	}
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9') {
			frac += (*p++ - '0') * scale;
			scale /= 10;
			digits = true;
		}
	}
	if (!digits)
		return -EINVAL;
	unit = p;
	if (!*unit) {
		mult = bare;
	} else {
		for (i = 0; i < n_units; i++)
			if (!strcasecmp(unit, units[i].name)) {
				mult = units[i].mult;
				break;
			}
		if (!mult)
			return -EINVAL;
	}
	total = ((long double)ip + frac) * (long double)mult;
	if (total >= 18446744073709551615.0L)
		return -ERANGE;
	*out = (uint64_t)(total + 0.5L);
	return 0;
}

int fr_parse_duration(const char *s, uint64_t bare_unit_ns, uint64_t *out_ns)
{
	static const struct unit units[] = {
		{ "ns", 1ULL },
		{ "us", 1000ULL },
		{ "ms", 1000000ULL },
		{ "s", 1000000000ULL },
		{ "m", 60000000000ULL },
		{ "min", 60000000000ULL },
		{ "h", 3600000000000ULL },
	};

	return parse_scaled(s, units, FR_ARRAY_SIZE(units), bare_unit_ns, out_ns);
}

int fr_parse_size(const char *s, uint64_t *out)
{
	static const struct unit units[] = {
		{ "b", 1ULL },
		{ "k", 1ULL << 10 }, { "kb", 1ULL << 10 }, { "kib", 1ULL << 10 },
		{ "m", 1ULL << 20 }, { "mb", 1ULL << 20 }, { "mib", 1ULL << 20 },
		{ "g", 1ULL << 30 }, { "gb", 1ULL << 30 }, { "gib", 1ULL << 30 },
		{ "t", 1ULL << 40 }, { "tb", 1ULL << 40 }, { "tib", 1ULL << 40 },
	};

	return parse_scaled(s, units, FR_ARRAY_SIZE(units), 1, out);
}

void fr_fmt_duration(char *buf, size_t len, uint64_t ns)
{
	if (ns < 1000)
		snprintf(buf, len, "%llu ns", (unsigned long long)ns);
	else if (ns < 1000000)
		snprintf(buf, len, "%.1f us", ns / 1e3);
	else if (ns < 10000000000ULL)
		snprintf(buf, len, "%.1f ms", ns / 1e6);
	else
		snprintf(buf, len, "%.2f s", ns / 1e9);
}

void fr_fmt_size(char *buf, size_t len, uint64_t bytes)
{
	static const char *const u[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double v = (double)bytes;
	unsigned i = 0;

	while (v >= 1024 && i + 1 < FR_ARRAY_SIZE(u)) {
		v /= 1024;
		i++;
	}
	if (i == 0)
		snprintf(buf, len, "%llu B", (unsigned long long)bytes);
	else
		snprintf(buf, len, "%.1f %s", v, u[i]);
}

void fr_fmt_utc(char *buf, size_t len, uint64_t ts_ns, int64_t clock_to_utc_ns)
{
	int64_t utc = (int64_t)ts_ns + clock_to_utc_ns;
	time_t sec;
	struct tm tm;
	char day[32];

	if (utc < 0)
		utc = 0;
	sec = (time_t)(utc / 1000000000LL);
	gmtime_r(&sec, &tm);
	strftime(day, sizeof(day), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%s.%09lldZ", day, (long long)(utc % 1000000000LL));
}

int fr_read_file(const char *path, size_t max, char **out, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = NULL, *nb;
	ssize_t r;
	int fd, err;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	buf = malloc(cap + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		if (n == cap) {
			if (cap >= max) {
				err = -EFBIG;
				goto fail;
			}
			cap = FR_MIN(cap * 2, max);
			nb = realloc(buf, cap + 1);
			if (!nb) {
				err = -ENOMEM;
				goto fail;
			}
			buf = nb;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			goto fail;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	*out = buf;
	if (len)
		*len = n;
	return 0;
fail:
	free(buf);
	close(fd);
	return err;
}
