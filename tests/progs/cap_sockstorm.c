// SPDX-License-Identifier: MIT
/*
 * cap_sockstorm: the socket variant of the capture benchmark's syscall storm.
 *
 *   cap_sockstorm [N] [SIZE] [4|6]
 *
 * Connects two TCP sockets over loopback (127.0.0.1, or ::1 with 6) inside
 * one process, then N times
 * write()s SIZE bytes (default 64) on one and read()s them on the other: the
 * system calls a server makes, on descriptors that are sockets (which the
 * recorder resolves to their 4-tuple), without context switches (loopback
 * delivers the data before write() returns).  Prints, like cap_storm,
 * "storm CALLS SIZE NS CPU_NS": the number of system calls in the loop (2N),
 * the elapsed time of the loop and the CPU time the process used in it.
 * Each buffer is distinct (it starts with the iteration number).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static long long ns_of(const struct timespec *a, const struct timespec *b)
{
	return (long long)(b->tv_sec - a->tv_sec) * 1000000000LL + (b->tv_nsec - a->tv_nsec);
}

static long long cpu_ns_of(const struct rusage *a, const struct rusage *b)
{
	return ((long long)(b->ru_utime.tv_sec - a->ru_utime.tv_sec) +
		(b->ru_stime.tv_sec - a->ru_stime.tv_sec)) * 1000000000LL +
	       ((long long)(b->ru_utime.tv_usec - a->ru_utime.tv_usec) +
		(b->ru_stime.tv_usec - a->ru_stime.tv_usec)) * 1000LL;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 200000;
	long size = argc > 2 ? atol(argv[2]) : 64;
	int family = argc > 3 && atoi(argv[3]) == 6 ? AF_INET6 : AF_INET;
	struct sockaddr_storage ss = {0};
	struct sockaddr *sa = (struct sockaddr *)&ss;
	socklen_t sl = family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
	struct timespec t0, t1;
	struct rusage r0, r1;
	int l, a, b;
	char *buf;
	long i;

	if (n < 0 || size < (long)sizeof(i) || size > 65536) {
		fprintf(stderr, "usage: cap_sockstorm [N] [SIZE (8..65536)] [4|6]\n");
		return 2;
	}
	buf = calloc(1, (size_t)size);
	ss.ss_family = (sa_family_t)family;
	if (family == AF_INET6)
		((struct sockaddr_in6 *)&ss)->sin6_addr = in6addr_loopback;
	else
		((struct sockaddr_in *)&ss)->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = socket(family, SOCK_STREAM, 0);
	a = socket(family, SOCK_STREAM, 0);
	if (!buf || l < 0 || a < 0 || bind(l, sa, sl) || listen(l, 1) || getsockname(l, sa, &sl) ||
	    connect(a, sa, sl) || (b = accept(l, NULL, NULL)) < 0) {
		perror("cap_sockstorm: setting up the connection");
		return 1;
	}
	getrusage(RUSAGE_SELF, &r0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		ssize_t got = 0, r;

		memcpy(buf, &i, sizeof(i));
		if (write(a, buf, (size_t)size) != size) {
			perror("cap_sockstorm: write");
			return 1;
		}
		while (got < size) { /* loopback delivers it whole; be safe anyway */
			r = read(b, buf + got, (size_t)(size - got));
			if (r <= 0) {
				perror("cap_sockstorm: read");
				return 1;
			}
			got += r;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	getrusage(RUSAGE_SELF, &r1);
	printf("storm %ld %ld %lld %lld\n", 2 * n, size, ns_of(&t0, &t1), cpu_ns_of(&r0, &r1));
	return 0;
}
