// SPDX-License-Identifier: MIT
/*
 * graph.c: the causal graph of an incident, aggregated from its critical
 * path (analyze/graph.h says what the nodes and edges are).
 *
 * The path is a list of segments in time order, each on one thread at some
 * depth: depth 0 is the victim, depth d+1 a thread the walk crossed to from
 * a thread at depth d (`from`) because that one was blocked waiting for it.
 * A hop covers a contiguous stretch of time, and everything deeper inside
 * that stretch hangs below it.  The walk does not record the whole chain of
 * a segment, only its `from`; the chain is rebuilt here with a stack of hop
 * instances, one per depth: a segment at depth d replaces the instance at d
 * and cuts the stack there, and the ancestors it implies (the thread at
 * d-1 is its `from`) are checked against the stack and created when they
 * differ.  A thread whose hop starts with a deeper hop (it was blocked from
 * the first moment) has no segment of its own yet: its instance is made
 * from the deeper segment's `from` and completed by its own segments later.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/graph.h"
#include "analyze/internal.h"
#include "formats/util.h"

#define MAX_HOP_DEPTH 64 /* deeper segments are hung at this depth */

const char *fa_gnode_kind_name(unsigned kind)
{
	static const char *const n[FA_GN_KIND_COUNT] = {"thread", "call", "kernel", "failure"};

	return kind < FA_GN_KIND_COUNT ? n[kind] : "?";
}

const char *fa_gedge_kind_name(unsigned kind)
{
	static const char *const n[FA_GE_KIND_COUNT] = {"blocked", "woken", "cpu",
							"cause",   "blame", "failure"};

	return kind < FA_GE_KIND_COUNT ? n[kind] : "?";
}

const char *fa_gkernel_name(unsigned k)
{
	static const char *const n[FA_GK_COUNT] = {
	    "on CPU",	"CPU run queue", "memory reclaim", "major page faults",
	    "disk I/O", "network",	 "timer",	   "not recorded",
	};

	return k < FA_GK_COUNT ? n[k] : "?";
}

const char *fa_category_color(unsigned c)
{
	static const char *const col[FA_CAT_COUNT] = {
	    "#2e9e44", /* running */
	    "#f28e2b", /* cpu-contention */
	    "#8c564b", /* disk-io */
	    "#1f77b4", /* network */
	    "#17becf", /* ipc */
	    "#d62728", /* lock */
	    "#9467bd", /* memory-reclaim */
	    "#e377c2", /* page-fault */
	    "#7f8fa6", /* sleep */
	    "#bbbbbb", /* unknown */
	};

	return c < FA_CAT_COUNT ? col[c] : col[FA_CAT_UNKNOWN];
}

size_t fa_utf8_len(const unsigned char *s, size_t n)
{
	size_t l, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		l = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		l = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		l = 4;
	else
		return 0;
	if (l > n)
		return 0;
	for (i = 1; i < l; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	/* overlong 3- and 4-byte forms, surrogates, beyond U+10FFFF */
	if (l == 3 && ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0)))
		return 0;
	if (l == 4 && ((s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90)))
		return 0;
	return l;
}

/* ---- building --------------------------------------------------------------------------- */

/* One hop of the path: `thread` at some depth, reached from its parent's
 * thread.  thread == FA_NONE until a segment names it. */
struct hop {
	uint32_t thread;
	uint32_t parent; /* hop index, FA_NONE for the victim's */
	uint8_t via;
	bool via_known;
	uint64_t start_ns; /* a time inside the hop (its first segment's start) */
	uint64_t ns;	   /* path time below it */
	uint64_t ns_by_cat[FA_CAT_COUNT];
};

struct builder {
	const struct fa_model *m;
	struct fa_graph *g;
	struct fa_map node_map, edge_map;
	struct hop *hops;
	uint32_t n_hops, cap_hops;
	uint32_t stack[MAX_HOP_DEPTH];
	uint32_t n_stack;
	bool oom;
};

static uint32_t node(struct builder *b, unsigned kind, unsigned kernel, uint32_t thread,
		     uint32_t nr, uint32_t res)
{
	struct fa_graph *g = b->g;
	uint64_t ka = ((uint64_t)kind << 56) | ((uint64_t)kernel << 48) | thread;
	uint64_t kb = ((uint64_t)nr << 32) | res;
	uint32_t i = fa_map_get(&b->node_map, ka, kb);
	struct fa_gnode *n;

	if (i != FA_NONE)
		return i;
	n = FA_PUSH(g->nodes, g->n_nodes, g->cap_nodes);
	if (!n || fa_map_put(&b->node_map, ka, kb, g->n_nodes - 1)) {
		b->oom = true;
		return FA_NONE;
	}
	memset(n, 0, sizeof(*n));
	n->kind = (uint8_t)kind;
	n->kernel = (uint8_t)kernel;
	n->thread = thread;
	n->nr = nr;
	n->res = res;
	n->wait = FA_NONE;
	return g->n_nodes - 1;
}

static uint32_t thread_node(struct builder *b, uint32_t thread)
{
	return node(b, FA_GN_THREAD, 0, thread, FA_NONE, FA_NONE);
}

static uint32_t kernel_node(struct builder *b, unsigned k)
{
	return node(b, FA_GN_KERNEL, k, FA_NONE, FA_NONE, FA_NONE);
}

/* The node of a thread's blocked call `wait`, or the thread's own node when
 * it was blocked outside a system call. */
static uint32_t call_node(struct builder *b, uint32_t thread, uint32_t wait)
{
	const struct fa_model *m = b->m;
	uint32_t n;

	if (wait >= m->n_waits)
		return thread_node(b, thread);
	n = node(b, FA_GN_CALL, 0, thread, m->waits[wait].nr, m->waits[wait].res);
	if (n != FA_NONE && b->g->nodes[n].wait == FA_NONE)
		b->g->nodes[n].wait = wait;
	return n;
}

/* Where thread `thread` was waiting at `ts`: its call node (or itself). */
static uint32_t waiting_node(struct builder *b, uint32_t thread, uint64_t ts)
{
	const struct fa_thread *t = &b->m->threads[thread];
	long i = fa_thread__interval_at(t, ts);

	if (i < 0 || t->iv[i].state == FA_ST_RUNNING)
		return thread_node(b, thread);
	return call_node(b, thread, t->iv[i].wait);
}

static void edge(struct builder *b, uint32_t from, uint32_t to, unsigned kind, unsigned via,
		 unsigned cat, uint64_t ns)
{
	struct fa_graph *g = b->g;
	uint32_t i;
	struct fa_gedge *e;

	if (from == FA_NONE || to == FA_NONE || from == to || !ns)
		return;
	i = fa_map_get(&b->edge_map, ((uint64_t)from << 32) | to, ((uint64_t)kind << 8) | via);
	if (i == FA_NONE) {
		e = FA_PUSH(g->edges, g->n_edges, g->cap_edges);
		if (!e || fa_map_put(&b->edge_map, ((uint64_t)from << 32) | to,
				     ((uint64_t)kind << 8) | via, g->n_edges - 1)) {
			b->oom = true;
			return;
		}
		memset(e, 0, sizeof(*e));
		e->from = from;
		e->to = to;
		e->kind = (uint8_t)kind;
		e->via = (uint8_t)via;
		i = g->n_edges - 1;
	}
	e = &g->edges[i];
	e->ns += ns;
	e->ns_by_cat[cat < FA_CAT_COUNT ? cat : FA_CAT_UNKNOWN] += ns;
	g->nodes[from].ns_out += ns;
	g->nodes[to].ns_in += ns;
}

/* How a waiter blocked in `wait` was most likely reached (for hops whose
 * own segment never said: the thread was blocked all along). */
static unsigned guess_via(const struct fa_model *m, uint32_t thread, uint64_t ts)
{
	const struct fa_thread *t = &m->threads[thread];
	long i = fa_thread__interval_at(t, ts);

	return i < 0 ? FA_VIA_FORK : fa_via_of_wait(m, t->iv[i].wait);
}

static uint32_t new_hop(struct builder *b, uint32_t thread, uint32_t parent, uint64_t ts)
{
	struct hop *h = FA_PUSH(b->hops, b->n_hops, b->cap_hops);

	if (!h) {
		b->oom = true;
		return FA_NONE;
	}
	memset(h, 0, sizeof(*h));
	h->thread = thread;
	h->parent = parent;
	h->start_ns = ts;
	return b->n_hops - 1;
}

/*
 * Make the stack hold the chain of a segment at depth d on `thread`,
 * reached from `from` by `via`; returns the hop of depth d.
 */
static uint32_t place(struct builder *b, unsigned d, uint32_t thread, uint32_t from, unsigned via,
		      uint64_t ts)
{
	uint32_t old_n = b->n_stack, k, h;

	/* the ancestors: depth d-1 must be `from`; above it, whatever is still
	 * open, else a hop whose thread is not known yet */
	for (k = 1; k < d; k++) {
		uint32_t want = k == d - 1 ? from : FA_NONE;
		struct hop *x = k < old_n ? &b->hops[b->stack[k]] : NULL;

		if (x && (want == FA_NONE || x->thread == want || x->thread == FA_NONE)) {
			if (x->thread == FA_NONE)
				x->thread = want;
			continue;
		}
		/* a new hop from here on down: what was open below is closed */
		old_n = k;
		h = new_hop(b, want, b->stack[k - 1], ts);
		if (h == FA_NONE)
			return FA_NONE;
		b->stack[k] = h;
	}
	/* the parent of a hop with an unknown thread is named by this segment */
	h = d < old_n ? b->stack[d] : FA_NONE;
	if (h != FA_NONE && (b->hops[h].thread == thread || b->hops[h].thread == FA_NONE)) {
		b->hops[h].thread = thread;
	} else {
		h = new_hop(b, thread, b->stack[d - 1], ts);
		if (h == FA_NONE)
			return FA_NONE;
		b->stack[d] = h;
	}
	if (!b->hops[h].via_known) {
		b->hops[h].via = (uint8_t)via;
		b->hops[h].via_known = true;
	}
	b->n_stack = d + 1;
	return h;
}

/* The edges of a segment on its own thread: what that thread was doing. */
static void leaf(struct builder *b, const struct fa_segment *s)
{
	const struct fa_model *m = b->m;
	uint64_t d = s->end_ns - s->start_ns;
	uint32_t t = thread_node(b, s->thread), src = t, k;
	bool blame = s->culprit != FA_NONE && s->culprit != s->thread && s->culprit < m->n_threads;

	if (s->state == FA_ST_BLOCKED) {
		src = call_node(b, s->thread, s->wait);
		edge(b, t, src, FA_GE_BLOCKED, 0, s->category, d);
	}
	switch (s->category) {
	case FA_CAT_RUNNING:
		edge(b, src, kernel_node(b, FA_GK_CPU), FA_GE_CAUSE, 0, s->category, d);
		return;
	case FA_CAT_CPU:
		if (blame)
			edge(b, src, thread_node(b, s->culprit), FA_GE_CPU, 0, s->category, d);
		else
			edge(b, src, kernel_node(b, FA_GK_RUNQUEUE), FA_GE_CAUSE, 0, s->category,
			     d);
		return;
	case FA_CAT_RECLAIM:
	case FA_CAT_FAULT:
	case FA_CAT_DISK:
		k = kernel_node(b, s->category == FA_CAT_RECLAIM ? FA_GK_RECLAIM
				   : s->category == FA_CAT_FAULT ? FA_GK_FAULT
								 : FA_GK_DISK);
		edge(b, src, k, FA_GE_CAUSE, 0, s->category, d);
		if (blame)
			edge(b, k, thread_node(b, s->culprit), FA_GE_BLAME, 0, s->category, d);
		return;
	case FA_CAT_NETWORK:
		k = kernel_node(b, FA_GK_NETWORK);
		if (k != FA_NONE && (s->flags & FA_SEGF_RETRANSMIT))
			b->g->nodes[k].flags |= FA_GNF_RETRANSMIT;
		edge(b, src, k, FA_GE_CAUSE, 0, s->category, d);
		return;
	case FA_CAT_SLEEP:
		if (s->state == FA_ST_BLOCKED)
			edge(b, src, kernel_node(b, FA_GK_TIMER), FA_GE_CAUSE, 0, s->category, d);
		else
			edge(b, src, kernel_node(b, FA_GK_CPU), FA_GE_CAUSE, 0, s->category, d);
		return;
	default:
		/* lock, ipc, unknown: a task the walk did not follow (a kernel
		 * thread, a task not recorded) ended the wait, or nothing did */
		if (blame)
			edge(b, src, thread_node(b, s->culprit), FA_GE_BLAME, 0, s->category, d);
		else
			edge(b, src, kernel_node(b, FA_GK_UNKNOWN), FA_GE_CAUSE, 0, s->category, d);
		return;
	}
}

/* The edges of one hop (its waiter's call -> its thread), for all the time
 * below it. */
static void hop_edges(struct builder *b, const struct hop *h, const struct hop *parent)
{
	const struct fa_model *m = b->m;
	uint32_t from, src, to;
	unsigned via, c;

	if (h->thread == FA_NONE || parent->thread == FA_NONE || h->thread >= m->n_threads) {
		b->g->unlinked_ns += h->ns;
		return;
	}
	from = thread_node(b, parent->thread);
	src = waiting_node(b, parent->thread, h->start_ns);
	to = thread_node(b, h->thread);
	via = h->via_known ? h->via : guess_via(m, parent->thread, h->start_ns);
	for (c = 0; c < FA_CAT_COUNT; c++) {
		if (src != from)
			edge(b, from, src, FA_GE_BLOCKED, 0, c, h->ns_by_cat[c]);
		edge(b, src, to, FA_GE_WOKEN, via, c, h->ns_by_cat[c]);
	}
}

static void failure(struct builder *b, const struct fa_incident *inc)
{
	uint32_t v = b->g->victim, f = node(b, FA_GN_FAILURE, 0, FA_NONE, FA_NONE, FA_NONE);
	uint32_t i;
	unsigned cat = inc->n_causes ? inc->causes[0].category : FA_CAT_UNKNOWN;

	edge(b, v, f, FA_GE_FAILURE, 0, cat, 1);
	for (i = 0; inc->n_causes && i < inc->causes[0].n_culprits; i++) {
		uint32_t c = inc->causes[0].culprits[i].thread;

		if (c < b->m->n_threads && c != inc->thread)
			edge(b, f, thread_node(b, c), FA_GE_BLAME, 0, cat, 1);
	}
}

/* Mark the nodes reachable from the victim over edges of at least min_ns;
 * returns how many. */
static uint32_t reach(struct fa_graph *g, uint64_t min_ns, uint32_t *queue)
{
	uint32_t i, qh = 0, qt = 1, n_shown = 1;

	for (i = 0; i < g->n_nodes; i++)
		g->nodes[i].flags &= (uint16_t)~FA_GNF_SHOWN;
	g->nodes[g->victim].flags |= FA_GNF_SHOWN;
	queue[0] = g->victim;
	while (qh < qt) {
		uint32_t n = queue[qh++];

		/* edges are few (tens to a few thousand): a scan per node will do */
		for (i = 0; i < g->n_edges; i++) {
			const struct fa_gedge *e = &g->edges[i];

			if (e->from != n || e->ns < min_ns ||
			    (g->nodes[e->to].flags & FA_GNF_SHOWN))
				continue;
			g->nodes[e->to].flags |= FA_GNF_SHOWN;
			queue[qt++] = e->to;
			n_shown++;
		}
	}
	return n_shown;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Decide what is drawn: the edges of at least min_ns between nodes
 * reachable from the victim, with the threshold raised to the lowest one
 * that leaves no more than max_nodes nodes (the number reachable only falls
 * as the threshold rises: a binary search over the edges' weights).
 */
static int prune(struct fa_graph *g, uint64_t min_ns, unsigned max_nodes)
{
	uint32_t *queue = malloc((size_t)(g->n_nodes ? g->n_nodes : 1) * sizeof(*queue));
	uint64_t *cand = malloc((size_t)(g->n_edges + 1) * sizeof(*cand));
	uint32_t i, n_cand = 0;

	if (!queue || !cand) {
		free(queue);
		free(cand);
		return -ENOMEM;
	}
	cand[n_cand++] = min_ns;
	for (i = 0; i < g->n_edges; i++)
		if (g->edges[i].ns >= min_ns)
			cand[n_cand++] = g->edges[i].ns + 1;
	qsort(cand, n_cand, sizeof(*cand), cmp_u64);
	if (n_cand > 1 && reach(g, min_ns, queue) > max_nodes) {
		uint32_t lo = 1, hi = n_cand - 1; /* cand[hi] is above every edge: 1 node */

		while (lo < hi) {
			uint32_t mid = lo + (hi - lo) / 2;

			if (reach(g, cand[mid], queue) <= max_nodes)
				hi = mid;
			else
				lo = mid + 1;
		}
		min_ns = cand[lo];
	}
	g->n_shown_nodes = reach(g, min_ns, queue);
	free(queue);
	free(cand);
	g->min_ns = min_ns;
	g->n_hidden = 0;
	for (i = 0; i < g->n_edges; i++) {
		struct fa_gedge *e = &g->edges[i];

		e->shown = e->ns >= min_ns && (g->nodes[e->from].flags & FA_GNF_SHOWN) &&
			   (g->nodes[e->to].flags & FA_GNF_SHOWN);
		if (!e->shown)
			g->n_hidden++;
	}
	return 0;
}

/* The heaviest chain from the victim: what a reader follows first. */
static void mark_main(struct fa_graph *g)
{
	uint32_t n = g->victim, steps;
	uint8_t *seen = calloc(g->n_nodes ? g->n_nodes : 1, 1);

	if (!seen)
		return; /* a nicety: without it nothing is marked */
	for (steps = 0; steps < g->n_nodes; steps++) {
		uint32_t best = FA_NONE, i;

		seen[n] = 1;
		for (i = 0; i < g->n_edges; i++) {
			const struct fa_gedge *e = &g->edges[i];

			if (e->shown && e->from == n && !seen[e->to] &&
			    (best == FA_NONE || e->ns > g->edges[best].ns))
				best = i;
		}
		if (best == FA_NONE)
			break;
		g->edges[best].main = true;
		n = g->edges[best].to;
	}
	free(seen);
}

int fa_graph__build(const struct fa_model *m, const struct fa_incident *inc,
		    const struct fa_graph_opts *o, struct fa_graph **out)
{
	struct builder b;
	struct fa_graph *g;
	unsigned max_nodes = o && o->max_nodes ? o->max_nodes : 24;
	double min_share = o && o->min_share > 0 ? o->min_share : 0.01;
	uint32_t i, k;
	int err = -ENOMEM;

	*out = NULL;
	if (inc->thread >= m->n_threads)
		return -EINVAL;
	g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	memset(&b, 0, sizeof(b));
	b.m = m;
	b.g = g;
	g->inc = inc;
	g->total_ns = inc->end_ns > inc->start_ns ? inc->end_ns - inc->start_ns : 0;
	g->victim = thread_node(&b, inc->thread);
	if (g->victim == FA_NONE)
		goto out;
	g->nodes[g->victim].flags |= FA_GNF_VICTIM;
	if (!inc->n_path) {
		/* failures: nothing to walk, the failure and who caused it */
		if (inc->kind == FA_INC_OOM_KILL || inc->kind == FA_INC_FATAL_SIGNAL ||
		    inc->kind == FA_INC_EXIT)
			failure(&b, inc);
		if (!g->total_ns)
			g->total_ns = 1;
	} else {
		if (new_hop(&b, inc->thread, FA_NONE, inc->start_ns) == FA_NONE)
			goto out;
		b.stack[0] = 0;
		b.n_stack = 1;
		for (i = 0; i < inc->n_path && !b.oom; i++) {
			const struct fa_segment *s = &inc->path[i];
			unsigned d = s->depth < MAX_HOP_DEPTH ? s->depth : MAX_HOP_DEPTH - 1;
			uint32_t h;

			if (s->thread >= m->n_threads || s->end_ns <= s->start_ns)
				continue;
			if (d == 0 || s->from >= m->n_threads) {
				b.n_stack = 1;
				h = 0;
			} else {
				h = place(&b, d, s->thread, s->from, s->via, s->start_ns);
				if (h == FA_NONE)
					break;
			}
			for (; h != FA_NONE && h != 0; h = b.hops[h].parent) {
				b.hops[h].ns += s->end_ns - s->start_ns;
				b.hops[h].ns_by_cat[s->category < FA_CAT_COUNT ? s->category
									       : FA_CAT_UNKNOWN] +=
				    s->end_ns - s->start_ns;
			}
			leaf(&b, s);
		}
		for (k = 1; k < b.n_hops && !b.oom; k++)
			hop_edges(&b, &b.hops[k], &b.hops[b.hops[k].parent]);
	}
	if (b.oom)
		goto out;
	/* an edge's category: the one most of its time falls in */
	for (i = 0; i < g->n_edges; i++) {
		struct fa_gedge *e = &g->edges[i];
		unsigned c, best = FA_CAT_UNKNOWN;

		for (c = 0; c < FA_CAT_COUNT; c++)
			if (e->ns_by_cat[c] > e->ns_by_cat[best])
				best = c;
		e->category = (uint8_t)best;
	}
	if (inc->n_causes) {
		const struct fa_cause *c = &inc->causes[0];

		for (i = 0; i < c->n_culprits; i++) {
			uint32_t n = fa_graph__thread_node(g, c->culprits[i].thread);

			if (n != FA_NONE)
				g->nodes[n].flags |= FA_GNF_CULPRIT;
		}
	}
	err = prune(g, (uint64_t)((double)g->total_ns * min_share), max_nodes);
	if (err)
		goto out;
	mark_main(g);
	*out = g;
	g = NULL;
	err = 0;
out:
	fa_map_free(&b.node_map);
	fa_map_free(&b.edge_map);
	free(b.hops);
	fa_graph__free(g);
	return err;
}

void fa_graph__free(struct fa_graph *g)
{
	if (!g)
		return;
	free(g->nodes);
	free(g->edges);
	free(g);
}

uint32_t fa_graph__edge(const struct fa_graph *g, uint32_t from, uint32_t to, int kind)
{
	uint32_t i;

	for (i = 0; i < g->n_edges; i++)
		if (g->edges[i].from == from && g->edges[i].to == to &&
		    (kind < 0 || g->edges[i].kind == (unsigned)kind))
			return i;
	return FA_NONE;
}

uint32_t fa_graph__thread_node(const struct fa_graph *g, uint32_t thread)
{
	uint32_t i;

	for (i = 0; i < g->n_nodes; i++)
		if (g->nodes[i].kind == FA_GN_THREAD && g->nodes[i].thread == thread)
			return i;
	return FA_NONE;
}

void fa_graph__node_name(const struct fa_model *m, const struct fa_graph *g, uint32_t node,
			 char *buf, size_t len)
{
	const struct fa_gnode *n;

	if (node >= g->n_nodes) {
		snprintf(buf, len, "?");
		return;
	}
	n = &g->nodes[node];
	switch (n->kind) {
	case FA_GN_THREAD:
		fa_model__thread_name(m, n->thread, buf, len);
		break;
	case FA_GN_CALL:
		if (n->wait != FA_NONE)
			fa_describe_wait(m, n->wait, buf, len);
		else
			snprintf(buf, len, "?");
		break;
	case FA_GN_KERNEL:
		snprintf(buf, len, "%s", fa_gkernel_name(n->kernel));
		break;
	default:
		snprintf(buf, len, "%s", fa_incident_kind_name(g->inc->kind));
		break;
	}
}
