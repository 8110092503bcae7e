// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: what `flightrec capture --webhook` reads from the
 * network before trusting anything: the Alertmanager notification body
 * (turned into a trigger reason), the Authorization header (checked
 * against the token) and, for good measure, the listening address parser.
 * Each input is used three ways; the reason must always be a terminated,
 * printable string within its buffer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "capture/webhook.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char token[] = "s3cr3t-token";
	char reason[256], err[512], *s;
	struct sockaddr_storage ss;
	socklen_t slen;
	size_t i;
	int rc;

	memset(reason, 'x', sizeof(reason));
	rc = fr_webhook__reason((const char *)data, size, reason, sizeof(reason), err, sizeof(err));
	if (rc < 0 && !err[0])
		abort(); /* a refusal always says why */
	if (!memchr(reason, '\0', sizeof(reason)))
		abort();
	for (i = 0; reason[i]; i++)
		if ((unsigned char)reason[i] < 0x20 || reason[i] == 0x7f)
			abort(); /* control characters never reach the log line */
	if (rc == 0 && reason[0])
		abort(); /* nothing firing, no reason */

	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	/* accepted only when, past "Bearer " (any case) and blanks, the rest
	 * up to trailing blanks is the token itself */
	if (fr_webhook__token_ok(s, token, sizeof(token) - 1)) {
		const char *g = s + 7;
		size_t n;

		if (strlen(s) < 7 || strncasecmp(s, "bearer ", 7))
			abort();
		while (*g == ' ')
			g++;
		n = strlen(g);
		while (n && (g[n - 1] == ' ' || g[n - 1] == '\t'))
			n--;
		if (n != sizeof(token) - 1 || memcmp(g, token, n))
			abort();
	}
	if (fr_webhook__parse_addr(s, &ss, &slen, err, sizeof(err)) == 0 &&
	    ss.ss_family != AF_INET && ss.ss_family != AF_INET6)
		abort();
	free(s);
	return 0;
}
