// SPDX-License-Identifier: MIT
/*
 * checkout: the demo's client.  Places one order with the "db" server over
 * TCP and waits at most TIMEOUT_MS for its confirmation.
 *
 *   checkout PORT ORDER [TIMEOUT_MS]      (TIMEOUT_MS: default 750)
 *
 * Sends "ORDER <n> <item>\n" to 127.0.0.1:PORT and waits for the answer
 * line with poll(); prints "checkout: order N: <answer>" and exits 0, or
 * logs "checkout: order N: timeout after T ms waiting for db" on stderr and
 * exits 1.
 *
 * The program never reads a clock: its only notion of time is poll()'s
 * timeout, which the recording holds.  `flightrec capture` does not make
 * the vDSO's clock visible (only `flightrec record` does), so a program
 * that read the time through the vDSO could not be replayed from a
 * capture bundle.  For the same reason it reads the answer in one read()
 * per poll() and keeps the deadline per wait rather than per request.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *const items[] = {"espresso-machine", "grinder", "kettle", "scale",
				    "milk-frother"};

static long number(const char *s, const char *what, long lo, long hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi) {
		fprintf(stderr, "checkout: %s '%s' is not a number from %ld to %ld\n", what, s, lo,
			hi);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	char req[128], answer[256];
	size_t got = 0;
	long port, order, timeout = 750;
	int fd, n;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: checkout PORT ORDER [TIMEOUT_MS]\n");
		return 2;
	}
	port = number(argv[1], "port", 1, 65535);
	order = number(argv[2], "order", 0, 1000000000);
	if (argc > 3)
		timeout = number(argv[3], "timeout", 1, 3600000);

	sa.sin_port = htons((unsigned short)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		fprintf(stderr, "checkout: order %ld: cannot reach db at 127.0.0.1:%ld: %s\n",
			order, port, strerror(errno));
		return 1;
	}
	n = snprintf(req, sizeof(req), "ORDER %ld %s\n", order,
		     items[order % (long)(sizeof(items) / sizeof(items[0]))]);
	if (write(fd, req, (size_t)n) != n) {
		fprintf(stderr, "checkout: order %ld: sending to db: %s\n", order, strerror(errno));
		return 1;
	}
	while (!memchr(answer, '\n', got)) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		ssize_t r;

		n = poll(&p, 1, (int)timeout);
		if (n < 0) {
			fprintf(stderr, "checkout: order %ld: poll: %s\n", order, strerror(errno));
			return 1;
		}
		if (n == 0) {
			fprintf(stderr,
				"checkout: order %ld: timeout after %ld ms waiting for db\n", order,
				timeout);
			return 1;
		}
		r = read(fd, answer + got, sizeof(answer) - 1 - got);
		if (r <= 0) {
			fprintf(stderr, "checkout: order %ld: db closed the connection%s%s\n",
				order, r ? ": " : "", r ? strerror(errno) : "");
			return 1;
		}
		got += (size_t)r;
		if (got == sizeof(answer) - 1)
			break;
	}
	answer[got] = '\0';
	answer[strcspn(answer, "\n")] = '\0';
	printf("checkout: order %ld: %s\n", order, answer);
	close(fd);
	return 0;
}
