// SPDX-License-Identifier: MIT
/*
 * test_html.c: `analyze --html` pages (analyze/html.c): self-contained,
 * every bundle string escaped, the graph and the timeline inline, on the
 * two-hop chain of test_analyze_path.c with hostile thread names.
 */
#include "analyze/graph.h"
#include "tests/unit/test_analyze.h"

/* Graphviz and fontconfig leaks that are not ours (see test_graph.c). */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libgvc.so\nleak:libfontconfig.so\nleak:libpango\nleak:libglib\n";
}

/* `needle` in a page (the page goes to stderr when not: too long for a
 * Check message) */
#define HAS(hay, needle)                                                                           \
	do {                                                                                       \
		if (!strstr((hay), (needle)))                                                      \
			fprintf(stderr, "---\n%s\n---\n", (hay));                                  \
		ck_assert_msg(strstr((hay), (needle)) != NULL, "the page lacks \"%s\"", (needle)); \
	} while (0)

#define EVIL "<script>&'\"\xff" /* a comm holds 15 bytes */

/* A [100,5020) reads pipe 1001, B writes it after reading pipe 1002,
 * which C writes after a 3.7 us sleep (test_path_two_hops). */
static struct fa_model *build(struct tb *b)
{
	struct fr_event *e;

	tb_init(b);
	tb_switch(b, 0, 0, 0, 0, 0, 1, 1, NULL, EVIL);
	tb_switch(b, 0, 1, 0, 0, 0, 2, 2, NULL, "b");
	tb_switch(b, 0, 2, 0, 0, 0, 3, 3, NULL, "c");
	e = tb_sys(b, 100, 5020, 1, 1, "read", 1, 3, 0, 1);
	tb_fdinfo(b, e, 0, 3, FR_FD_PIPE, 1001, NULL);
	tb_switch(b, 110, 0, 1, 1, 1, 0, 0, EVIL, NULL);
	tb_wake(b, 5000, 1, 2, 2, 1, 1, FR_CTX_TASK, 0, 0);
	tb_switch(b, 5010, 0, 0, 0, 0, 1, 1, NULL, EVIL);
	e = tb_sys(b, 50, 4020, 2, 2, "read", 1, 4, 0, 1);
	tb_fdinfo(b, e, 0, 4, FR_FD_PIPE, 1002, NULL);
	tb_switch(b, 60, 1, 2, 2, 1, 0, 0, "b", NULL);
	tb_wake(b, 4000, 2, 3, 3, 2, 2, FR_CTX_TASK, 0, 1);
	tb_switch(b, 4010, 1, 0, 0, 0, 2, 2, NULL, "b");
	e = tb_sys(b, 4900, 5100, 2, 2, "write", 1, 5, 0, 1);
	tb_fdinfo(b, e, 0, 5, FR_FD_PIPE, 1001, NULL);
	e = tb_sys(b, 200, 3920, 3, 3, "nanosleep", 0, 0x100, 0, 0);
	tb_timespec(b, e, 0, 3700);
	tb_switch(b, 210, 2, 3, 3, 1, 0, 0, "c", NULL);
	tb_wake(b, 3900, 2, 0, 0, 3, 3, FR_CTX_TIMER, 0, 2);
	tb_switch(b, 3910, 2, 0, 0, 0, 3, 3, NULL, "c");
	e = tb_sys(b, 3990, 4050, 3, 3, "write", 1, 6, 0, 1);
	tb_fdinfo(b, e, 0, 6, FR_FD_PIPE, 1002, NULL);
	return tb_build(b, NULL);
}

static char *page(const struct fa_model *m, struct fa_incidents *v, const char *file)
{
	struct fa_html_opts o = {.file = file};
	char err[256], *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	ck_assert_msg(fa_html__write(f, m, v, &o, err, sizeof(err)) == 0, "%s", err);
	fclose(f);
	ck_assert_uint_eq(strlen(buf), len);
	return buf;
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

START_TEST(test_html_page)
{
	struct tb b;
	struct fa_model *m = build(&b);
	struct fa_incidents v = {0};
	const unsigned char *p;
	char *html, *tl;
	size_t i, n;

	v.v = calloc(1, sizeof(*v.v));
	v.n = v.cap = 1;
	v.v[0].kind = FA_INC_FOCUS;
	v.v[0].thread = tb_thread(m, 1);
	v.v[0].start_ns = 100;
	v.v[0].end_ns = 5020;
	v.v[0].nr = v.v[0].res = v.v[0].culprit = v.v[0].index = FA_NONE;
	snprintf(v.v[0].what, sizeof(v.v[0].what), "ran");
	ck_assert_int_eq(fa_incident__explain(m, &v.v[0], NULL), 0);
	html = page(m, &v, "evil<name>.frb");

	/* escaped everywhere: no markup from the bundle, no invalid UTF-8 */
	ck_assert(strstr(html, "<script") == NULL);
	ck_assert(strstr(html, "evil<name>") == NULL);
	HAS(html, "evil&lt;name&gt;.frb");
	HAS(html, "&lt;script&gt;&amp;&#39;&quot;\xef\xbf\xbd 1");
	p = (const unsigned char *)html;
	n = strlen(html);
	for (i = 0; i < n;) {
		size_t l = fa_utf8_len(p + i, n - i);

		ck_assert_msg(l > 0, "invalid UTF-8 at byte %zu", i);
		i += l;
	}
	/* self-contained: nothing is fetched (the only URLs are XML namespaces) */
	ck_assert(strstr(html, "src=") == NULL);
	ck_assert(strstr(html, "<link") == NULL);
	ck_assert(strstr(html, "@import") == NULL);
	ck_assert(strstr(html, "url(http") == NULL);
	ck_assert_int_eq(count(html, "http"), count(html, "http://www.w3.org/2000/svg") +
						  count(html, "http://www.w3.org/1999/xlink"));
	/* the parts: summary, root causes, graph, timeline */
	HAS(html, "<section class=\"incident\" id=\"incident-1\">");
	HAS(html, "<table class=\"causes\">");
	HAS(html, "<svg width=");		    /* Graphviz's */
	HAS(html, "id=\"flightrec_g1\"");	    /* its graph element */
	HAS(html, ">nanosleep() on timer 3.7 us<"); /* a call node */
	tl = strstr(html, "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"timeline1\"");
	ck_assert_ptr_nonnull(tl);
	/* one row per thread of the path: the victim first */
	ck_assert_int_eq(count(tl, "<g class=\"row\""), 3);
	HAS(tl, "<g class=\"row\" id=\"tl1_r0\"><text");
	ck_assert(strstr(tl, "&lt;script&gt;") < strstr(tl, "id=\"tl1_r1\""));
	/* states coloured: blocked and running runs, the critical path under
	 * the rows, the wakeups B -> A and C -> B as arrows */
	HAS(tl, "fill=\"#85c1e9\"><title>blocked");
	HAS(tl, "fill=\"#2e9e44\"><title>running");
	HAS(tl, "<g class=\"critical-path\"");
	ck_assert_int_ge(count(strstr(tl, "<g class=\"critical-path\""), "<rect"), 3);
	ck_assert_int_eq(count(strstr(tl, "<g class=\"wakeups\""), "<line"), 2);
	free(html);

	/* no incident: still a page, saying so */
	{
		struct fa_incidents none = {0};

		html = page(m, &none, NULL);
		HAS(html, "No incident found");
		HAS(html, "</html>");
		free(html);
	}
	fa_incidents__free(&v);
	tb_free(&b);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("html");
	TCase *tc = tcase_create("html");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_html_page);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
