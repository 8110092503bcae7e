// SPDX-License-Identifier: MIT
/*
 * Unit tests: capture/webhook.c, the Alertmanager webhook of `flightrec
 * capture`: addresses, notifications to reasons, bearer tokens, token
 * files (table-driven), and the server itself answering real HTTP requests
 * on a loopback port (no root needed).
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdarg.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture/webhook.h"
#include "formats/util.h"

/* The webhook's log: refusals are counted, not printed. */
static int n_refused_token, n_refused_other;

static void log_hook(enum fr_log_level level, const char *fmt, va_list ap)
{
	char buf[1024];

	(void)level;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (strstr(buf, "refused a POST from 127.0.0.1: no or a wrong bearer token"))
		n_refused_token++;
	else if (strstr(buf, "refused a POST from 127.0.0.1: "))
		n_refused_other++;
}

START_TEST(test_parse_addr)
{
	static const struct {
		const char *in;
		int ok;
		int family;
		const char *host;
		unsigned port;
	} t[] = {
	    {"127.0.0.1:9095", 1, AF_INET, "127.0.0.1", 9095},
	    {"0.0.0.0:80", 1, AF_INET, "0.0.0.0", 80},
	    {":9095", 1, AF_INET, "127.0.0.1", 9095}, /* loopback by default */
	    {"9095", 1, AF_INET, "127.0.0.1", 9095},  /* a port alone */
	    {"localhost:1", 1, AF_INET, "127.0.0.1", 1},
	    {"[::1]:9095", 1, AF_INET6, "::1", 9095},
	    {"[::]:0", 1, AF_INET6, "::", 0},
	    {"", 0, 0, NULL, 0},
	    {"127.0.0.1:", 0, 0, NULL, 0},
	    {"127.0.0.1:65536", 0, 0, NULL, 0},
	    {"127.0.0.1:-1", 0, 0, NULL, 0},
	    {"127.0.0.1:80x", 0, 0, NULL, 0},
	    {"::1:9095", 0, 0, NULL, 0}, /* IPv6 needs brackets */
	    {"[::1:9095", 0, 0, NULL, 0},
	    {"example.com:80", 0, 0, NULL, 0}, /* names are not resolved */
	    {"10.0.0.300:80", 0, 0, NULL, 0},
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct sockaddr_storage ss;
		socklen_t len;
		char err[256] = "", host[64] = "";
		int rc = fr_webhook__parse_addr(t[i].in, &ss, &len, err, sizeof(err));

		if (!t[i].ok) {
			ck_assert_msg(rc == -EINVAL, "'%s' accepted", t[i].in);
			ck_assert_msg(err[0], "'%s': no message", t[i].in);
			continue;
		}
		ck_assert_msg(rc == 0, "'%s' refused: %s", t[i].in, err);
		ck_assert_int_eq(ss.ss_family, t[i].family);
		if (ss.ss_family == AF_INET) {
			struct sockaddr_in *a = (struct sockaddr_in *)&ss;

			inet_ntop(AF_INET, &a->sin_addr, host, sizeof(host));
			ck_assert_uint_eq(ntohs(a->sin_port), t[i].port);
			ck_assert_uint_eq(len, sizeof(*a));
		} else {
			struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

			inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof(host));
			ck_assert_uint_eq(ntohs(a->sin6_port), t[i].port);
		}
		ck_assert_str_eq(host, t[i].host);
	}
}
END_TEST

#define ALERT(st, name, summary)                                                                   \
	"{\"status\":\"" st "\",\"labels\":{\"alertname\":\"" name                                 \
	"\",\"instance\":\"shop-1\"},\"annotations\":{\"summary\":\"" summary "\"}}"
#define NOTE(alerts)                                                                               \
	"{\"version\":\"4\",\"status\":\"firing\",\"receiver\":\"flightrec\",\"groupLabels\":{},"  \
	"\"commonLabels\":{\"alertname\":\"Common\"},\"commonAnnotations\":{\"summary\":"          \
	"\"common summary\"},\"alerts\":[" alerts "]}"

START_TEST(test_reason)
{
	static const struct {
		const char *body;
		int rc;
		const char *reason; /* rc 1 */
		const char *err;    /* rc < 0: part of the message */
	} t[] = {
	    {NOTE(ALERT("firing", "CheckoutTimeouts", "p99 above 750 ms")), 1,
	     "CheckoutTimeouts: p99 above 750 ms", NULL},
	    /* the first firing one names it, the others are counted */
	    {NOTE(ALERT("resolved", "Old", "gone") "," ALERT("firing", "A", "a") "," ALERT(
		 "firing", "B", "b") "," ALERT("firing", "C", "c")),
	     1, "A: a (+2 more)", NULL},
	    {NOTE(ALERT("resolved", "A", "a")), 0, "", NULL},
	    {NOTE(""), 0, "", NULL},
	    /* no name or summary of its own: the common ones */
	    {NOTE("{\"status\":\"firing\",\"labels\":{},\"annotations\":{}}"), 1,
	     "Common: common summary", NULL},
	    /* nothing at all */
	    {"{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\"}]}", 1, "alert", NULL},
	    /* a name without a summary */
	    {"{\"version\":\"4\",\"alerts\":[{\"labels\":{\"alertname\":\"Solo\"}}]}", 1, "Solo",
	     NULL},
	    /* control characters become blanks */
	    {"{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":"
	     "\"a\\nb\\u0007c\"},\"annotations\":{\"summary\":\"x\\ty\"}}]}",
	     1, "a b c: x y", NULL},
	    {"{\"version\":\"3\",\"alerts\":[]}", -EINVAL, NULL, "version \"3\" is not supported"},
	    {"{\"alerts\":[]}", -EINVAL, NULL, "not an Alertmanager webhook notification"},
	    {"{\"version\":\"4\",\"alerts\":{}}", -EINVAL, NULL, "not an Alertmanager"},
	    {"[1,2]", -EINVAL, NULL, "not an Alertmanager"},
	    {"{\"version\":\"4\",\"alerts\":[3]}", -EINVAL, NULL, "alert 0 is not an object"},
	    {"{\"version\":\"4\",", -EINVAL, NULL, "not JSON"},
	    {"", -EINVAL, NULL, "not JSON"},
	    {"{\"version\":\"4\",\"version\":\"4\",\"alerts\":[]}", -EINVAL, NULL, "not JSON"},
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char reason[FR_WEBHOOK_REASON_MAX + 1], err[256] = "";
		int rc = fr_webhook__reason(t[i].body, strlen(t[i].body), reason, sizeof(reason),
					    err, sizeof(err));

		ck_assert_msg(rc == t[i].rc, "case %zu: rc %d, expected %d (%s)", i, rc, t[i].rc,
			      err);
		if (rc == 1)
			ck_assert_str_eq(reason, t[i].reason);
		if (rc < 0)
			ck_assert_msg(strstr(err, t[i].err), "case %zu: '%s' lacks '%s'", i, err,
				      t[i].err);
	}
}
END_TEST

/* A reason longer than the buffer is cut, never overflows; every
 * truncated length of a valid body is refused or parsed, never crashes. */
START_TEST(test_reason_limits)
{
	char body[4096], reason[32], err[256];
	const char *valid = NOTE(ALERT("firing", "CheckoutTimeouts", "p99 above 750 ms"));
	size_t n;

	snprintf(body, sizeof(body), "%s", valid);
	ck_assert_int_eq(
	    fr_webhook__reason(body, strlen(body), reason, sizeof(reason), err, sizeof(err)), 1);
	ck_assert_uint_eq(strlen(reason), sizeof(reason) - 1);
	ck_assert(!strncmp(reason, "CheckoutTimeouts: p99 above 750", sizeof(reason) - 1));
	for (n = 0; n < strlen(valid); n++) {
		char big[FR_WEBHOOK_REASON_MAX + 1];
		int rc = fr_webhook__reason(valid, n, big, sizeof(big), err, sizeof(err));

		ck_assert_msg(rc == -EINVAL, "a body cut at %zu bytes was accepted (%d)", n, rc);
	}
}
END_TEST

START_TEST(test_token)
{
	static const char tok[] = "s3cret-token-123";
	static const struct {
		const char *header;
		bool ok;
	} t[] = {
	    {"Bearer s3cret-token-123", true},
	    {"bearer s3cret-token-123", true}, /* the scheme is case-insensitive */
	    {"Bearer   s3cret-token-123  ", true},
	    {"Bearer s3cret-token-12", false},
	    {"Bearer s3cret-token-1234", false},
	    {"Bearer S3CRET-TOKEN-123", false},
	    {"Bearer ", false},
	    {"Bearer", false},
	    {"Basic s3cret-token-123", false},
	    {"s3cret-token-123", false},
	    {"", false},
	    {NULL, false},
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		ck_assert_msg(fr_webhook__token_ok(t[i].header, tok, strlen(tok)) == t[i].ok,
			      "'%s'", t[i].header ? t[i].header : "(none)");
}
END_TEST

START_TEST(test_read_token)
{
	static const struct {
		const char *content;
		const char *token; /* NULL: refused */
	} t[] = {
	    {"abc\n", "abc"}, {"abc", "abc"}, {"abc  \r\nsecond line\n", "abc"},
	    {"\n", NULL},     {"", NULL},     {"a b\n", NULL},
	    {"a\tb", NULL},
	};
	char path[] = "/tmp/fr-webhook-token-XXXXXX", tok[FR_WEBHOOK_TOKEN_MAX + 1], err[256];
	size_t i;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	close(fd);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		FILE *f = fopen(path, "w");
		int rc;

		ck_assert_ptr_nonnull(f);
		fputs(t[i].content, f);
		fclose(f);
		rc = fr_webhook__read_token(path, tok, sizeof(tok), err, sizeof(err));
		if (t[i].token) {
			ck_assert_msg(rc == 0, "case %zu: %s", i, err);
			ck_assert_str_eq(tok, t[i].token);
		} else {
			ck_assert_msg(rc < 0, "case %zu accepted", i);
		}
	}
	{
		/* longer than the limit */
		FILE *f = fopen(path, "w");

		for (i = 0; i < FR_WEBHOOK_TOKEN_MAX + 10; i++)
			fputc('x', f);
		fclose(f);
		ck_assert_int_lt(fr_webhook__read_token(path, tok, sizeof(tok), err, sizeof(err)),
				 0);
		ck_assert(strstr(err, "longer"));
	}
	unlink(path);
	ck_assert_int_eq(fr_webhook__read_token(path, tok, sizeof(tok), err, sizeof(err)), -ENOENT);
}
END_TEST

/* ---- the server, over a real socket ------------------------------------------------- */

struct seen {
	int calls;
	char reason[FR_WEBHOOK_REASON_MAX + 1];
	enum fr_webhook_outcome answer;
};

static enum fr_webhook_outcome on_alert(void *ctx, const char *reason, const char *peer, char *msg,
					size_t msglen)
{
	struct seen *s = ctx;

	ck_assert_str_eq(peer, "127.0.0.1");
	s->calls++;
	snprintf(s->reason, sizeof(s->reason), "%s", reason);
	snprintf(msg, msglen,
		 s->answer == FR_WEBHOOK_SUPPRESSED ? "cooldown (3.0 s left)"
						    : "/out/flightrec-x-webhook.frb");
	return s->answer;
}

/* Send a raw request, return the status code; the response in resp. */
static int http(const char *addr, const char *req, char *resp, size_t len)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	const char *colon = strrchr(addr, ':');
	size_t got = 0;
	ssize_t n;
	int fd, code = -1;

	sa.sin_port = htons((unsigned short)atoi(colon + 1));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(write(fd, req, strlen(req)), (ssize_t)strlen(req));
	shutdown(fd, SHUT_WR);
	while (got < len - 1 && (n = read(fd, resp + got, len - 1 - got)) > 0)
		got += (size_t)n;
	resp[got] = '\0';
	close(fd);
	sscanf(resp, "HTTP/1.%*d %d", &code);
	return code;
}

static char *request(const char *method, const char *path, const char *headers, const char *body)
{
	static char buf[8192];

	snprintf(
	    buf, sizeof(buf),
	    "%s %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n%sContent-Length: %zu\r\n\r\n%s",
	    method, path, headers, strlen(body), body);
	return buf;
}

START_TEST(test_server)
{
	char tokpath[] = "/tmp/fr-webhook-token-XXXXXX", resp[8192], err[256];
	const char *alert = NOTE(ALERT("firing", "CheckoutTimeouts", "p99 above 750 ms"));
	const char *auth = "Authorization: Bearer s3cret\r\nContent-Type: application/json\r\n";
	struct seen seen = {.answer = FR_WEBHOOK_ACCEPTED};
	struct fr_webhook_opts o = {.addr = "127.0.0.1:0",
				    .token_file = tokpath,
				    .on_alert = on_alert,
				    .ctx = &seen,
				    .body_max = 4096};
	struct fr_webhook *w;
	const char *addr;
	int fd = mkstemp(tokpath);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "s3cret\n", 7), 7);
	close(fd);
	fr_set_log_fn(log_hook);
	ck_assert_msg(fr_webhook__start(&o, &w, err, sizeof(err)) == 0, "%s", err);
	addr = fr_webhook__address(w);
	ck_assert_msg(!strncmp(addr, "127.0.0.1:", 10) && strcmp(addr, "127.0.0.1:0"), "%s", addr);

	/* no token, a wrong one */
	ck_assert_int_eq(
	    http(addr, request("POST", FR_WEBHOOK_PATH, "", alert), resp, sizeof(resp)), 401);
	ck_assert(strstr(resp, "WWW-Authenticate: Bearer"));
	ck_assert_int_eq(
	    http(addr, request("POST", FR_WEBHOOK_PATH, "Authorization: Bearer s3cre\r\n", alert),
		 resp, sizeof(resp)),
	    401);
	ck_assert_int_eq(seen.calls, 0);
	/* accepted */
	ck_assert_int_eq(
	    http(addr, request("POST", FR_WEBHOOK_PATH, auth, alert), resp, sizeof(resp)), 202);
	ck_assert_int_eq(seen.calls, 1);
	ck_assert_str_eq(seen.reason, "CheckoutTimeouts: p99 above 750 ms");
	ck_assert(strstr(resp, "\"status\":\"accepted\""));
	ck_assert(strstr(resp, "\"bundle\":\"/out/flightrec-x-webhook.frb\""));
	/* suppressed: not an error for Alertmanager */
	seen.answer = FR_WEBHOOK_SUPPRESSED;
	ck_assert_int_eq(
	    http(addr, request("POST", FR_WEBHOOK_PATH, auth, alert), resp, sizeof(resp)), 200);
	ck_assert(strstr(resp, "\"status\":\"suppressed\""));
	ck_assert(strstr(resp, "cooldown (3.0 s left)"));
	/* the daemon failed */
	seen.answer = FR_WEBHOOK_FAILED;
	ck_assert_int_eq(
	    http(addr, request("POST", FR_WEBHOOK_PATH, auth, alert), resp, sizeof(resp)), 500);
	ck_assert_int_eq(seen.calls, 3);
	/* resolved only: ignored, the daemon is not asked */
	ck_assert_int_eq(http(addr,
			      request("POST", FR_WEBHOOK_PATH, auth,
				      NOTE(ALERT("resolved", "CheckoutTimeouts", "ok"))),
			      resp, sizeof(resp)),
			 200);
	ck_assert(strstr(resp, "\"status\":\"ignored\""));
	/* refusals */
	ck_assert_int_eq(
	    http(addr, request("POST", FR_WEBHOOK_PATH, auth, "{oops"), resp, sizeof(resp)), 400);
	ck_assert_int_eq(http(addr, request("GET", FR_WEBHOOK_PATH, auth, ""), resp, sizeof(resp)),
			 405);
	ck_assert(strstr(resp, "Allow: POST"));
	ck_assert_int_eq(http(addr, request("POST", "/other", auth, alert), resp, sizeof(resp)),
			 404);
	ck_assert_int_eq(
	    http(addr,
		 request("POST", FR_WEBHOOK_PATH,
			 "Authorization: Bearer s3cret\r\nContent-Type: text/plain\r\n", alert),
		 resp, sizeof(resp)),
	    415);
	{
		char big[6000];

		memset(big, ' ', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		ck_assert_int_eq(
		    http(addr, request("POST", FR_WEBHOOK_PATH, auth, big), resp, sizeof(resp)),
		    413);
	}
	ck_assert_int_eq(seen.calls, 3);
	/* the two token refusals and the bad body are logged */
	ck_assert_int_eq(n_refused_token, 2);
	ck_assert_int_eq(n_refused_other, 1);
	fr_webhook__stop(w);
	fr_set_log_fn(NULL);
	unlink(tokpath);
}
END_TEST

/* Start-up failures say why. */
START_TEST(test_start_errors)
{
	struct seen seen = {0};
	struct fr_webhook_opts o = {.addr = "127.0.0.1:0", .on_alert = on_alert, .ctx = &seen};
	struct fr_webhook *w, *w2;
	char err[256], addr[64];

	o.token_file = "/nonexistent/token";
	ck_assert_int_eq(fr_webhook__start(&o, &w, err, sizeof(err)), -ENOENT);
	ck_assert(strstr(err, "/nonexistent/token"));
	o.token_file = NULL;
	ck_assert_int_eq(fr_webhook__start(&o, &w, err, sizeof(err)), 0);
	/* the same port again: taken */
	snprintf(addr, sizeof(addr), "%s", fr_webhook__address(w));
	o.addr = addr;
	ck_assert_int_lt(fr_webhook__start(&o, &w2, err, sizeof(err)), 0);
	ck_assert(strstr(err, "cannot listen on"));
	fr_webhook__stop(w);
	fr_webhook__stop(NULL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("webhook");
	TCase *tc = tcase_create("webhook");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_parse_addr);
	tcase_add_test(tc, test_reason);
	tcase_add_test(tc, test_reason_limits);
	tcase_add_test(tc, test_token);
	tcase_add_test(tc, test_read_token);
	tcase_add_test(tc, test_server);
	tcase_add_test(tc, test_start_errors);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
