// SPDX-License-Identifier: MIT
/*
 * whatif_report.c: the report of a what-if replay (see whatif.h): each
 * call of the new path and how it was answered, how the program ended
 * against the recording, and one sentence that says it all.
 */
#include "replay/whatif_impl.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "formats/print.h"
#include "formats/syscalls.h"
#include "formats/util.h"

/* Calls the text report lists in full when there are no more than this. */
#define WI_TEXT_ALL 40
#define WI_TEXT_MAX 200

/* How calls were answered: in the text report, and as JSON keys (stable:
 * documented in docs/replay.md). */
static const struct {
	const char *text, *key;
} hows[] = {
    [WI_HOW_MODEL] = {"model", "model"},
    [WI_HOW_RECORDED] = {"recorded", "recorded"},
    [WI_HOW_REAL] = {"real", "real"},
    [WI_HOW_OUTPUT] = {"output", "output"},
    [WI_HOW_ACCEPTED] = {"not performed", "not_performed"},
    [WI_HOW_INJECTED] = {"injected", "injected"},
    [WI_HOW_UNANSWERED] = {"UNANSWERED", "unanswered"},
};

static const char *how_name(unsigned how)
{
	return how < FR_ARRAY_SIZE(hows) && hows[how].text ? hows[how].text : "?";
}

static const char *how_key(unsigned how)
{
	return how < FR_ARRAY_SIZE(hows) && hows[how].key ? hows[how].key : "unknown";
}

char *wi_print_live(struct fr_replay *R, struct wi_thread *wt, int64_t ret,
		    const struct fr_payload *out, uint32_t n_out, bool show_result)
{
	struct fr_print_opts po = {.strsize = STRSIZE};
	const struct rp_rthread *rt = st_rt_of(R, wt->th);
	struct fr_event ev;
	struct fr_sb sb;
	uint32_t i;
	char *s;

	rp_live_to_event(&R->live, wt->th->proc->rpid, rt ? rt->tid : (uint32_t)wt->th->t->tid,
			 &ev);
	if (show_result) {
		ev.u.sc.flags &= ~(uint32_t)FR_SC_NO_EXIT;
		ev.u.sc.ret = ret;
		for (i = 0; i < n_out && ev.n_payloads < FR_MAX_PAYLOADS; i++)
			ev.payloads[ev.n_payloads++] = out[i];
	}
	fr_sb_init(&sb);
	fr_print_event_details(&sb, &ev, &po);
	s = strdup(fr_sb_str(&sb));
	fr_sb_free(&sb);
	return s;
}

void wi_report_call(struct fr_replay *R, struct wi_thread *wt, const struct wi_answer *a)
{
	struct wi_state *W = R->wi;
	struct fr_whatif_report *rep = &W->rep;
	const struct rp_rthread *rt = st_rt_of(R, wt->th);
	struct fr_payload outs[FR_MAX_PAYLOADS];
	const struct fr_payload *out = a->out;
	uint32_t n_out = a->n_out, i;
	struct wi_event *e;

	if (R->o.verbose) {
		char *s = wi_print_live(R, wt, a->ret, a->out, a->n_out, !a->report_now);

		st_vlog(R, "what-if +%.3f ms %u %s -- %s%s%s", wi_ms(W, W->vnow),
			(unsigned)wt->th->t->tid, s ? s : "?", how_name(a->how),
			a->detail[0] ? ": " : "", a->detail);
		free(s);
	}
	rep->calls++;
	if (a->how <= WI_HOW_UNANSWERED)
		rep->by_how[a->how]++;
	if (a->how == WI_HOW_UNANSWERED)
		rep->unanswered++;
	if (rep->n_events >= WI_MAX_EVENTS) {
		rep->events_omitted++;
		return;
	}
	if (!(rep->n_events & (rep->n_events + 1))) { /* grow at 2^k - 1 */
		struct wi_event *n =
		    realloc(rep->events, (rep->n_events * 2 + 1) * sizeof(*rep->events));

		if (!n) {
			rep->events_omitted++;
			return;
		}
		rep->events = n;
	}
	if (a->as) {
		n_out = 0;
		for (i = 0; i < a->as->n_payloads && n_out < FR_MAX_PAYLOADS; i++)
			if (a->as->payloads[i].kind == FR_PL_OUT)
				outs[n_out++] = a->as->payloads[i];
		out = outs;
	}
	e = &rep->events[rep->n_events++];
	memset(e, 0, sizeof(*e));
	e->vt_ns = W->vnow - W->m->start_ns;
	e->enter_ns = wt->enter_vt > W->m->start_ns ? wt->enter_vt - W->m->start_ns : e->vt_ns;
	if (e->enter_ns > e->vt_ns)
		e->enter_ns = e->vt_ns;
	e->pid = wt->th->proc->rpid;
	e->tid = rt ? rt->tid : (uint32_t)wt->th->t->tid;
	e->nr = (uint16_t)wt->th->t->sc.nr;
	e->how = a->how;
	e->interesting = a->interesting || a->how == WI_HOW_UNANSWERED;
	e->call = wi_print_live(R, wt, a->ret, out, n_out, !a->report_now);
	e->detail = a->detail[0] ? strdup(a->detail) : NULL;
	/* The summary names the first one about files or the network (a
	 * random number or a clock the program does without is not it). */
	if (a->how == WI_HOW_UNANSWERED && !W->first_unanswered[0] && fr_syscall(e->nr) &&
	    (fr_syscall(e->nr)->cls & (FR_SCC_FILE | FR_SCC_NET | FR_SCC_READ | FR_SCC_DESC))) {
		char *call = wi_print_live(R, wt, 0, NULL, 0, false);
		size_t n = call ? strlen(call) : 0;

		if (n > 4 && !strcmp(call + n - 4, " = ?"))
			call[n - 4] = 0;
		snprintf(W->first_unanswered, sizeof(W->first_unanswered),
			 "%.300s cannot be answered from the recording: it fails with %s",
			 call ? call : "a call",
			 fr_errno_name((int)-a->ret) ? fr_errno_name((int)-a->ret) : "an error");
		free(call);
	}
}

static void status_text(struct fr_sb *sb, int st)
{
	if (WIFSIGNALED(st))
		fr_sb_printf(sb, "killed by %s",
			     fr_signal_name(WTERMSIG(st)) ? fr_signal_name(WTERMSIG(st))
							  : "a signal");
	else
		fr_sb_printf(sb, "exit %d", WEXITSTATUS(st));
}

static void outcome_text(struct fr_sb *sb, const struct fr_whatif_report *w)
{
	if (w->ended) {
		status_text(sb, w->status);
		if (w->recorded_ended) {
			if (w->recorded_status == w->status) {
				fr_sb_puts(sb, ", as recorded");
			} else if (!WIFSIGNALED(w->status) && !WIFSIGNALED(w->recorded_status)) {
				fr_sb_printf(sb, " instead of %d", WEXITSTATUS(w->recorded_status));
			} else {
				fr_sb_puts(sb, " instead of ");
				status_text(sb, w->recorded_status);
			}
		}
	} else if (w->stuck) {
		fr_sb_puts(sb, "it then waits for ever");
		if (w->recorded_ended) {
			fr_sb_puts(sb, " (recorded: ");
			status_text(sb, w->recorded_status);
			fr_sb_puts(sb, ")");
		}
	} else {
		fr_sb_puts(sb, "it had not ended when the replay did");
	}
}

void wi_report_finish(struct fr_replay *R)
{
	struct wi_state *W = R->wi;
	struct fr_whatif_report *w = &W->rep;
	const struct rp_recording *rec = R->rec;
	struct fr_sb sb;
	size_t i;
	int facts = 0;

	w->recorded_ended = rec->root_exited;
	w->recorded_status = rec->root_exit_status;
	if (rec->n_threads && rec->threads[0].exited &&
	    rec->threads[0].exit_ns > rec->start.exec_ns)
		w->recorded_end_ns = rec->threads[0].exit_ns - rec->start.exec_ns;
	if (!w->ended && R->res.replayed_exit_known) {
		/* it ended before the model took over (or strict replay saw it) */
		w->ended = true;
		w->status = R->res.replayed_status;
		w->end_ns = W->vnow > rec->start.exec_ns ? W->vnow - rec->start.exec_ns
			    : R->now_rec_ns > rec->start.exec_ns
				? R->now_rec_ns + (uint64_t)R->shift_ns - rec->start.exec_ns
				: 0;
	}
	fr_sb_init(&sb);
	if (!w->switched) {
		if (R->res.first)
			fr_sb_printf(&sb,
				     "the replay stopped at the divergence (%s): what-if replay "
				     "cannot go on from there",
				     R->res.first->kind);
		else if (R->err[0])
			fr_sb_puts(&sb, "the replay failed before the program left the recording");
		else if (w->ended && w->recorded_ended && w->status != w->recorded_status) {
			fr_sb_puts(&sb,
				   "the program makes the recorded calls, and ends differently: ");
			outcome_text(&sb, w);
		} else {
			fr_sb_puts(&sb, w->n_changes ? "with " : "");
			for (i = 0; i < w->n_changes; i++)
				fr_sb_printf(&sb, "%s%s", i ? "; " : "", w->changes[i]);
			fr_sb_printf(&sb, "%sthe program follows the recording to its end (",
				     w->n_changes ? ", " : "");
			outcome_text(&sb, w);
			fr_sb_puts(&sb, ")");
		}
	} else {
		if (w->n_changes) {
			fr_sb_puts(&sb, "with ");
			for (i = 0; i < w->n_changes; i++)
				fr_sb_printf(&sb, "%s%s", i ? " and " : "", w->changes[i]);
		} else {
			fr_sb_puts(&sb, "with the program as it is now");
		}
		fr_sb_puts(&sb, ": ");
		if (W->timeout_arg) {
			fr_sb_printf(&sb, "%s; ", W->timeout_text);
		}
		if (W->new_data_seen) {
			fr_sb_printf(&sb, "%s; ", W->new_data);
			facts++;
		}
		if (W->late_data[0]) {
			fr_sb_printf(&sb, "%s; ", W->late_data);
			facts++;
		}
		if (W->first_unanswered[0]) {
			fr_sb_printf(&sb, "%s; ", W->first_unanswered);
			facts++;
		}
		if (W->first_output[0] && !W->new_data_seen) {
			fr_sb_printf(&sb, "it prints %s; ", W->first_output);
			facts++;
		}
		if (!facts && w->stuck)
			fr_sb_printf(&sb, "%s; ", w->stuck);
		outcome_text(&sb, w);
	}
	free(w->summary);
	w->summary = strdup(fr_sb_str(&sb));
	fr_sb_free(&sb);
}

void wi_report_print(FILE *f, const struct fr_whatif_report *w)
{
	size_t i, shown = 0, hidden = 0;
	bool all;

	fprintf(f, "what-if replay:\n");
	for (i = 0; i < w->n_changes; i++)
		fprintf(f, "  changed: %s\n", w->changes[i]);
	if (!w->switched) {
		fprintf(f, "  summary: %s\n", w->summary ? w->summary : "?");
		return;
	}
	fprintf(
	    f,
	    "  the program left the recording at +%.1f ms; from there on it ran against a "
	    "model of\n  the recorded environment (times: virtual, from the program's start):\n",
	    (double)w->switch_ns / 1e6);
	all = w->n_events <= WI_TEXT_ALL;
	for (i = 0; i < w->n_events; i++) {
		const struct wi_event *e = &w->events[i];

		if (!all && (!e->interesting || shown >= WI_TEXT_MAX)) {
			hidden++;
			continue;
		}
		shown++;
		fprintf(f, "  %+9.1f ms  %u/%u %s\n", (double)e->vt_ns / 1e6, e->pid, e->tid,
			e->call ? e->call : "?");
		if (e->detail || e->how != WI_HOW_REAL)
			fprintf(f, "                %s%s%s\n", how_name(e->how),
				e->detail ? ": " : "", e->detail ? e->detail : "");
	}
	if (hidden || w->events_omitted)
		fprintf(f,
			"  (%zu more calls not shown: memory, signal set-up and the like; "
			"--json lists them)\n",
			hidden + (size_t)w->events_omitted);
	fprintf(f,
		"  %" PRIu64 " calls after the switch: %" PRIu64 " answered by the model, %" PRIu64
		" as recorded, %" PRIu64 " run for real, %" PRIu64 " shown (output), %" PRIu64
		" not performed, %" PRIu64 " injected, %" PRIu64 " unanswered\n",
		w->calls, w->by_how[WI_HOW_MODEL], w->by_how[WI_HOW_RECORDED],
		w->by_how[WI_HOW_REAL], w->by_how[WI_HOW_OUTPUT], w->by_how[WI_HOW_ACCEPTED],
		w->by_how[WI_HOW_INJECTED], w->unanswered);
	for (i = 0; i < w->n_notes; i++)
		fprintf(f, "  note: %s\n", w->notes[i]);
	if (w->stuck)
		fprintf(f, "  stopped: %s\n", w->stuck);
	fprintf(f, "  outcome: ");
	if (w->ended)
		fprintf(f, "%s %d at +%.1f ms",
			WIFSIGNALED(w->status) ? "killed by signal" : "exit",
			WIFSIGNALED(w->status) ? WTERMSIG(w->status) : WEXITSTATUS(w->status),
			(double)w->end_ns / 1e6);
	else
		fprintf(f, "did not end");
	if (w->recorded_ended)
		fprintf(f, "; recorded: %s %d at +%.1f ms",
			WIFSIGNALED(w->recorded_status) ? "killed by signal" : "exit",
			WIFSIGNALED(w->recorded_status) ? WTERMSIG(w->recorded_status)
							: WEXITSTATUS(w->recorded_status),
			(double)w->recorded_end_ns / 1e6);
	fprintf(f, "\n  summary: %s\n", w->summary ? w->summary : "?");
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *wi_report_json(const struct fr_whatif_report *w)
{
	json_t *o = json_object(), *ch = json_array(), *ev = json_array(), *notes = json_array();
	json_t *by = json_object(), *out = json_object();
	size_t i;
	unsigned k;

	if (!o || !ch || !ev || !notes || !by || !out) {
		json_decref(o);
		json_decref(ch);
		json_decref(ev);
		json_decref(notes);
		json_decref(by);
		json_decref(out);
		return NULL;
	}
	json_object_set_new(o, "switched", json_boolean(w->switched));
	json_object_set_new(o, "switch_ms",
			    w->switched ? json_real((double)w->switch_ns / 1e6) : json_null());
	for (i = 0; i < w->n_changes; i++)
		json_array_append_new(ch, json_string(w->changes[i]));
	json_object_set_new(o, "changes", ch);
	json_object_set_new(o, "calls", json_integer((json_int_t)w->calls));
	json_object_set_new(o, "unanswered", json_integer((json_int_t)w->unanswered));
	for (k = WI_HOW_MODEL; k <= WI_HOW_UNANSWERED; k++)
		json_object_set_new(by, how_key(k), json_integer((json_int_t)w->by_how[k]));
	json_object_set_new(o, "answered", by);
	for (i = 0; i < w->n_events; i++) {
		const struct wi_event *e = &w->events[i];
		json_t *j = json_object();
		const char *name = fr_syscall_name(e->nr);

		if (!j)
			break;
		json_object_set_new(j, "t_ms", json_real((double)e->vt_ns / 1e6));
		json_object_set_new(j, "enter_ms", json_real((double)e->enter_ns / 1e6));
		json_object_set_new(j, "pid", json_integer(e->pid));
		json_object_set_new(j, "tid", json_integer(e->tid));
		json_object_set_new(j, "syscall", str_or_null(name));
		json_object_set_new(j, "call", str_or_null(e->call));
		json_object_set_new(j, "how", json_string(how_key(e->how)));
		json_object_set_new(j, "detail", str_or_null(e->detail));
		json_object_set_new(j, "interesting", json_boolean(e->interesting));
		json_array_append_new(ev, j);
	}
	json_object_set_new(o, "events", ev);
	json_object_set_new(o, "events_omitted", json_integer((json_int_t)w->events_omitted));
	for (i = 0; i < w->n_notes; i++)
		json_array_append_new(notes, json_string(w->notes[i]));
	json_object_set_new(o, "notes", notes);
	json_object_set_new(out, "replayed_exit",
			    w->ended ? json_integer(fr_replay_status_code(w->status))
				     : json_null());
	json_object_set_new(out, "replayed_end_ms",
			    w->ended ? json_real((double)w->end_ns / 1e6) : json_null());
	json_object_set_new(out, "recorded_exit",
			    w->recorded_ended
				? json_integer(fr_replay_status_code(w->recorded_status))
				: json_null());
	json_object_set_new(out, "recorded_end_ms",
			    w->recorded_ended ? json_real((double)w->recorded_end_ns / 1e6)
					      : json_null());
	json_object_set_new(out, "stuck", str_or_null(w->stuck));
	json_object_set_new(o, "outcome", out);
	json_object_set_new(o, "summary", str_or_null(w->summary));
	return o;
}

void wi_report_free(struct fr_whatif_report *w)
{
	size_t i;

	if (!w)
		return;
	for (i = 0; i < w->n_changes; i++)
		free(w->changes[i]);
	free(w->changes);
	for (i = 0; i < w->n_events; i++) {
		free(w->events[i].call);
		free(w->events[i].detail);
	}
	free(w->events);
	for (i = 0; i < w->n_notes; i++)
		free(w->notes[i]);
	free(w->notes);
	free(w->stuck);
	free(w->summary);
	memset(w, 0, sizeof(*w));
}
