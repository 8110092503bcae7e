// SPDX-License-Identifier: MIT
/*
 * db: the demo's database.  A TCP server on 127.0.0.1 that stores each
 * order it receives in a file, durably, and confirms it.
 *
 *   db PORTFILE ORDERS
 *
 * Listens on an ephemeral port of 127.0.0.1 and writes the port number to
 * PORTFILE (written under a temporary name and renamed, so a reader never
 * sees half of it).  Then, one connection at a time: reads the order line,
 * appends its record to ORDERS with one write(), makes it durable with
 * fsync(), and answers "OK order N stored\n".  Runs until SIGTERM or SIGINT.
 *
 * Every write() goes through the page cache of the memory cgroup db runs
 * in: when another process of that cgroup has filled it, the write waits
 * for memory to be reclaimed.  Orders slower than 100 ms are logged on
 * stderr with their time.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* An order is stored with its rendered invoice: a record of 256 KiB, so
 * that each order needs fresh page cache (a small append would land in the
 * page the previous order already holds). */
#define RECORD_SIZE (256 << 10)

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int write_port(const char *path, unsigned port)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f || fprintf(f, "%u\n", port) < 0 || fclose(f) || rename(tmp, path)) {
		perror(path);
		return -1;
	}
	return 0;
}

/* One order: read its line, store it, confirm it. */
static void serve(int c, int store)
{
	static char rec[RECORD_SIZE];
	char line[256], reply[128], *nl;
	size_t got = 0;
	long order = -1;
	double t0;
	int n;

	for (;;) {
		ssize_t r = read(c, line + got, sizeof(line) - 1 - got);

		if (r <= 0)
			return;
		got += (size_t)r;
		if (memchr(line, '\n', got) || got == sizeof(line) - 1)
			break;
	}
	line[got] = '\0';
	nl = strchr(line, '\n');
	if (nl)
		nl[1] = '\0';
	if (sscanf(line, "ORDER %ld", &order) != 1) {
		n = snprintf(reply, sizeof(reply), "ERR bad request\n");
		if (write(c, reply, (size_t)n) < 0)
			return;
		return;
	}
	memset(rec, ' ', sizeof(rec));
	memcpy(rec, line, strlen(line));
	rec[sizeof(rec) - 1] = '\n';
	t0 = now_ms();
	if (write(store, rec, sizeof(rec)) != (ssize_t)sizeof(rec) || fsync(store)) {
		fprintf(stderr, "db: order %ld: storing: %s\n", order, strerror(errno));
		n = snprintf(reply, sizeof(reply), "ERR order %ld not stored\n", order);
	} else {
		double ms = now_ms() - t0;

		if (ms > 100)
			fprintf(stderr, "db: order %ld: stored in %.0f ms\n", order, ms);
		n = snprintf(reply, sizeof(reply), "OK order %ld stored\n", order);
	}
	/* the client may have given up meanwhile: its answer is sent anyway */
	if (write(c, reply, (size_t)n) < 0 && errno != EPIPE && errno != ECONNRESET)
		fprintf(stderr, "db: order %ld: answering: %s\n", order, strerror(errno));
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	struct sigaction act = {.sa_handler = on_signal};
	socklen_t len = sizeof(sa);
	int s, store, one = 1;

	if (argc != 3) {
		fprintf(stderr, "usage: db PORTFILE ORDERS\n");
		return 2;
	}
	sigaction(SIGTERM, &act, NULL);
	sigaction(SIGINT, &act, NULL);
	signal(SIGPIPE, SIG_IGN);
	store = open(argv[2], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (store < 0) {
		perror(argv[2]);
		return 1;
	}
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0 || setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(s, (struct sockaddr *)&sa, sizeof(sa)) || listen(s, 64) ||
	    getsockname(s, (struct sockaddr *)&sa, &len)) {
		perror("db: listening on 127.0.0.1");
		return 1;
	}
	if (write_port(argv[1], ntohs(sa.sin_port)))
		return 1;
	while (!stop) {
		int c = accept4(s, NULL, NULL, SOCK_CLOEXEC);

		if (c < 0) {
			if (errno == EINTR)
				continue;
			perror("db: accept");
			return 1;
		}
		serve(c, store);
		close(c);
	}
	close(s);
	close(store);
	return 0;
}
