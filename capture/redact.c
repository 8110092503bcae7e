// SPDX-License-Identifier: MIT
/* redact.c: masking secrets in payloads and the process table (see redact.h). */
#include "capture/redact.h"

#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <regex.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/util.h"

enum rule_kind { RK_ENV = 1, RK_PREFIX, RK_REGEX };

struct rule {
	enum rule_kind kind;
	char *text;    /* the rule as given */
	char *arg;     /* glob or prefix */
	size_t arg_len;
	regex_t re;
	bool re_ok;
	atomic_uint_fast64_t masked;
};

struct fr_redact {
	struct rule rules[FR_REDACT_MAX_RULES];
	size_t n;
	bool any_payload, any_env;
};

int fr_redact__new(struct fr_redact **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

void fr_redact__free(struct fr_redact *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->n; i++) {
		free(r->rules[i].text);
		free(r->rules[i].arg);
		if (r->rules[i].re_ok)
			regfree(&r->rules[i].re);
	}
	free(r);
}

size_t fr_redact__count(const struct fr_redact *r) { return r ? r->n : 0; }

int fr_redact__add(struct fr_redact *r, const char *rule, char *err, size_t errlen)
{
	struct rule *ru;
	const char *arg;
	int rc;

	if (r->n >= FR_REDACT_MAX_RULES) {
		snprintf(err, errlen, "too many rules (at most %d)", FR_REDACT_MAX_RULES);
		return -E2BIG;
	}
	ru = &r->rules[r->n];
	memset(ru, 0, sizeof(*ru));
	if (!strncmp(rule, "env:", 4)) {
		arg = rule + 4;
		if (!*arg || strchr(arg, '=')) {
			snprintf(err, errlen, "'%s': env: wants a variable name or glob (env:*TOKEN*)",
				 rule);
			return -EINVAL;
		}
		ru->kind = RK_ENV;
		ru->arg = strdup(arg);
	} else if (!strncmp(rule, "payload:", 8)) {
		size_t n;

		arg = rule + 8;
		n = strlen(arg);
		if (!n) {
			snprintf(err, errlen, "'%s': payload: wants a text (payload:Authorization:) "
				 "or a /regular expression/", rule);
			return -EINVAL;
		}
		if (arg[0] == '/' && n >= 2 &&
		    (arg[n - 1] == '/' || (n >= 3 && arg[n - 2] == '/' && arg[n - 1] == 'i'))) {
			bool icase = arg[n - 1] == 'i';
			size_t relen = n - 2 - (icase ? 1 : 0);
			char *re = strndup(arg + 1, relen);

			if (!re)
				return -ENOMEM;
			if (!relen) {
				free(re);
				snprintf(err, errlen, "'%s': empty regular expression", rule);
				return -EINVAL;
			}
			rc = regcomp(&ru->re, re, REG_EXTENDED | (icase ? REG_ICASE : 0));
			if (rc) {
				char msg[256];

				regerror(rc, &ru->re, msg, sizeof(msg));
				snprintf(err, errlen, "'%s': bad regular expression: %s", rule, msg);
				free(re);
				return -EINVAL;
			}
			ru->re_ok = true;
			ru->kind = RK_REGEX;
			ru->arg = re;
		} else {
			ru->kind = RK_PREFIX;
			ru->arg = strdup(arg);
			ru->arg_len = n;
		}
	} else {
		snprintf(err, errlen, "'%s': a rule is env:GLOB, payload:TEXT or payload:/REGEX/",
			 rule);
		return -EINVAL;
	}
	ru->text = strdup(rule);
	if (!ru->arg || !ru->text) {
		free(ru->arg);
		free(ru->text);
		if (ru->re_ok)
			regfree(&ru->re);
		return -ENOMEM;
	}
	if (ru->kind == RK_ENV)
		r->any_env = true;
	else
		r->any_payload = true;
	r->n++;
	return 0;
}

/* Case-insensitive search of `pat` (plen bytes) in data[from, len). */
static const uint8_t *find_ci(const uint8_t *data, size_t len, size_t from, const char *pat,
			      size_t plen)
{
	size_t i, k;
	int first = tolower((unsigned char)pat[0]);

	if (plen > len)
		return NULL;
	for (i = from; i + plen <= len; i++) {
		if (tolower(data[i]) != first)
			continue;
		for (k = 1; k < plen; k++)
			if (tolower(data[i + k]) != tolower((unsigned char)pat[k]))
				break;
		if (k == plen)
			return data + i;
	}
	return NULL;
}

static size_t mask_prefix(struct rule *ru, uint8_t *data, size_t len)
{
	size_t pos = 0, n = 0;
	const uint8_t *hit;

	while ((hit = find_ci(data, len, pos, ru->arg, ru->arg_len))) {
		size_t v = (size_t)(hit - data) + ru->arg_len, e;

		while (v < len && (data[v] == ' ' || data[v] == '\t'))
			v++;
		for (e = v; e < len && data[e] != '\r' && data[e] != '\n' && data[e] != '\0'; e++)
			;
		if (e > v) {
			memset(data + v, '*', e - v);
			n++;
		}
		pos = e > pos ? e : pos + 1;
	}
	return n;
}

/* regexec works on C strings: run it on each NUL-free stretch of a copy. */
static size_t mask_regex(struct rule *ru, uint8_t *data, size_t len)
{
	regmatch_t m[2];
	size_t start = 0, n = 0;
	char *buf;

	if (!len)
		return 0;
	buf = malloc(len + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, len);
	buf[len] = '\0';
	while (start < len) {
		size_t seg = strnlen(buf + start, len - start), off = 0;

		while (off <= seg) {
			regoff_t so, eo;
			int flags = off ? REG_NOTBOL : 0;

			if (regexec(&ru->re, buf + start + off, 2, m, flags))
				break;
			if (ru->re.re_nsub >= 1 && m[1].rm_so >= 0) {
				so = m[1].rm_so;
				eo = m[1].rm_eo;
			} else {
				so = m[0].rm_so;
				eo = m[0].rm_eo;
			}
			if (eo > so) {
				memset(data + start + off + (size_t)so, '*', (size_t)(eo - so));
				n++;
			}
			/* step past the match; an empty match advances one byte */
			off += m[0].rm_eo > 0 ? (size_t)m[0].rm_eo : 1;
		}
		start += seg + 1;
	}
	free(buf);
	return n;
}

size_t fr_redact__payload(struct fr_redact *r, uint8_t *data, size_t len)
{
	size_t i, n = 0, k;

	if (!r || !r->any_payload || !len)
		return 0;
	for (i = 0; i < r->n; i++) {
		struct rule *ru = &r->rules[i];

		if (ru->kind == RK_PREFIX)
			k = mask_prefix(ru, data, len);
		else if (ru->kind == RK_REGEX)
			k = mask_regex(ru, data, len);
		else
			continue;
		if (k)
			atomic_fetch_add(&ru->masked, k);
		n += k;
	}
	return n;
}

/* The env: rule matching NAME (name_len bytes), or NULL. */
static struct rule *env_rule(const struct fr_redact *r, const char *name, size_t name_len)
{
	char buf[256];
	size_t i;

	if (!r || !r->any_env || !name_len)
		return NULL;
	if (name_len >= sizeof(buf))
		name_len = sizeof(buf) - 1;
	memcpy(buf, name, name_len);
	buf[name_len] = '\0';
	for (i = 0; i < r->n; i++)
		if (r->rules[i].kind == RK_ENV && !fnmatch(r->rules[i].arg, buf, 0))
			return (struct rule *)&r->rules[i];
	return NULL;
}

bool fr_redact__env_match(const struct fr_redact *r, const char *entry)
{
	const char *eq = strchr(entry, '=');

	return env_rule(r, entry, eq ? (size_t)(eq - entry) : strlen(entry)) != NULL;
}

size_t fr_redact__envblock(struct fr_redact *r, uint8_t *data, size_t len)
{
	size_t pos = 0, n = 0;

	if (!r || !r->any_env)
		return 0;
	while (pos < len) {
		size_t l = strnlen((const char *)data + pos, len - pos);
		const uint8_t *eq = memchr(data + pos, '=', l);
		struct rule *ru;

		if (eq) {
			size_t name_len = (size_t)(eq - (data + pos));

			ru = env_rule(r, (const char *)data + pos, name_len);
			if (ru && l > name_len + 1) {
				memset(data + pos + name_len + 1, '*', l - name_len - 1);
				atomic_fetch_add(&ru->masked, 1);
				n++;
			}
		}
		pos += l + 1;
	}
	return n;
}

size_t fr_redact__event(struct fr_redact *r, struct fr_event *ev)
{
	size_t n = 0;
	uint32_t i;

	if (!r || !r->n)
		return 0;
	for (i = 0; i < ev->n_payloads && i < FR_MAX_PAYLOADS; i++) {
		struct fr_payload *p = &ev->payloads[i];
		uint8_t *d = (uint8_t *)p->data; /* the caller's writable record */

		if (!p->len || !d)
			continue;
		switch (p->kind) {
		case FR_PL_EXEC_ENV:
			n += fr_redact__envblock(r, d, p->len);
			/* fallthrough */
		case FR_PL_IN:
		case FR_PL_OUT:
		case FR_PL_EXEC_FILENAME:
		case FR_PL_EXEC_ARGV:
		case FR_PL_TEXT:
			n += fr_redact__payload(r, d, p->len);
			break;
		default: /* FR_PL_FDINFO: a struct, no text */
			break;
		}
	}
	return n;
}

int fr_redact__process(struct fr_redact *r, struct fr_process *p)
{
	uint32_t i;
	int n = 0;

	if (!r || !r->n)
		return 0;
	for (i = 0; i < p->envc; i++) {
		char *e = p->env[i], *eq;
		struct rule *ru;

		if (!e)
			continue;
		eq = strchr(e, '=');
		ru = env_rule(r, e, eq ? (size_t)(eq - e) : strlen(e));
		if (ru) {
			char *m;

			if (asprintf(&m, "%.*s=%s", (int)(eq ? eq - e : (long)strlen(e)), e,
				     FR_REDACTED) < 0)
				return -ENOMEM;
			free(e);
			p->env[i] = m;
			atomic_fetch_add(&ru->masked, 1);
			n++;
			continue;
		}
		n += (int)fr_redact__payload(r, (uint8_t *)e, strlen(e));
	}
	for (i = 0; i < p->argc; i++)
		if (p->argv[i])
			n += (int)fr_redact__payload(r, (uint8_t *)p->argv[i], strlen(p->argv[i]));
	return n;
}

json_t *fr_redact__to_json(const struct fr_redact *r)
{
	json_t *a = json_array();
	size_t i;

	if (!a || !r)
		return a;
	for (i = 0; i < r->n; i++) {
		const struct rule *ru = &r->rules[i];
		json_t *o = json_pack("{s:s,s:s,s:I}", "rule", ru->text, "kind",
				      ru->kind == RK_ENV      ? "env"
				      : ru->kind == RK_PREFIX ? "payload-text"
							      : "payload-regex",
				      "masked_since_start", (json_int_t)atomic_load(&ru->masked));

		if (!o || json_array_append_new(a, o)) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}
