// SPDX-License-Identifier: MIT
/*
 * webhook.c: the Alertmanager webhook endpoint of `flightrec capture` (see
 * webhook.h), on libmicrohttpd.
 *
 * libmicrohttpd calls the access handler at least three times per request:
 * once the headers are in (everything but the body is checked there, and
 * refusals are answered at once: the body is then never read), once per
 * piece of body (kept up to the cap), and once the body is complete (the
 * notification is parsed and the daemon asked for a bundle).
 */
#include "capture/webhook.h"
#include "formats/util.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* Connections at once, and how long one may stay idle: Alertmanager sends
 * one notification per request and waits for the answer. */
#define MAX_CONNECTIONS 16
#define IDLE_TIMEOUT_S 10
/* A chunked body (no Content-Length) is read past the cap, and dropped, up
 * to this many times the cap; then the connection is closed. */
#define DISCARD_FACTOR 16

struct fr_webhook {
	struct MHD_Daemon *mhd;
	struct fr_webhook_opts o;
	size_t body_max;
	char token[FR_WEBHOOK_TOKEN_MAX + 1];
	size_t token_len; /* 0: no token required */
	char addr[INET6_ADDRSTRLEN + 16];
};

/* One request, between the handler's calls. */
struct req {
	char *body;
	size_t len;    /* bytes kept (at most body_max) */
	uint64_t seen; /* bytes received */
	bool too_big;
};

/* ---- parts -------------------------------------------------------------------------- */

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

int fr_webhook__parse_addr(const char *s, struct sockaddr_storage *ss, socklen_t *len, char *err,
			   size_t errlen)
{
	char host[256] = "", *end;
	const char *colon, *port_s;
	unsigned long port;
	struct addrinfo hints = {0}, *ai = NULL;
	int rc;

	if (!s || !*s) {
		set_err(err, errlen, "an empty address");
		return -EINVAL;
	}
	if (s[0] == '[') {
		const char *rb = strchr(s, ']');

		if (!rb || rb[1] != ':' || (size_t)(rb - s - 1) >= sizeof(host)) {
			set_err(err, errlen, "'%s': an IPv6 address is written [ADDR]:PORT", s);
			return -EINVAL;
		}
		memcpy(host, s + 1, (size_t)(rb - s - 1));
		host[rb - s - 1] = '\0';
		port_s = rb + 2;
	} else if ((colon = strrchr(s, ':'))) {
		if (strchr(s, ':') != colon) {
			set_err(err, errlen, "'%s': an IPv6 address is written [ADDR]:PORT", s);
			return -EINVAL;
		}
		if ((size_t)(colon - s) >= sizeof(host)) {
			set_err(err, errlen, "'%s': the host is too long", s);
			return -EINVAL;
		}
		memcpy(host, s, (size_t)(colon - s));
		host[colon - s] = '\0';
		port_s = colon + 1;
	} else {
		port_s = s; /* a port alone */
	}
	errno = 0;
	port = strtoul(port_s, &end, 10);
	if (!*port_s || *end || errno || port > 65535 || !isdigit((unsigned char)port_s[0])) {
		set_err(err, errlen, "'%s': the port must be a number from 0 to 65535", s);
		return -EINVAL;
	}
	if (!host[0] || !strcmp(host, "localhost"))
		snprintf(host, sizeof(host), "127.0.0.1"); /* loopback unless asked */
	hints.ai_flags = AI_NUMERICHOST;
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(host, NULL, &hints, &ai);
	if (rc || !ai) {
		set_err(err, errlen, "'%s': '%s' is not an IP address", s, host);
		return -EINVAL;
	}
	memset(ss, 0, sizeof(*ss));
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*len = (socklen_t)ai->ai_addrlen;
	freeaddrinfo(ai);
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
	else
		((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
	return 0;
}

/* Append `s` to buf[*n..len) with control characters made blanks. */
static void append_clean(char *buf, size_t len, size_t *n, const char *s)
{
	for (; s && *s && *n + 1 < len; s++)
		buf[(*n)++] = (unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s;
	buf[*n] = '\0';
}

static const char *str_at(json_t *obj, const char *key1, const char *key2)
{
	json_t *o = json_object_get(obj, key1), *v;

	if (!json_is_object(o))
		return NULL;
	v = json_object_get(o, key2);
	return json_is_string(v) && json_string_length(v) ? json_string_value(v) : NULL;
}

int fr_webhook__reason(const char *body, size_t len, char *reason, size_t rlen, char *err,
		       size_t errlen)
{
	json_error_t je;
	json_t *root, *alerts, *a, *first = NULL, *version;
	const char *name, *summary;
	size_t i, firing = 0, n = 0;
	int rc = -EINVAL;

	reason[0] = '\0';
	root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		set_err(err, errlen, "the body is not JSON: %s (line %d, column %d)", je.text,
			je.line, je.column);
		return -EINVAL;
	}
	version = json_object_get(root, "version");
	alerts = json_object_get(root, "alerts");
	if (!json_is_object(root) || !json_is_string(version) || !json_is_array(alerts)) {
		set_err(err, errlen,
			"not an Alertmanager webhook notification (an object with "
			"\"version\" and \"alerts\")");
		goto out;
	}
	if (strcmp(json_string_value(version), "4")) {
		set_err(err, errlen,
			"Alertmanager webhook version \"%s\" is not supported (only 4)",
			json_string_value(version));
		goto out;
	}
	json_array_foreach (alerts, i, a) {
		json_t *st = json_object_get(a, "status");

		if (!json_is_object(a)) {
			set_err(err, errlen, "alert %zu is not an object", i);
			goto out;
		}
		/* an alert without a status is taken as firing: it was sent */
		if (json_is_string(st) && strcmp(json_string_value(st), "firing"))
			continue;
		if (!firing++)
			first = a;
	}
	if (!firing) {
		rc = 0; /* resolved only */
		goto out;
	}
	name = str_at(first, "labels", "alertname");
	if (!name)
		name = str_at(root, "commonLabels", "alertname");
	summary = str_at(first, "annotations", "summary");
	if (!summary)
		summary = str_at(root, "commonAnnotations", "summary");
	append_clean(reason, rlen, &n, name ? name : "alert");
	if (summary) {
		append_clean(reason, rlen, &n, ": ");
		append_clean(reason, rlen, &n, summary);
	}
	if (firing > 1) {
		char more[48];

		snprintf(more, sizeof(more), " (+%zu more)", firing - 1);
		append_clean(reason, rlen, &n, more);
	}
	rc = 1;
out:
	json_decref(root);
	return rc;
}

bool fr_webhook__token_ok(const char *header, const char *token, size_t token_len)
{
	volatile unsigned char diff;
	const char *given;
	size_t glen, i;

	if (!header || strncasecmp(header, "Bearer ", 7))
		return false;
	given = header + 7;
	while (*given == ' ')
		given++;
	glen = strlen(given);
	while (glen && (given[glen - 1] == ' ' || given[glen - 1] == '\t'))
		glen--;
	/* every byte of the longer one is looked at, whatever differs first */
	diff = glen != token_len;
	for (i = 0; i < (glen > token_len ? glen : token_len); i++)
		diff |= (unsigned char)((i < glen ? given[i] : 0) ^ (i < token_len ? token[i] : 0));
	return diff == 0;
}

int fr_webhook__read_token(const char *path, char *token, size_t len, char *err, size_t errlen)
{
	char buf[FR_WEBHOOK_TOKEN_MAX + 2];
	ssize_t n;
	size_t l, i;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0) {
		int e = errno;

		set_err(err, errlen, "%s: %s", path, strerror(e));
		return -e;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0)
		set_err(err, errlen, "%s: %s", path, strerror(errno));
	close(fd);
	if (n < 0)
		return -EIO;
	buf[n] = '\0';
	l = strcspn(buf, "\r\n");
	if (l == (size_t)n && n == (ssize_t)sizeof(buf) - 1) {
		set_err(err, errlen, "%s: the token is longer than %d bytes", path,
			FR_WEBHOOK_TOKEN_MAX);
		return -EINVAL;
	}
	while (l && (buf[l - 1] == ' ' || buf[l - 1] == '\t'))
		l--;
	for (i = 0; i < l; i++)
		if ((unsigned char)buf[i] <= ' ' || buf[i] == 0x7f) {
			set_err(err, errlen, "%s: the token holds blanks or control characters",
				path);
			return -EINVAL;
		}
	if (!l) {
		set_err(err, errlen, "%s: the token is empty", path);
		return -EINVAL;
	}
	if (l + 1 > len) {
		set_err(err, errlen, "%s: the token is too long", path);
		return -EINVAL;
	}
	memcpy(token, buf, l);
	token[l] = '\0';
	return 0;
}

/* ---- serving ------------------------------------------------------------------------ */

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status, json_t *obj,
			     const char *hname, const char *hval)
{
	char *text = obj ? json_dumps(obj, JSON_COMPACT) : NULL;
	struct MHD_Response *r;
	enum MHD_Result ret;
	size_t n;

	json_decref(obj);
	if (!text)
		text = strdup("{\"error\":\"out of memory\"}");
	if (!text)
		return MHD_NO;
	n = strlen(text);
	{
		/* one line, for people using curl */
		char *t = realloc(text, n + 2);

		if (t) {
			text = t;
			text[n++] = '\n';
		}
	}
	r = MHD_create_response_from_buffer(n, text, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(text);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
	if (hname)
		MHD_add_response_header(r, hname, hval);
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result reply_error(struct MHD_Connection *c, unsigned status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum MHD_Result reply_error(struct MHD_Connection *c, unsigned status, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return reply(c, status, json_pack("{s:s}", "error", msg),
		     status == MHD_HTTP_UNAUTHORIZED ? MHD_HTTP_HEADER_WWW_AUTHENTICATE : NULL,
		     "Bearer realm=\"flightrec\"");
}

static void peer_name(struct MHD_Connection *c, char *buf, size_t len)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	snprintf(buf, len, "?");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, buf,
			  (socklen_t)len);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, buf,
			  (socklen_t)len);
}

/* Everything but the body: method, path, token, type, announced size.
 * Returns 0 when the request may go on, else the status it was answered
 * with. */
static unsigned check_headers(struct fr_webhook *w, struct MHD_Connection *c, const char *url,
			      const char *method, enum MHD_Result *ret, const char *peer)
{
	const char *ctype, *clen;

	if (strcmp(url, FR_WEBHOOK_PATH)) {
		*ret = reply_error(c, MHD_HTTP_NOT_FOUND, "no such path: %s (POST alerts to %s)",
				   url, FR_WEBHOOK_PATH);
		return MHD_HTTP_NOT_FOUND;
	}
	if (strcmp(method, MHD_HTTP_METHOD_POST)) {
		*ret = reply(c, MHD_HTTP_METHOD_NOT_ALLOWED,
			     json_pack("{s:s}", "error", "only POST is accepted"),
			     MHD_HTTP_HEADER_ALLOW, "POST");
		return MHD_HTTP_METHOD_NOT_ALLOWED;
	}
	if (w->token_len &&
	    !fr_webhook__token_ok(
		MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION),
		w->token, w->token_len)) {
		pr_warn("capture: webhook: refused a POST from %s: no or a wrong bearer token\n",
			peer);
		*ret = reply_error(c, MHD_HTTP_UNAUTHORIZED,
				   "a bearer token is required (Authorization: Bearer TOKEN)");
		return MHD_HTTP_UNAUTHORIZED;
	}
	ctype = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	if (ctype && strncasecmp(ctype, "application/json", 16)) {
		*ret = reply_error(c, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE,
				   "the body must be application/json, not %.64s", ctype);
		return MHD_HTTP_UNSUPPORTED_MEDIA_TYPE;
	}
	clen = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (clen && strtoull(clen, NULL, 10) > w->body_max) {
		*ret = reply_error(c, MHD_HTTP_CONTENT_TOO_LARGE,
				   "the body is larger than %zu bytes", w->body_max);
		return MHD_HTTP_CONTENT_TOO_LARGE;
	}
	return 0;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload_data,
			      size_t *upload_data_size, void **con_cls)
{
	struct fr_webhook *w = cls;
	struct req *q = *con_cls;
	char peer[INET6_ADDRSTRLEN], reason[FR_WEBHOOK_REASON_MAX + 1], err[512], msg[4200];
	enum fr_webhook_outcome out;
	enum MHD_Result ret = MHD_NO;
	int rc;

	(void)version;
	if (!q) {
		/* the headers are in */
		peer_name(c, peer, sizeof(peer));
		if (check_headers(w, c, url, method, &ret, peer))
			return ret;
		q = calloc(1, sizeof(*q));
		if (!q)
			return MHD_NO;
		*con_cls = q;
		return MHD_YES;
	}
	if (*upload_data_size) {
		/* a piece of the body */
		size_t n = *upload_data_size;

		q->seen += n;
		*upload_data_size = 0;
		if (q->too_big || q->len + n > w->body_max) {
			q->too_big = true;
			return q->seen > (uint64_t)w->body_max * DISCARD_FACTOR ? MHD_NO : MHD_YES;
		}
		if (!q->body && !(q->body = malloc(w->body_max)))
			return MHD_NO;
		memcpy(q->body + q->len, upload_data, n);
		q->len += n;
		return MHD_YES;
	}
	/* the whole body is in */
	if (q->too_big)
		return reply_error(c, MHD_HTTP_CONTENT_TOO_LARGE,
				   "the body is larger than %zu bytes", w->body_max);
	peer_name(c, peer, sizeof(peer));
	rc = fr_webhook__reason(q->body ? q->body : "", q->len, reason, sizeof(reason), err,
				sizeof(err));
	if (rc < 0) {
		pr_warn("capture: webhook: refused a POST from %s: %s\n", peer, err);
		return reply_error(c, MHD_HTTP_BAD_REQUEST, "%s", err);
	}
	if (rc == 0) {
		pr_info("capture: webhook: a notification from %s with no firing alert: ignored\n",
			peer);
		return reply(c, MHD_HTTP_OK,
			     json_pack("{s:s,s:s}", "status", "ignored", "why",
				       "no firing alert (resolved only)"),
			     NULL, NULL);
	}
	msg[0] = '\0';
	out = w->o.on_alert(w->o.ctx, reason, peer, msg, sizeof(msg));
	switch (out) {
	case FR_WEBHOOK_ACCEPTED:
	case FR_WEBHOOK_JOINED:
		return reply(c, MHD_HTTP_ACCEPTED,
			     json_pack("{s:s,s:s,s:s}", "status",
				       out == FR_WEBHOOK_ACCEPTED ? "accepted" : "joined", "bundle",
				       msg, "reason", reason),
			     NULL, NULL);
	case FR_WEBHOOK_SUPPRESSED:
		return reply(c, MHD_HTTP_OK,
			     json_pack("{s:s,s:s,s:s}", "status", "suppressed", "why", msg,
				       "reason", reason),
			     NULL, NULL);
	default:
		return reply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "%s",
				   msg[0] ? msg : "failed");
	}
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	struct req *q = *con_cls;

	(void)cls;
	(void)c;
	(void)toe;
	if (q) {
		free(q->body);
		free(q);
		*con_cls = NULL;
	}
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char buf[512];

	(void)cls;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	buf[strcspn(buf, "\n")] = '\0';
	pr_info("capture: webhook: %s\n", buf);
}

int fr_webhook__start(const struct fr_webhook_opts *o, struct fr_webhook **out, char *err,
		      size_t errlen)
{
	struct sockaddr_storage ss, bound;
	socklen_t sl, bl = sizeof(bound);
	const union MHD_DaemonInfo *di;
	struct fr_webhook *w;
	char host[INET6_ADDRSTRLEN];
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG;
	int rc;

	*out = NULL;
	if (!o->on_alert) {
		set_err(err, errlen, "no handler");
		return -EINVAL;
	}
	rc = fr_webhook__parse_addr(o->addr, &ss, &sl, err, errlen);
	if (rc)
		return rc;
	w = calloc(1, sizeof(*w));
	if (!w) {
		set_err(err, errlen, "out of memory");
		return -ENOMEM;
	}
	w->o = *o;
	w->body_max = o->body_max ? o->body_max : FR_WEBHOOK_BODY_MAX;
	if (o->token_file) {
		struct stat st;

		rc = fr_webhook__read_token(o->token_file, w->token, sizeof(w->token), err, errlen);
		if (rc) {
			free(w);
			return rc;
		}
		w->token_len = strlen(w->token);
		if (!stat(o->token_file, &st) && (st.st_mode & 0077))
			pr_warn("capture: webhook: %s can be read by others than its owner (mode "
				"%04o): make it 0600\n",
				o->token_file, (unsigned)(st.st_mode & 07777));
	}
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	/* the logger first: libmicrohttpd logs from the options on */
	w->mhd = MHD_start_daemon(
	    flags, 0, NULL, NULL, handle, w, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, w,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_NOTIFY_COMPLETED, completed, w,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)MAX_CONNECTIONS, MHD_OPTION_CONNECTION_TIMEOUT,
	    (unsigned)IDLE_TIMEOUT_S, MHD_OPTION_END);
	if (!w->mhd) {
		int e = errno ? errno : EADDRINUSE;

		set_err(err, errlen, "cannot listen on %s: %s", o->addr, strerror(e));
		free(w);
		return -e;
	}
	/* the address as bound (the port, when 0 was asked for) */
	di = MHD_get_daemon_info(w->mhd, MHD_DAEMON_INFO_LISTEN_FD);
	if (di && !getsockname(di->listen_fd, (struct sockaddr *)&bound, &bl))
		ss = bound;
	if (ss.ss_family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		inet_ntop(AF_INET, &a->sin_addr, host, sizeof(host));
		snprintf(w->addr, sizeof(w->addr), "%s:%u", host, ntohs(a->sin_port));
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof(host));
		snprintf(w->addr, sizeof(w->addr), "[%s]:%u", host, ntohs(a->sin6_port));
	}
	*out = w;
	return 0;
}

const char *fr_webhook__address(const struct fr_webhook *w)
{
	return w ? w->addr : "";
}

void fr_webhook__stop(struct fr_webhook *w)
{
	if (!w)
		return;
	if (w->mhd)
		MHD_stop_daemon(w->mhd);
	explicit_bzero(w->token, sizeof(w->token));
	free(w);
}
