// SPDX-License-Identifier: MIT
/*
 * wi_tcp: a request/response pair over loopback TCP with a client-side
 * deadline, for what-if replay tests.
 *
 *   wi_tcp server PORT DELAY_MS [PARTS [GAP_MS]]
 *       accept one connection, greet it ("hello\n"), read the request
 *       line, wait DELAY_MS, then answer "the answer is 42\n" in PARTS
 *       writes GAP_MS apart; close.
 *   wi_tcp client PORT [TIMEOUT_MS]
 *       connect (retrying while the server is not listening yet), read the
 *       greeting, send a request and read the answer, all within
 *       TIMEOUT_MS of connecting (default 1000; the environment variable
 *       WI_TIMEOUT_MS overrides the argument), waiting with poll() for what
 *       is left of the deadline.  Prints "answer: ..." and exits 0, or
 *       prints "wi_tcp: timed out after N ms" on stderr and exits 1.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static const char ANSWER[] = "the answer is 42\n";

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int server(int port, long delay, int parts, long gap)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	int one = 1, s = socket(AF_INET, SOCK_STREAM, 0), c, i;
	size_t len = sizeof(ANSWER) - 1, off = 0;
	char buf[256];

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(s, 8) < 0) {
		perror("wi_tcp: server");
		return 1;
	}
	c = accept(s, NULL, NULL);
	if (c < 0 || write(c, "hello\n", 6) != 6 || read(c, buf, sizeof(buf)) <= 0) {
		perror("wi_tcp: server: accept/read");
		return 1;
	}
	sleep_ms(delay);
	if (parts < 1)
		parts = 1;
	for (i = 0; i < parts; i++) {
		size_t n = i == parts - 1 ? len - off : len / (size_t)parts;

		if (i)
			sleep_ms(gap);
		if (write(c, ANSWER + off, n) < 0)
			perror("wi_tcp: server: write");
		off += n;
	}
	close(c);
	close(s);
	return 0;
}

/* Read one line into buf (cap bytes) before the deadline.  Returns its
 * length, 0 on a timeout, -1 on an error (reported). */
static long read_line(int s, char *buf, size_t cap, long long start, long timeout)
{
	size_t got = 0;

	for (;;) {
		struct pollfd p = {.fd = s, .events = POLLIN};
		long long left = timeout - (now_ms() - start);
		ssize_t n;

		if (left <= 0 || poll(&p, 1, (int)left) == 0)
			return 0;
		n = read(s, buf + got, cap - 1 - got);
		if (n <= 0) {
			fprintf(stderr, "wi_tcp: %s\n", n ? strerror(errno) : "connection closed");
			return -1;
		}
		got += (size_t)n;
		if (buf[got - 1] == '\n' || got == cap - 1) {
			buf[got] = 0;
			return (long)got;
		}
	}
}

static int client(int port, long timeout)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	char hello[64], buf[512];
	long long start;
	long n;
	int s = -1, tries;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (tries = 0; tries < 200; tries++) {
		s = socket(AF_INET, SOCK_STREAM, 0);
		if (s >= 0 && connect(s, (struct sockaddr *)&a, sizeof(a)) == 0)
			break;
		if (errno != ECONNREFUSED) {
			perror("wi_tcp: connect");
			return 2;
		}
		close(s);
		s = -1;
		sleep_ms(10);
	}
	if (s < 0) {
		fprintf(stderr, "wi_tcp: no server on port %d\n", port);
		return 2;
	}
	start = now_ms();
	n = read_line(s, hello, sizeof(hello), start, timeout);
	if (n > 0 && write(s, "GET /answer\n", 12) != 12) {
		perror("wi_tcp: write");
		return 2;
	}
	if (n > 0)
		n = read_line(s, buf, sizeof(buf), start, timeout);
	if (n < 0)
		return 2;
	if (!n) {
		fprintf(stderr, "wi_tcp: timed out after %lld ms\n", now_ms() - start);
		return 1;
	}
	printf("answer: %s", buf);
	close(s);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "server"))
		return server(atoi(argv[2]), atol(argv[3]), argc > 4 ? atoi(argv[4]) : 1,
			      argc > 5 ? atol(argv[5]) : 0);
	if (argc >= 3 && !strcmp(argv[1], "client")) {
		const char *env = getenv("WI_TIMEOUT_MS");
		long timeout = argc > 3 ? atol(argv[3]) : 1000;

		if (env && *env)
			timeout = atol(env);
		return client(atoi(argv[2]), timeout);
	}
	fprintf(stderr, "usage: wi_tcp server PORT DELAY_MS [PARTS [GAP_MS]]\n"
			"       wi_tcp client PORT [TIMEOUT_MS]\n");
	return 2;
}
