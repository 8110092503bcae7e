// SPDX-License-Identifier: MIT
/*
 * report.c: the analysis as text (for people) and JSON (docs/report-schema.md).
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "analyze/internal.h"
#include "formats/print.h"
#include "formats/syscalls.h"
#include "formats/util.h"

/* ---- text ------------------------------------------------------------------------------ */

struct style {
	const char *bold, *dim, *red, *yellow, *cyan, *off;
};

static const struct style plain = {"", "", "", "", "", ""};
static const struct style ansi = {"\033[1m",  "\033[2m",  "\033[31m",
				  "\033[33m", "\033[36m", "\033[0m"};

static void print_header(FILE *f, const struct fa_model *m, const struct fa_report_opts *o,
			 const struct style *st)
{
	const struct fr_manifest *mf = m->manifest;
	char d[32], utc[64];
	uint64_t lost = 0;
	unsigned i;
	bool any = false;

	fr_fmt_duration(d, sizeof(d), m->end_ns - m->start_ns);
	fr_fmt_utc(utc, sizeof(utc), fa_model__t0(m), mf->clock_to_utc_ns);
	fprintf(f, "%s%s%s\n", st->bold, o->file ? o->file : "bundle", st->off);
	fprintf(f, "  %s%s%s, kernel %s; recorded from %s for %s\n", mf->hostname[0] ? "host " : "",
		mf->hostname, mf->hostname[0] ? "" : "unknown host",
		mf->kernel_release[0] ? mf->kernel_release : "?", utc, d);
	fprintf(f, "  %" PRIu64 " events, %u recorded thread%s", m->st.events, m->n_recorded,
		m->n_recorded == 1 ? "" : "s");
	if (m->n_threads > m->n_recorded)
		fprintf(f, " (and %u other task%s met on the CPUs)", m->n_threads - m->n_recorded,
			m->n_threads - m->n_recorded == 1 ? "" : "s");
	if (mf->trigger_kind[0])
		fprintf(f, "; trigger: %s%s%s", mf->trigger_kind, mf->trigger_reason[0] ? ": " : "",
			mf->trigger_reason);
	fprintf(f, "\n");
	for (i = 1; i < FR_LOSS_CAUSE_COUNT; i++)
		lost += mf->losses[i];
	if (lost || m->st.lost_events) {
		fprintf(f, "  %slosses:", st->yellow);
		for (i = 1; i < FR_LOSS_CAUSE_COUNT; i++)
			if (mf->losses[i]) {
				fprintf(f, "%s %" PRIu64 " %s", any ? "," : "", mf->losses[i],
					fr_loss_cause_name(i) ? fr_loss_cause_name(i) : "?");
				any = true;
			}
		if (!any)
			fprintf(f, " %" PRIu64 " events", m->st.lost_events);
		/* only lost events hide state changes; cut payloads do not */
		if (mf->losses[FR_LOSS_RING_FULL] || mf->losses[FR_LOSS_EVICTED] ||
		    m->st.lost_events)
			fprintf(f, "; results near the losses are approximate");
		fprintf(f, "%s\n", st->off);
	}
	if (m->st.flows_dropped || m->st.bios_dropped || m->st.spans_dropped)
		fprintf(f,
			"  %sanalysis caps reached: %" PRIu64 " data-flow records, %" PRIu64
			" block requests, %" PRIu64 " reclaim/fault spans not kept%s\n",
			st->yellow, m->st.flows_dropped, m->st.bios_dropped, m->st.spans_dropped,
			st->off);
	if (m->st.repaired)
		fprintf(f,
			"  %s%" PRIu64 " thread state%s inferred where events contradicted "
			"each other%s\n",
			st->dim, m->st.repaired, m->st.repaired == 1 ? " was" : "s were", st->off);
}

static void print_path(FILE *f, const struct fa_model *m, const struct fa_incident *inc,
		       unsigned max_lines, const struct style *st)
{
	uint64_t total = inc->end_ns > inc->start_ns ? inc->end_ns - inc->start_ns : 0;
	uint64_t small_ns = 0, thresh = total / 100;
	uint32_t i, shown = 0, small = 0, big = 0;

	if (!inc->n_path)
		return;
	for (i = 0; i < inc->n_path; i++)
		if (inc->path[i].end_ns - inc->path[i].start_ns >= thresh)
			big++;
	/* show the longest segments, in time order */
	while (big > max_lines) {
		thresh = thresh ? thresh * 2 : 1;
		big = 0;
		for (i = 0; i < inc->n_path; i++)
			if (inc->path[i].end_ns - inc->path[i].start_ns >= thresh)
				big++;
	}
	fprintf(f, "  %scritical path%s (%u segment%s%s)\n", st->bold, st->off, inc->n_path,
		inc->n_path == 1 ? "" : "s", big < inc->n_path ? ", the longest shown" : "");
	for (i = 0; i < inc->n_path; i++) {
		const struct fa_segment *s = &inc->path[i];
		uint64_t d = s->end_ns - s->start_ns;
		char t[32], dd[32], who[64], cul[64], detail[256];

		if (d < thresh) {
			small++;
			small_ns += d;
			continue;
		}
		if (small) {
			fr_fmt_duration(dd, sizeof(dd), small_ns);
			fprintf(f, "    %s... %u shorter segment%s, %s%s\n", st->dim, small,
				small == 1 ? "" : "s", dd, st->off);
			small = 0;
			small_ns = 0;
		}
		fa_fmt_rel(t, sizeof(t), m, s->start_ns, "s");
		fr_fmt_duration(dd, sizeof(dd), d);
		fa_model__thread_name(m, s->thread, who, sizeof(who));
		detail[0] = 0;
		if (s->state == FA_ST_BLOCKED && s->wait != FA_NONE)
			fa_describe_wait(m, s->wait, detail, sizeof(detail));
		if (s->culprit != FA_NONE && s->culprit != s->thread) {
			size_t l = strlen(detail);

			fa_model__thread_name(m, s->culprit, cul, sizeof(cul));
			snprintf(detail + l, sizeof(detail) - l, "%s%s %s", l ? ", " : "",
				 s->category == FA_CAT_CPU ? "CPU held by" : "due to", cul);
		}
		fprintf(f, "    %s  %9s  %-22s %-9s %-15s %s%s%s%s\n", t, dd, who,
			fa_state_name(s->state), fa_category_name(s->category),
			s->depth ? "via " : "", s->depth ? fa_via_name(s->via) : "",
			s->depth && detail[0] ? "; " : "", detail);
		if (++shown >= max_lines * 2)
			break;
	}
	if (small) {
		char dd[32];

		fr_fmt_duration(dd, sizeof(dd), small_ns);
		fprintf(f, "    %s... %u shorter segment%s, %s%s\n", st->dim, small,
			small == 1 ? "" : "s", dd, st->off);
	}
}

static void print_incident(FILE *f, const struct fa_model *m, const struct fa_incident *inc,
			   unsigned idx, const struct fa_report_opts *o, const struct style *st)
{
	uint64_t total = inc->end_ns > inc->start_ns ? inc->end_ns - inc->start_ns : 0, sum = 0;
	uint64_t left[FA_CAT_COUNT];
	char who[64], a[32], b[32], d[32];
	unsigned c;
	uint32_t i;
	bool first = true;

	fa_model__thread_name(m, inc->thread, who, sizeof(who));
	fprintf(f, "\n%s%u. %s%s%s%s: %s%s\n", st->bold, idx, st->red,
		fa_incident_kind_name(inc->kind), st->off, st->bold, inc->what, st->off);
	fprintf(f, "  %s\n", inc->summary);
	fa_fmt_rel(a, sizeof(a), m, inc->start_ns, "s");
	fa_fmt_rel(b, sizeof(b), m, inc->end_ns, "s");
	fr_fmt_duration(d, sizeof(d), total);
	fprintf(f, "  %sthread%s     %s\n", st->cyan, st->off, who);
	if (total)
		fprintf(f, "  %swhen%s       %s .. %s (%s)\n", st->cyan, st->off, a, b, d);
	else
		fprintf(f, "  %swhen%s       %s\n", st->cyan, st->off, a);
	for (c = 0; c < FA_CAT_COUNT; c++) {
		sum += inc->breakdown[c];
		left[c] = inc->breakdown[c];
	}
	if (sum && total) {
		fprintf(f, "  %sbreakdown%s  ", st->cyan, st->off);
		/* largest first */
		for (;;) {
			unsigned best = FA_CAT_COUNT;

			for (c = 0; c < FA_CAT_COUNT; c++)
				if (left[c] && (best == FA_CAT_COUNT || left[c] > left[best]))
					best = c;
			if (best == FA_CAT_COUNT)
				break;
			fr_fmt_duration(d, sizeof(d), left[best]);
			fprintf(f, "%s%s %.1f%% (%s)", first ? "" : ", ", fa_category_name(best),
				100.0 * (double)left[best] / (double)total, d);
			first = false;
			left[best] = 0;
		}
		fprintf(f, "\n");
	}
	if (inc->n_causes) {
		fprintf(f, "  %sroot causes%s\n", st->bold, st->off);
		for (i = 0; i < inc->n_causes; i++) {
			const struct fa_cause *k = &inc->causes[i];
			char cul[64] = "-";

			if (i > 0 && (i >= 6 || k->share < 0.01)) {
				fprintf(f, "    %s... %u more below 1%%%s\n", st->dim,
					inc->n_causes - i, st->off);
				break;
			}
			if (k->n_culprits)
				fa_model__thread_name(m, k->culprits[0].thread, cul, sizeof(cul));
			fr_fmt_duration(d, sizeof(d), k->ns);
			fprintf(f, "    %s%5.1f%%%s %9s  %-15s %-20s %s\n", i == 0 ? st->red : "",
				100.0 * k->share, i == 0 ? st->off : "", total ? d : "",
				fa_category_name(k->category), cul, k->explanation);
		}
	}
	print_path(f, m, inc, o->max_path_lines ? o->max_path_lines : 12, st);
	if (inc->note[0])
		fprintf(f, "  %snote: %s%s\n", st->yellow, inc->note, st->off);
}

void fa_report__text(FILE *f, const struct fa_model *m, const struct fa_incidents *inc,
		     const struct fa_report_opts *o)
{
	const struct style *st = o->color ? &ansi : &plain;
	uint32_t i;

	print_header(f, m, o, st);
	if (!inc->n) {
		fprintf(
		    f, "\nNo incident found: no slow system call or request relative to each "
		       "thread's normal, no failed call that signals trouble, no fatal signal, OOM "
		       "kill or non-zero exit.  Use --focus to analyse a chosen process, thread or "
		       "time window.\n");
		return;
	}
	for (i = 0; i < inc->n; i++)
		print_incident(f, m, &inc->v[i], i + 1, o, st);
}

/* ---- JSON ---------------------------------------------------------------------------- */

static json_t *thread_json(const struct fa_model *m, uint32_t t)
{
	if (t >= m->n_threads)
		return json_null();
	return json_pack("{s:I,s:I,s:s}", "pid", (json_int_t)m->threads[t].pid, "tid",
			 (json_int_t)m->threads[t].tid, "comm", m->threads[t].comm);
}

static void set_thread_fields(json_t *o, const struct fa_model *m, uint32_t t)
{
	json_object_set_new(o, "pid", json_integer(t < m->n_threads ? m->threads[t].pid : 0));
	json_object_set_new(o, "tid", json_integer(t < m->n_threads ? m->threads[t].tid : 0));
	json_object_set_new(o, "comm", json_string(t < m->n_threads ? m->threads[t].comm : ""));
}

static json_t *res_json(const struct fa_model *m, uint32_t res)
{
	static const char *const kinds[FA_RES_KIND_COUNT] = {
	    "unknown", "file", "pipe", "tcp",	"udp",	 "unix",  "socket",
	    "chr",     "blk",  "anon", "futex", "child", "timer",
	};
	const struct fa_resource *r;

	if (res >= m->n_res)
		return json_null();
	r = &m->res[res];
	return json_pack("{s:s,s:s}", "kind",
			 r->kind < FA_RES_KIND_COUNT ? kinds[r->kind] : "unknown", "name",
			 r->name ? r->name : "");
}

static json_t *incident_json(const struct fa_model *m, const struct fa_incident *inc,
			     const char *file)
{
	uint64_t total = inc->end_ns > inc->start_ns ? inc->end_ns - inc->start_ns : 0;
	json_t *o = json_object(), *a;
	char tmp[32];
	uint32_t i;
	unsigned c;

	if (!o)
		return NULL;
	json_object_set_new(o, "kind", json_string(fa_incident_kind_name(inc->kind)));
	json_object_set_new(o, "thread", thread_json(m, inc->thread));
	json_object_set_new(o, "start_ns", json_integer((json_int_t)inc->start_ns));
	json_object_set_new(o, "duration_ns", json_integer((json_int_t)total));
	json_object_set_new(o, "summary", json_string(inc->summary));
	/* additions to the DESIGN.md schema (docs/report-schema.md) */
	if (file)
		json_object_set_new(o, "bundle", json_string(file));
	json_object_set_new(o, "end_ns", json_integer((json_int_t)inc->end_ns));
	json_object_set_new(o, "what", json_string(inc->what));
	if (inc->nr != FA_NONE) {
		json_object_set_new(o, "syscall",
				    json_string(fa_syscall_name(inc->nr, tmp, sizeof(tmp))));
		if (inc->kind == FA_INC_ERROR && fr_errno_name((int)-inc->ret))
			json_object_set_new(o, "errno", json_string(fr_errno_name((int)-inc->ret)));
		json_object_set_new(o, "ret", json_integer((json_int_t)inc->ret));
	}
	if (inc->res != FA_NONE)
		json_object_set_new(o, "resource", res_json(m, inc->res));
	if (inc->typical_ns)
		json_object_set_new(o, "typical_ns", json_integer((json_int_t)inc->typical_ns));
	if (inc->count)
		json_object_set_new(o, "count", json_integer((json_int_t)inc->count));
	if (inc->kind == FA_INC_FATAL_SIGNAL || inc->kind == FA_INC_OOM_KILL) {
		json_object_set_new(o, "signal", json_integer(inc->sig));
		if (fr_signal_name(inc->sig))
			json_object_set_new(o, "signal_name",
					    json_string(fr_signal_name(inc->sig)));
	}
	if (inc->kind == FA_INC_EXIT || inc->kind == FA_INC_TIMEOUT)
		json_object_set_new(o, "exit_status", json_integer(inc->sig));
	if (inc->culprit != FA_NONE)
		json_object_set_new(o, "culprit", thread_json(m, inc->culprit));
	if (inc->note[0])
		json_object_set_new(o, "note", json_string(inc->note));

	a = json_array();
	for (c = 0; c < FA_CAT_COUNT; c++)
		if (inc->breakdown[c])
			json_array_append_new(
			    a, json_pack("{s:s,s:I,s:f}", "category", fa_category_name(c), "ns",
					 (json_int_t)inc->breakdown[c], "share",
					 total ? (double)inc->breakdown[c] / (double)total : 0.0));
	json_object_set_new(o, "breakdown", a);

	a = json_array();
	for (i = 0; i < inc->n_causes; i++) {
		const struct fa_cause *k = &inc->causes[i];
		json_t *co = json_object(), *cu = json_array();
		uint32_t j;

		for (j = 0; j < k->n_culprits; j++) {
			json_t *t = thread_json(m, k->culprits[j].thread);

			if (json_is_object(t))
				json_object_set_new(t, "ns",
						    json_integer((json_int_t)k->culprits[j].ns));
			json_array_append_new(cu, t);
		}
		json_object_set_new(co, "category", json_string(fa_category_name(k->category)));
		json_object_set_new(co, "ns", json_integer((json_int_t)k->ns));
		json_object_set_new(co, "share", json_real(k->share));
		json_object_set_new(co, "culprits", cu);
		json_object_set_new(co, "explanation", json_string(k->explanation));
		json_object_set_new(co, "on_thread", thread_json(m, k->on_thread));
		if (k->res != FA_NONE)
			json_object_set_new(co, "resource", res_json(m, k->res));
		json_array_append_new(a, co);
	}
	json_object_set_new(o, "root_causes", a);

	a = json_array();
	for (i = 0; i < inc->n_path; i++) {
		const struct fa_segment *s = &inc->path[i];
		json_t *so = json_object();

		set_thread_fields(so, m, s->thread);
		json_object_set_new(so, "state", json_string(fa_state_name(s->state)));
		json_object_set_new(so, "start_ns", json_integer((json_int_t)s->start_ns));
		json_object_set_new(so, "end_ns", json_integer((json_int_t)s->end_ns));
		json_object_set_new(so, "via", json_string(fa_via_name(s->via)));
		json_object_set_new(so, "category", json_string(fa_category_name(s->category)));
		json_object_set_new(so, "depth", json_integer(s->depth));
		if (s->culprit != FA_NONE)
			json_object_set_new(so, "culprit", thread_json(m, s->culprit));
		if (s->wait != FA_NONE)
			json_object_set_new(
			    so, "syscall",
			    json_string(fa_syscall_name(m->waits[s->wait].nr, tmp, sizeof(tmp))));
		if (s->res != FA_NONE)
			json_object_set_new(so, "resource", res_json(m, s->res));
		json_array_append_new(a, so);
	}
	json_object_set_new(o, "critical_path", a);
	if (inc->path_truncated)
		json_object_set_new(o, "critical_path_truncated", json_true());
	return o;
}

int fa_report__json_incidents(json_t *incidents, const struct fa_model *m,
			      const struct fa_incidents *inc, const char *file)
{
	uint32_t i;

	for (i = 0; i < inc->n; i++) {
		json_t *o = incident_json(m, &inc->v[i], file);

		if (!o || json_array_append_new(incidents, o))
			return -1;
	}
	return 0;
}

json_t *fa_report__json_bundle(const struct fa_model *m, const char *file)
{
	const struct fr_manifest *mf = m->manifest;
	json_t *o = json_object(), *l = json_object();
	unsigned i;

	if (!o || !l) {
		json_decref(o);
		json_decref(l);
		return NULL;
	}
	for (i = 1; i < FR_LOSS_CAUSE_COUNT; i++)
		if (fr_loss_cause_name(i))
			json_object_set_new(l, fr_loss_cause_name(i),
					    json_integer((json_int_t)mf->losses[i]));
	json_object_set_new(o, "file", json_string(file ? file : ""));
	json_object_set_new(o, "host", json_string(mf->hostname));
	json_object_set_new(o, "start_ns", json_integer((json_int_t)m->start_ns));
	json_object_set_new(o, "end_ns", json_integer((json_int_t)m->end_ns));
	json_object_set_new(o, "events", json_integer((json_int_t)m->st.events));
	json_object_set_new(o, "processes", json_integer(m->n_procs));
	json_object_set_new(o, "threads", json_integer(m->n_threads));
	json_object_set_new(o, "losses", l);
	json_object_set_new(o, "lost_events", json_integer((json_int_t)m->st.lost_events));
	json_object_set_new(o, "inferred_states", json_integer((json_int_t)m->st.repaired));
	json_object_set_new(o, "dropped",
			    json_pack("{s:I,s:I,s:I}", "flows", (json_int_t)m->st.flows_dropped,
				      "block_requests", (json_int_t)m->st.bios_dropped, "spans",
				      (json_int_t)m->st.spans_dropped));
	if (mf->trigger_kind[0])
		json_object_set_new(o, "trigger",
				    json_pack("{s:s,s:s,s:I}", "kind", mf->trigger_kind, "reason",
					      mf->trigger_reason, "ns",
					      (json_int_t)mf->trigger_ns));
	return o;
}
