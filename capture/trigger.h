/* SPDX-License-Identifier: MIT */
/*
 * trigger.h: the server side of the trigger socket (protocol in
 * capture/trigger_proto.h).
 */
#ifndef FR_CAPTURE_TRIGGER_H
#define FR_CAPTURE_TRIGGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "capture/trigger_proto.h"

/*
 * Create the listening socket at `path`, mode 0600 (the caller is root: it
 * is root's).  A socket file left by a daemon that is gone is replaced; one
 * a live daemon answers on is not (-EADDRINUSE).  Returns the fd (close-on-
 * exec, non-blocking) or -errno with a message in `err`.
 */
int fr_trigger__listen(const char *path, char *err, size_t errlen);

struct fr_trigger_req {
	bool wait;
	char reason[FR_TRIGGER_REASON_MAX + 1]; /* control characters replaced */
	pid_t pid;                               /* the peer */
	uid_t uid;
	char comm[16];                           /* the peer's, best effort */
};

/*
 * Read and check one request on accepted connection `fd` (waits at most
 * timeout_ms for it).  Returns 0; -EPERM when the peer is not root, -EINVAL
 * for a malformed request, -ETIMEDOUT, -errno: `why` then says what to tell
 * the peer (the caller replies FR_TRIGGER_REFUSED and closes).
 */
int fr_trigger__read(int fd, int timeout_ms, struct fr_trigger_req *req, char *why,
		     size_t whylen);

/* Send "WORD TEXT\n" (never blocks for long, never raises SIGPIPE).
 * Returns 0 or -errno. */
int fr_trigger__reply(int fd, const char *word, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Parse "trigger VERSION WAIT REASON" (without the LF).  Exposed for tests.
 * Returns 0 or -EINVAL with `why` set. */
int fr_trigger__parse(const char *line, struct fr_trigger_req *req, char *why, size_t whylen);

#endif
