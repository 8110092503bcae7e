// SPDX-License-Identifier: MIT
/*
 * causes.c: the root causes of an incident: the segments of its critical
 * path grouped by category and culprit process, most time first, each with
 * its culprit threads, where the time was spent, what was waited on, and a
 * sentence saying so.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "analyze/internal.h"
#include "formats/syscalls.h"
#include "formats/util.h"

#define TALLY 16

struct tally {
	uint32_t id[TALLY];
	uint64_t ns[TALLY];
	uint32_t n;
};

static void tally_add(struct tally *t, uint32_t id, uint64_t ns)
{
	uint32_t i, min = 0;

	for (i = 0; i < t->n; i++)
		if (t->id[i] == id) {
			t->ns[i] += ns;
			return;
		}
	if (t->n < TALLY) {
		t->id[t->n] = id;
		t->ns[t->n++] = ns;
		return;
	}
	/* full: replace the smallest when this one is bigger (an approximation
	 * that keeps the heavy hitters) */
	for (i = 1; i < TALLY; i++)
		if (t->ns[i] < t->ns[min])
			min = i;
	if (ns > t->ns[min]) {
		t->id[min] = id;
		t->ns[min] = ns;
	}
}

static uint32_t tally_top(const struct tally *t)
{
	uint32_t i, best = 0;

	if (!t->n)
		return FA_NONE;
	for (i = 1; i < t->n; i++)
		if (t->ns[i] > t->ns[best])
			best = i;
	return t->id[best];
}

struct group {
	uint8_t category;
	uint32_t pid; /* culprit process, 0 = none */
	uint64_t ns;
	struct tally culprits, on, res, root;
	uint32_t wait; /* the longest segment's wait */
	uint64_t wait_ns;
	uint32_t flags;		       /* FA_SEGF_* seen */
	uint64_t unknown_before_start; /* UNKNOWN time before the thread's first event */
	uint64_t first_ns;	       /* start of its earliest segment */
};

static void fmt_d(char *b, size_t l, uint64_t ns)
{
	fr_fmt_duration(b, l, ns);
}

static void name(const struct fa_model *m, uint32_t t, char *b, size_t l)
{
	fa_model__thread_name(m, t, b, l);
}

/* ", while client 42 waited for it in read() on pipe:[7]" */
static void while_clause(const struct fa_model *m, const struct fa_incident *inc, uint32_t on,
			 uint32_t root_wait, char *b, size_t l)
{
	char who[64], call[192];

	b[0] = 0;
	if (on == inc->thread || root_wait >= m->n_waits)
		return;
	name(m, inc->thread, who, sizeof(who));
	fa_describe_wait(m, root_wait, call, sizeof(call));
	snprintf(b, l, ", while %s waited for it in %s", who, call);
}

static void explain_one(const struct fa_model *m, const struct fa_incident *inc, struct fa_cause *c,
			const struct group *g, bool with_clause);

/* The explanation, and the brief one (for summaries, which already say
 * what the incident thread waited in). */
static void explain(const struct fa_model *m, const struct fa_incident *inc, struct fa_cause *c,
		    const struct group *g)
{
	explain_one(m, inc, c, g, false);
	memcpy(c->brief, c->explanation, sizeof(c->brief));
	explain_one(m, inc, c, g, true);
}

static void explain_one(const struct fa_model *m, const struct fa_incident *inc, struct fa_cause *c,
			const struct group *g, bool with_clause)
{
	char d[32], on[64], cul[64], cl[320], extra[160], call[192];
	uint32_t culprit = c->n_culprits ? c->culprits[0].thread : FA_NONE;
	uint32_t rootw = tally_top(&g->root);
	const char *res = c->res != FA_NONE ? fa_res_name(m, c->res) : NULL;
	size_t n;

	fmt_d(d, sizeof(d), c->ns);
	name(m, c->on_thread, on, sizeof(on));
	name(m, culprit, cul, sizeof(cul));
	cl[0] = 0;
	if (with_clause)
		while_clause(m, inc, c->on_thread, rootw, cl, sizeof(cl));
	extra[0] = 0;
	switch (c->category) {
	case FA_CAT_RUNNING:
		if (culprit == inc->thread)
			snprintf(c->explanation, sizeof(c->explanation),
				 "%s itself was running on a CPU for %s", on, d);
		else
			snprintf(c->explanation, sizeof(c->explanation),
				 "%s was running on a CPU for %s%s", cul, d, cl);
		break;
	case FA_CAT_CPU:
		if (culprit == FA_NONE)
			snprintf(c->explanation, sizeof(c->explanation),
				 "%s waited %s in a CPU run queue%s", on, d, cl);
		else
			snprintf(c->explanation, sizeof(c->explanation),
				 "%s waited %s for a CPU that %s was using%s", on, d, cul, cl);
		break;
	case FA_CAT_DISK: {
		uint32_t nb = 0;
		uint64_t bytes = 0;
		char sz[32];

		fa_disk_culprit(m, c->on_thread, inc->start_ns, inc->end_ns, &nb, &bytes);
		if (nb) {
			fr_fmt_size(sz, sizeof(sz), bytes);
			snprintf(extra, sizeof(extra), " (%u block request%s, %s)", nb,
				 nb == 1 ? "" : "s", sz);
		}
		if (culprit != FA_NONE && culprit != c->on_thread)
			snprintf(c->explanation, sizeof(c->explanation),
				 "%s waited %s for disk I/O issued mostly by %s%s%s", on, d, cul,
				 extra, cl);
		else
			snprintf(c->explanation, sizeof(c->explanation),
				 "%s waited %s for disk I/O%s%s%s%s", on, d, res ? " on " : "",
				 res ? res : "", extra, cl);
		break;
	}
	case FA_CAT_NETWORK:
		if (g->flags & FA_SEGF_RETRANSMIT)
			snprintf(extra, sizeof(extra),
				 ", with TCP retransmissions on the connection");
		if (culprit != FA_NONE && culprit != c->on_thread)
			snprintf(c->explanation, sizeof(c->explanation),
				 "%s waited %s for %s over the network%s%s%s%s", on, d, cul,
				 res ? " on " : "", res ? res : "", extra, cl);
		else
			snprintf(c->explanation, sizeof(c->explanation),
				 "%s waited %s for the network%s%s (the remote end)%s%s", on, d,
				 res ? " on " : "", res ? res : "", extra, cl);
		break;
	case FA_CAT_IPC:
		if (culprit != FA_NONE && culprit != c->on_thread)
			snprintf(c->explanation, sizeof(c->explanation),
				 "%s waited %s for %s on %s%s", on, d, cul,
				 res ? res : "inter-process communication", cl);
		else
			snprintf(c->explanation, sizeof(c->explanation), "%s waited %s on %s%s", on,
				 d, res ? res : "inter-process communication", cl);
		break;
	case FA_CAT_LOCK:
		if (culprit != FA_NONE && culprit != c->on_thread)
			snprintf(c->explanation, sizeof(c->explanation),
				 "%s waited %s for a lock%s%s%s held by %s%s", on, d,
				 res ? " (" : "", res ? res : "", res ? ")" : "", cul, cl);
		else
			snprintf(c->explanation, sizeof(c->explanation),
				 "%s waited %s for a lock%s%s%s%s", on, d, res ? " (" : "",
				 res ? res : "", res ? ")" : "", cl);
		break;
	case FA_CAT_RECLAIM: {
		const struct fa_process *p =
		    culprit != FA_NONE ? fa_model__find_process(m, m->threads[culprit].pid) : NULL;
		const char *kind = "memory reclaim";
		uint32_t i;
		char sz[32];

		for (i = 0; i < m->n_reclaims; i++)
			if (m->reclaims[i].thread == c->on_thread) {
				kind = m->reclaims[i].kind == FR_RECLAIM_MEMCG ||
					       m->reclaims[i].kind == FR_RECLAIM_MEMCG_SOFT
					   ? "memory-cgroup reclaim"
					   : "direct reclaim";
				break;
			}
		if (culprit != FA_NONE && culprit != c->on_thread) {
			fr_fmt_size(sz, sizeof(sz), p ? fa_process__mem_at(p, g->first_ns) : 0);
			snprintf(c->explanation, sizeof(c->explanation),
				 "%s filled the memory cgroup (%s of memory and recent page cache) "
				 "and %s "
				 "spent %s in %s%s",
				 cul, sz, on, d, kind, cl);
		} else {
			snprintf(c->explanation, sizeof(c->explanation),
				 "%s spent %s in %s: its own allocations filled the memory%s", on,
				 d, kind, cl);
		}
		break;
	}
	case FA_CAT_FAULT:
		if (culprit != FA_NONE && culprit != c->on_thread)
			snprintf(c->explanation, sizeof(c->explanation),
				 "%s spent %s in page faults reading back pages evicted while %s "
				 "filled the "
				 "memory cgroup%s",
				 on, d, cul, cl);
		else
			snprintf(c->explanation, sizeof(c->explanation),
				 "%s spent %s in page faults (pages read from disk or memory "
				 "allocated)%s",
				 on, d, cl);
		break;
	case FA_CAT_SLEEP:
		call[0] = 0;
		if (c->wait != FA_NONE) {
			char tmp[32];

			snprintf(call, sizeof(call), " in %s()",
				 fa_syscall_name(m->waits[c->wait].nr, tmp, sizeof(tmp)));
		}
		snprintf(c->explanation, sizeof(c->explanation), "%s slept for %s%s%s", on, d, call,
			 cl);
		break;
	default:
		if (g->unknown_before_start * 2 > c->ns)
			snprintf(c->explanation, sizeof(c->explanation),
				 "%s of %s's time is before what the recording shows of it", d, on);
		else
			snprintf(c->explanation, sizeof(c->explanation),
				 "%s of %s's time could not be explained: it was off CPU and no "
				 "recorded event "
				 "says what ended the wait%s",
				 d, on, cl);
		break;
	}
	n = strlen(c->explanation);
	if (n + 1 < sizeof(c->explanation)) {
		c->explanation[n] = '.';
		c->explanation[n + 1] = 0;
	}
}

static int cmp_group(const void *a, const void *b)
{
	const struct group *x = a, *y = b;

	if (x->ns != y->ns)
		return x->ns > y->ns ? -1 : 1;
	if (x->category != y->category)
		return x->category - y->category;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

int fa_causes__compute(const struct fa_model *m, const struct fa_incident *inc,
		       const struct fa_segment *path, uint32_t n_path, struct fa_cause **out,
		       uint32_t *n)
{
	struct group *g = NULL;
	uint32_t n_g = 0, cap_g = 0, i, k;
	struct fa_map key = {0};
	struct fa_cause *c;
	uint64_t total = inc->end_ns > inc->start_ns ? inc->end_ns - inc->start_ns : 0, covered = 0;
	int err = 0;

	*out = NULL;
	*n = 0;
	for (i = 0; i < n_path; i++) {
		const struct fa_segment *s = &path[i];
		uint64_t d = s->end_ns - s->start_ns;
		uint32_t pid = s->culprit < m->n_threads ? m->threads[s->culprit].pid : 0;
		uint32_t gi = fa_map_get(&key, s->category, pid);

		covered += d;
		if (gi == FA_NONE) {
			struct group *ng = FA_PUSH(g, n_g, cap_g);

			if (!ng || fa_map_put(&key, s->category, pid, n_g - 1)) {
				err = -ENOMEM;
				goto out;
			}
			memset(ng, 0, sizeof(*ng));
			ng->category = s->category;
			ng->pid = pid;
			ng->wait = FA_NONE;
			ng->first_ns = s->start_ns;
			gi = n_g - 1;
		}
		g[gi].ns += d;
		tally_add(&g[gi].culprits, s->culprit, d);
		tally_add(&g[gi].on, s->thread, d);
		if (s->res != FA_NONE)
			tally_add(&g[gi].res, s->res, d);
		if (s->root_wait != FA_NONE)
			tally_add(&g[gi].root, s->root_wait, d);
		if (s->wait != FA_NONE && d > g[gi].wait_ns) {
			g[gi].wait = s->wait;
			g[gi].wait_ns = d;
		}
		g[gi].flags |= s->flags;
		if (s->category == FA_CAT_UNKNOWN && s->state == FA_ST_UNKNOWN)
			g[gi].unknown_before_start += d;
	}
	/* time the path does not cover (a budget stopped it) is unknown */
	if (covered < total) {
		struct group *ng = FA_PUSH(g, n_g, cap_g);

		if (!ng) {
			err = -ENOMEM;
			goto out;
		}
		memset(ng, 0, sizeof(*ng));
		ng->category = FA_CAT_UNKNOWN;
		ng->ns = total - covered;
		ng->wait = FA_NONE;
		tally_add(&ng->on, inc->thread, ng->ns);
	}
	if (!total)
		total = covered;
	qsort(g, n_g, sizeof(*g), cmp_group);
	c = calloc(n_g ? n_g : 1, sizeof(*c));
	if (!c) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n_g; i++) {
		struct fa_cause *x = &c[i];
		struct tally cu = g[i].culprits;

		x->category = g[i].category;
		x->ns = g[i].ns;
		x->share = total ? (double)g[i].ns / (double)total : 0;
		x->on_thread = tally_top(&g[i].on);
		x->res = tally_top(&g[i].res);
		x->wait = g[i].wait;
		/* culprits, most time first; FA_NONE (a remote end) is not listed */
		while (x->n_culprits < FA_MAX_CULPRITS) {
			uint32_t best = FA_NONE;

			for (k = 0; k < cu.n; k++)
				if (cu.id[k] != FA_NONE && cu.ns[k] &&
				    (best == FA_NONE || cu.ns[k] > cu.ns[best]))
					best = k;
			if (best == FA_NONE)
				break;
			x->culprits[x->n_culprits].thread = cu.id[best];
			x->culprits[x->n_culprits++].ns = cu.ns[best];
			cu.ns[best] = 0;
		}
	}
	for (i = 0; i < n_g; i++)
		explain(m, inc, &c[i], &g[i]);
	*out = c;
	*n = n_g;
out:
	fa_map_free(&key);
	free(g);
	return err;
}
