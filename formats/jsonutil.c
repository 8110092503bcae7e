// SPDX-License-Identifier: MIT
/* jsonutil.c: byte strings in JSON. */
#include "formats/jsonutil.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned cp;

	if (s[0] < 0x80)
		return s[0] ? 1 : 0; /* NUL is not allowed inside */
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

static int valid_utf8(const char *s, size_t n)
{
	size_t i = 0, k;

	while (i < n) {
		k = utf8_seq((const unsigned char *)s + i, n - i);
		if (!k)
			return 0;
		i += k;
	}
	return 1;
}

json_t *fr_json_bytes(const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	json_t *o;
	char *h;
	size_t i;

	if (!s)
		return json_null();
	if (valid_utf8(s, len))
		return json_stringn(s, len);
	h = malloc(len * 2 + 1);
	if (!h)
		return NULL;
	for (i = 0; i < len; i++) {
		h[2 * i] = hex[(unsigned char)s[i] >> 4];
		h[2 * i + 1] = hex[(unsigned char)s[i] & 15];
	}
	h[2 * len] = '\0';
	o = json_pack("{s:s}", "hex", h);
	free(h);
	return o;
}

json_t *fr_json_str(const char *s) { return s ? fr_json_bytes(s, strlen(s)) : json_null(); }

json_t *fr_json_text(const char *s)
{
	size_t n, i = 0, k;
	char *c;
	json_t *j;

	if (!s)
		s = "";
	n = strlen(s);
	c = malloc(n + 1);
	if (!c)
		return NULL;
	while (i < n) {
		k = utf8_seq((const unsigned char *)s + i, n - i);
		if (!k) {
			c[i++] = '?';
		} else {
			memcpy(c + i, s + i, k);
			i += k;
		}
	}
	c[n] = '\0';
	j = json_string(c);
	free(c);
	return j;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int fr_json_get_str(json_t *v, size_t max, char **out)
{
	const char *h;
	size_t n, i;
	char *s;

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (json_is_string(v)) {
		n = json_string_length(v);
		if (n > max || memchr(json_string_value(v), 0, n))
			return -EINVAL;
		s = strndup(json_string_value(v), n);
		if (!s)
			return -ENOMEM;
		*out = s;
		return 0;
	}
	if (!json_is_object(v) || !json_is_string(json_object_get(v, "hex")))
		return -EINVAL;
	h = json_string_value(json_object_get(v, "hex"));
	n = strlen(h);
	if (n % 2 || n / 2 > max)
		return -EINVAL;
	s = malloc(n / 2 + 1);
	if (!s)
		return -ENOMEM;
	for (i = 0; i < n / 2; i++) {
		int a = hexval(h[2 * i]), b = hexval(h[2 * i + 1]);

		if (a < 0 || b < 0 || (a == 0 && b == 0)) {
			free(s);
			return -EINVAL;
		}
		s[i] = (char)(a << 4 | b);
	}
	s[n / 2] = '\0';
	*out = s;
	return 0;
}
