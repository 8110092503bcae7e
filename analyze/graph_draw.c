// SPDX-License-Identifier: MIT
/*
 * graph_draw.c: the causal graphs as Graphviz graphs (cgraph), written as
 * DOT or laid out and rendered to SVG in-process (gvc), and the output
 * files the pictures are written through.
 *
 * Strings from the bundle (comms, paths, socket names) reach Graphviz as
 * plain labels: a backslash would start an escape (\N, \G, \l, ...) and a
 * byte that is not UTF-8 makes Graphviz complain, so labels are cleaned
 * first (label_put).  cgraph quotes what it writes.
 *
 * Besides what Graphviz draws, every node and edge carries fr_* attributes
 * (fr_kind, fr_pid, fr_tid, fr_comm, fr_role, fr_ns, fr_share, fr_via,
 * fr_category, fr_main) so that programs reading the DOT need not parse
 * labels; docs/pictures.md lists them.
 */
#include <errno.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cgraph.h>
#include <gvc.h>

#include "analyze/graph.h"
#include "analyze/internal.h"
#include "formats/util.h"

/* ---- output files ----------------------------------------------------------------------- */

FILE *fa_out__open(const char *path, char **tmp, bool private)
{
	char *dup, *base, *t;
	int fd;
	FILE *f;

	*tmp = NULL;
	if (!strcmp(path, "-"))
		return stdout;
	dup = strdup(path);
	base = strdup(path);
	if (!dup || !base || asprintf(&t, "%s/.%s.tmp-XXXXXX", dirname(dup), basename(base)) < 0) {
		free(dup);
		free(base);
		errno = ENOMEM;
		return NULL;
	}
	free(dup);
	free(base);
	fd = mkstemp(t);
	if (fd < 0) {
		int e = errno;

		free(t);
		errno = e;
		return NULL;
	}
	f = fdopen(fd, "w");
	if (!f) {
		int e = errno;

		close(fd);
		unlink(t);
		free(t);
		errno = e;
		return NULL;
	}
	/* mkstemp makes it 0600; otherwise the mode the user's umask gives
	 * ordinary files */
	if (!private) {
		mode_t um = umask(0);

		umask(um);
		if (fchmod(fd, 0666 & ~um) < 0) {
			/* not fatal: the file stays private */
		}
	}
	*tmp = t;
	return f;
}

int fa_out__close(FILE *f, const char *path, char *tmp, bool ok)
{
	int err = 0;

	if (!f)
		return -EINVAL;
	if (f == stdout)
		return fflush(stdout) == 0 ? 0 : -errno;
	if (ferror(f))
		err = -EIO;
	if (fclose(f) != 0 && !err)
		err = -errno;
	if (ok && !err && rename(tmp, path) < 0)
		err = -errno;
	if (!ok || err)
		unlink(tmp);
	free(tmp);
	return err;
}

/* ---- labels ---------------------------------------------------------------------------- */

/*
 * Append `s` to a Graphviz plain label: valid UTF-8 kept, control bytes and
 * invalid bytes as '?', backslashes doubled; broken into lines of at most
 * about `width` characters (0: one line) with "\n", between words, or after
 * "->" or ':' in a word too long for a line.
 */
static void text_put(struct fr_sb *sb, const char *s, unsigned width, bool escapes);

static void label_put(struct fr_sb *sb, const char *s, unsigned width)
{
	text_put(sb, s, width, true);
}

/* A value for an fr_* attribute (Graphviz does not interpret those): the
 * same cleaning, no line breaks, backslashes as they are. */
static void value_put(struct fr_sb *sb, const char *s)
{
	text_put(sb, s, 0, false);
}

static void text_put(struct fr_sb *sb, const char *s, unsigned width, bool escapes)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0;
	unsigned col = 0;

	while (i < n) {
		size_t l = fa_utf8_len(p + i, n - i);

		if (width && p[i] == ' ') {
			size_t w = 1;

			while (i + w < n && p[i + w] != ' ')
				w++;
			if (col + w > width && col) {
				fr_sb_puts(sb, "\\n");
				col = 0;
				i++;
				continue;
			}
		} else if (width && col >= width && i > 0 &&
			   (p[i - 1] == ':' || (p[i - 1] == '>' && i > 1 && p[i - 2] == '-') ||
			    col >= width + width / 2)) {
			fr_sb_puts(sb, "\\n");
			col = 0;
		}
		if (!l || p[i] < 0x20 || p[i] == 0x7f) {
			fr_sb_putc(sb, '?');
			i += l ? l : 1;
		} else if (p[i] == '\\' && escapes) {
			fr_sb_puts(sb, "\\\\");
			i++;
		} else {
			fr_sb_putn(sb, s + i, l);
			i += l;
		}
		col++;
	}
}

static void fmt_share(char *buf, size_t len, double share)
{
	double pc = share * 100.0;

	if (pc >= 9.95)
		snprintf(buf, len, "%.0f%%", pc);
	else if (pc >= 0.05)
		snprintf(buf, len, "%.1f%%", pc);
	else
		snprintf(buf, len, "<0.1%%");
}

/* Edge colour by the share of the incident it explains (the legend). */
static const struct {
	double min;
	const char *color, *text;
} share_scale[] = {
    {0.50, "#c0392b", "50% or more"},
    {0.20, "#e67e22", "20 to 50%"},
    {0.05, "#d4ac0d", "5 to 20%"},
    {0.0, "#7f8c8d", "below 5%"},
};

static const char *share_color(double share)
{
	size_t i;

	for (i = 0; i < FR_ARRAY_SIZE(share_scale); i++)
		if (share >= share_scale[i].min)
			return share_scale[i].color;
	return share_scale[FR_ARRAY_SIZE(share_scale) - 1].color;
}

/* ---- cgraph ---------------------------------------------------------------------------- */

/* cgraph's API predates const */
static void set(void *obj, const char *name, const char *value)
{
	agsafeset(obj, (char *)name, (char *)value, (char *)"");
}

static void setf(void *obj, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void setf(void *obj, const char *name, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	set(obj, name, buf);
}

static void set_sb(void *obj, const char *name, struct fr_sb *sb)
{
	set(obj, name, fr_sb_str(sb));
	fr_sb_reset(sb);
}

static const char *kernel_fill(unsigned k)
{
	static const unsigned cat[FA_GK_COUNT] = {
	    FA_CAT_RUNNING, FA_CAT_CPU,	    FA_CAT_RECLAIM, FA_CAT_FAULT,
	    FA_CAT_DISK,    FA_CAT_NETWORK, FA_CAT_SLEEP,   FA_CAT_UNKNOWN,
	};

	return fa_category_color(k < FA_GK_COUNT ? cat[k] : FA_CAT_UNKNOWN);
}

static void incident_title(char *buf, size_t len, const struct fa_incident *inc, unsigned idx)
{
	char d[32] = "";

	if (inc->end_ns > inc->start_ns)
		fr_fmt_duration(d, sizeof(d), inc->end_ns - inc->start_ns);
	snprintf(buf, len, "%u. %s: %s%s%s", idx, fa_incident_kind_name(inc->kind), inc->what,
		 d[0] ? ", " : "", d);
}

static void draw_node(Agraph_t *sg, const struct fa_model *m, const struct fa_graph *g, uint32_t i,
		      unsigned idx, Agnode_t **nodes, struct fr_sb *sb)
{
	const struct fa_gnode *n = &g->nodes[i];
	char name[48], buf[256];
	Agnode_t *an;

	snprintf(name, sizeof(name), "i%u_n%u", idx, i);
	an = agnode(sg, name, 1);
	nodes[i] = an;
	if (!an)
		return;
	set(an, "id", name);
	set(an, "fr_kind", fa_gnode_kind_name(n->kind));
	set(an, "fontname", "Helvetica");
	set(an, "fontsize", "11");
	set(an, "style", "filled");
	switch (n->kind) {
	case FA_GN_THREAD: {
		const struct fa_thread *t = &m->threads[n->thread];
		const char *role = (n->flags & FA_GNF_VICTIM) && (n->flags & FA_GNF_CULPRIT)
				       ? "victim and culprit"
				   : (n->flags & FA_GNF_VICTIM)	 ? "victim"
				   : (n->flags & FA_GNF_CULPRIT) ? "culprit"
								 : "";

		label_put(sb, t->comm, 24);
		if (t->tid == t->pid)
			fr_sb_printf(sb, "\\n%u", t->pid);
		else
			fr_sb_printf(sb, "\\n%u/%u", t->pid, t->tid);
		if (role[0])
			fr_sb_printf(sb, "\\n(%s)", role);
		set_sb(an, "label", sb);
		set(an, "shape", "box");
		set(an, "style", "rounded,filled");
		set(an, "fillcolor",
		    (n->flags & FA_GNF_VICTIM)	  ? "#fadbd8"
		    : (n->flags & FA_GNF_CULPRIT) ? "#fcf3cf"
						  : "#eaf2f8");
		set(an, "color",
		    (n->flags & FA_GNF_VICTIM)	  ? "#c0392b"
		    : (n->flags & FA_GNF_CULPRIT) ? "#b7950b"
						  : "#5d6d7e");
		set(an, "penwidth", role[0] ? "2.5" : "1");
		setf(an, "fr_pid", "%u", t->pid);
		setf(an, "fr_tid", "%u", t->tid);
		value_put(sb, t->comm);
		set_sb(an, "fr_comm", sb);
		set(an, "fr_role",
		    (n->flags & FA_GNF_VICTIM) && (n->flags & FA_GNF_CULPRIT) ? "victim,culprit"
		    : (n->flags & FA_GNF_VICTIM)			      ? "victim"
		    : (n->flags & FA_GNF_CULPRIT)			      ? "culprit"
									      : "");
		break;
	}
	case FA_GN_CALL:
		fa_graph__node_name(m, g, i, buf, sizeof(buf));
		label_put(sb, buf, 28);
		set_sb(an, "label", sb);
		set(an, "shape", "ellipse");
		set(an, "fillcolor", "#f4f6f6");
		set(an, "color", "#5d6d7e");
		setf(an, "fr_tid", "%u", m->threads[n->thread].tid);
		value_put(sb, buf);
		set_sb(an, "fr_call", sb);
		break;
	case FA_GN_KERNEL:
		fr_sb_puts(sb, fa_gkernel_name(n->kernel));
		if (n->kernel == FA_GK_NETWORK)
			fr_sb_puts(sb, "\\n(the remote peer)");
		if (n->flags & FA_GNF_RETRANSMIT)
			fr_sb_puts(sb, "\\nTCP retransmits");
		if (n->kernel == FA_GK_RUNQUEUE)
			fr_sb_puts(sb, "\\n(holder not recorded)");
		set_sb(an, "label", sb);
		set(an, "shape", "hexagon");
		set(an, "fillcolor", kernel_fill(n->kernel));
		set(an, "fontcolor", n->kernel == FA_GK_UNKNOWN ? "black" : "white");
		set(an, "color", "#34495e");
		set(an, "fr_cause", fa_gkernel_name(n->kernel));
		break;
	default: {
		const struct fa_incident *inc = g->inc;

		fr_sb_puts(sb, fa_incident_kind_name(inc->kind));
		fr_sb_puts(sb, "\\n");
		label_put(sb, inc->n_causes ? inc->causes[0].explanation : inc->what, 36);
		set_sb(an, "label", sb);
		set(an, "shape", "octagon");
		set(an, "fillcolor", "#fadbd8");
		set(an, "color", "#c0392b");
		set(an, "penwidth", "2");
		break;
	}
	}
}

static void draw_edge(Agraph_t *sg, const struct fa_model *m, const struct fa_graph *g, uint32_t i,
		      unsigned idx, Agnode_t **nodes, struct fr_sb *sb)
{
	const struct fa_gedge *e = &g->edges[i];
	double share = g->total_ns ? (double)e->ns / (double)g->total_ns : 0;
	char id[48], d[32], pc[16];
	Agedge_t *ae;

	(void)m;
	if (!nodes[e->from] || !nodes[e->to])
		return;
	snprintf(id, sizeof(id), "i%u_e%u", idx, i);
	ae = agedge(sg, nodes[e->from], nodes[e->to], id, 1);
	if (!ae)
		return;
	if (share > 1)
		share = 1;
	set(ae, "id", id);
	fr_fmt_duration(d, sizeof(d), e->ns);
	fmt_share(pc, sizeof(pc), share);
	switch (e->kind) {
	case FA_GE_WOKEN:
		fr_sb_printf(sb, "%s\\n%s (%s)", fa_via_name(e->via), d, pc);
		break;
	case FA_GE_CPU:
		fr_sb_printf(sb, "CPU held\\n%s (%s)", d, pc);
		break;
	case FA_GE_BLAME: {
		const struct fa_gnode *f = &g->nodes[e->from];

		fr_sb_puts(sb, f->kind == FA_GN_FAILURE	    ? "caused by"
			       : f->kind != FA_GN_KERNEL    ? "woken by"
			       : f->kernel == FA_GK_DISK    ? "I/O issued by"
			       : f->kernel == FA_GK_RECLAIM ? "memory held by"
			       : f->kernel == FA_GK_FAULT   ? "pages evicted for"
							    : "due to");
		if (f->kind != FA_GN_FAILURE)
			fr_sb_printf(sb, "\\n%s (%s)", d, pc);
		break;
	}
	case FA_GE_FAILURE:
		break;
	default:
		fr_sb_printf(sb, "%s (%s)", d, pc);
		break;
	}
	set_sb(ae, "label", sb);
	set(ae, "fontname", "Helvetica");
	set(ae, "fontsize", "10");
	set(ae, "color", e->kind == FA_GE_FAILURE ? "#c0392b" : share_color(share));
	set(ae, "fontcolor", "#34495e");
	setf(ae, "penwidth", "%.2f", e->kind == FA_GE_FAILURE ? 2.5 : 1.0 + 6.0 * share);
	set(ae, "arrowsize", "0.7");
	set(ae, "style",
	    e->kind == FA_GE_CPU     ? "dashed"
	    : e->kind == FA_GE_BLAME ? "dotted"
				     : "solid");
	set(ae, "fr_kind", fa_gedge_kind_name(e->kind));
	setf(ae, "fr_ns", "%" PRIu64, e->ns);
	setf(ae, "fr_share", "%.4f", share);
	set(ae, "fr_category", fa_category_name(e->category));
	if (e->kind == FA_GE_WOKEN)
		set(ae, "fr_via", fa_via_name(e->via));
	if (e->main)
		set(ae, "fr_main", "1");
	setf(ae, "tooltip", "%s, %s of the incident: %s", d, pc, fa_category_name(e->category));
}

/* Draw the graph of one incident into `sg` (the root graph or a cluster). */
static int draw_incident(Agraph_t *sg, const struct fa_model *m, const struct fa_incident *inc,
			 unsigned idx, bool cluster, const struct fa_graph_opts *o,
			 struct fr_sb *sb)
{
	struct fa_graph *g;
	Agnode_t **nodes;
	char title[512];
	uint32_t i;
	int err = fa_graph__build(m, inc, o, &g);

	if (err)
		return err;
	nodes = calloc(g->n_nodes ? g->n_nodes : 1, sizeof(*nodes));
	if (!nodes) {
		fa_graph__free(g);
		return -ENOMEM;
	}
	incident_title(title, sizeof(title), inc, idx);
	label_put(sb, title, 90);
	if (g->n_hidden) {
		char pc[16];

		fmt_share(pc, sizeof(pc),
			  g->total_ns ? (double)g->min_ns / (double)g->total_ns : 0);
		fr_sb_printf(sb, "\\n(%u smaller link%s, each under %s of the time, not shown)",
			     g->n_hidden, g->n_hidden == 1 ? "" : "s", pc);
	}
	if (g->unlinked_ns) {
		char d[32];

		fr_fmt_duration(d, sizeof(d), g->unlinked_ns);
		fr_sb_printf(sb, "\\n(%s of the path could not be tied to the chain of waits)", d);
	}
	set_sb(sg, "label", sb);
	if (cluster) {
		set(sg, "style", "rounded");
		set(sg, "color", "#aab7b8");
		setf(sg, "id", "i%u", idx);
	}
	for (i = 0; i < g->n_nodes; i++)
		if (g->nodes[i].flags & FA_GNF_SHOWN)
			draw_node(sg, m, g, i, idx, nodes, sb);
	for (i = 0; i < g->n_edges; i++)
		if (g->edges[i].shown)
			draw_edge(sg, m, g, i, idx, nodes, sb);
	free(nodes);
	fa_graph__free(g);
	return 0;
}

static void draw_legend(Agraph_t *root)
{
	Agraph_t *lg = agsubg(root, (char *)"cluster_legend", 1);
	struct fr_sb sb;
	Agnode_t *n;
	char *html;
	size_t i;

	if (!lg)
		return;
	set(lg, "label", "legend");
	set(lg, "style", "rounded");
	set(lg, "color", "#aab7b8");
	set(lg, "id", "legend");
	n = agnode(lg, (char *)"legend", 1);
	if (!n)
		return;
	fr_sb_init(&sb);
	fr_sb_puts(&sb, "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"3\">"
			"<TR><TD COLSPAN=\"2\" ALIGN=\"LEFT\"><B>edge: share of the incident's "
			"time it explains</B></TD></TR>");
	for (i = 0; i < FR_ARRAY_SIZE(share_scale); i++)
		fr_sb_printf(&sb,
			     "<TR><TD BGCOLOR=\"%s\" WIDTH=\"36\" HEIGHT=\"%u\" FIXEDSIZE=\"TRUE\">"
			     "</TD><TD ALIGN=\"LEFT\">%s</TD></TR>",
			     share_scale[i].color,
			     i == 0   ? 6u
			     : i == 1 ? 4u
			     : i == 2 ? 3u
				      : 1u,
			     share_scale[i].text);
	fr_sb_puts(&sb,
		   "<TR><TD ALIGN=\"LEFT\" COLSPAN=\"2\">thicker: more time; dashed: waiting for "
		   "a CPU;<BR ALIGN=\"LEFT\"/>dotted: who is to blame for a kernel cause</TD></TR>"
		   "<TR><TD ALIGN=\"LEFT\" COLSPAN=\"2\">boxes: threads (red: victim, yellow: "
		   "culprit);<BR ALIGN=\"LEFT\"/>ellipses: blocked system calls; hexagons: "
		   "kernel causes</TD></TR></TABLE>");
	html = agstrdup_html(root, (char *)fr_sb_str(&sb));
	if (html) {
		agsafeset(n, (char *)"label", html, (char *)"");
		agstrfree(root, html);
	}
	set(n, "shape", "plaintext");
	set(n, "fontname", "Helvetica");
	set(n, "fontsize", "10");
	set(n, "id", "legend_table");
	fr_sb_free(&sb);
}

static char gv_errbuf[512];

static int gv_err(char *msg)
{
	size_t l = strlen(gv_errbuf);

	if (l < sizeof(gv_errbuf) - 1)
		snprintf(gv_errbuf + l, sizeof(gv_errbuf) - l, "%s", msg);
	return 0;
}

/*
 * Object ids in the order names are first used.  cgraph's own discipline
 * makes a named object's id the address of its interned name, and writes
 * subgraphs in id order: the incidents' clusters came out in an order that
 * changed from run to run with the heap's layout.  Here a name's id is
 * twice its rank among the names (even), anonymous objects (edges) take odd
 * ids from a counter, as cgraph's do, so DOT and SVG are the same each run.
 */
struct seq_ids {
	Agraph_t *g;
	char **names; /* interned in the graph's strings (agstrdup): cgraph
		       * reads flags it keeps next to them (HTML labels) */
	size_t n, cap;
	struct fa_map rank; /* interned name (one pointer per name) -> index */
	IDTYPE anon;
};

static void *seq_open(Agraph_t *g, Agdisc_t *disc)
{
	struct seq_ids *s = calloc(1, sizeof(*s));

	(void)disc;
	if (s) {
		s->g = g;
		s->anon = 1;
	}
	return s;
}

static long seq_map(void *state, int objtype, char *str, IDTYPE *id, int createflag)
{
	struct seq_ids *s = state;
	char *name;
	uint32_t i;

	(void)objtype;
	if (!s)
		return 0;
	if (!str) {
		if (!createflag)
			return 0;
		*id = s->anon;
		s->anon += 2;
		return 1;
	}
	/* an interned name is one pointer, whoever interned it */
	name = agstrbind(s->g, str);
	i = name ? fa_map_get(&s->rank, (uint64_t)(uintptr_t)name, 0) : FA_NONE;
	if (i != FA_NONE) {
		*id = (IDTYPE)(i + 1) * 2;
		return 1;
	}
	if (!createflag)
		return 0;
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		char **names = realloc(s->names, cap * sizeof(*names));

		if (!names)
			return 0;
		s->names = names;
		s->cap = cap;
	}
	name = agstrdup(s->g, str);
	if (!name || fa_map_put(&s->rank, (uint64_t)(uintptr_t)name, 0, (uint32_t)s->n))
		return 0;
	s->names[s->n] = name;
	*id = (IDTYPE)++s->n * 2;
	return 1;
}

static long seq_alloc(void *state, int objtype, IDTYPE id)
{
	(void)state;
	(void)objtype;
	(void)id;
	return 0; /* ids chosen by the caller (agidnode) are not used here */
}

static void seq_free(void *state, int objtype, IDTYPE id)
{
	(void)state;
	(void)objtype;
	(void)id; /* names live until the graph is closed, its strings with it */
}

static char *seq_print(void *state, int objtype, IDTYPE id)
{
	struct seq_ids *s = state;

	(void)objtype;
	if (!s || id % 2 || !id || id / 2 > s->n)
		return NULL;
	return s->names[id / 2 - 1];
}

static void seq_close(void *state)
{
	struct seq_ids *s = state;

	if (!s)
		return;
	free(s->names); /* the names go with the graph's strings */
	fa_map_free(&s->rank);
	free(s);
}

static void seq_register(void *state, int objtype, void *obj)
{
	(void)state;
	(void)objtype;
	(void)obj;
}

static Agiddisc_t seq_iddisc = {seq_open,  seq_map,   seq_alloc,   seq_free,
				seq_print, seq_close, seq_register};
static Agdisc_t seq_disc = {&AgMemDisc, &seq_iddisc, &AgIoDisc};

/* The root graph of `n` incidents starting at `first` (numbered from
 * first_idx).  NULL with -errno in *errp. */
static Agraph_t *build_root(const struct fa_model *m, const struct fa_incident *first, uint32_t n,
			    unsigned first_idx, const char *file, const struct fa_graph_opts *o,
			    bool legend, int *errp)
{
	Agraph_t *root;
	struct fr_sb sb;
	uint32_t i;
	int err = 0;

	agseterr(AGMAX); /* nothing on stderr: errors are collected by gv_err */
	agseterrf(gv_err);
	gv_errbuf[0] = 0;
	root = agopen((char *)"flightrec", Agdirected, &seq_disc);
	if (!root) {
		*errp = -ENOMEM;
		return NULL;
	}
	fr_sb_init(&sb);
	set(root, "rankdir", "LR");
	set(root, "fontname", "Helvetica");
	set(root, "fontsize", "13");
	set(root, "labelloc", "t");
	set(root, "nodesep", "0.3");
	set(root, "ranksep", "0.5");
	setf(root, "id", "flightrec_g%u", first_idx);
	if (n == 1) {
		err = draw_incident(root, m, first, first_idx, false, o, &sb);
	} else {
		if (!n)
			fr_sb_puts(&sb, "No incident found");
		else if (file)
			label_put(&sb, file, 0);
		set_sb(root, "label", &sb);
		if (!n) {
			Agnode_t *x = agnode(root, (char *)"none", 1);

			if (x) {
				set(x, "label",
				    "no slow call, failed call, fatal signal,\\nOOM kill or "
				    "non-zero exit was found");
				set(x, "shape", "plaintext");
			}
		}
		for (i = 0; i < n && !err; i++) {
			char cname[32];
			Agraph_t *c;

			snprintf(cname, sizeof(cname), "cluster_i%u", first_idx + i);
			c = agsubg(root, cname, 1);
			if (!c) {
				err = -ENOMEM;
				break;
			}
			err = draw_incident(c, m, &first[i], first_idx + i, true, o, &sb);
		}
	}
	if (!err && n && legend)
		draw_legend(root);
	fr_sb_free(&sb);
	if (err || sb.oom) {
		agclose(root);
		*errp = err ? err : -ENOMEM;
		return NULL;
	}
	return root;
}

/*
 * One Graphviz context for the whole process, never freed.  Graphviz 2.43's
 * pango text layout keeps, in a static variable, a pointer to the last font
 * name it measured, which belongs to the context: with a context per
 * drawing, the second drawing in a process (a page of several incidents)
 * reads the first one's freed name.  A context that lives as long as the
 * process keeps that name valid.
 */
static GVC_t *shared_gvc(void)
{
	static GVC_t *gvc;

	if (!gvc)
		gvc = gvContext();
	return gvc;
}

/* Lay out and render `root` with gvc into a heap buffer. */
static int render(Agraph_t *root, const char *format, char **data, unsigned *len, char *err,
		  size_t errlen)
{
	GVC_t *gvc = shared_gvc();
	int rc = 0;

	*data = NULL;
	*len = 0;
	if (!gvc) {
		snprintf(err, errlen, "Graphviz could not start (gvContext)");
		return -ENOMEM;
	}
	if (gvLayout(gvc, root, "dot") != 0) {
		snprintf(err, errlen, "Graphviz could not lay out the graph%s%s",
			 gv_errbuf[0] ? ": " : " (is the graphviz package installed?)", gv_errbuf);
		rc = -EIO;
	} else {
		if (gvRenderData(gvc, root, format, data, len) != 0 || !*data) {
			snprintf(err, errlen, "Graphviz could not render %s%s%s", format,
				 gv_errbuf[0] ? ": " : " (is the graphviz package installed?)",
				 gv_errbuf);
			rc = -EIO;
		}
		gvFreeLayout(gvc, root);
	}
	return rc;
}

int fa_graph__write(FILE *f, const char *format, const struct fa_model *m,
		    const struct fa_incidents *inc, const char *file, const struct fa_graph_opts *o,
		    char *err, size_t errlen)
{
	Agraph_t *root;
	int rc = 0;

	if (strcmp(format, "dot") && strcmp(format, "svg")) {
		snprintf(err, errlen, "unknown graph format '%s'", format);
		return -EINVAL;
	}
	root = build_root(m, inc->v, inc->n, 1, file, o, true, &rc);
	if (!root) {
		snprintf(err, errlen, "building the graph: %s", strerror(-rc));
		return rc;
	}
	if (!strcmp(format, "dot")) {
		if (agwrite(root, f) == EOF) {
			snprintf(err, errlen, "writing the graph failed");
			rc = -EIO;
		}
	} else {
		char *data;
		unsigned len;

		rc = render(root, "svg", &data, &len, err, errlen);
		if (!rc && fwrite(data, 1, len, f) != len) {
			snprintf(err, errlen, "writing the SVG failed");
			rc = -EIO;
		}
		if (data)
			gvFreeRenderData(data);
	}
	agclose(root);
	return rc;
}

int fa_graph__svg(const struct fa_model *m, const struct fa_incident *inc, unsigned idx,
		  const struct fa_graph_opts *o, char **svg, size_t *len, char *err, size_t errlen)
{
	Agraph_t *root;
	char *data, *start;
	unsigned dlen;
	int rc = 0;

	*svg = NULL;
	*len = 0;
	root = build_root(m, inc, 1, idx, NULL, o, false, &rc);
	if (!root) {
		snprintf(err, errlen, "building the graph: %s", strerror(-rc));
		return rc;
	}
	rc = render(root, "svg", &data, &dlen, err, errlen);
	agclose(root);
	if (rc)
		return rc;
	/* inline SVG in HTML: no XML declaration, doctype or comments before it */
	start = memmem(data, dlen, "<svg", 4);
	if (!start) {
		gvFreeRenderData(data);
		snprintf(err, errlen, "Graphviz produced no <svg> element");
		return -EIO;
	}
	*len = dlen - (size_t)(start - data);
	*svg = malloc(*len + 1);
	if (!*svg) {
		gvFreeRenderData(data);
		return -ENOMEM;
	}
	memcpy(*svg, start, *len);
	(*svg)[*len] = 0;
	gvFreeRenderData(data);
	return 0;
}
