/* SPDX-License-Identifier: MIT */
/*
 * webhook.h: `flightrec capture --webhook ADDR:PORT`, an HTTP endpoint for
 * Prometheus Alertmanager's webhook receiver.
 *
 * One path, FR_WEBHOOK_PATH, accepts POST requests whose body is an
 * Alertmanager webhook notification (JSON, "version": "4"); a notification
 * with firing alerts asks the daemon for a bundle, whose reason names the
 * alerts ("HighLatency: checkout p99 above 750 ms (+1 more)").  Served by
 * libmicrohttpd on a thread of its own; the daemon answers through the
 * `on_alert` callback.
 *
 * Answers (bodies are JSON objects):
 *   202 a bundle will be written: {"status":"accepted"|"joined","bundle":...}
 *   200 nothing to do: only resolved alerts, or the trigger was suppressed
 *       (cooldown, a bundle in progress): {"status":"ignored"|"suppressed",
 *       "why":...}.  Not an error: Alertmanager must not retry.
 *   400 not an Alertmanager notification, 401 no or a wrong bearer token,
 *   404 another path, 405 another method, 413 body over the cap, 415 not
 *   JSON, 500 the daemon failed: {"error":...}.
 *
 * The listening address is loopback unless a host is given; with a token
 * file, requests must carry "Authorization: Bearer TOKEN" (compared in
 * constant time).
 */
#ifndef FR_CAPTURE_WEBHOOK_H
#define FR_CAPTURE_WEBHOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#define FR_WEBHOOK_PATH "/alertmanager"
#define FR_WEBHOOK_BODY_MAX (256u << 10)
#define FR_WEBHOOK_TOKEN_MAX 4096

/* What became of an alert, from the daemon. */
enum fr_webhook_outcome {
	FR_WEBHOOK_ACCEPTED = 0, /* a bundle will be written; msg: its path */
	FR_WEBHOOK_JOINED,	 /* the bundle in progress covers it; msg: its path */
	FR_WEBHOOK_SUPPRESSED,	 /* msg: why */
	FR_WEBHOOK_FAILED,	 /* msg: why */
};

/*
 * Called on the webhook's thread for each notification with firing alerts.
 * `reason` is the trigger reason (at most FR_WEBHOOK_REASON_MAX bytes,
 * without control characters); `peer` the client's address, for the log.
 * Fills msg and returns the outcome.
 */
typedef enum fr_webhook_outcome (*fr_webhook_fn)(void *ctx, const char *reason, const char *peer,
						 char *msg, size_t msglen);

#define FR_WEBHOOK_REASON_MAX 480

struct fr_webhook_opts {
	const char *addr;	/* "HOST:PORT", "[V6]:PORT", ":PORT" or "PORT" */
	const char *token_file; /* NULL: no token required */
	size_t body_max;	/* 0: FR_WEBHOOK_BODY_MAX */
	fr_webhook_fn on_alert;
	void *ctx;
};

struct fr_webhook;

/*
 * Read the token, bind and start serving.  Returns 0 with *out set, or
 * -errno with a message in `err` (the address is taken, the token file
 * cannot be read or is empty, ...).
 */
int fr_webhook__start(const struct fr_webhook_opts *o, struct fr_webhook **out, char *err,
		      size_t errlen);
/* The address actually bound ("127.0.0.1:9095"; the port is the real one
 * when 0 was asked for). */
const char *fr_webhook__address(const struct fr_webhook *w);
/* Stop serving (waits for the requests in progress) and free.  NULL is
 * fine. */
void fr_webhook__stop(struct fr_webhook *w);

/* ---- the parts, exposed for tests --------------------------------------------- */

/* Parse "HOST:PORT" (HOST: an IPv4 or IPv6 literal, IPv6 in brackets, or
 * "localhost"; empty or absent: 127.0.0.1).  Returns 0 or -EINVAL with a
 * message. */
int fr_webhook__parse_addr(const char *s, struct sockaddr_storage *ss, socklen_t *len, char *err,
			   size_t errlen);

/*
 * The trigger reason of an Alertmanager notification (JSON, version 4):
 * "ALERTNAME: SUMMARY" of its first firing alert (labels.alertname,
 * annotations.summary, else the common ones), " (+N more)" when more fire.
 * Returns 1 with `reason` set, 0 when no alert fires (resolved only), or
 * -EINVAL with `err` saying what is wrong with the body.
 */
int fr_webhook__reason(const char *body, size_t len, char *reason, size_t rlen, char *err,
		       size_t errlen);

/* Does the Authorization header value carry `token` as a bearer token?
 * The comparison of the token takes the same time whatever the bytes. */
bool fr_webhook__token_ok(const char *header, const char *token, size_t token_len);

/* Read a token file: its first line, trailing blanks removed.  Returns 0,
 * or -errno / -EINVAL (empty, too long, control characters) with a
 * message. */
int fr_webhook__read_token(const char *path, char *token, size_t len, char *err, size_t errlen);

#endif
