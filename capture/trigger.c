// SPDX-License-Identifier: MIT
/* trigger.c: the trigger socket, server side (see trigger.h). */
#include "capture/trigger.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

int fr_trigger__listen(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	mode_t old;
	int fd, rc;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "socket path too long (at most %zu bytes)",
			 sizeof(sa.sun_path) - 1);
		return -ENAMETOOLONG;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return rc;
	}
	old = umask(0177);
	rc = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	if (rc && errno == EADDRINUSE) {
		/* a live daemon answers; a stale file refuses */
		int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		struct stat st;

		if (probe >= 0 && !connect(probe, (struct sockaddr *)&sa, sizeof(sa))) {
			close(probe);
			umask(old);
			close(fd);
			snprintf(err, errlen, "another flightrec capture is listening on it");
			return -EADDRINUSE;
		}
		if (probe >= 0)
			close(probe);
		if (lstat(path, &st) || !S_ISSOCK(st.st_mode)) {
			umask(old);
			close(fd);
			snprintf(err, errlen, "it exists and is not a socket");
			return -EEXIST;
		}
		unlink(path);
		rc = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	}
	umask(old);
	if (rc) {
		rc = -errno;
		snprintf(err, errlen, "bind: %s", strerror(errno));
		close(fd);
		return rc;
	}
	/* umask gave 0600 already; say it again in case the file system
	 * ignores the umask for sockets */
	if (chmod(path, 0600) || listen(fd, 16)) {
		rc = -errno;
		snprintf(err, errlen, "%s", strerror(errno));
		close(fd);
		unlink(path);
		return rc;
	}
	return fd;
}

int fr_trigger__parse(const char *line, struct fr_trigger_req *req, char *why, size_t whylen)
{
	const char *p = line;
	size_t i, n;
	long ver;
	char *end;

	if (strncmp(p, FR_TRIGGER_REQ " ", strlen(FR_TRIGGER_REQ) + 1))
		goto bad;
	p += strlen(FR_TRIGGER_REQ) + 1;
	ver = strtol(p, &end, 10);
	if (end == p || *end != ' ')
		goto bad;
	if (ver != FR_TRIGGER_PROTO_VERSION) {
		snprintf(why, whylen, "protocol version %ld not supported (this daemon speaks %d)",
			 ver, FR_TRIGGER_PROTO_VERSION);
		return -EINVAL;
	}
	p = end + 1;
	if ((p[0] != '0' && p[0] != '1') || (p[1] != ' ' && p[1] != '\0'))
		goto bad;
	req->wait = p[0] == '1';
	p += p[1] ? 2 : 1;
	n = strlen(p);
	if (n > FR_TRIGGER_REASON_MAX)
		n = FR_TRIGGER_REASON_MAX;
	for (i = 0; i < n; i++)
		req->reason[i] = (unsigned char)p[i] < 0x20 || p[i] == 0x7f ? '?' : p[i];
	req->reason[n] = '\0';
	return 0;
bad:
	snprintf(why, whylen, "malformed request (expected \"%s %d 0|1 REASON\")", FR_TRIGGER_REQ,
		 FR_TRIGGER_PROTO_VERSION);
	return -EINVAL;
}

int fr_trigger__read(int fd, int timeout_ms, struct fr_trigger_req *req, char *why,
		     size_t whylen)
{
	struct ucred cred;
	socklen_t cl = sizeof(cred);
	char line[FR_TRIGGER_LINE_MAX + 1], path[64];
	size_t len = 0;
	FILE *f;

	memset(req, 0, sizeof(*req));
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &cl)) {
		snprintf(why, whylen, "cannot check your credentials: %s", strerror(errno));
		return -EPERM;
	}
	req->pid = cred.pid;
	req->uid = cred.uid;
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)cred.pid);
	f = fopen(path, "re");
	if (f) {
		if (fgets(req->comm, sizeof(req->comm), f))
			req->comm[strcspn(req->comm, "\n")] = '\0';
		fclose(f);
	}
	if (cred.uid != 0) {
		snprintf(why, whylen,
			 "permission denied: only root may trigger a bundle (you are uid %u)",
			 (unsigned)cred.uid);
		return -EPERM;
	}
	while (len < FR_TRIGGER_LINE_MAX) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;
		char *nl;

		if (poll(&pfd, 1, timeout_ms) <= 0) {
			snprintf(why, whylen, "no request within %d ms", timeout_ms);
			return -ETIMEDOUT;
		}
		n = recv(fd, line + len, FR_TRIGGER_LINE_MAX - len, MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0) {
			snprintf(why, whylen, "connection closed before a complete request");
			return n < 0 ? -errno : -EINVAL;
		}
		len += (size_t)n;
		line[len] = '\0';
		nl = memchr(line, '\n', len);
		if (nl) {
			*nl = '\0';
			if (memchr(line, '\0', (size_t)(nl - line))) {
				snprintf(why, whylen, "malformed request (a NUL byte)");
				return -EINVAL;
			}
			return fr_trigger__parse(line, req, why, whylen);
		}
	}
	snprintf(why, whylen, "request longer than %d bytes", FR_TRIGGER_LINE_MAX);
	return -EINVAL;
}

int fr_trigger__reply(int fd, const char *word, const char *fmt, ...)
{
	char buf[FR_TRIGGER_LINE_MAX + 64];
	size_t off = 0;
	va_list ap;
	int n;

	n = snprintf(buf, sizeof(buf), "%s ", word);
	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if ((size_t)n > sizeof(buf) - 2)
		n = (int)sizeof(buf) - 2;
	buf[n++] = '\n';
	while (off < (size_t)n) {
		struct pollfd pfd = { .fd = fd, .events = POLLOUT };
		ssize_t w = send(fd, buf + off, (size_t)n - off, MSG_NOSIGNAL | MSG_DONTWAIT);

		if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
			if (poll(&pfd, 1, 1000) <= 0)
				return -ETIMEDOUT;
			continue;
		}
		if (w < 0)
			return -errno;
		off += (size_t)w;
	}
	return 0;
}
