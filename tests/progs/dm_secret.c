// SPDX-License-Identifier: MIT
/*
 * dm_secret SECONDS: sends an HTTP request carrying
 * "Authorization: Bearer $FR_TEST_BEARER" and a form body with
 * "password=$FR_TEST_PASSWORD" through a pipe to itself every 100 ms for
 * SECONDS (written and read back: the secrets are in both payloads).  The
 * secrets come from the environment, so that they are in no argv.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec ts = { 0, 100000000L };
	const char *tok = getenv("FR_TEST_BEARER"), *pw = getenv("FR_TEST_PASSWORD");
	char req[1024], back[1024];
	long i, n;
	int p[2], len;

	if (argc != 2 || !tok || !pw) {
		fprintf(stderr, "usage: FR_TEST_BEARER=T FR_TEST_PASSWORD=P dm_secret SECONDS\n");
		return 2;
	}
	if (pipe(p))
		return 1;
	n = atol(argv[1]) * 10;
	len = snprintf(req, sizeof(req),
		       "POST /login HTTP/1.1\r\nHost: example\r\nAuthorization: Bearer %s\r\n"
		       "Content-Type: application/x-www-form-urlencoded\r\n\r\n"
		       "user=bob&password=%s&remember=1", tok, pw);
	printf("%d\n", (int)getpid());
	fflush(stdout);
	for (i = 0; i < n; i++) {
		if (write(p[1], req, (size_t)len) != len || read(p[0], back, sizeof(back)) != len)
			return 1;
		nanosleep(&ts, NULL);
	}
	return 0;
}
