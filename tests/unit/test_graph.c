// SPDX-License-Identifier: MIT
/*
 * test_graph.c: the causal graph of an incident (analyze/graph.c) and its
 * Graphviz forms (analyze/graph_draw.c).
 *
 * Synthetic bundles with weights worked out by hand; then the recorded
 * scenario bundles of tests/fixtures/analyze: their DOT parses back with
 * cgraph (agmemread) and holds the victim, the culprit and every hop of the
 * critical path; their SVG renders.
 */
#include <cgraph.h>

#include "analyze/graph.h"
#include "tests/unit/test_analyze.h"

/* Graphviz 2.43 leaks the text of its plugin configuration in gvContext
 * (gvconfig; without symbols the report shows only libgvc's gmalloc), and
 * fontconfig (through the pango plugin) keeps caches it never frees:
 * neither is ours, so LeakSanitizer is told to ignore them.  Our own
 * objects are allocated by us or by libcgraph, not by libgvc. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libgvc.so\nleak:libfontconfig.so\nleak:libpango\nleak:libglib\n";
}

static uint32_t edge_ns(const struct fa_graph *g, uint32_t from, uint32_t to, int kind)
{
	uint32_t e = fa_graph__edge(g, from, to, kind);

	ck_assert_msg(e != FA_NONE, "no %s edge %u -> %u",
		      kind >= 0 ? fa_gedge_kind_name(kind) : "", from, to);
	return (uint32_t)g->edges[e].ns;
}

/* The node of a kind (call / kernel) adjacent to `from` by an edge of `kind`. */
static uint32_t next_node(const struct fa_graph *g, uint32_t from, int kind, unsigned node_kind)
{
	uint32_t i, found = FA_NONE;

	for (i = 0; i < g->n_edges; i++)
		if (g->edges[i].from == from && (int)g->edges[i].kind == kind &&
		    g->nodes[g->edges[i].to].kind == node_kind) {
			ck_assert_msg(found == FA_NONE, "two %s edges from node %u",
				      fa_gedge_kind_name(kind), from);
			found = g->edges[i].to;
		}
	ck_assert_msg(found != FA_NONE, "no %s edge from node %u", fa_gedge_kind_name(kind), from);
	return found;
}

static uint32_t kernel(const struct fa_graph *g, unsigned k)
{
	uint32_t i;

	for (i = 0; i < g->n_nodes; i++)
		if (g->nodes[i].kind == FA_GN_KERNEL && g->nodes[i].kernel == k)
			return i;
	ck_abort_msg("no kernel node %s", fa_gkernel_name(k));
	return FA_NONE;
}

/* What reaches a thread or call node along the chain of waits (blocked
 * and woken edges; a thread may also be pointed at as a CPU holder or a
 * culprit, which is not time flowing through it) leaves it; the victim
 * gives out the incident's duration. */
static void assert_conserved(const struct fa_graph *g, uint64_t total)
{
	uint32_t i, k;

	ck_assert_uint_eq(g->nodes[g->victim].ns_out, total);
	for (i = 0; i < g->n_nodes; i++) {
		const struct fa_gnode *n = &g->nodes[i];
		uint64_t in = 0;

		if (i == g->victim || n->kind == FA_GN_KERNEL)
			continue;
		for (k = 0; k < g->n_edges; k++)
			if (g->edges[k].to == i &&
			    (g->edges[k].kind == FA_GE_WOKEN || g->edges[k].kind == FA_GE_BLOCKED))
				in += g->edges[k].ns;
		if (!in)
			continue; /* only a CPU holder or a culprit */
		ck_assert_msg(in == n->ns_out, "node %u (%s): %llu in, %llu out", i,
			      fa_gnode_kind_name(n->kind), (unsigned long long)in,
			      (unsigned long long)n->ns_out);
	}
}

/* The two-hop chain of test_analyze_path.c (test_path_two_hops):
 *   A [100,110) running; A blocked in read(pipe 1001) [110,5000), explained
 *   by B; B blocked in read(pipe 1002) [110,4000), explained by C; C
 *   running 100 + 90, sleeping 3690 (nanosleep, timer), runnable 10; B
 *   runnable 10, running 990; A runnable 10, running 10.
 * Weights: A -> read(A) -> B: 3890 + 1000 = 4890; B -> read(B) -> C: 3890;
 * C -> nanosleep -> timer: 3690; C on CPU 190; B on CPU 990; A on CPU 20;
 * run queue (idle CPUs: no holder) 10 each for A, B, C. */
static struct fa_model *two_hops(struct tb *b)
{
	struct fr_event *e;

	tb_init(b);
	tb_switch(b, 0, 0, 0, 0, 0, 1, 1, NULL, "a");
	tb_switch(b, 0, 1, 0, 0, 0, 2, 2, NULL, "b");
	tb_switch(b, 0, 2, 0, 0, 0, 3, 3, NULL, "c");
	e = tb_sys(b, 100, 5020, 1, 1, "read", 1, 3, 0, 1);
	tb_fdinfo(b, e, 0, 3, FR_FD_PIPE, 1001, NULL);
	tb_switch(b, 110, 0, 1, 1, 1, 0, 0, "a", NULL);
	tb_wake(b, 5000, 1, 2, 2, 1, 1, FR_CTX_TASK, 0, 0);
	tb_switch(b, 5010, 0, 0, 0, 0, 1, 1, NULL, "a");
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

static void focus_incident(struct fa_incident *inc, const struct fa_model *m, uint32_t tid,
			   uint64_t s, uint64_t e)
{
	memset(inc, 0, sizeof(*inc));
	inc->kind = FA_INC_FOCUS;
	inc->thread = tb_thread(m, tid);
	inc->start_ns = s;
	inc->end_ns = e;
	inc->nr = inc->res = inc->culprit = inc->index = FA_NONE;
	snprintf(inc->what, sizeof(inc->what), "ran");
	ck_assert_int_eq(fa_incident__explain(m, inc, NULL), 0);
}

START_TEST(test_graph_two_hops)
{
	struct fa_graph_opts all = {.max_nodes = 100, .min_share = 1e-9};
	struct tb b;
	struct fa_model *m = two_hops(&b);
	struct fa_incident inc;
	struct fa_graph *g;
	uint32_t A, B, C, ra, rb, sc;

	focus_incident(&inc, m, 1, 100, 5020);
	ck_assert_int_eq(fa_graph__build(m, &inc, &all, &g), 0);
	A = fa_graph__thread_node(g, tb_thread(m, 1));
	B = fa_graph__thread_node(g, tb_thread(m, 2));
	C = fa_graph__thread_node(g, tb_thread(m, 3));
	ck_assert_uint_eq(A, g->victim);
	ck_assert(g->nodes[A].flags & FA_GNF_VICTIM);
	ck_assert_uint_ne(B, FA_NONE);
	ck_assert_uint_ne(C, FA_NONE);
	/* the chain of hops */
	ra = next_node(g, A, FA_GE_BLOCKED, FA_GN_CALL);
	ck_assert_uint_eq(g->nodes[ra].nr, tb_nr("read"));
	ck_assert_uint_eq(edge_ns(g, A, ra, FA_GE_BLOCKED), 4890);
	ck_assert_uint_eq(edge_ns(g, ra, B, FA_GE_WOKEN), 4890);
	ck_assert_uint_eq(g->edges[fa_graph__edge(g, ra, B, FA_GE_WOKEN)].via, FA_VIA_PIPE);
	rb = next_node(g, B, FA_GE_BLOCKED, FA_GN_CALL);
	ck_assert_uint_eq(edge_ns(g, B, rb, FA_GE_BLOCKED), 3890);
	ck_assert_uint_eq(edge_ns(g, rb, C, FA_GE_WOKEN), 3890);
	/* the leaves */
	sc = next_node(g, C, FA_GE_BLOCKED, FA_GN_CALL);
	ck_assert_uint_eq(g->nodes[sc].nr, tb_nr("nanosleep"));
	ck_assert_uint_eq(edge_ns(g, C, sc, FA_GE_BLOCKED), 3690);
	ck_assert_uint_eq(edge_ns(g, sc, kernel(g, FA_GK_TIMER), FA_GE_CAUSE), 3690);
	ck_assert_uint_eq(edge_ns(g, C, kernel(g, FA_GK_CPU), FA_GE_CAUSE), 190);
	ck_assert_uint_eq(edge_ns(g, B, kernel(g, FA_GK_CPU), FA_GE_CAUSE), 990);
	ck_assert_uint_eq(edge_ns(g, A, kernel(g, FA_GK_CPU), FA_GE_CAUSE), 20);
	ck_assert_uint_eq(edge_ns(g, A, kernel(g, FA_GK_RUNQUEUE), FA_GE_CAUSE), 10);
	ck_assert_uint_eq(edge_ns(g, B, kernel(g, FA_GK_RUNQUEUE), FA_GE_CAUSE), 10);
	ck_assert_uint_eq(edge_ns(g, C, kernel(g, FA_GK_RUNQUEUE), FA_GE_CAUSE), 10);
	ck_assert_uint_eq(g->n_edges, 12);
	ck_assert_uint_eq(g->n_hidden, 0);
	ck_assert_uint_eq(g->unlinked_ns, 0);
	assert_conserved(g, 4920);
	/* the heaviest chain: A, read, B, read, C, nanosleep, timer */
	ck_assert(g->edges[fa_graph__edge(g, A, ra, FA_GE_BLOCKED)].main);
	ck_assert(g->edges[fa_graph__edge(g, rb, C, FA_GE_WOKEN)].main);
	ck_assert(g->edges[fa_graph__edge(g, sc, kernel(g, FA_GK_TIMER), FA_GE_CAUSE)].main);
	ck_assert(!g->edges[fa_graph__edge(g, B, kernel(g, FA_GK_CPU), FA_GE_CAUSE)].main);
	fa_graph__free(g);

	/* at the default 1% (49.2): the 10 and 20 ns links go, and with them
	 * the run queue */
	ck_assert_int_eq(fa_graph__build(m, &inc, NULL, &g), 0);
	A = fa_graph__thread_node(g, tb_thread(m, 1));
	B = fa_graph__thread_node(g, tb_thread(m, 2));
	C = fa_graph__thread_node(g, tb_thread(m, 3));
	ck_assert_uint_eq(g->n_hidden, 4);
	ck_assert(!(g->nodes[kernel(g, FA_GK_RUNQUEUE)].flags & FA_GNF_SHOWN));
	ck_assert(g->nodes[C].flags & FA_GNF_SHOWN);
	ck_assert(!g->edges[fa_graph__edge(g, A, kernel(g, FA_GK_CPU), FA_GE_CAUSE)].shown);
	ck_assert(g->edges[fa_graph__edge(g, B, kernel(g, FA_GK_CPU), FA_GE_CAUSE)].shown);
	fa_graph__free(g);

	/* at most 5 nodes: the threshold rises until only the heaviest chain
	 * to C's sleep is left */
	all.max_nodes = 5;
	ck_assert_int_eq(fa_graph__build(m, &inc, &all, &g), 0);
	B = fa_graph__thread_node(g, tb_thread(m, 2));
	C = fa_graph__thread_node(g, tb_thread(m, 3));
	ck_assert_uint_le(g->n_shown_nodes, 5);
	ck_assert(g->nodes[B].flags & FA_GNF_SHOWN);
	ck_assert(g->nodes[C].flags & FA_GNF_SHOWN);
	fa_graph__free(g);
	fa_incident__clear(&inc);
	tb_free(&b);
}
END_TEST

/* The DOT of a graph, parsed back with cgraph. */
static Agraph_t *dot_of(const struct fa_model *m, struct fa_incidents *v, char **text)
{
	char err[256], *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	Agraph_t *g;

	ck_assert_ptr_nonnull(f);
	ck_assert_msg(fa_graph__write(f, "dot", m, v, "x.frb", NULL, err, sizeof(err)) == 0, "%s",
		      err);
	fclose(f);
	g = agmemread(buf);
	ck_assert_msg(g != NULL, "cgraph cannot read the DOT back:\n%s", buf);
	*text = buf;
	return g;
}

static const char *attr(void *obj, const char *name)
{
	const char *v = agget(obj, (char *)name);

	return v ? v : "";
}

/* The thread node with this tid in a parsed graph, or NULL. */
static Agnode_t *dot_thread(Agraph_t *g, uint32_t tid)
{
	char want[16];
	Agnode_t *n;

	snprintf(want, sizeof(want), "%u", tid);
	for (n = agfstnode(g); n; n = agnxtnode(g, n))
		if (!strcmp(attr(n, "fr_kind"), "thread") && !strcmp(attr(n, "fr_tid"), want))
			return n;
	return NULL;
}

/* A woken edge into `to` from a call node of thread `from_tid` (or from that
 * thread itself: a fork edge). */
static bool dot_hop(Agraph_t *g, Agnode_t *to, uint32_t from_tid)
{
	char want[16];
	Agedge_t *e;

	snprintf(want, sizeof(want), "%u", from_tid);
	for (e = agfstin(g, to); e; e = agnxtin(g, e))
		if (!strcmp(attr(e, "fr_kind"), "woken") &&
		    !strcmp(attr(agtail(e), "fr_tid"), want))
			return true;
	return false;
}

START_TEST(test_graph_dot_roundtrip)
{
	struct tb b;
	struct fa_model *m = two_hops(&b);
	struct fa_incidents v = {0};
	Agraph_t *g;
	Agnode_t *a, *bn, *c;
	char *text;

	v.v = calloc(2, sizeof(*v.v));
	v.n = v.cap = 2;
	focus_incident(&v.v[0], m, 1, 100, 5020);
	focus_incident(&v.v[1], m, 2, 50, 4020);
	g = dot_of(m, &v, &text);
	/* two incidents: two clusters, and the legend */
	ck_assert_ptr_nonnull(agsubg(g, (char *)"cluster_i1", 0));
	ck_assert_ptr_nonnull(agsubg(g, (char *)"cluster_i2", 0));
	ck_assert_ptr_nonnull(agsubg(g, (char *)"cluster_legend", 0));
	a = dot_thread(agsubg(g, (char *)"cluster_i1", 0), 1);
	bn = dot_thread(agsubg(g, (char *)"cluster_i1", 0), 2);
	c = dot_thread(agsubg(g, (char *)"cluster_i1", 0), 3);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(bn);
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(attr(a, "fr_role"), "victim");
	ck_assert_str_eq(attr(a, "fr_comm"), "a");
	ck_assert(dot_hop(g, bn, 1));
	ck_assert(dot_hop(g, c, 2));
	/* the second incident starts at B */
	ck_assert_str_eq(attr(dot_thread(agsubg(g, (char *)"cluster_i2", 0), 2), "fr_role"),
			 "victim");
	ASSERT_HAS(text, "fr_ns=4890");
	agclose(g);
	free(text);
	fa_incidents__free(&v);
	tb_free(&b);
}
END_TEST

/* Bundle strings in labels: a backslash would be a Graphviz escape, bytes
 * that are not UTF-8 upset it; the DOT still parses and says the name. */
START_TEST(test_graph_hostile_names)
{
	struct tb b;
	struct fa_model *m;
	struct fa_incidents v = {0};
	Agraph_t *g;
	Agnode_t *n;
	char *text, *svg;
	size_t len;
	char err[256];

	tb_init(&b);
	tb_switch(&b, 0, 0, 0, 0, 0, 7, 7, NULL, "x\\N\"<b>\xff");
	tb_sys(&b, 100, 5000, 7, 7, "nanosleep", 0, 0, 0, 0);
	tb_switch(&b, 110, 0, 7, 7, 1, 0, 0, "x\\N\"<b>\xff", NULL);
	tb_wake(&b, 4990, 0, 0, 0, 7, 7, FR_CTX_TIMER, 0, 0);
	tb_switch(&b, 4995, 0, 0, 0, 0, 7, 7, NULL, "x\\N\"<b>\xff");
	m = tb_build(&b, NULL);
	v.v = calloc(1, sizeof(*v.v));
	v.n = v.cap = 1;
	focus_incident(&v.v[0], m, 7, 100, 5000);
	g = dot_of(m, &v, &text);
	n = dot_thread(g, 7);
	ck_assert_ptr_nonnull(n);
	/* the label shows the backslash (escaped for Graphviz), the invalid
	 * byte as '?' */
	ck_assert_str_eq(attr(n, "fr_comm"), "x\\N\"<b>?");
	ASSERT_HAS(attr(n, "label"), "x\\\\N\"<b>?");
	agclose(g);
	free(text);
	ck_assert_msg(fa_graph__svg(m, &v.v[0], 1, NULL, &svg, &len, err, sizeof(err)) == 0, "%s",
		      err);
	ck_assert(!strncmp(svg, "<svg", 4));
	/* in SVG the name is XML-escaped by Graphviz */
	ASSERT_HAS(svg, "x\\N&quot;&lt;b&gt;?");
	ck_assert(strstr(svg, "<b>") == NULL);
	free(svg);
	fa_incidents__free(&v);
	tb_free(&b);
}
END_TEST

/* A failure has no duration: victim -> failure -> who caused it. */
START_TEST(test_graph_failure)
{
	struct tb b;
	struct fa_model *m;
	struct fa_incident inc;
	struct fa_graph *g;
	struct fr_event *e;
	uint32_t f, i;

	tb_init(&b);
	tb_proc(&b, 10, 1, "victim", NULL);
	tb_proc(&b, 20, 1, "killer", NULL);
	tb_switch(&b, 0, 0, 0, 0, 0, 10, 10, NULL, "victim");
	tb_switch(&b, 0, 1, 0, 0, 0, 20, 20, NULL, "killer");
	tb_sys(&b, 100, 200, 20, 20, "kill", 0, 10, 9, 0);
	e = tb_ev(&b, 150, 20, 20, FR_EV_SIGNAL_GENERATE, 1);
	e->u.sig_gen.target_pid = 10;
	e->u.sig_gen.target_tid = 10;
	e->u.sig_gen.sig = 9;
	e = tb_ev(&b, 300, 10, 10, FR_EV_PROC_EXIT, 0);
	e->u.exit.status = 9;
	e->u.exit.flags = FR_EXIT_GROUP_DEAD;
	m = tb_build(&b, NULL);
	{
		struct fa_incidents v = {0};
		struct fa_find_opts fo = {0};

		ck_assert_int_eq(fa_incidents__find(m, &fo, &v), 0);
		ck_assert_uint_ge(v.n, 1);
		ck_assert_uint_eq(v.v[0].kind, FA_INC_FATAL_SIGNAL);
		inc = v.v[0];
		v.v[0].path = NULL;
		v.v[0].causes = NULL;
		fa_incidents__free(&v);
	}
	ck_assert_int_eq(fa_incident__explain(m, &inc, NULL), 0);
	ck_assert_int_eq(fa_graph__build(m, &inc, NULL, &g), 0);
	f = FA_NONE;
	for (i = 0; i < g->n_nodes; i++)
		if (g->nodes[i].kind == FA_GN_FAILURE)
			f = i;
	ck_assert_uint_ne(f, FA_NONE);
	ck_assert_uint_ne(fa_graph__edge(g, g->victim, f, FA_GE_FAILURE), FA_NONE);
	ck_assert_uint_ne(
	    fa_graph__edge(g, f, fa_graph__thread_node(g, tb_thread(m, 20)), FA_GE_BLAME), FA_NONE);
	fa_graph__free(g);
	fa_incident__clear(&inc);
	tb_free(&b);
}
END_TEST

/* ---- the recorded scenarios ----------------------------------------------------------------- */

static char fixture_dir[512] = "tests/fixtures/analyze";

struct scenario {
	char name[32], victim[32], category[32], culprit[32];
};

static int read_scenarios(struct scenario *s, int max)
{
	char path[600], line[512];
	FILE *f;
	int n = 0;

	snprintf(path, sizeof(path), "%s/scenarios.txt", fixture_dir);
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	while (n < max && fgets(line, sizeof(line), f))
		if (line[0] != '#' && line[0] != '\n' &&
		    sscanf(line, "%31s %31s %31s %31s", s[n].name, s[n].victim, s[n].category,
			   s[n].culprit) == 4)
			n++;
	fclose(f);
	return n;
}

START_TEST(test_graph_scenarios)
{
	struct scenario sc[16];
	int n = read_scenarios(sc, 16), k, checked = 0;

	ck_assert_int_gt(n, 0);
	for (k = 0; k < n; k++) {
		char path[600], err[512], spec[64], *text, *svg;
		struct fr_reader *r;
		struct fa_model *m;
		struct fa_incidents v = {0};
		struct fa_focus focus = {0};
		struct fa_find_opts fo = {.top = 1};
		struct fa_graph *gr;
		struct fa_incident *inc;
		Agraph_t *g;
		Agnode_t *victim, *culprit = NULL, *n2;
		size_t len;
		uint32_t i;

		snprintf(path, sizeof(path), "%s/%s.frb", fixture_dir, sc[k].name);
		if (access(path, R_OK))
			continue; /* analyze_fixtures.sh reports missing bundles */
		checked++;
		ck_assert_msg(fr_reader__open(path, &r, err, sizeof(err)) == 0, "%s: %s", path,
			      err);
		ck_assert_int_eq(fa_model__build(r, NULL, &m, err, sizeof(err)), 0);
		snprintf(spec, sizeof(spec), "comm:%s", sc[k].victim);
		ck_assert_int_eq(fa_focus__parse(&focus, spec, err, sizeof(err)), 0);
		fa_focus__anchor(&focus, m->start_ns);
		fo.focus = &focus;
		ck_assert_int_eq(fa_incidents__find(m, &fo, &v), 0);
		ck_assert_uint_eq(v.n, 1);
		inc = &v.v[0];
		ck_assert_int_eq(fa_incident__explain(m, inc, NULL), 0);

		g = dot_of(m, &v, &text);
		victim = dot_thread(g, m->threads[inc->thread].tid);
		ck_assert_msg(victim != NULL, "%s: no victim node", sc[k].name);
		ck_assert_str_eq(attr(victim, "fr_comm"), sc[k].victim);
		ASSERT_HAS(attr(victim, "fr_role"), "victim");
		for (n2 = agfstnode(g); n2; n2 = agnxtnode(g, n2))
			if (!strcmp(attr(n2, "fr_comm"), sc[k].culprit) &&
			    strstr(attr(n2, "fr_role"), "culprit"))
				culprit = n2;
		ck_assert_msg(culprit != NULL, "%s: no culprit node %s", sc[k].name, sc[k].culprit);

		/* every hop of the path that carries 1% or more is drawn: a woken
		 * edge from the waiter's call (or the waiter) into the thread */
		ck_assert_int_eq(fa_graph__build(m, inc, NULL, &gr), 0);
		for (i = 0; i < gr->n_edges; i++) {
			const struct fa_gedge *e = &gr->edges[i];
			const struct fa_gnode *from = &gr->nodes[e->from], *to = &gr->nodes[e->to];
			Agnode_t *dn;

			if (e->kind != FA_GE_WOKEN || !e->shown || to->kind != FA_GN_THREAD)
				continue;
			dn = dot_thread(g, m->threads[to->thread].tid);
			ck_assert_msg(dn != NULL, "%s: hop target %u not drawn", sc[k].name,
				      m->threads[to->thread].tid);
			ck_assert_msg(dot_hop(g, dn, m->threads[from->thread].tid),
				      "%s: hop %u -> %u not in the DOT", sc[k].name,
				      m->threads[from->thread].tid, m->threads[to->thread].tid);
		}
		/* and each segment of a hop is reachable: the path's hops with
		 * enough time are among the graph's edges */
		for (i = 0; i < inc->n_path; i++) {
			const struct fa_segment *s = &inc->path[i];
			uint64_t hop_ns = 0;
			uint32_t j;

			if (!s->depth || s->from >= m->n_threads)
				continue;
			for (j = 0; j < inc->n_path; j++)
				if (inc->path[j].thread == s->thread &&
				    inc->path[j].from == s->from)
					hop_ns += inc->path[j].end_ns - inc->path[j].start_ns;
			if (hop_ns * 100 < inc->end_ns - inc->start_ns)
				continue;
			ck_assert_msg(dot_hop(g, dot_thread(g, m->threads[s->thread].tid),
					      m->threads[s->from].tid),
				      "%s: the path's hop %u -> %u (%llu ns) is not drawn",
				      sc[k].name, m->threads[s->from].tid,
				      m->threads[s->thread].tid, (unsigned long long)hop_ns);
		}
		assert_conserved(gr, inc->end_ns - inc->start_ns - gr->unlinked_ns);
		fa_graph__free(gr);
		agclose(g);
		free(text);

		ck_assert_msg(fa_graph__svg(m, inc, 1, NULL, &svg, &len, err, sizeof(err)) == 0,
			      "%s: %s", sc[k].name, err);
		ASSERT_HAS(svg, sc[k].victim);
		ASSERT_HAS(svg, sc[k].culprit);
		ASSERT_HAS(svg, "</svg>");
		free(svg);
		fa_incidents__free(&v);
		fa_model__free(m);
		fr_reader__free(r);
	}
	ck_assert_msg(checked > 0, "no scenario bundle in %s", fixture_dir);
}
END_TEST

int main(int argc, char **argv)
{
	Suite *s = suite_create("graph");
	TCase *tc = tcase_create("graph");
	SRunner *sr;
	int failed;

	/* run from the tree's root (make check) or from anywhere: the fixtures
	 * are two levels above build/tests/ */
	if (access("tests/fixtures/analyze/scenarios.txt", R_OK) && argc > 0) {
		char *slash = strrchr(argv[0], '/');

		if (slash)
			snprintf(fixture_dir, sizeof(fixture_dir),
				 "%.*s/../../tests/fixtures/analyze", (int)(slash - argv[0]),
				 argv[0]);
	}
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_graph_two_hops);
	tcase_add_test(tc, test_graph_dot_roundtrip);
	tcase_add_test(tc, test_graph_hostile_names);
	tcase_add_test(tc, test_graph_failure);
	tcase_add_test(tc, test_graph_scenarios);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
