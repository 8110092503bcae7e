// SPDX-License-Identifier: MIT
/*
 * rp_tcp: a tiny TCP request/response pair over loopback.
 *
 *   rp_tcp server PORT     accept connections; answer each request line
 *                          with "echo: <line>" (runs until killed)
 *   rp_tcp client PORT MSG connect, send MSG, print the answer; on a
 *                          failure print "rp_tcp: connect: <error>" on
 *                          stderr and exit 1
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int server(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int one = 1, s = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(s, 8) < 0) {
		perror("rp_tcp: server");
		return 1;
	}
	printf("listening\n");
	fflush(stdout);
	for (;;) {
		char buf[512], out[600];
		int c = accept(s, NULL, NULL);
		ssize_t n;

		if (c < 0)
			continue;
		n = read(c, buf, sizeof(buf) - 1);
		if (n > 0) {
			buf[n] = 0;
			n = snprintf(out, sizeof(out), "echo: %s", buf);
			if (write(c, out, (size_t)n) < 0)
				perror("rp_tcp: write");
		}
		close(c);
	}
}

static int client(int port, const char *msg)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	char buf[600];
	ssize_t n, got = 0;
	int s = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a)) < 0) {
		fprintf(stderr, "rp_tcp: connect: %s\n", strerror(errno));
		return 1;
	}
	if (write(s, msg, strlen(msg)) < 0) {
		fprintf(stderr, "rp_tcp: write: %s\n", strerror(errno));
		return 1;
	}
	while ((n = read(s, buf + got, sizeof(buf) - 1 - (size_t)got)) > 0)
		got += n;
	buf[got] = 0;
	printf("answer: %s\n", buf);
	close(s);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "server"))
		return server(atoi(argv[2]));
	if (argc >= 4 && !strcmp(argv[1], "client"))
		return client(atoi(argv[2]), argv[3]);
	fprintf(stderr, "usage: rp_tcp server PORT | rp_tcp client PORT MSG\n");
	return 2;
}
