// SPDX-License-Identifier: MIT
/*
 * cap_tcp: a TCP client and server over loopback, for `flightrec record`.
 *
 *   cap_tcp [ROUNDS]
 *
 * The parent listens on 127.0.0.1 (a port the kernel picks), forks a
 * client that connects, and serves it: the client sends "ping N\n", the
 * server answers "pong N\n", ROUNDS times (default 5); then the client
 * sends a 100000-byte message (large payloads) and the server answers with
 * its length.  Prints "port P client C server S" (the client's and the
 * server's local ports) and exits 0 when every exchange matched.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define BIG 100000

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

static int read_line(int fd, char *buf, size_t cap)
{
	size_t n = 0;

	while (n + 1 < cap) {
		if (read(fd, buf + n, 1) != 1)
			return -1;
		if (buf[n++] == '\n')
			break;
	}
	buf[n] = '\0';
	return (int)n;
}

static int client(int port, int rounds)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	char buf[64], exp[64], *big;
	int fd, i, n;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)))
		return 1;
	for (i = 0; i < rounds; i++) {
		n = snprintf(buf, sizeof(buf), "ping %d\n", i);
		if (write(fd, buf, (size_t)n) != n || read_line(fd, buf, sizeof(buf)) < 0)
			return 1;
		snprintf(exp, sizeof(exp), "pong %d\n", i);
		if (strcmp(buf, exp))
			return 1;
	}
	big = malloc(BIG);
	if (!big)
		return 1;
	for (i = 0; i < BIG; i++)
		big[i] = (char)('a' + i % 26);
	if (send(fd, big, BIG, 0) != BIG || read_line(fd, buf, sizeof(buf)) < 0)
		return 1;
	close(fd);
	return strcmp(buf, "got 100000\n") != 0;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 5;
	struct sockaddr_in a = {.sin_family = AF_INET}, peer, me;
	socklen_t len = sizeof(a);
	char buf[64], *big;
	int lfd, fd, i, n, st, port;
	pid_t pid;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof(a)) || listen(lfd, 1) ||
	    getsockname(lfd, (struct sockaddr *)&a, &len))
		return 1;
	port = ntohs(a.sin_port);
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0)
		_exit(client(port, rounds));
	len = sizeof(peer);
	fd = accept(lfd, (struct sockaddr *)&peer, &len);
	if (fd < 0)
		return 1;
	len = sizeof(me);
	getsockname(fd, (struct sockaddr *)&me, &len);
	for (i = 0; i < rounds; i++) {
		if (read_line(fd, buf, sizeof(buf)) < 0)
			return 1;
		n = snprintf(buf, sizeof(buf), "pong %d\n", i);
		if (write(fd, buf, (size_t)n) != n)
			return 1;
	}
	big = malloc(BIG);
	if (!big || read_full(fd, big, BIG))
		return 1;
	n = snprintf(buf, sizeof(buf), "got %d\n", BIG);
	if (write(fd, buf, (size_t)n) != n)
		return 1;
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		return 1;
	printf("port %d client %d server %d\n", port, ntohs(peer.sin_port), ntohs(me.sin_port));
	close(fd);
	close(lfd);
	return 0;
}
