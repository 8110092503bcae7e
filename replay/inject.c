// SPDX-License-Identifier: MIT
/* inject.c: parsing and matching of --inject specifications (inject.h). */
#include "replay/inject.h"

#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/print.h"
#include "formats/util.h"

#define MAX_WHEN 65535

static void set_bit(struct rp_inject *in, unsigned nr)
{
	if (nr < FR_NR_SYSCALLS)
		in->set[nr / 8] |= (uint8_t)(1u << (nr % 8));
}

bool rp_inject_covers(const struct rp_inject *in, unsigned nr)
{
	return nr < FR_NR_SYSCALLS && (in->set[nr / 8] & (1u << (nr % 8)));
}

bool rp_inject_when(const struct rp_inject *in, uint32_t n)
{
	if (n < in->first)
		return false;
	if (in->last && n > in->last)
		return false;
	if (!in->step)
		return n == in->first;
	return (n - in->first) % in->step == 0;
}

/* One element of a syscall set.  Returns 0 or -EINVAL. */
static int add_element(struct rp_inject *in, const char *el, char *err, size_t errlen)
{
	const struct fr_syscall_desc *d;
	unsigned nr, hits = 0;
	uint64_t num;

	if (!*el) {
		snprintf(err, errlen, "empty system call name");
		return -EINVAL;
	}
	if (!strcmp(el, "all") || !strcmp(el, "%all")) {
		for (nr = 0; nr < FR_NR_SYSCALLS; nr++)
			if (fr_syscall(nr))
				set_bit(in, nr);
		return 0;
	}
	if (!strcmp(el, "none"))
		return 0;
	if (el[0] == '%') {
		uint32_t cls = fr_syscall_class_by_name(el);

		if (!cls) {
			snprintf(err, errlen, "unknown system call class '%s'", el);
			return -EINVAL;
		}
		for (nr = 0; nr < FR_NR_SYSCALLS; nr++) {
			d = fr_syscall(nr);
			if (d && (d->cls & cls)) {
				set_bit(in, nr);
				hits++;
			}
		}
		if (!hits) {
			snprintf(err, errlen, "system call class '%s' is empty in this build", el);
			return -EINVAL;
		}
		return 0;
	}
	if (el[0] == '/') {
		regex_t re;

		if (regcomp(&re, el + 1, REG_EXTENDED | REG_NOSUB)) {
			snprintf(err, errlen, "bad regular expression '%s'", el + 1);
			return -EINVAL;
		}
		for (nr = 0; nr < FR_NR_SYSCALLS; nr++) {
			d = fr_syscall(nr);
			if (d && !regexec(&re, d->name, 0, NULL, 0)) {
				set_bit(in, nr);
				hits++;
			}
		}
		regfree(&re);
		if (!hits) {
			snprintf(err, errlen, "no system call matches '%s'", el);
			return -EINVAL;
		}
		return 0;
	}
	d = fr_syscall_by_name(el);
	if (d) {
		set_bit(in, d->nr);
		return 0;
	}
	if (!fr_parse_u64(el, &num) && num < FR_NR_SYSCALLS) {
		set_bit(in, (unsigned)num);
		return 0;
	}
	snprintf(err, errlen, "unknown system call '%s'", el);
	return -EINVAL;
}

static int parse_set(struct rp_inject *in, const char *text, char *err, size_t errlen)
{
	char *copy, *el, *save = NULL;
	bool negate = false;
	int rc = 0;
	size_t i;

	if (text[0] == '!') {
		negate = true;
		text++;
	}
	copy = strdup(text);
	if (!copy)
		return -ENOMEM;
	for (el = strtok_r(copy, ",", &save); el && !rc; el = strtok_r(NULL, ",", &save)) {
		bool optional = el[0] == '?';

		rc = add_element(in, optional ? el + 1 : el, err, errlen);
		if (rc && optional)
			rc = 0; /* strace: '?' silences unknown names */
	}
	free(copy);
	if (rc)
		return rc;
	if (negate)
		for (i = 0; i < sizeof(in->set); i++)
			in->set[i] = (uint8_t)~in->set[i];
	return 0;
}

/* first[..last][+[step]] */
static int parse_when(struct rp_inject *in, const char *s, char *err, size_t errlen)
{
	char *end;
	unsigned long first, last = 0, step = 0;
	const char *p = s;

	first = strtoul(p, &end, 10);
	if (end == p || first < 1 || first > MAX_WHEN)
		goto bad;
	p = end;
	if (p[0] == '.' && p[1] == '.') {
		p += 2;
		last = strtoul(p, &end, 10);
		if (end == p || last < first || last > MAX_WHEN - 1)
			goto bad;
		p = end;
		step = 1;
	}
	if (*p == '+') {
		p++;
		step = 1;
		if (*p) {
			step = strtoul(p, &end, 10);
			if (end == p || step < 1 || step > MAX_WHEN)
				goto bad;
			p = end;
		}
	}
	if (*p)
		goto bad;
	in->first = (uint32_t)first;
	in->last = (uint32_t)last;
	in->step = (uint32_t)step;
	return 0;
bad:
	snprintf(err, errlen, "bad when= expression '%s' (first[..last][+[step]], from 1)", s);
	return -EINVAL;
}

int rp_inject_parse(const char *spec, struct rp_inject *out, char *err, size_t errlen)
{
	char *copy, *tok, *save = NULL;
	int rc = 0;
	bool first_tok = true;

	memset(out, 0, sizeof(*out));
	out->first = 1;
	out->step = 1; /* every invocation by default */
	snprintf(out->spec, sizeof(out->spec), "%s", spec);
	copy = strdup(spec);
	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ":", &save); tok && !rc; tok = strtok_r(NULL, ":", &save)) {
		char *eq = strchr(tok, '=');
		const char *key = tok, *val = eq ? eq + 1 : "";

		if (first_tok) {
			first_tok = false;
			rc = parse_set(out, tok, err, errlen);
			continue;
		}
		if (!eq) {
			snprintf(err, errlen, "'%s': expected KEY=VALUE", tok);
			rc = -EINVAL;
			break;
		}
		*eq = 0;
		if (!strcmp(key, "error")) {
			uint64_t n;
			int e = fr_errno_by_name(val);

			if (e < 0 && !fr_parse_u64(val, &n) && n >= 1 && n <= 4095)
				e = (int)n;
			if (e < 1 || e > 4095) {
				snprintf(err, errlen, "unknown error '%s'", val);
				rc = -EINVAL;
			}
			out->has_error = true;
			out->error = e;
		} else if (!strcmp(key, "retval")) {
			char *end;
			long long v = strtoll(val, &end, 0);

			if (end == val || *end) {
				snprintf(err, errlen, "bad retval '%s'", val);
				rc = -EINVAL;
			}
			out->has_retval = true;
			out->retval = v;
		} else if (!strcmp(key, "signal")) {
			uint64_t n;
			int sig = fr_signal_by_name(val);

			if (sig < 0 && !fr_parse_u64(val, &n) && n >= 1 && n <= 64)
				sig = (int)n;
			if (sig < 1 || sig > 64) {
				snprintf(err, errlen, "unknown signal '%s'", val);
				rc = -EINVAL;
			}
			out->signal = sig;
		} else if (!strcmp(key, "delay_enter") || !strcmp(key, "delay_exit")) {
			uint64_t ns;

			if (fr_parse_duration(val, 1000, &ns)) {
				snprintf(err, errlen, "bad delay '%s' (e.g. 500ms, 2s, 100us)",
					 val);
				rc = -EINVAL;
			}
			if (key[6] == 'e' && key[7] == 'n')
				out->delay_enter_ns = ns;
			else
				out->delay_exit_ns = ns;
		} else if (!strcmp(key, "when")) {
			rc = parse_when(out, val, err, errlen);
		} else {
			snprintf(err, errlen, "'%s=' is not supported by replay injection", key);
			rc = -EINVAL;
		}
	}
	free(copy);
	if (rc)
		return rc;
	if (out->has_error && out->has_retval) {
		snprintf(err, errlen, "error= and retval= exclude each other");
		return -EINVAL;
	}
	if (!out->has_error && !out->has_retval && !out->signal && !out->delay_enter_ns &&
	    !out->delay_exit_ns) {
		snprintf(err, errlen,
			 "nothing to inject: give error=, retval=, signal=, delay_enter= or "
			 "delay_exit=");
		return -EINVAL;
	}
	return 0;
}
