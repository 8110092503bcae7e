// SPDX-License-Identifier: MIT
/*
 * html.c: `flightrec analyze --html`: one self-contained page per bundle.
 *
 * No script, no external style sheet, font or image: the page is read on a
 * laptop far from the machine the bundle came from, maybe offline, maybe
 * attached to a ticket.  Pictures are inline SVG: the causal graph from
 * Graphviz (analyze/graph_draw.c) and the timeline drawn here.
 *
 * The timeline of an incident shows one row per thread involved (the
 * victim, the threads the critical path crossed to, the threads that held
 * the CPU), over the incident's window.  A row is cut into columns half a
 * pixel wide and each column takes the colour of the state the thread spent
 * most of that column in, so a row stays a few hundred rectangles whatever
 * the number of intervals behind it.  Wakeups by a task shown in another row
 * are arrows from the waker's row to the wakee's at the wakeup; the critical
 * path is a red bar under the rows it runs on, with a red line where it
 * moves from one thread to another.
 *
 * Everything that comes from the bundle (comms, paths, payload text in
 * explanations) goes through html_put, which escapes it and replaces bytes
 * that are not UTF-8.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/graph.h"
#include "analyze/internal.h"
#include "formats/util.h"

#define PLOT_W 880	  /* timeline: plotting width, px */
#define LABEL_W 200	  /* ... row labels */
#define ROW_H 20	  /* ... height of a row */
#define ROW_GAP 8	  /* ... between rows */
#define AXIS_H 28	  /* ... the time axis above the rows */
#define COLS (PLOT_W * 2) /* half-pixel columns */
#define MAX_ARROWS 400	  /* wakeup arrows per timeline */
#define MAX_LINKS 400	  /* critical-path connectors per timeline */

/* ---- escaping ----------------------------------------------------------------------------- */

/* Append `s` escaped for HTML text and attribute values. */
static void html_put(struct fr_sb *sb, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p), i = 0;

	while (i < n) {
		size_t l = fa_utf8_len(p + i, n - i);

		if (!l) {
			fr_sb_puts(sb, "\xef\xbf\xbd"); /* U+FFFD */
			i++;
			continue;
		}
		switch (p[i]) {
		case '&':
			fr_sb_puts(sb, "&amp;");
			break;
		case '<':
			fr_sb_puts(sb, "&lt;");
			break;
		case '>':
			fr_sb_puts(sb, "&gt;");
			break;
		case '"':
			fr_sb_puts(sb, "&quot;");
			break;
		case '\'':
			fr_sb_puts(sb, "&#39;");
			break;
		default:
			if (p[i] < 0x20 || p[i] == 0x7f)
				fr_sb_putc(sb, p[i] == '\n' || p[i] == '\t' ? ' ' : '?');
			else
				fr_sb_putn(sb, (const char *)p + i, l);
			break;
		}
		i += l;
	}
}

static void html_printf(struct fr_sb *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* printf, then escape the result: for formats that embed bundle strings */
static void html_printf(struct fr_sb *sb, const char *fmt, ...)
{
	struct fr_sb tmp;
	va_list ap;

	fr_sb_init(&tmp);
	va_start(ap, fmt);
	fr_sb_vprintf(&tmp, fmt, ap);
	va_end(ap);
	html_put(sb, fr_sb_str(&tmp));
	if (tmp.oom)
		sb->oom = true;
	fr_sb_free(&tmp);
}

static void thread_html(struct fr_sb *sb, const struct fa_model *m, uint32_t t)
{
	char name[64];

	fa_model__thread_name(m, t, name, sizeof(name));
	html_put(sb, name);
}

/* ---- the style sheet ------------------------------------------------------------------------ */

static const char css[] =
    "body{font-family:Helvetica,Arial,sans-serif;margin:24px auto;max-width:1180px;"
    "color:#1c2833;background:#fff;line-height:1.4}"
    "h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 6px;"
    "border-bottom:2px solid #d5d8dc;padding-bottom:4px}h3{font-size:14px;margin:18px 0 6px;"
    "text-transform:uppercase;letter-spacing:.05em;color:#566573}"
    ".meta{color:#566573;margin:2px 0}.warn{color:#9a5b00;background:#fef5e7;padding:4px 8px;"
    "border-left:3px solid #f39c12}.summary{font-size:15px}"
    "table{border-collapse:collapse;width:100%;font-size:13px}"
    "th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #e5e8e8;vertical-align:top}"
    "th{background:#f4f6f6}td.num{text-align:right;white-space:nowrap}"
    ".cat{display:inline-block;width:10px;height:10px;margin-right:6px;border-radius:2px}"
    ".graph,.timeline{overflow-x:auto;border:1px solid #e5e8e8;padding:8px;margin:6px 0}"
    ".graph svg{max-width:100%;height:auto}"
    ".legend{font-size:12px;color:#566573}.legend span{margin-right:14px;white-space:nowrap}"
    "nav ol{margin:4px 0 0;padding-left:22px}dl{display:grid;grid-template-columns:90px 1fr;"
    "margin:6px 0;font-size:13px}dt{color:#566573}dd{margin:0}"
    "footer{margin-top:32px;color:#909497;font-size:12px}";

/* ---- header -------------------------------------------------------------------------------- */

static void header(struct fr_sb *sb, const struct fa_model *m, const struct fa_incidents *inc,
		   const struct fa_html_opts *o)
{
	const struct fr_manifest *mf = m->manifest;
	char d[32], utc[64];
	uint64_t lost = 0;
	unsigned i;
	uint32_t k;

	fr_sb_puts(sb, "<header><h1>flightrec incident report</h1>\n<p class=\"meta\">");
	if (o->file) {
		fr_sb_puts(sb, "<b>");
		html_put(sb, o->file);
		fr_sb_puts(sb, "</b> &middot; ");
	}
	fr_fmt_duration(d, sizeof(d), m->end_ns - m->start_ns);
	fr_fmt_utc(utc, sizeof(utc), fa_model__t0(m), mf->clock_to_utc_ns);
	html_printf(sb, "host %s, kernel %s; recorded from %s for %s",
		    mf->hostname[0] ? mf->hostname : "unknown",
		    mf->kernel_release[0] ? mf->kernel_release : "?", utc, d);
	fr_sb_printf(sb, "</p>\n<p class=\"meta\">%" PRIu64 " events, %u recorded thread%s",
		     m->st.events, m->n_recorded, m->n_recorded == 1 ? "" : "s");
	if (m->n_threads > m->n_recorded)
		fr_sb_printf(sb, " (and %u other task%s met on the CPUs)",
			     m->n_threads - m->n_recorded,
			     m->n_threads - m->n_recorded == 1 ? "" : "s");
	if (mf->trigger_kind[0]) {
		fr_sb_puts(sb, "; trigger: ");
		html_printf(sb, "%s%s%s", mf->trigger_kind, mf->trigger_reason[0] ? ": " : "",
			    mf->trigger_reason);
	}
	fr_sb_puts(sb, "</p>\n");
	for (i = 1; i < FR_LOSS_CAUSE_COUNT; i++)
		lost += mf->losses[i];
	if (lost || m->st.lost_events) {
		bool any = false;

		fr_sb_puts(sb, "<p class=\"warn\">Losses:");
		for (i = 1; i < FR_LOSS_CAUSE_COUNT; i++)
			if (mf->losses[i]) {
				fr_sb_printf(sb, "%s %" PRIu64 " %s", any ? "," : "", mf->losses[i],
					     fr_loss_cause_name(i) ? fr_loss_cause_name(i) : "?");
				any = true;
			}
		if (!any)
			fr_sb_printf(sb, " %" PRIu64 " events", m->st.lost_events);
		if (mf->losses[FR_LOSS_RING_FULL] || mf->losses[FR_LOSS_EVICTED] ||
		    m->st.lost_events)
			fr_sb_puts(sb, "; results near the losses are approximate");
		fr_sb_puts(sb, ".</p>\n");
	}
	if (m->st.flows_dropped || m->st.bios_dropped || m->st.spans_dropped)
		fr_sb_printf(sb,
			     "<p class=\"warn\">Analysis caps reached: %" PRIu64
			     " data-flow records, %" PRIu64 " block requests, %" PRIu64
			     " reclaim/fault spans not kept.</p>\n",
			     m->st.flows_dropped, m->st.bios_dropped, m->st.spans_dropped);
	if (m->st.repaired)
		fr_sb_printf(sb,
			     "<p class=\"meta\">%" PRIu64 " thread state%s inferred where events "
			     "contradicted each other.</p>\n",
			     m->st.repaired, m->st.repaired == 1 ? " was" : "s were");
	if (inc->n) {
		fr_sb_puts(sb, "<nav><ol>");
		for (k = 0; k < inc->n; k++) {
			fr_sb_printf(sb, "<li><a href=\"#incident-%u\">", k + 1);
			html_printf(sb, "%s: %s", fa_incident_kind_name(inc->v[k].kind),
				    inc->v[k].what);
			fr_sb_puts(sb, "</a></li>");
		}
		fr_sb_puts(sb, "</ol></nav>\n");
	}
	fr_sb_puts(sb, "</header>\n");
}

/* ---- breakdown bar ----------------------------------------------------------------------------
 */

static void breakdown(struct fr_sb *sb, const struct fa_incident *inc)
{
	uint64_t total = 0;
	double x = 0;
	unsigned c;

	for (c = 0; c < FA_CAT_COUNT; c++)
		total += inc->breakdown[c];
	if (!total)
		return;
	fr_sb_puts(sb, "<h3>What the thread did</h3>\n<svg width=\"100%\" height=\"18\" "
		       "viewBox=\"0 0 1000 18\" preserveAspectRatio=\"none\" role=\"img\">");
	for (c = 0; c < FA_CAT_COUNT; c++) {
		double w = 1000.0 * (double)inc->breakdown[c] / (double)total;
		char d[32];

		if (!inc->breakdown[c])
			continue;
		fr_fmt_duration(d, sizeof(d), inc->breakdown[c]);
		fr_sb_printf(sb,
			     "<rect x=\"%.2f\" y=\"0\" width=\"%.2f\" height=\"18\" fill=\"%s\">"
			     "<title>%s %s (%.1f%%)</title></rect>",
			     x, w, fa_category_color(c), fa_category_name(c), d,
			     100.0 * (double)inc->breakdown[c] / (double)total);
		x += w;
	}
	fr_sb_puts(sb, "</svg>\n<p class=\"legend\">");
	for (c = 0; c < FA_CAT_COUNT; c++) {
		char d[32];

		if (!inc->breakdown[c])
			continue;
		fr_fmt_duration(d, sizeof(d), inc->breakdown[c]);
		fr_sb_printf(sb,
			     "<span><i class=\"cat\" style=\"background:%s\"></i>%s %.1f%% "
			     "(%s)</span>",
			     fa_category_color(c), fa_category_name(c),
			     100.0 * (double)inc->breakdown[c] / (double)total, d);
	}
	fr_sb_puts(sb, "</p>\n");
}

/* ---- root causes ----------------------------------------------------------------------------- */

static void cause_row(struct fr_sb *sb, const struct fa_model *m, const struct fa_cause *k,
		      uint64_t total)
{
	char d[32] = "";
	uint32_t j;

	if (total)
		fr_fmt_duration(d, sizeof(d), k->ns);
	fr_sb_printf(sb,
		     "<tr><td class=\"num\">%.1f%%</td><td class=\"num\">%s</td><td><i "
		     "class=\"cat\" style=\"background:%s\"></i>%s</td><td>",
		     100.0 * k->share, d, fa_category_color(k->category),
		     fa_category_name(k->category));
	for (j = 0; j < k->n_culprits; j++) {
		if (j)
			fr_sb_puts(sb, "<br>");
		if (k->culprits[j].thread < m->n_threads)
			thread_html(sb, m, k->culprits[j].thread);
		else
			fr_sb_puts(sb, "(not a local task)");
	}
	if (!k->n_culprits)
		fr_sb_puts(sb, "&ndash;");
	fr_sb_puts(sb, "</td><td>");
	html_put(sb, k->explanation);
	fr_sb_puts(sb, "</td></tr>\n");
}

/* The root causes: those of 1% or more in the table, the rest folded
 * (<details> needs no script). */
static void causes(struct fr_sb *sb, const struct fa_model *m, const struct fa_incident *inc)
{
	static const char head[] = "<table class=\"causes\"><thead><tr><th>share</th>"
				   "<th>time</th><th>category</th><th>culprit</th><th>"
				   "explanation</th></tr></thead><tbody>\n";
	uint64_t total = inc->end_ns > inc->start_ns ? inc->end_ns - inc->start_ns : 0;
	uint64_t small_ns = 0;
	uint32_t i, big = 0;

	if (!inc->n_causes)
		return;
	for (i = 0; i < inc->n_causes; i++)
		if (i == 0 || inc->causes[i].share >= 0.01)
			big = i + 1;
		else
			small_ns += inc->causes[i].ns;
	fr_sb_printf(sb, "<h3>Root causes</h3>\n%s", head);
	for (i = 0; i < big; i++)
		cause_row(sb, m, &inc->causes[i], total);
	fr_sb_puts(sb, "</tbody></table>\n");
	if (big < inc->n_causes) {
		char d[32];

		fr_fmt_duration(d, sizeof(d), small_ns);
		fr_sb_printf(sb, "<details><summary>%u more below 1%% (%s in all)</summary>%s",
			     inc->n_causes - big, d, head);
		for (i = big; i < inc->n_causes; i++)
			cause_row(sb, m, &inc->causes[i], total);
		fr_sb_puts(sb, "</tbody></table></details>\n");
	}
}

/* ---- timeline -------------------------------------------------------------------------------- */

enum col_class {
	CL_NONE = 0,
	CL_RUN,
	CL_RUNNABLE,
	CL_BLOCKED,
	CL_RECLAIM,
	CL_FAULT,
	CL_DEAD,
	CL_COUNT
};

static const struct {
	const char *color, *name;
} classes[CL_COUNT] = {
    {NULL, "not recorded"},
    {"#2e9e44", "running"},
    {"#f28e2b", "runnable (waiting for a CPU)"},
    {"#85c1e9", "blocked"},
    {"#9467bd", "in memory reclaim"},
    {"#e377c2", "in a page fault"},
    {"#566573", "exited"},
};

static unsigned iv_class(const struct fa_interval *iv)
{
	switch (iv->state) {
	case FA_ST_RUNNING:
	case FA_ST_RUNNABLE:
	case FA_ST_BLOCKED:
		if (iv->flags & FA_IVF_RECLAIM)
			return CL_RECLAIM;
		if ((iv->flags & FA_IVF_FAULT) && iv->state != FA_ST_RUNNABLE)
			return CL_FAULT;
		return iv->state == FA_ST_RUNNING    ? CL_RUN
		       : iv->state == FA_ST_RUNNABLE ? CL_RUNNABLE
						     : CL_BLOCKED;
	case FA_ST_DEAD:
		return CL_DEAD;
	default:
		return CL_NONE;
	}
}

struct tl {
	const struct fa_model *m;
	uint64_t w0, w1;
	uint32_t rows[64];
	unsigned n_rows;
	uint64_t (*acc)[CL_COUNT]; /* COLS x classes, reused per row */
	uint8_t *mark;		   /* COLS, reused per row */
};

static double col_ns(const struct tl *t)
{
	return (double)(t->w1 - t->w0) / COLS;
}

static int row_of(const struct tl *t, uint32_t thread)
{
	unsigned i;

	for (i = 0; i < t->n_rows; i++)
		if (t->rows[i] == thread)
			return (int)i;
	return -1;
}

static double x_of(const struct tl *t, uint64_t ts)
{
	if (ts <= t->w0)
		return LABEL_W;
	if (ts >= t->w1)
		return LABEL_W + PLOT_W;
	return LABEL_W + (double)PLOT_W * (double)(ts - t->w0) / (double)(t->w1 - t->w0);
}

static double y_of(unsigned row)
{
	return AXIS_H + (double)row * (ROW_H + ROW_GAP);
}

/* Add [a, b) of class c to the columns. */
static void acc_add(struct tl *t, uint64_t a, uint64_t b, unsigned c)
{
	double cw = col_ns(t);
	uint64_t s = FR_MAX(a, t->w0), e = FR_MIN(b, t->w1);
	unsigned i;

	if (e <= s || cw <= 0)
		return;
	i = (unsigned)((double)(s - t->w0) / cw);
	while (s < e && i < COLS) {
		uint64_t cend = t->w0 + (uint64_t)((double)(i + 1) * cw);
		uint64_t x = FR_MIN(e, FR_MAX(cend, s + 1));

		t->acc[i][c] += x - s;
		s = x;
		i++;
	}
}

static void draw_row(struct fr_sb *sb, struct tl *t, unsigned row, unsigned idx)
{
	const struct fa_model *m = t->m;
	const struct fa_thread *th = &m->threads[t->rows[row]];
	double y = y_of(row);
	long i = fa_thread__interval_at(th, t->w0);
	unsigned c, run_start = 0, run_class = CL_NONE, col;
	char name[64];

	memset(t->acc, 0, sizeof(*t->acc) * COLS);
	if (i < 0)
		i = 0;
	for (; (uint32_t)i < th->n_iv && th->iv[i].start < t->w1; i++) {
		uint64_t e = fa_thread__interval_end(th, (uint32_t)i);

		acc_add(t, th->iv[i].start, e, iv_class(&th->iv[i]));
	}
	if ((th->flags & FA_TH_EXITED) && th->end_ns < t->w1)
		acc_add(t, th->end_ns, t->w1, CL_DEAD);
	fa_model__thread_name(m, t->rows[row], name, sizeof(name));
	/* a task that was not recorded is known only where it met recorded ones:
	 * its row is drawn faded and says so */
	fr_sb_printf(sb,
		     "<g class=\"row\" id=\"tl%u_r%u\"%s><text x=\"%d\" y=\"%.1f\" "
		     "font-size=\"12\" text-anchor=\"end\"%s>",
		     idx, row, (th->flags & FA_TH_RECORDED) ? "" : " opacity=\"0.5\"", LABEL_W - 8,
		     y + ROW_H * 0.7,
		     row == 0			    ? " font-weight=\"bold\""
		     : (th->flags & FA_TH_RECORDED) ? ""
						    : " font-style=\"italic\"");
	html_put(sb, name);
	if (!(th->flags & FA_TH_RECORDED))
		fr_sb_puts(sb, "<title>not recorded: only seen where it met recorded threads on "
			       "a CPU</title>");
	fr_sb_printf(sb,
		     "</text><rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%d\" "
		     "fill=\"#f4f6f6\"/>",
		     LABEL_W, y, PLOT_W, ROW_H);
	/* runs of columns of the same dominant class */
	for (col = 0; col <= COLS; col++) {
		unsigned best = CL_NONE;

		if (col < COLS) {
			uint64_t bv = 0;

			for (c = 1; c < CL_COUNT; c++)
				if (t->acc[col][c] > bv) {
					bv = t->acc[col][c];
					best = c;
				}
		}
		if (col < COLS && best == run_class)
			continue;
		if (run_class != CL_NONE && col > run_start) {
			double x0 = LABEL_W + run_start * 0.5, w = (col - run_start) * 0.5;

			fr_sb_printf(sb,
				     "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" "
				     "fill=\"%s\">",
				     x0, y, w, ROW_H, classes[run_class].color);
			if (w >= 2) {
				char d[32], a[40];

				fr_fmt_duration(d, sizeof(d),
						(uint64_t)((double)(col - run_start) * col_ns(t)));
				fa_fmt_rel(a, sizeof(a), m,
					   t->w0 + (uint64_t)((double)run_start * col_ns(t)), " s");
				fr_sb_printf(sb, "<title>%s, %s from %s</title>",
					     classes[run_class].name, d, a);
			}
			fr_sb_puts(sb, "</rect>");
		}
		run_start = col;
		run_class = best;
	}
	fr_sb_puts(sb, "</g>\n");
}

/* The critical path: bars under the rows it runs on and lines where it
 * changes thread. */
static void draw_path(struct fr_sb *sb, struct tl *t, const struct fa_incident *inc)
{
	double cw = col_ns(t);
	unsigned row, col, links = 0;
	uint32_t i;

	fr_sb_puts(sb, "<g class=\"critical-path\" fill=\"#c0392b\" stroke=\"#c0392b\">");
	for (row = 0; row < t->n_rows; row++) {
		unsigned start = 0;
		bool on = false;

		memset(t->mark, 0, COLS);
		for (i = 0; i < inc->n_path; i++) {
			const struct fa_segment *s = &inc->path[i];
			uint64_t a = FR_MAX(s->start_ns, t->w0), b = FR_MIN(s->end_ns, t->w1);
			unsigned c0, c1;

			if (s->thread != t->rows[row] || b <= a)
				continue;
			c0 = (unsigned)((double)(a - t->w0) / cw);
			c1 = (unsigned)((double)(b - t->w0) / cw);
			if (c1 >= COLS)
				c1 = COLS - 1;
			for (col = c0; col <= c1 && col < COLS; col++)
				t->mark[col] = 1;
		}
		for (col = 0; col <= COLS; col++) {
			bool m = col < COLS && t->mark[col];

			if (m && !on) {
				start = col;
				on = true;
			} else if (!m && on) {
				fr_sb_printf(sb,
					     "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
					     "height=\"4\" stroke=\"none\"/>",
					     LABEL_W + start * 0.5, y_of(row) + ROW_H + 1,
					     (col - start) * 0.5);
				on = false;
			}
		}
	}
	for (i = 1; i < inc->n_path && links < MAX_LINKS; i++) {
		const struct fa_segment *p = &inc->path[i - 1], *s = &inc->path[i];
		int ra = row_of(t, p->thread), rb = row_of(t, s->thread);
		double x;

		if (p->thread == s->thread || ra < 0 || rb < 0 || s->start_ns < t->w0 ||
		    s->start_ns > t->w1)
			continue;
		x = x_of(t, s->start_ns);
		fr_sb_printf(sb,
			     "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
			     "stroke-width=\"1.5\"/>",
			     x, y_of((unsigned)ra) + ROW_H / 2.0, x,
			     y_of((unsigned)rb) + ROW_H / 2.0);
		links++;
	}
	fr_sb_puts(sb, "</g>\n");
}

/* Wakeups between rows: arrows from the waker to the wakee.  Returns how
 * many were left out (over MAX_ARROWS). */
static unsigned draw_wakeups(struct fr_sb *sb, struct tl *t, unsigned idx)
{
	const struct fa_model *m = t->m;
	unsigned row, n = 0, left = 0;

	fr_sb_printf(sb,
		     "<g class=\"wakeups\" stroke=\"#1c2833\" stroke-width=\"1\" "
		     "marker-end=\"url(#arrow%u)\">",
		     idx);
	for (row = 0; row < t->n_rows; row++) {
		const struct fa_thread *th = &m->threads[t->rows[row]];
		long i = fa_thread__interval_at(th, t->w0);
		double last_x = -10;
		int last_from = -1;

		if (i < 0)
			i = 0;
		for (; (uint32_t)i < th->n_iv && th->iv[i].start < t->w1; i++) {
			const struct fa_interval *iv = &th->iv[i];
			uint64_t e = fa_thread__interval_end(th, (uint32_t)i);
			int from;
			double x, y0, y1;

			if (iv->state != FA_ST_BLOCKED || !(iv->flags & FA_IVF_WOKEN) ||
			    iv->wake_ctx != FR_CTX_TASK || e < t->w0 || e > t->w1)
				continue;
			from = row_of(t, iv->waker);
			if (from < 0 || from == (int)row)
				continue;
			x = x_of(t, e);
			if (from == last_from && x - last_x < 1.0)
				continue; /* the same pixel: one arrow says it */
			if (n >= MAX_ARROWS) {
				left++;
				continue;
			}
			y0 = y_of((unsigned)from) + ROW_H / 2.0;
			y1 = y_of(row) + (from < (int)row ? 0.0 : ROW_H);
			fr_sb_printf(sb, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
				     x, y0, x, y1);
			last_x = x;
			last_from = from;
			n++;
		}
	}
	fr_sb_puts(sb, "</g>\n");
	return left;
}

static void axis(struct fr_sb *sb, const struct tl *t, double height)
{
	static const uint64_t steps[] = {1, 2, 5};
	uint64_t span = t->w1 - t->w0, step = 1, mul = 1, v;
	unsigned k = 0;

	/* a round step giving at most 10 ticks */
	for (;;) {
		step = steps[k] * mul;
		if (span / step <= 10)
			break;
		if (++k == FR_ARRAY_SIZE(steps)) {
			k = 0;
			if (mul > UINT64_MAX / 10)
				break;
			mul *= 10;
		}
	}
	fr_sb_puts(sb, "<g class=\"axis\" font-size=\"11\" fill=\"#566573\">");
	for (v = 0; v <= span; v += step) {
		double x = x_of(t, t->w0 + v);
		char d[32];

		if (v)
			fr_fmt_duration(d, sizeof(d), v);
		else
			snprintf(d, sizeof(d), "0");
		fr_sb_printf(sb,
			     "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" "
			     "stroke=\"#d5d8dc\"/><text x=\"%.1f\" y=\"%d\" "
			     "text-anchor=\"middle\">%s%s</text>",
			     x, AXIS_H - 6, x, height, x, AXIS_H - 10, v ? "+" : "", d);
		if (v > UINT64_MAX - step)
			break;
	}
	fr_sb_puts(sb, "</g>\n");
}

/* Rows: the victim, then the threads of the path by time, then the CPU
 * holders by time. */
static void pick_rows(struct tl *t, const struct fa_incident *inc, unsigned max_rows,
		      unsigned *not_shown)
{
	const struct fa_model *m = t->m;
	uint64_t *on = calloc(m->n_threads ? m->n_threads : 1, sizeof(uint64_t));
	uint64_t *cul = calloc(m->n_threads ? m->n_threads : 1, sizeof(uint64_t));
	uint32_t i, n_any = 0;

	t->rows[0] = inc->thread;
	t->n_rows = 1;
	*not_shown = 0;
	if (!on || !cul) {
		free(on);
		free(cul);
		return; /* the victim alone still makes a timeline */
	}
	for (i = 0; i < inc->n_path; i++) {
		const struct fa_segment *s = &inc->path[i];

		if (s->thread < m->n_threads)
			on[s->thread] += s->end_ns - s->start_ns;
		if (s->culprit < m->n_threads && s->culprit != s->thread)
			cul[s->culprit] += s->end_ns - s->start_ns;
	}
	if (inc->culprit < m->n_threads && !on[inc->culprit] && !cul[inc->culprit])
		cul[inc->culprit] = 1; /* failures: the sender, the OOM trigger */
	for (i = 0; i < inc->n_causes; i++)
		for (uint32_t j = 0; j < inc->causes[i].n_culprits; j++) {
			uint32_t c = inc->causes[i].culprits[j].thread;

			if (c < m->n_threads && !on[c] && !cul[c])
				cul[c] = 1;
		}
	on[inc->thread] = 0;
	cul[inc->thread] = 0;
	for (i = 0; i < m->n_threads; i++)
		if (on[i] || cul[i])
			n_any++;
	for (int pass = 0; pass < 2; pass++) {
		uint64_t *v = pass ? cul : on;

		for (;;) {
			uint32_t best = FA_NONE;

			for (i = 0; i < m->n_threads; i++)
				if (v[i] && (best == FA_NONE || v[i] > v[best]))
					best = i;
			if (best == FA_NONE || t->n_rows >= max_rows)
				break;
			t->rows[t->n_rows++] = best;
			on[best] = cul[best] = 0;
		}
	}
	*not_shown = n_any + 1 > t->n_rows ? n_any + 1 - t->n_rows : 0;
	free(on);
	free(cul);
}

static int timeline(struct fr_sb *sb, const struct fa_model *m, const struct fa_incident *inc,
		    unsigned idx, unsigned max_rows)
{
	struct tl t;
	unsigned row, not_shown, left;
	double height;
	char a[40], b[40];

	memset(&t, 0, sizeof(t));
	t.m = m;
	if (inc->end_ns > inc->start_ns) {
		t.w0 = inc->start_ns;
		t.w1 = inc->end_ns;
	} else {
		/* a failure at one instant: the time before it */
		t.w0 = inc->start_ns > m->start_ns + 200000000ULL ? inc->start_ns - 200000000ULL
								  : m->start_ns;
		t.w1 = FR_MIN(inc->start_ns + 20000000ULL, FR_MAX(m->end_ns, inc->start_ns + 1));
		if (t.w1 <= t.w0)
			t.w1 = t.w0 + 1;
	}
	if (max_rows > FR_ARRAY_SIZE(t.rows))
		max_rows = FR_ARRAY_SIZE(t.rows);
	t.acc = malloc(sizeof(*t.acc) * COLS);
	t.mark = malloc(COLS);
	if (!t.acc || !t.mark) {
		free(t.acc);
		free(t.mark);
		return -ENOMEM;
	}
	pick_rows(&t, inc, max_rows, &not_shown);
	height = y_of(t.n_rows) + 4;
	fa_fmt_rel(a, sizeof(a), m, t.w0, " s");
	fa_fmt_rel(b, sizeof(b), m, t.w1, " s");
	fr_sb_printf(sb,
		     "<h3>Timeline</h3>\n<p class=\"legend\">From %s to %s after the start of the "
		     "recording.</p>\n<div class=\"timeline\"><svg xmlns=\"http://www.w3.org/2000/"
		     "svg\" id=\"timeline%u\" width=\"%d\" height=\"%.0f\" viewBox=\"0 0 %d %.0f\" "
		     "font-family=\"Helvetica,Arial,sans-serif\" role=\"img\">\n<defs><marker "
		     "id=\"arrow%u\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"6\" "
		     "markerHeight=\"6\" orient=\"auto-start-reverse\"><path d=\"M0,0L10,5L0,10z\" "
		     "fill=\"#1c2833\"/></marker></defs>\n",
		     a, b, idx, LABEL_W + PLOT_W + 10, height, LABEL_W + PLOT_W + 10, height, idx);
	axis(sb, &t, height);
	for (row = 0; row < t.n_rows; row++)
		draw_row(sb, &t, row, idx);
	draw_path(sb, &t, inc);
	left = draw_wakeups(sb, &t, idx);
	fr_sb_puts(sb, "</svg></div>\n<p class=\"legend\">");
	for (row = 1; row < CL_COUNT; row++)
		fr_sb_printf(sb, "<span><i class=\"cat\" style=\"background:%s\"></i>%s</span>",
			     classes[row].color, classes[row].name);
	fr_sb_puts(sb, "<span><i class=\"cat\" style=\"background:#f4f6f6;border:1px solid "
		       "#d5d8dc\"></i>not recorded</span><span><i class=\"cat\" "
		       "style=\"background:#c0392b;height:4px\"></i>critical path</span>"
		       "<span>&darr; wakeup by a task shown</span><span><i>faded</i>: not "
		       "recorded, seen only where it met recorded threads</span>");
	if (not_shown)
		fr_sb_printf(sb, "<span>%u more thread%s on the path not shown</span>", not_shown,
			     not_shown == 1 ? "" : "s");
	if (left)
		fr_sb_printf(sb, "<span>%u more wakeup%s not drawn</span>", left,
			     left == 1 ? "" : "s");
	fr_sb_puts(sb, "</p>\n");
	free(t.acc);
	free(t.mark);
	return 0;
}

/* ---- the page ----------------------------------------------------------------------------- */

static int incident(struct fr_sb *sb, const struct fa_model *m, const struct fa_incident *inc,
		    unsigned idx, const struct fa_html_opts *o, char *err, size_t errlen)
{
	uint64_t total = inc->end_ns > inc->start_ns ? inc->end_ns - inc->start_ns : 0;
	char a[40], b[40], d[32];
	char *svg;
	size_t len;
	int rc;

	fr_sb_printf(sb, "<section class=\"incident\" id=\"incident-%u\">\n<h2>%u. ", idx, idx);
	html_printf(sb, "%s: %s", fa_incident_kind_name(inc->kind), inc->what);
	fr_sb_puts(sb, "</h2>\n<p class=\"summary\">");
	html_put(sb, inc->summary);
	fr_sb_puts(sb, "</p>\n<dl><dt>thread</dt><dd>");
	thread_html(sb, m, inc->thread);
	fa_fmt_rel(a, sizeof(a), m, inc->start_ns, " s");
	fa_fmt_rel(b, sizeof(b), m, inc->end_ns, " s");
	fr_fmt_duration(d, sizeof(d), total);
	if (total)
		fr_sb_printf(sb, "</dd><dt>when</dt><dd>%s to %s (%s)", a, b, d);
	else
		fr_sb_printf(sb, "</dd><dt>when</dt><dd>%s", a);
	if (inc->typical_ns) {
		fr_fmt_duration(d, sizeof(d), inc->typical_ns);
		fr_sb_printf(sb, "; normally %s", d);
	}
	fr_sb_puts(sb, "</dd></dl>\n");
	if (inc->note[0]) {
		fr_sb_puts(sb, "<p class=\"warn\">");
		html_put(sb, inc->note);
		fr_sb_puts(sb, "</p>\n");
	}
	if (total)
		breakdown(sb, inc);
	causes(sb, m, inc);
	rc = fa_graph__svg(m, inc, idx, &o->graph, &svg, &len, err, errlen);
	if (rc)
		return rc;
	fr_sb_puts(sb, "<h3>Causal graph</h3>\n<div class=\"graph\">");
	fr_sb_putn(sb, svg, len);
	fr_sb_puts(sb,
		   "</div>\n<p class=\"legend\"><span>boxes: threads (red: the victim, "
		   "yellow: the culprit)</span><span>ellipses: system calls they were blocked "
		   "in</span><span>hexagons: kernel causes</span><span>edges: the time they "
		   "explain, thicker and redder for more (red 50% or more, orange 20&ndash;50%, "
		   "yellow 5&ndash;20%, grey less)</span><span>dashed: waiting for a CPU held by "
		   "that thread</span><span>dotted: who is to blame for a kernel cause</span>"
		   "</p>\n");
	free(svg);
	rc = timeline(sb, m, inc, idx, o->max_rows ? o->max_rows : 12);
	if (rc) {
		snprintf(err, errlen, "drawing the timeline: %s", strerror(-rc));
		return rc;
	}
	fr_sb_puts(sb, "</section>\n");
	return 0;
}

int fa_html__write(FILE *f, const struct fa_model *m, const struct fa_incidents *inc,
		   const struct fa_html_opts *o, char *err, size_t errlen)
{
	static const struct fa_html_opts defaults = {0};
	struct fr_sb sb;
	uint32_t i;
	int rc = 0;

	if (!o)
		o = &defaults;
	err[0] = 0;
	fr_sb_init(&sb);
	fr_sb_puts(&sb, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
			"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
			"<title>flightrec: ");
	html_put(&sb, o->file ? o->file : "incident report");
	fr_sb_printf(&sb, "</title>\n<style>%s</style>\n</head>\n<body>\n", css);
	header(&sb, m, inc, o);
	if (!inc->n)
		fr_sb_puts(&sb, "<p class=\"summary\">No incident found: no slow system call or "
				"request relative to each thread's normal, no failed call that "
				"signals trouble, no fatal signal, OOM kill or non-zero exit. Use "
				"<code>--focus</code> to analyse a chosen process, thread or time "
				"window.</p>\n");
	for (i = 0; i < inc->n && !rc; i++) {
		rc = incident(&sb, m, &inc->v[i], i + 1, o, err, errlen);
		/* write as we go: a page of many incidents need not sit in memory */
		if (!rc && sb.len > (1u << 20)) {
			if (sb.oom || fwrite(sb.buf, 1, sb.len, f) != sb.len)
				rc = sb.oom ? -ENOMEM : -EIO;
			fr_sb_reset(&sb);
		}
	}
	if (!rc) {
		fr_sb_printf(&sb,
			     "<footer>Written by flightrec %s. The report's method: "
			     "docs/analysis.md; the pictures: docs/pictures.md.</footer>\n"
			     "</body>\n</html>\n",
			     FR_VERSION);
		if (sb.oom)
			rc = -ENOMEM;
		else if (fwrite(sb.buf, 1, sb.len, f) != sb.len)
			rc = -EIO;
		if (rc)
			snprintf(err, errlen, "%s",
				 rc == -ENOMEM ? "out of memory" : "write failed");
	} else if (rc == -ENOMEM || rc == -EIO) {
		if (!err[0])
			snprintf(err, errlen, "%s", strerror(-rc));
	}
	fr_sb_free(&sb);
	return rc;
}
