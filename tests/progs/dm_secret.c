// SPDX-License-Identifier: MIT
/*
 * dm_secret TOKEN SECONDS: sends an HTTP request carrying
 * "Authorization: Bearer TOKEN" through a pipe to itself every 100 ms for
 * SECONDS (written and read back: the token is in both payloads).  Its
 * environment is the caller's (the test sets a secret variable).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec ts = { 0, 100000000L };
	char req[512], back[512];
	long i, n;
	int p[2], len;

	if (argc != 3) {
		fprintf(stderr, "usage: dm_secret TOKEN SECONDS\n");
		return 2;
	}
	if (pipe(p))
		return 1;
	n = atol(argv[2]) * 10;
	len = snprintf(req, sizeof(req),
		       "GET /api HTTP/1.1\r\nHost: example\r\nAuthorization: Bearer %s\r\n"
		       "Accept: */*\r\n\r\n", argv[1]);
	printf("%d\n", (int)getpid());
	fflush(stdout);
	for (i = 0; i < n; i++) {
		if (write(p[1], req, (size_t)len) != len || read(p[0], back, sizeof(back)) != len)
			return 1;
		nanosleep(&ts, NULL);
	}
	return 0;
}
