// SPDX-License-Identifier: MIT
/* report.c: a replay's result for people and as JSON (see replay.h). */
#include "replay/replay.h"
#include "replay/whatif.h"

#include <inttypes.h>
#include <sys/wait.h>

int fr_replay_status_code(int wstatus)
{
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return WEXITSTATUS(wstatus);
}

static json_t *status_json(bool known, int status)
{
	return known ? json_integer(fr_replay_status_code(status)) : json_null();
}

static json_t *divergence_json(const struct fr_replay_divergence *d)
{
	json_t *o = json_object(), *last = json_array();
	unsigned i;

	if (!o || !last) {
		json_decref(o);
		json_decref(last);
		return NULL;
	}
	json_object_set_new(o, "kind", json_string(d->kind));
	json_object_set_new(o, "reason", json_string(d->reason));
	json_object_set_new(o, "pid", json_integer(d->pid));
	json_object_set_new(o, "tid", json_integer(d->tid));
	json_object_set_new(o, "replayed_tid", json_integer(d->real_tid));
	json_object_set_new(o, "thread_syscall_index", json_integer((json_int_t)d->thread_call));
	json_object_set_new(o, "syscall_index", json_integer((json_int_t)d->global_call));
	json_object_set_new(o, "expected", d->expected ? json_string(d->expected) : json_null());
	json_object_set_new(o, "actual", d->actual ? json_string(d->actual) : json_null());
	if (d->expected_json)
		json_object_set(o, "expected_event", d->expected_json);
	if (d->actual_json)
		json_object_set(o, "actual_event", d->actual_json);
	for (i = 0; i < d->n_last; i++)
		json_array_append_new(last, json_string(d->last[i]));
	json_object_set_new(o, "last_syscalls", last);
	json_object_set_new(o, "after_injection",
			    d->injection[0] ? json_string(d->injection) : json_null());
	return o;
}

json_t *fr_replay_result__json(const struct fr_replay_result *res)
{
	json_t *o = json_object(), *w = json_array();
	size_t i;

	if (!o || !w) {
		json_decref(o);
		json_decref(w);
		return NULL;
	}
	json_object_set_new(o, "completed", json_boolean(res->completed));
	json_object_set_new(o, "divergences", json_integer(res->divergences));
	json_object_set_new(o, "recorded_exit",
			    status_json(res->recorded_exit_known, res->recorded_status));
	json_object_set_new(o, "replayed_exit",
			    status_json(res->replayed_exit_known, res->replayed_status));
	json_object_set_new(o, "syscalls_replayed",
			    json_integer((json_int_t)res->syscalls_replayed));
	json_object_set_new(o, "syscalls_recorded",
			    json_integer((json_int_t)res->syscalls_recorded));
	json_object_set_new(o, "syscalls_emulated",
			    json_integer((json_int_t)res->syscalls_emulated));
	json_object_set_new(o, "syscalls_real", json_integer((json_int_t)res->syscalls_real));
	json_object_set_new(o, "unordered_calls", json_integer((json_int_t)res->unordered_calls));
	json_object_set_new(o, "end_of_recording", json_boolean(res->end_of_recording));
	json_object_set_new(o, "signals_delivered",
			    json_integer((json_int_t)res->signals_delivered));
	json_object_set_new(o, "signals_suppressed",
			    json_integer((json_int_t)res->signals_suppressed));
	json_object_set_new(o, "injections", json_integer((json_int_t)res->injections));
	json_object_set_new(o, "order_relaxations",
			    json_integer((json_int_t)res->order_relaxations));
	json_object_set_new(o, "mirrored_bytes", json_integer((json_int_t)res->mirrored_bytes));
	json_object_set_new(o, "threads", json_integer((json_int_t)res->threads));
	json_object_set_new(o, "elapsed_s", json_real(res->elapsed_s));
	json_object_set_new(o, "first_divergence",
			    res->first ? divergence_json(res->first) : json_null());
	for (i = 0; i < res->n_warnings; i++)
		json_array_append_new(w, json_string(res->warnings[i]));
	json_object_set_new(o, "warnings", w);
	if (res->whatif)
		json_object_set_new(o, "what_if", wi_report_json(res->whatif));
	return o;
}

void fr_replay_result__print(FILE *f, const struct fr_replay_result *res)
{
	const struct fr_replay_divergence *d = res->first;
	size_t i;
	unsigned k;

	for (i = 0; i < res->n_warnings; i++)
		fprintf(f, "flightrec: replay: warning: %s\n", res->warnings[i]);
	if (!d) {
		fprintf(f,
			"flightrec: replay: %s: %" PRIu64 " of %" PRIu64 " recorded system calls "
			"replayed (%" PRIu64 " served, %" PRIu64 " run), exit status %d",
			res->end_of_recording ? "identical up to the end of the recording"
					      : "identical to the recording",
			res->syscalls_replayed, res->syscalls_recorded, res->syscalls_emulated,
			res->syscalls_real,
			res->replayed_exit_known ? fr_replay_status_code(res->replayed_status)
						 : -1);
		if (res->injections)
			fprintf(f, ", %" PRIu64 " injection%s", res->injections,
				res->injections == 1 ? "" : "s");
		fprintf(f, "\n");
		if (res->whatif)
			wi_report_print(f, res->whatif);
		return;
	}
	fprintf(f, "flightrec: replay diverged from the recording (%s): %s\n", d->kind, d->reason);
	if (d->tid)
		fprintf(f, "  thread:   %u/%u (replayed as %d)\n", d->pid, d->tid, d->real_tid);
	if (d->thread_call)
		fprintf(f, "  syscall:  #%" PRIu64 " of the thread", d->thread_call);
	if (d->global_call)
		fprintf(f, ", #%" PRIu64 " overall", d->global_call);
	if (d->thread_call)
		fprintf(f, "\n");
	fprintf(f, "  expected: %s\n",
		d->expected ? d->expected : "(nothing: the recording has no call here)");
	fprintf(f, "  actual:   %s\n", d->actual ? d->actual : "(no call)");
	if (d->injection[0])
		fprintf(f, "  after the injection %s\n", d->injection);
	if (d->n_last) {
		fprintf(f, "  last recorded calls:\n");
		for (k = 0; k < d->n_last; k++)
			fprintf(f, "    %s\n", d->last[k]);
	}
	fprintf(f, "  %" PRIu64 " of %" PRIu64 " recorded system calls matched\n",
		res->syscalls_replayed, res->syscalls_recorded);
	if (res->whatif)
		wi_report_print(f, res->whatif);
}
