// SPDX-License-Identifier: MIT
/*
 * cmd_trigger.c: `flightrec trigger`, the client of the trigger socket of a
 * running `flightrec capture` (protocol in capture/trigger_proto.h; no
 * libbpf here: this command is in every build).
 */
#include "capture/trigger_proto.h"
#include "cli/commands.h"
#include "formats/util.h"

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static const char usage_text[] =
	"usage: flightrec trigger [--reason TEXT] [--socket PATH] [--no-wait]\n"
	"                         [--timeout DUR]\n"
	"\n"
	"Ask the running `flightrec capture` to write a bundle of the moments\n"
	"around now (its --pre before, its --post after).  Waits until the bundle\n"
	"is written and prints its path on stdout.  Only root may trigger: the\n"
	"socket is root's, mode 0600, and the daemon checks who is asking.\n"
	"\n"
	"Exit status: 0 the bundle was written (or, with --no-wait, accepted);\n"
	"1 the trigger was suppressed (the daemon's --cooldown, or a bundle\n"
	"being written that does not cover now), refused, or failed; 2 usage.\n"
	"\n"
	"  -r, --reason TEXT   why, recorded in the bundle (default \"flightrec trigger\")\n"
	"  -s, --socket PATH   the daemon's socket (default " FR_TRIGGER_SOCKET ")\n"
	"  -n, --no-wait       return once the trigger is accepted, print the path\n"
	"                      the bundle will have\n"
	"  -t, --timeout DUR   give up waiting after DUR (default 10m)\n"
	"  -h, --help          this text\n";

/* Read one line (without its LF) within the deadline.  0, or -errno. */
static int read_line(int fd, char *buf, size_t len, size_t *have, uint64_t deadline_ms)
{
	for (;;) {
		char *nl = memchr(buf, '\n', *have);
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		struct timespec now;
		int64_t left;
		ssize_t n;

		if (nl)
			return 0;
		if (*have >= len - 1)
			return -EMSGSIZE;
		clock_gettime(CLOCK_MONOTONIC, &now);
		left = (int64_t)deadline_ms - (int64_t)(now.tv_sec * 1000 + now.tv_nsec / 1000000);
		if (left <= 0)
			return -ETIMEDOUT;
		n = poll(&pfd, 1, left > 60000 ? 60000 : (int)left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			continue;
		n = read(fd, buf + *have, len - 1 - *have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			return -ECONNRESET;
		*have += (size_t)n;
		buf[*have] = '\0';
	}
}

/* Split off the first line of buf into `line`. */
static void take_line(char *buf, size_t *have, char *line, size_t len)
{
	char *nl = memchr(buf, '\n', *have);
	size_t n = (size_t)(nl - buf);

	snprintf(line, len, "%.*s", (int)n, buf);
	memmove(buf, nl + 1, *have - n - 1);
	*have -= n + 1;
	buf[*have] = '\0';
}

static bool word_is(const char *line, const char *word, const char **rest)
{
	size_t n = strlen(word);

	if (strncmp(line, word, n) || (line[n] != ' ' && line[n] != '\0'))
		return false;
	*rest = line[n] ? line + n + 1 : line + n;
	return true;
}

int cmd_trigger(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "reason", required_argument, NULL, 'r' },
		{ "socket", required_argument, NULL, 's' },
		{ "no-wait", no_argument, NULL, 'n' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *reason = "", *path = FR_TRIGGER_SOCKET, *rest;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char req[FR_TRIGGER_LINE_MAX + 2], buf[FR_TRIGGER_LINE_MAX + 8192], line[8192];
	char clean[FR_TRIGGER_REASON_MAX + 1];
	uint64_t timeout_ns = 600ULL * 1000000000ULL, deadline;
	struct timespec now;
	bool wait = true;
	size_t have = 0, i;
	int c, fd, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "r:s:nt:h", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			reason = optarg;
			break;
		case 's':
			path = optarg;
			break;
		case 'n':
			wait = false;
			break;
		case 't':
			if (fr_parse_duration(optarg, 1000000000ULL, &timeout_ns) || !timeout_ns) {
				fr_error("trigger: --timeout: '%s' is not a duration (30s, 10m)", optarg);
				return FR_EXIT_USAGE;
			}
			break;
		case 'h':
			fputs(usage_text, stdout);
			return FR_EXIT_OK;
		default:
			fputs(usage_text, stderr);
			return FR_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fr_error("trigger: unexpected argument '%s' (the reason goes with --reason)",
			 argv[optind]);
		return FR_EXIT_USAGE;
	}
	if (strlen(reason) > FR_TRIGGER_REASON_MAX) {
		fr_error("trigger: --reason: longer than %d bytes", FR_TRIGGER_REASON_MAX);
		return FR_EXIT_USAGE;
	}
	if (strlen(path) >= sizeof(sa.sun_path)) {
		fr_error("trigger: %s: socket path too long", path);
		return FR_EXIT_USAGE;
	}
	for (i = 0; reason[i]; i++)
		clean[i] = (unsigned char)reason[i] < 0x20 ? ' ' : reason[i];
	clean[i] = '\0';
	memcpy(sa.sun_path, path, strlen(path) + 1);

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fr_error("trigger: socket: %s", strerror(errno));
		return FR_EXIT_FAIL;
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		int e = errno;

		if (e == EACCES || e == EPERM)
			fr_error("trigger: %s: permission denied: only root may trigger a bundle",
				 path);
		else if (e == ENOENT || e == ECONNREFUSED)
			fr_error("trigger: %s: %s: is 'flightrec capture' running (with this "
				 "--socket)?", path, strerror(e));
		else
			fr_error("trigger: %s: %s", path, strerror(e));
		close(fd);
		return FR_EXIT_FAIL;
	}
	rc = snprintf(req, sizeof(req), "%s %d %d %s\n", FR_TRIGGER_REQ, FR_TRIGGER_PROTO_VERSION,
		      wait ? 1 : 0, clean);
	clock_gettime(CLOCK_MONOTONIC, &now);
	deadline = (uint64_t)now.tv_sec * 1000 + (uint64_t)now.tv_nsec / 1000000 +
		   timeout_ns / 1000000;
	if (send(fd, req, (size_t)rc, MSG_NOSIGNAL) != rc) {
		int e = errno;

		/* the daemon may have answered and closed already (a refusal
		 * before reading the request): its answer says more */
		if (read_line(fd, buf, sizeof(buf), &have, deadline)) {
			fr_error("trigger: %s: sending the request: %s", path, strerror(e));
			close(fd);
			return FR_EXIT_FAIL;
		}
		rc = 0;
	} else {
		rc = read_line(fd, buf, sizeof(buf), &have, deadline);
	}
	if (rc) {
		fr_error("trigger: %s: no answer from the daemon: %s", path,
			 rc == -ECONNRESET ? "connection closed" : strerror(-rc));
		close(fd);
		return FR_EXIT_FAIL;
	}
	take_line(buf, &have, line, sizeof(line));
	if (word_is(line, FR_TRIGGER_REFUSED, &rest)) {
		fr_error("trigger: refused: %s", rest);
		close(fd);
		return FR_EXIT_FAIL;
	}
	if (word_is(line, FR_TRIGGER_SUPPRESSED, &rest)) {
		fr_error("trigger: suppressed by the daemon: %s", rest);
		close(fd);
		return FR_EXIT_FAIL;
	}
	if (!word_is(line, FR_TRIGGER_ACCEPTED, &rest) && !word_is(line, FR_TRIGGER_JOINED, &rest)) {
		fr_error("trigger: unexpected answer from the daemon: '%.200s'", line);
		close(fd);
		return FR_EXIT_FAIL;
	}
	{
		const char *sp = strchr(rest, ' ');

		if (!wait) {
			printf("%s\n", sp ? sp + 1 : rest);
			close(fd);
			return FR_EXIT_OK;
		}
		if (!strncmp(line, FR_TRIGGER_JOINED, strlen(FR_TRIGGER_JOINED)))
			fprintf(stderr, "flightrec: trigger: a bundle in progress covers now: %s\n",
				sp ? sp + 1 : rest);
	}
	rc = read_line(fd, buf, sizeof(buf), &have, deadline);
	if (rc) {
		fr_error("trigger: %s: waiting for the bundle: %s", path,
			 rc == -ECONNRESET ? "the daemon closed the connection" : strerror(-rc));
		close(fd);
		return FR_EXIT_FAIL;
	}
	take_line(buf, &have, line, sizeof(line));
	close(fd);
	if (word_is(line, FR_TRIGGER_WRITTEN, &rest)) {
		printf("%s\n", rest);
		return FR_EXIT_OK;
	}
	if (word_is(line, FR_TRIGGER_FAILED, &rest)) {
		fr_error("trigger: the daemon could not write the bundle: %s", rest);
		return FR_EXIT_FAIL;
	}
	fr_error("trigger: unexpected answer from the daemon: '%.200s'", line);
	return FR_EXIT_FAIL;
}
