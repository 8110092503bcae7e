// SPDX-License-Identifier: MIT
/*
 * an_tcp: a slow downstream server over TCP, for the analysis tests.
 *
 * A child "an_server" listens on 127.0.0.1 (ephemeral port) and answers each
 * request; it computes for SLOW_MS before answering request number SLOW_AT.
 * The parent, "an_client", sends REQUESTS requests on one connection and
 * waits for each answer.  That one request is slow because the server was
 * busy: analysis should name running, culprit an_server.
 *
 * usage: an_tcp [REQUESTS [SLOW_AT [SLOW_MS]]]   (defaults 20, 12, 300)
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile unsigned long sink;

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int read_full(int fd, char *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, buf + got, n - got);

		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

static void serve(int ls, int slow_at, double slow_ms)
{
	char req[32], resp[32];
	int c, n = 0, one = 1;

	prctl(PR_SET_NAME, "an_server");
	c = accept(ls, NULL, NULL);
	if (c < 0)
		_exit(1);
	setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	while (read_full(c, req, sizeof(req)) == 0) {
		if (++n == slow_at) {
			double t0 = now_ms();

			while (now_ms() - t0 < slow_ms) /* an expensive request */
				for (int i = 0; i < 200000; i++)
					sink++;
		}
		memset(resp, 'r', sizeof(resp));
		if (write(c, resp, sizeof(resp)) != (ssize_t)sizeof(resp))
			_exit(1);
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	int requests = argc > 1 ? atoi(argv[1]) : 20, slow_at = argc > 2 ? atoi(argv[2]) : 12;
	double slow_ms = argc > 3 ? atof(argv[3]) : 300, worst = 0;
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t al = sizeof(a);
	int ls, s, i, st, one = 1;
	char req[32], resp[32];
	pid_t srv;

	if (requests < 1 || slow_ms < 0) {
		fprintf(stderr, "usage: an_tcp [REQUESTS [SLOW_AT [SLOW_MS]]]\n");
		return 2;
	}
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ls = socket(AF_INET, SOCK_STREAM, 0);
	if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof(a)) || listen(ls, 1) ||
	    getsockname(ls, (struct sockaddr *)&a, &al)) {
		perror("an_tcp: listen");
		return 1;
	}
	srv = fork();
	if (srv == 0)
		serve(ls, slow_at, slow_ms);
	close(ls);
	prctl(PR_SET_NAME, "an_client");
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a))) {
		perror("an_tcp: connect");
		return 1;
	}
	setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	for (i = 0; i < requests; i++) {
		double t0 = now_ms(), d;

		memset(req, 'q', sizeof(req));
		if (write(s, req, sizeof(req)) != (ssize_t)sizeof(req) ||
		    read_full(s, resp, sizeof(resp))) {
			perror("an_tcp: request");
			return 1;
		}
		d = now_ms() - t0;
		if (d > worst)
			worst = d;
	}
	close(s);
	waitpid(srv, &st, 0);
	printf("an_client: %d requests, the slowest took %.0f ms\n", requests, worst);
	return 0;
}
