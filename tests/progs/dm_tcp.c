// SPDX-License-Identifier: MIT
/*
 * dm_tcp server ADDR PORT: accept connections and read everything, forever.
 * dm_tcp client ADDR PORT NCONN SECONDS: open NCONN connections and write
 * 512 bytes on each every 50 ms for SECONDS (non-blocking: writes that do
 * not fit are skipped, so a dropped path does not stop the program).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int addr(const char *a, const char *p, struct sockaddr_in *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((unsigned short)atoi(p));
	return inet_pton(AF_INET, a, &sa->sin_addr) == 1 ? 0 : -1;
}

static int server(struct sockaddr_in *sa)
{
	struct pollfd fds[64];
	int nfds = 1, one = 1, i;
	char buf[4096];

	fds[0].fd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(fds[0].fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (fds[0].fd < 0 || bind(fds[0].fd, (struct sockaddr *)sa, sizeof(*sa)) ||
	    listen(fds[0].fd, 64)) {
		perror("dm_tcp server");
		return 1;
	}
	fds[0].events = POLLIN;
	printf("listening\n");
	fflush(stdout);
	for (;;) {
		if (poll(fds, (nfds_t)nfds, -1) < 0)
			return 1;
		if ((fds[0].revents & POLLIN) && nfds < 64) {
			fds[nfds].fd = accept(fds[0].fd, NULL, NULL);
			fds[nfds].events = POLLIN;
			if (fds[nfds].fd >= 0)
				nfds++;
		}
		for (i = 1; i < nfds; i++)
			if (fds[i].revents & (POLLIN | POLLHUP)) {
				ssize_t n = read(fds[i].fd, buf, sizeof(buf));

				if (n <= 0) {
					close(fds[i].fd);
					fds[i--] = fds[--nfds];
				}
			}
	}
}

static int client(struct sockaddr_in *sa, int n, int secs)
{
	struct timespec ts = { 0, 50000000L };
	char buf[512];
	int fds[64], i, k;

	memset(buf, 'x', sizeof(buf));
	if (n > 64)
		n = 64;
	for (i = 0; i < n; i++) {
		fds[i] = socket(AF_INET, SOCK_STREAM, 0);
		if (fds[i] < 0 || connect(fds[i], (struct sockaddr *)sa, sizeof(*sa))) {
			perror("dm_tcp client: connect");
			return 1;
		}
		fcntl(fds[i], F_SETFL, O_NONBLOCK);
	}
	printf("connected\n");
	fflush(stdout);
	for (k = 0; k < secs * 20; k++) {
		for (i = 0; i < n; i++)
			if (write(fds[i], buf, sizeof(buf)) < 0 && errno != EAGAIN) {
				perror("dm_tcp client: write");
				return 1;
			}
		nanosleep(&ts, NULL);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa;

	if (argc >= 4 && !strcmp(argv[1], "server") && !addr(argv[2], argv[3], &sa))
		return server(&sa);
	if (argc == 6 && !strcmp(argv[1], "client") && !addr(argv[2], argv[3], &sa))
		return client(&sa, atoi(argv[4]), atoi(argv[5]));
	fprintf(stderr, "usage: dm_tcp server ADDR PORT | client ADDR PORT NCONN SECONDS\n");
	return 2;
}
